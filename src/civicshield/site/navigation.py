"""The console and public navigation, assembled from what each app declares."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from civicshield.intake.visibility import PARTNER_ROLE, SUBJECT_ROLES

from .discovery import capability_apps
from .roles import user_has_role

CORE_CONSOLE_NAV = [("Dashboard", "console-home", ()), ("Subjects", "subject-search", (*SUBJECT_ROLES, PARTNER_ROLE))]


def navigation(request: HttpRequest) -> dict[str, Any]:
    console, public = [], [(gettext("Home"), reverse("home"))]
    for label, url_name, roles in CORE_CONSOLE_NAV + [n for _, c in capability_apps()
                                                      for n in getattr(c, "console_nav", [])]:
        if request.user.is_authenticated and (not roles or user_has_role(request.user, *roles)):
            try:
                console.append((label, reverse(url_name)))
            except NoReverseMatch:
                continue
    for _, config in capability_apps():
        for label, url_name in getattr(config, "public_nav", []):
            try:
                public.append((label, reverse(url_name)))
            except NoReverseMatch:
                continue
    if request.user.is_authenticated and user_has_role(request.user, "admin"):
        console.append(("Admin", reverse("admin:index")))
    return {"console_nav": console, "public_nav": public}
