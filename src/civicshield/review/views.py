"""Console pages of the review app: the queue, a case, queue health and reviewer preferences.

Every page is role-gated and every query starts from `visible_cases(user)`, so a reviewer never sees
a case from a queue their role does not work. State changes are in `actions.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from civicshield.decisions.models import Decision
from civicshield.site.roles import role_required, user_has_role

from .appeals import appeal_counts, contested
from .cases import current_policy
from .health import depth_chart, queue_health, reviewer_rates
from .leases import held_by, may_work, visible_cases, workable_queues
from .media import case_media, stored_image
from .models import Case, ReviewerPreference
from .outcomes import case_rules, options
from .similar import similar_decided
from .strikes import live_strikes, strike_history

CONSOLE_ROLES = ("reviewer", "policy_manager", "fact_checker", "ads_reviewer", "verifier", "analyst")
FILTERS = ("queue", "kind", "language", "region", "area")


def filtered_cases(request: HttpRequest) -> Any:
    qs = visible_cases(request.user)
    status = request.GET.get("status", "live")
    qs = qs.filter(status__in=("open", "claimed")) if status == "live" else qs.filter(status=status)
    for name in FILTERS:
        value = request.GET.get(name, "").strip()[:60]
        if value:
            qs = qs.filter(**{name: value})
    text = request.GET.get("q", "").strip()[:200]
    if text:
        qs = qs.filter(Q(reason__icontains=text) | Q(subject_id__icontains=text))
    return qs


@role_required(*CONSOLE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    qs = filtered_cases(request).select_related("claimed_by").order_by("-priority", "due_at", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "review/queue.html", {
        "page": page, "queues": workable_queues(request.user), "now": timezone.now(),
        "filters": {k: request.GET.get(k, "") for k in (*FILTERS, "q", "status")},
        "bulk_choices": [("allow", "No violation — keep up"), ("label", "Apply the rule's label"),
                         ("remove", "Remove"), ("public_interest", "Public-interest exception")],
    })


def _subject(case: Case) -> tuple[Any, Any]:
    from civicshield.intake.models import SUBJECT_MODELS, Account

    model = SUBJECT_MODELS.get(case.subject_type)
    subject = model.objects.filter(id=case.subject_id).first() if model else None
    account_id = (case.subject_id if case.subject_type == "account" else
                  getattr(subject, "account_id", "") or getattr(subject, "advertiser_account_id", "") or "")
    account = Account.objects.filter(id=account_id).first() if account_id else None
    return subject, account


def _signals(case: Case) -> dict[str, Any]:
    if case.details.get("signals"):
        return case.details["signals"]
    row = (Decision.objects.filter(subject_key=case.subject_key, actor_type="system").exclude(signals={})
           .order_by("-seq").values_list("signals", flat=True).first())
    return row or {}


@role_required(*CONSOLE_ROLES)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = visible_cases(request.user).select_related("claimed_by").filter(pk=case_id).first()
    if case is None:
        raise Http404("no such case in your queues")
    policy = current_policy()
    subject, account = _subject(case)
    payload = getattr(subject, "payload", {}) or {}
    text = payload.get("text") or payload.get("query") or ""
    now = timezone.now()
    account_id = account.id if account else ""
    reviewers = [u for u in get_user_model().objects.filter(is_active=True).order_by("username")[:200]
                 if u.pk != request.user.pk and may_work(u, case, policy) is None]
    return render(request, "review/case.html", {
        "case": case, "subject": subject, "payload": payload, "text": text, "account": account,
        "media": case_media(case, payload), "signals": _signals(case), "rules": case_rules(case, policy),
        "options": options(case, policy) if case.kind != "appeal" else [],
        "contested": contested(case) if case.kind == "appeal" else [],
        "similar": similar_decided(case, text), "mine": held_by(case, request.user, now),
        "blocked": may_work(request.user, case, policy), "now": now,
        "history": Decision.objects.filter(Q(account_id=account_id) | Q(subject_key=case.subject_key))
        .order_by("-seq")[:25] if account_id else Decision.objects.filter(subject_key=case.subject_key)
        .order_by("-seq")[:25],
        "live_strikes": live_strikes(account_id, now=now) if account_id else [],
        "strikes": strike_history(account_id)[:20] if account_id else [],
        "prio": case.details.get("priority", {}), "entries": case.entries.all(),
        "blur": ReviewerPreference.for_user(request.user).blur_media, "reviewers": reviewers,
        "senior": (policy.queues.get(case.queue).senior_queue if policy.queues.get(case.queue) else None),
        "others_cases": visible_cases(request.user).filter(subject_key=case.subject_key).exclude(pk=case.pk),
    })


@role_required(*CONSOLE_ROLES)
def media_file(request: HttpRequest, case_id: int, index: int) -> FileResponse:
    """One stored image of a case the user may see, served so that a browser can only display it."""
    case = visible_cases(request.user).filter(pk=case_id).first()
    subject = _subject(case)[0] if case is not None else None
    stored = stored_image(getattr(subject, "payload", None) or {}, index)
    if stored is None:
        raise Http404("no such image in the platform's store on a case you may see")
    path, mime = stored
    response = FileResponse(open(path, "rb"), content_type=mime)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required("reviewer", "policy_manager", "analyst")
def health(request: HttpRequest) -> HttpResponse:
    queues = workable_queues(request.user) if not user_has_role(request.user, "policy_manager") else \
        list(current_policy().queues)
    rows = queue_health(queues)
    return render(request, "review/health.html", {
        "rows": rows, "chart": depth_chart(rows), "rates": reviewer_rates(), "appeals": appeal_counts()})


@role_required(*CONSOLE_ROLES)
def preferences(request: HttpRequest) -> HttpResponse:
    pref = ReviewerPreference.for_user(request.user)
    if request.method == "POST":
        pref.blur_media = request.POST.get("blur_media") == "on"
        pref.save(update_fields=["blur_media"])
        return redirect("review-console:preferences")
    return render(request, "review/preferences.html", {"pref": pref})
