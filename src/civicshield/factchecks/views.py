"""Console pages of the partner fact-checker portal: the organisation's cases, one case, rating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from civicshield.site.roles import role_required

from .claimreview import RATINGS
from .models import FactCheck, PartnerOrganisation
from .portal import PortalError, claim_case, log, rate_case, route_open_cases, visible_cases


def _subject_text(case: Any) -> str:
    from civicshield.intake.models import Ad, Content, Search

    model, field = {"content": (Content, "text"), "ad": (Ad, "text"), "search": (Search, "query")}.get(
        case.subject_type, (None, ""))
    row = model.objects.filter(pk=case.subject_id).values_list(field, flat=True).first() if model else None
    return row or ""


@role_required("fact_checker")
def cases(request: HttpRequest) -> HttpResponse:
    route_open_cases()
    status = request.GET.get("status", "open")
    qs = visible_cases(request.user)
    qs = qs.filter(status__in=("open", "claimed")) if status == "open" else qs.filter(status__in=("decided", "closed"))
    return render(request, "factchecks/cases.html", {
        "cases": qs.order_by("-priority", "opened_at")[:200], "status": status,
        "organisations": PartnerOrganisation.of_user(request.user)})


@role_required("fact_checker")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=case_id)
    candidates = []
    text = _subject_text(case)
    if text:
        from .store import live_index

        index = live_index()
        if len(index):
            candidates = [m.as_dict() for m in index.search(text, top=3)]
    return render(request, "factchecks/case.html", {
        "case": case, "text": text, "candidates": candidates, "ratings": RATINGS,
        "entries": case.entries.all(), "fact_checks": FactCheck.objects.filter(case_id=case.pk)})


@require_POST
@role_required("fact_checker")
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), pk=case_id)
    try:
        if action == "claim":
            claim_case(case, request.user)
        elif action == "note":
            note, source = request.POST.get("note", "").strip(), request.POST.get("source", "").strip()
            if not note and not source:
                raise PortalError("write a note or give a source URL")
            if note:
                log(case, request.user, "note", note)
            if source:
                log(case, request.user, "source", source)
        elif action == "rate":
            sources = [s.strip() for s in request.POST.get("sources", "").splitlines() if s.strip()]
            rate_case(case, request.user, claim=request.POST.get("claim", ""), rating=request.POST.get("rating", ""),
                      rating_text=request.POST.get("rating_text", ""), notes=request.POST.get("notes", ""),
                      sources=sources, url=request.POST.get("url", "").strip())
            messages.success(request, f"Case {case.pk} rated {request.POST.get('rating')}.")
        else:
            raise PortalError(f"unknown action {action!r}")
    except PortalError as exc:
        messages.error(request, str(exc))
    return redirect("factchecks-console:case", case_id=case.pk)
