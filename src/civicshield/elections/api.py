"""The Election Center as JSON: the same data as the public pages, public and read-only."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Router

from . import facts as facts_data
from .models import Jurisdiction

router = Router(tags=["elections"])


@router.get("/calendar", summary="Upcoming elections worldwide (optionally one country)")
def calendar(request, country: str | None = None) -> list[dict[str, Any]]:
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise Http404("country must be a two-letter ISO code")
    return facts_data.calendar(timezone.now().date(), country)


@router.get("/us", summary="US states and DC with links to their voter information")
def us_states(request) -> list[dict[str, Any]]:
    return [
        {
            "code": j.code,
            "name": j.name,
            "name_es": j.name_es,
            "ocd_id": j.ocd_id,
            "url": f"/api/v1/elections/us/{j.code.lower()}",
        }
        for j in facts_data.us_states()
    ]


@router.get(
    "/us/{code}", summary="Voter information for one state, with source and last-verified date per field"
)
def state(request, code: str) -> dict[str, Any]:
    j = Jurisdiction.objects.filter(
        country="US", code=code.upper()[:4], kind__in=("state", "district")
    ).first()
    if j is None:
        raise Http404("no such state")
    return facts_data.state_page(j, timezone.now().date())
