"""Console pages about subjects: find one, and see its content, signals, verdicts and history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from civicshield.review.models import Case

from .models import SUBJECT_MODELS, Content, Event


@login_required
def subject_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    results = Content.objects.filter(text__icontains=q).order_by("-last_event_at")[:50] if q else \
        Content.objects.order_by("-last_event_at")[:50]
    return render(request, "intake/subject_search.html", {"q": q, "results": results})


@login_required
def subject_detail(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    model = SUBJECT_MODELS.get(subject_type)
    subject = model.objects.filter(id=subject_id).first() if model else None
    decisions = list(Decision.objects.filter(subject_key=f"{subject_type}:{subject_id}").order_by("seq"))
    if subject is None and not decisions:
        raise Http404("no such subject")
    latest_signals = next((d.signals for d in reversed(decisions) if d.signals), {})
    account = None
    if subject_type == "content" and subject is not None:
        account = SUBJECT_MODELS["account"].objects.filter(id=subject.account_id).first()
    return render(request, "intake/subject_detail.html", {
        "subject_type": subject_type, "subject_id": subject_id, "subject": subject, "account": account,
        "state": subject_state(subject_type, subject_id), "decisions": decisions, "signals": latest_signals,
        "events": Event.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("-occurred_at")[:20],
        "cases": Case.objects.filter(subject_key=f"{subject_type}:{subject_id}").order_by("-opened_at"),
    })
