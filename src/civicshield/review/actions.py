"""What a reviewer does to cases from the console: claim, release, reassign, escalate, decide, bulk.

Each view is a POST that calls the domain function and redirects back with a message; refusals
(`CaseError`) become a message the reviewer can act on, never a server error.
"""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from civicshield.site.roles import role_required

from . import appeals, leases, outcomes
from .leases import CaseError, visible_cases
from .views import CONSOLE_ROLES


def _case_view(fn: Callable[[HttpRequest, int], str | None]) -> Callable[..., HttpResponse]:
    """Run `fn` on a case the user can see; show its message or the refusal, then go back to the case."""

    @role_required(*CONSOLE_ROLES)
    @require_POST
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        if not visible_cases(request.user).filter(pk=case_id).exists():
            messages.error(request, "That case is not in your queues.")
            return redirect("review-console:queue")
        try:
            done = fn(request, case_id)
        except CaseError as exc:
            messages.error(request, str(exc))
            return redirect("review-console:case", case_id=case_id)
        if done:
            messages.success(request, done)
        still_visible = visible_cases(request.user).filter(pk=case_id).exists()  # not after escalation
        return redirect("review-console:case", case_id=case_id) if still_visible else redirect("review-console:queue")

    view.__name__ = fn.__name__
    return view


@_case_view
def claim(request: HttpRequest, case_id: int) -> str:
    case = leases.claim(case_id, request.user)
    return f"Claimed until {case.lease_expires_at:%H:%M} UTC."


@_case_view
def release(request: HttpRequest, case_id: int) -> str:
    leases.release(case_id, request.user)
    return "Released: the case is back in the queue."


@_case_view
def reassign(request: HttpRequest, case_id: int) -> str:
    to = get_user_model().objects.filter(username=request.POST.get("to", "")).first()
    if to is None:
        raise CaseError("choose a reviewer to hand the case to")
    leases.reassign(case_id, request.user, to)
    return f"Handed to {to.get_username()}."


@_case_view
def escalate(request: HttpRequest, case_id: int) -> str:
    case = leases.escalate(case_id, request.user, request.POST.get("note", ""))
    return f"Escalated to {case.queue}."


@_case_view
def decide(request: HttpRequest, case_id: int) -> str:
    rows = outcomes.decide(case_id, request.user, request.POST.get("option", ""), request.POST.get("rationale", ""))
    return f"Decided: {', '.join(f'#{r.seq} {r.action}' for r in rows)} in the decision log."


@_case_view
def decide_appeal(request: HttpRequest, case_id: int) -> str:
    outcome: Any = request.POST.get("outcome", "")
    rows = appeals.decide_appeal(case_id, request.user, outcome, request.POST.get("rationale", ""))
    return f"Appeal {'granted' if outcome == 'reverse' else 'rejected'}: " + \
        ", ".join(f"#{r.seq} {r.effect} {r.action}" for r in rows)


@role_required(*CONSOLE_ROLES)
@require_POST
def next_case(request: HttpRequest) -> HttpResponse:
    case = leases.next_case(request.user, request.POST.get("queue") or None)
    if case is None:
        messages.info(request, "No case is waiting in your queues.")
        return redirect("review-console:queue")
    return redirect("review-console:case", case_id=case.pk)


@role_required(*CONSOLE_ROLES)
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    ids = []
    for i, raw in enumerate(request.POST.getlist("case")):
        if not raw.isdigit():
            messages.error(request, f"selection {i}: {raw!r} is not a case number")
            continue
        ids.append(int(raw))
    allowed = set(visible_cases(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    back = request.POST.get("back", "")
    back = back if back.startswith(reverse("review-console:queue")) else reverse("review-console:queue")
    if not ids:
        messages.error(request, "Select at least one case.")
        return redirect(back)
    choice = request.POST.get("choice", "")
    try:
        if choice == "release":
            result = outcomes.BulkResult()
            for pk in sorted(allowed):
                try:
                    leases.release(pk, request.user)
                    result.done.append(pk)
                except CaseError as exc:
                    result.failed.append((pk, str(exc)))
        else:
            result = outcomes.bulk_decide([pk for pk in ids if pk in allowed], request.user, choice,
                                          request.POST.get("rationale", ""))
    except CaseError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    result.failed += [(pk, "not in your queues") for pk in ids if pk not in allowed]
    if result.done:
        messages.success(request, f"{len(result.done)} cases done: {', '.join(map(str, result.done))}.")
    for pk, why in result.failed:
        messages.error(request, f"case {pk}: {why}")
    return redirect(back)
