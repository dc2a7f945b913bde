"""Site-wide pages: the public home, the console dashboard, the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from civicshield.decisions.models import Decision
from civicshield.intake.models import Event
from civicshield.review.models import Case


class LoginView(auth_views.LoginView):
    """Django's login, limited per username and per address against password guessing."""

    template_name = "site/login.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        from django_ratelimit.core import is_ratelimited

        rate = settings.CIVICSHIELD["LOGIN_RATE"]
        for key in ("post:username", "ip"):
            if is_ratelimited(request, group="login", key=key, rate=rate, method="POST", increment=True):
                return rate_limited(request, None)
        return super().post(request, *args, **kwargs)


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
