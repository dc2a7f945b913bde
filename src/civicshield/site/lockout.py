"""Password-guessing lockout: failed sign-ins only, counted per account and per client address.

Every sign-in path (the console login, the Django admin, anything calling `authenticate`) goes through
`LockoutBackend`, so one mechanism throttles them all. A successful sign-in is never counted. The
per-address limit is looser than the per-account one, so a team behind one proxy is not locked out by
one colleague's typos, and a locked account is unlocked with `civicshield users unlock NAME` or the
"Unlock" action on failed sign-ins in the admin.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure
from .proxy import client_address

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LOCKED_FLAG = "civicshield_login_locked"


def parse_rate(rate: str) -> tuple[int, dt.timedelta]:
    """'10/15m' → (10 failures, 15 minutes)."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"login rate {rate!r} is not like '10/15m' (failures / window in s, m, h or d)")
    count, n, unit = match.groups()
    return int(count), dt.timedelta(seconds=int(n or 1) * _UNIT[unit])


def _account(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def lock_reason(username: str | None, address: str, now: dt.datetime | None = None) -> str | None:
    """Why a sign-in for `username` from `address` is refused now, or None."""
    now = now or timezone.now()
    limit, window = parse_rate(settings.CIVICSHIELD["LOGIN_RATE"])
    account = _account(username)
    if account and LoginFailure.objects.filter(username=account, at__gte=now - window).count() >= limit:
        return "account"
    limit, window = parse_rate(settings.CIVICSHIELD["LOGIN_ADDRESS_RATE"])
    if LoginFailure.objects.filter(address=address, at__gte=now - window).count() >= limit:
        return "address"
    return None


def unlock(username: str | None = None, address: str | None = None) -> int:
    """Forget failed sign-ins of an account and/or an address; returns how many were forgotten."""
    rows = LoginFailure.objects.all()
    if username is not None:
        rows = rows.filter(username=_account(username))
    if address is not None:
        rows = rows.filter(address=address)
    if username is None and address is None:
        rows = rows.none()
    return rows.delete()[0]


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing every sign-in while the account or the address is locked."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,  # type: ignore[override]
                     password: str | None = None, **kwargs: Any) -> Any:
        if username is None:
            from django.contrib.auth import get_user_model

            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if lock_reason(username, client_address(request)):
            if request is not None:
                setattr(request, LOCKED_FLAG, True)
            raise PermissionDenied("too many failed sign-ins")
        return super().authenticate(request, username=username, password=password, **kwargs)


def is_locked_out(request: HttpRequest) -> bool:
    """True when this request's sign-in was refused by the lockout (the view answers 429)."""
    return bool(getattr(request, LOCKED_FLAG, False))


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                   **kwargs: Any) -> None:
    # Attempts refused while locked are not counted: the lock ends one window after the last real guess.
    if request is not None and is_locked_out(request):
        return
    now = timezone.now()
    LoginFailure.objects.create(username=_account(credentials.get("username")), address=client_address(request),
                                at=now)
    # Failures older than both windows lock nothing; forgetting them keeps the table small.
    keep = max(parse_rate(settings.CIVICSHIELD[name])[1] for name in ("LOGIN_RATE", "LOGIN_ADDRESS_RATE"))
    LoginFailure.objects.filter(at__lt=now - keep).delete()


@receiver(user_logged_in)
def _forget_account_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    LoginFailure.objects.filter(username=_account(user.get_username())).delete()
