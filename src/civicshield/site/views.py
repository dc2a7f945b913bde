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

from civicshield.decisions.models import Decision
from civicshield.intake.models import Event
from civicshield.review.models import Case

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
    recent = Decision.objects.order_by("-seq")[:15]
    by_action = (Decision.objects.filter(mode="enforce").values("action").annotate(n=Count("seq"))
                 .order_by("-n"))
    open_cases = Case.objects.filter(status__in=("open", "claimed")).values("queue").annotate(n=Count("id"))
    return render(request, "site/console_home.html", {
        "events": Event.objects.count(), "decisions": Decision.objects.count(), "recent": recent,
        "by_action": by_action, "open_cases": open_cases,
    })
