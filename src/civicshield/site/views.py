"""Site-wide pages: the public home, the console dashboard, the health check."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from civicshield.intake.models import Event
from civicshield.intake.visibility import may_open_subjects, sees_every_subject, visible_cases, visible_decisions

from .lockout import is_locked_out


class LoginView(auth_views.LoginView):
    """Django's login; password guessing is refused by the lockout backend (see `lockout.py`)."""

    template_name = "site/login.html"

    def form_invalid(self, form: Any) -> HttpResponse:
        if is_locked_out(self.request):
            return locked_out(self.request)
        return super().form_invalid(form)


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The Django admin's login, answering a locked-out sign-in the way the console login does."""
    response = admin.AdminSite.login(admin.site, request, extra_context)
    return locked_out(request) if is_locked_out(request) else response


def locked_out(request: HttpRequest) -> HttpResponse:
    return render(request, "site/rate_limited.html", {"login": True}, status=429)


def rate_limited(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    return render(request, "site/rate_limited.html", status=429)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def console_home(request: HttpRequest) -> HttpResponse:
    """The dashboard, counting only what the user may see: everything for platform staff, a partner's
    own cases for a fact-checker, and nothing but a message for a user without such a role."""
    if not may_open_subjects(request.user):
        return render(request, "site/console_home.html", {"scope": "none"})
    decisions = visible_decisions(request.user)
    everything = sees_every_subject(request.user)
    by_action = decisions.filter(mode="enforce").values("action").annotate(n=Count("seq")).order_by("-n")
    open_cases = (visible_cases(request.user).filter(status__in=("open", "claimed")).values("queue")
                  .annotate(n=Count("id")).order_by("queue"))
    return render(request, "site/console_home.html", {
        "scope": "all" if everything else "partner", "events": Event.objects.count() if everything else None,
        "decisions": decisions.count(), "recent": decisions.order_by("-seq")[:15], "by_action": by_action,
        "open_cases": open_cases,
    })
