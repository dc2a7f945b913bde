"""Election Center public pages: the calendar, the US state picker, and each state's voter information.

Pages render in English or Spanish: `?lang=es` wins, then the browser's Accept-Language.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from . import facts as facts_data
from .display import FIELD_LABELS, LANGUAGES, OFFICE_LINKS, STATUS_LABELS, describe
from .freshness import freshness_window_days
from .models import Jurisdiction


def reader_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    if wanted in LANGUAGES:
        return wanted
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    lang = reader_language(request)
    with translation.override(lang):
        response = render(
            request, template, {**context, "lang": lang, "other_lang": "es" if lang == "en" else "en"}
        )
    response["Content-Language"] = lang
    response["Vary"] = "Accept-Language"
    return response


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
    with translation.override(reader_language(request)):
        for row in page["facts"]:
            row["label"] = str(FIELD_LABELS.get(row["field"], row["field"]))
            row.update({"display": describe(row["field"], row["value"])})
        for office in page["election_offices"]:
            office["links"] = [
                (str(OFFICE_LINKS[k]), office["urls"][k]) for k in OFFICE_LINKS if k in office["urls"]
            ]
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
