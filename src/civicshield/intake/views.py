"""Console pages about subjects: find one, and see its content, signals, verdicts and history."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civicshield.decisions.state import subject_state

from .models import SUBJECT_MODELS, Event
from .visibility import (may_open_subjects, may_see_subject, sees_every_subject, visible_cases, visible_contents,
                         visible_decisions)


def subject_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login first; then a 403 for users whose roles show them no subject at all."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_open_subjects(request.user):
            raise PermissionDenied("your role does not give access to subjects")
        return view(request, *args, **kwargs)

    protected = login_required(wrapped)
    protected.civicshield_scoped = True  # read by the authorization-matrix test
    return protected


@subject_pages
def subject_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    contents = visible_contents(request.user)
    results = contents.filter(text__icontains=q) if q else contents
    return render(request, "intake/subject_search.html", {
        "q": q, "results": results.order_by("-last_event_at")[:50], "accounts_linked": sees_every_subject(request.user)})


@subject_pages
def subject_detail(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    subject_key = f"{subject_type}:{subject_id}"
    if not may_see_subject(request.user, subject_key):
        raise Http404("no such subject among those you may see")
    model = SUBJECT_MODELS.get(subject_type)
    subject = model.objects.filter(id=subject_id).first() if model else None
    decisions = list(visible_decisions(request.user).filter(subject_key=subject_key).order_by("seq"))
    if subject is None and not decisions:
        raise Http404("no such subject")
    latest_signals = next((d.signals for d in reversed(decisions) if d.signals), {})
    account = None
    if (subject_type == "content" and subject is not None
            and may_see_subject(request.user, f"account:{subject.account_id}")):
        account = SUBJECT_MODELS["account"].objects.filter(id=subject.account_id).first()
    return render(request, "intake/subject_detail.html", {
        "subject_type": subject_type, "subject_id": subject_id, "subject": subject, "account": account,
        "state": subject_state(subject_type, subject_id), "decisions": decisions, "signals": latest_signals,
        "events": Event.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("-occurred_at")[:20],
        "cases": visible_cases(request.user).filter(subject_key=subject_key).order_by("-opened_at"),
    })
