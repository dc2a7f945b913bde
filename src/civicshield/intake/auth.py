"""API keys for platform clients: `cs_<prefix>_<secret>`, stored as a SHA-256 digest.

Keys are 32 random bytes, so a fast digest is enough (unlike passwords, they cannot be guessed); the
prefix finds the row without scanning, and the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .models import ApiKey


def create_api_key(name: str) -> str:
    """Create a key named `name` and return it; it cannot be shown again."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = f"cs_{prefix}_{secret}"
    ApiKey.objects.create(name=name, prefix=prefix, digest=hashlib.sha256(key.encode()).hexdigest())
    return key


def check_api_key(key: str) -> ApiKey | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "cs":
        return None
    row = ApiKey.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.digest, hashlib.sha256(key.encode()).hexdigest()):
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer cs_…` (or the `X-API-Key` header)."""

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        header_key = request.headers.get("X-API-Key")
        if header_key:
            return self.authenticate(request, header_key)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = check_api_key(token)
        if key is None:
            # Guessing keys from one address is throttled like password guessing.
            if is_ratelimited(request, group="api-bad-key", key="ip", rate="30/m", increment=True):
                raise HttpError(429, "too many requests with invalid API keys; wait a minute")
            return None
        if is_ratelimited(request, group="api", key=lambda group, req: key.prefix,
                          rate=settings.CIVICSHIELD["API_RATE"], increment=True):
            raise HttpError(429, f"rate limit of {settings.CIVICSHIELD['API_RATE']} requests per key exceeded")
        return key
