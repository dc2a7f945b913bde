"""Election Center public pages: the calendar, the US state picker, and each state's voter information.

Pages render in the reader's language, chosen by `site.locale.PublicLocaleMiddleware` (`?lang=`, then
the remembered choice, then the browser's Accept-Language).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from . import facts as facts_data
from .display import FIELD_LABELS, OFFICE_LINKS, STATUS_LABELS, describe
from .freshness import freshness_window_days
from .models import Jurisdiction


def reader_language(request: HttpRequest) -> str:
    return translation.get_language() or "en"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, "lang": reader_language(request)})


def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.now().date()
    country = request.GET.get("country", "").upper()[:2] or None
    rows = facts_data.calendar(today, country)
    for row in rows:
        row["status_label"] = STATUS_LABELS.get(row["date_status"], row["date_status"])
    countries = sorted({r["country"] for r in facts_data.calendar(today)})
    return _render(
        request,
        "elections/calendar.html",
        {"elections": rows, "country": country or "", "countries": countries},
    )


def us_states(request: HttpRequest) -> HttpResponse:
    return _render(request, "elections/us_states.html", {"states": facts_data.us_states()})


def state(request: HttpRequest, code: str) -> HttpResponse:
    j = Jurisdiction.objects.filter(country="US", code=code.upper(), kind__in=("state", "district")).first()
    if j is None:
        raise Http404("no such state")
    today = timezone.now().date()
    page = facts_data.state_page(j, today)
    # Labels in the reader's language (the locale middleware activated it).
    for row in page["facts"]:
        row["label"] = str(FIELD_LABELS.get(row["field"], row["field"]))
        row.update({"display": describe(row["field"], row["value"])})
    for office in page["election_offices"]:
        office["links"] = [(str(OFFICE_LINKS[k]), office["urls"][k]) for k in OFFICE_LINKS if k in office["urls"]]
    return _render(
        request,
        "elections/state.html",
        {
            "j": j,
            "page": page,
            "window_days": freshness_window_days(),
            "name": j.name_es if reader_language(request) == "es" and j.name_es else j.name,
        },
    )
