"""Public Transparency Center pages: overview with charts, each quarter's report, methodology, downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.views.decorators.http import require_GET

from civicshield.core.errors import CivicShieldError

from . import sor_vocabulary
from .center import charts, figures, quarters_to_show, report_for
from .enforcement import TIME_BUCKETS
from .metrics import registered_metrics
from .periods import Quarter
from .report import by_section, to_csv, to_json
from .snapshot import Snapshot

HEADLINES = ("content_removed", "removal_rate", "proactive_rate", "removed_within_24h", "political_ads_rejected",
             "ai_labels_applied")


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except CivicShieldError:
        raise Http404(f"{text!r} is not a quarter such as 2026Q3") from None


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    snapshot = Snapshot.take()
    quarters = quarters_to_show(snapshot)
    selected, problem = quarters[-1], ""
    if request.GET.get("quarter"):
        try:
            selected = Quarter.parse(request.GET["quarter"])
            quarters = quarters_to_show(snapshot, selected)
        except CivicShieldError as exc:
            problem = str(exc)
    reports = {q: report_for(snapshot, q) for q in quarters}
    report = reports[selected]
    f = figures(report)
    return render_page(request, "transparency/overview.html", {
        "report": report, "quarter": selected, "quarters": quarters, "problem": problem,
        "headlines": [f[k] for k in HEADLINES if k in f], "charts": charts(reports, selected)},
        status=400 if problem else 200)


@require_GET
def quarter_report(request: HttpRequest, quarter: str) -> HttpResponse:
    report = report_for(Snapshot.take(), _quarter(quarter))
    return render_page(request, "transparency/report.html", {"report": report, "sections": by_section(report)})


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    return render_page(request, "transparency/methodology.html", {
        "metrics": registered_metrics(), "buckets": [name for name, _ in TIME_BUCKETS],
        "dsa_source": sor_vocabulary.SOURCE, "dsa_as_of": sor_vocabulary.AS_OF})


@require_GET
def downloads(request: HttpRequest) -> HttpResponse:
    snapshot = Snapshot.take()
    return render_page(request, "transparency/downloads.html", {
        "quarters": list(reversed(quarters_to_show(snapshot))), "head": snapshot.head})


@require_GET
def download(request: HttpRequest, quarter: str, fmt: str) -> HttpResponse:
    report = report_for(Snapshot.take(), _quarter(quarter))
    if fmt == "json":
        response = HttpResponse(to_json(report), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(to_csv([report]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="civicshield-enforcement-{report["quarter"]}.{fmt}"'
    return response


@require_GET
def download_all(request: HttpRequest) -> HttpResponse:
    snapshot = Snapshot.take()
    reports = [report_for(snapshot, q) for q in quarters_to_show(snapshot)]
    response = HttpResponse(to_csv(reports), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="civicshield-enforcement-all-quarters.csv"'
    return response
