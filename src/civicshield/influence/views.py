"""Console pages for analysts (network cases, takedown, returning actors) and the public report pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from civicshield.site.roles import role_required

from .disarm import TECHNIQUES
from .drawing import graph_svg, timeline_svg
from .models import STATUSES, NetworkCase, NetworkNote, ReturningActor
from .reports import parse_quarter, quarter_report, quarters_with_takedowns, report_csv
from .takedown import ACTIONS, TakedownError, take_down


@role_required("analyst")
def networks(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in dict(STATUSES):
        status = "open"
    cases = NetworkCase.objects.filter(status=status).prefetch_related("members")
    returning = ReturningActor.objects.filter(status="open").select_related("removed", "new_case")[:200]
    return render(request, "influence/networks.html", {"cases": cases, "status": status, "statuses": STATUSES,
                                                       "returning": returning})


@role_required("analyst")
def network(request: HttpRequest, network_id: str) -> HttpResponse:
    case = get_object_or_404(NetworkCase, network_id=network_id)
    members = list(case.members.all())
    evidence = case.evidence
    return render(request, "influence/network.html", {
        "case": case, "members": members,
        "graph": mark_safe(graph_svg([m.account_id for m in members], evidence.get("links", []))),  # noqa: S308
        "timeline": mark_safe(timeline_svg(evidence)),  # noqa: S308 - built from escaped values
        "layers": [(layer, evidence[layer]) for layer in ("co_share", "same_text", "same_url", "same_hashtags")
                   if layer in evidence],
        "infrastructure": evidence.get("infrastructure", {}), "activity": evidence.get("activity", {}),
        "notes": case.notes.select_related("author"), "actions": ACTIONS,
        "tactics": [(t, TECHNIQUES.get(t, "")) for t in case.tactics],
        "returning": case.returning.all()[:100], "known_techniques": sorted(TECHNIQUES.items()),
    })


@require_POST
@role_required("analyst")
def add_note(request: HttpRequest, network_id: str) -> HttpResponse:
    case = get_object_or_404(NetworkCase, network_id=network_id)
    text = request.POST.get("text", "").strip()
    if text:
        NetworkNote.objects.create(case=case, author=request.user, text=text)  # bounded by RejectNulMiddleware
    else:
        messages.error(request, "A note needs some text.")
    return redirect("influence-console:network", network_id=network_id)


# What each attribution field holds (its column's length; free-text targets get a generous bound).
ATTRIBUTION_LIMITS = {"name": 200, "attributed_to": 300, "origin_country": 64, "target_countries": 300,
                      "targets": 5_000}


@require_POST
@role_required("analyst")
def attribute(request: HttpRequest, network_id: str) -> HttpResponse:
    case = get_object_or_404(NetworkCase, network_id=network_id)
    values = {field: request.POST.get(field, "").strip() for field in ATTRIBUTION_LIMITS}
    too_long = [f"{field.replace('_', ' ')} holds {len(value):,} characters; the limit is {ATTRIBUTION_LIMITS[field]:,}"
                for field, value in values.items() if len(value) > ATTRIBUTION_LIMITS[field]]
    if too_long:
        messages.error(request, "Attribution not saved: " + "; ".join(too_long) + ".")
        return redirect("influence-console:network", network_id=network_id)
    for field, value in values.items():
        setattr(case, field, value)
    source = request.POST.get("detection_source", case.detection_source)
    if source in ("internal", "external"):
        case.detection_source = source
    tactics = [t.strip() for t in request.POST.get("tactics", "").replace(",", " ").split() if t.strip()]
    unknown = [t for t in tactics if t not in TECHNIQUES]
    if unknown:
        messages.error(request, f"Unknown DISARM technique id(s): {', '.join(unknown)}")
    else:
        case.tactics = tactics
    case.save()
    messages.success(request, "Attribution saved.")
    return redirect("influence-console:network", network_id=network_id)


@require_POST
@role_required("analyst")
def takedown(request: HttpRequest, network_id: str) -> HttpResponse:
    case = get_object_or_404(NetworkCase, network_id=network_id)
    try:
        rows = take_down(case, actor=request.user, reason=request.POST.get("reason", ""),
                         action=request.POST.get("action", "ban_account"))
    except TakedownError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Network taken down: {len(rows)} decisions logged "
                                  f"(#{rows[0].seq}–#{rows[-1].seq}).")
    return redirect("influence-console:network", network_id=network_id)


@require_POST
@role_required("analyst")
def review_returning(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = get_object_or_404(ReturningActor, pk=flag_id)
    status = request.POST.get("status")
    if status in ("confirmed", "dismissed"):
        flag.status = status
        flag.save(update_fields=["status"])
    return redirect("influence-console:networks")


def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "influence/reports.html", {"quarters": quarters_with_takedowns()})


def report(request: HttpRequest, quarter: str, fmt: str = "html") -> HttpResponse:
    try:
        year, q = parse_quarter(quarter)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    data = quarter_report(year, q)
    if fmt == "json":
        return JsonResponse(data, json_dumps_params={"indent": 1})
    if fmt == "csv":
        response = HttpResponse(report_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="covert-influence-{quarter}.csv"'
        return response
    return render(request, "influence/report.html", {"report": data, "quarter": quarter})
