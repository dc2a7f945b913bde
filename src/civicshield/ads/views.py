"""Pages of the ads app: the public ad library (and its CSV), and the ads reviewer's console.

The library is public by design: it lists only ads rejected as political. The console pages need the
ads_reviewer role and start every query from the review app's `visible_cases(user)`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from civicshield.intake.models import Account, Ad, Content
from civicshield.review import leases
from civicshield.review.leases import CaseError, visible_cases
from civicshield.review.models import Case
from civicshield.site.roles import role_required

from .library import parse_query, search, to_csv
from .reasons import REASON_CODES
from .review import decide_ad

ADS_QUEUE = "ads"


def library(request: HttpRequest) -> HttpResponse:
    query, errors = parse_query(request.GET.dict())
    entries = search(query)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "ads/library.html", {"page": page, "query": query, "errors": errors,
                                                "total": len(entries), "reasons": REASON_CODES,
                                                "params": params.urlencode()})


def library_csv(request: HttpRequest) -> HttpResponse:
    query, _ = parse_query(request.GET.dict())
    response = HttpResponse(to_csv(search(query)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rejected-political-ads.csv"'
    return response


def _ads_cases(request: HttpRequest) -> Any:
    return visible_cases(request.user).filter(queue=ADS_QUEUE)


@role_required("ads_reviewer")
def queue(request: HttpRequest) -> HttpResponse:
    cases = _ads_cases(request).filter(status__in=("open", "claimed")).order_by("-priority", "due_at", "id")
    return render(request, "ads/queue.html", {"cases": cases[:200]})


@role_required("ads_reviewer")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _ads_cases(request).filter(pk=case_id).select_related("claimed_by").first()
    if case is None:
        raise Http404("no such case in the ads queue")
    subject = (Ad if case.subject_type == "ad" else Content).objects.filter(id=case.subject_id).first()
    owner = getattr(subject, "advertiser_account_id", None) or getattr(subject, "account_id", "")
    signal = _political_signal(case)
    return render(request, "ads/case.html", {
        "case": case, "subject": subject, "advertiser": Account.objects.filter(id=owner).first(),
        "signal": signal, "reasons": REASON_CODES, "held": case.status == "claimed" and case.claimed_by == request.user,
        "suggested": (signal.get("evidence") or {}).get("reason_code", "") if signal else "",
    })


def _political_signal(case: Case) -> dict[str, Any]:
    from civicshield.decisions.models import Decision

    row = (Decision.objects.filter(subject_key=case.subject_key, actor_type="system").exclude(signals={})
           .order_by("-seq").first())
    return (row.signals.get("political_ad") or {}) if row else {}


@role_required("ads_reviewer")
@require_POST
def claim(request: HttpRequest, case_id: int) -> HttpResponse:
    if not _ads_cases(request).filter(pk=case_id).exists():
        raise Http404("no such case in the ads queue")
    try:
        leases.claim(case_id, request.user)
        messages.success(request, "Claimed: the case is yours to decide.")
    except CaseError as exc:
        messages.error(request, str(exc))
    return redirect("ads-console:case", case_id=case_id)


@role_required("ads_reviewer")
@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    if not _ads_cases(request).filter(pk=case_id).exists():
        raise Http404("no such case in the ads queue")
    choice: Any = request.POST.get("choice", "")
    try:
        rows = decide_ad(case_id, request.user, choice, request.POST.get("reason", ""),
                         request.POST.get("rationale", ""), strike=request.POST.get("strike") == "on")
    except CaseError as exc:
        messages.error(request, str(exc))
        return redirect("ads-console:case", case_id=case_id)
    messages.success(request, "Decided: " + ", ".join(f"#{r.seq} {r.action}" for r in rows)
                     + " in the decision log.")
    return redirect("ads-console:queue")
