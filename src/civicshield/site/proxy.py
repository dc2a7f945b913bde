"""Who the client is when a TLS-terminating proxy stands in front (CIVICSHIELD_TRUSTED_PROXY=1).

The proxy connects from its own address and says whom it serves in X-Forwarded-For; only the entry
the trusted proxy itself appended (the last one) is believed, since everything before it is whatever
the client chose to send. Without a trusted proxy, the connection's own address is the client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if settings.CIVICSHIELD.get("TRUSTED_PROXY"):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        address = forwarded[-1] if forwarded else address
    return address[:64]
