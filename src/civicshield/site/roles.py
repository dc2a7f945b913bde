"""Roles are Django groups. Permission checks live here, in one place, and in the querysets."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

ROLES: tuple[str, ...] = ("admin", "policy_manager", "reviewer", "fact_checker", "analyst",
                          "election_editor", "ads_reviewer", "verifier")


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_civicshield_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add("admin")
        user._civicshield_roles = cached
    return cached


def user_has_role(user: Any, *roles: str) -> bool:
    """True if the user holds any of `roles`; admins hold every role."""
    held = user_roles(user)
    return "admin" in held or bool(held.intersection(roles))


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: login first, then one of `roles` (403 otherwise)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; roles are {', '.join(ROLES)}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not user_has_role(request.user, *roles):
                raise PermissionDenied("your role does not give access to this page")
            return view(request, *args, **kwargs)

        protected = login_required(wrapped)
        protected.civicshield_roles = tuple(roles)  # read by the authorization-matrix test
        return protected

    return decorate


def ensure_roles() -> None:
    """Create the role groups (idempotent)."""
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
