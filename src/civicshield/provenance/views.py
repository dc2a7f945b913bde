"""Console pages: the media banks (with import and export) and recently uploaded media."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from civicshield.core.errors import ProvenanceError
from civicshield.site.roles import role_required

from .banks import ensure_bank, export_text, import_text
from .models import MediaBank, MediaFile

MAX_IMPORT_BYTES = 50 * 1024 * 1024


@role_required("reviewer", "fact_checker", "policy_manager")
def banks(request: HttpRequest) -> HttpResponse:
    return render(request, "provenance/banks.html", {
        "banks": MediaBank.objects.annotate(size=Count("hashes")).order_by("name"),
        "media": MediaFile.objects.order_by("-created_at")[:50]})


@require_POST
@role_required("fact_checker", "policy_manager")
def bank_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    name = request.POST.get("bank", "").strip()
    if upload is None or not name:
        messages.error(request, "Choose a bank and a ThreatExchange text file.")
        return redirect("provenance-console:banks")
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        return redirect("provenance-console:banks")
    try:
        bank = ensure_bank(name)
    except ProvenanceError as exc:
        messages.error(request, str(exc))
        return redirect("provenance-console:banks")
    lines = upload.read().decode("utf-8", errors="replace").splitlines()
    result, line_errors = import_text(bank, lines)
    messages.success(request, f"{bank.name}: {result.added} added, {result.already} already banked, "
                              f"{len(line_errors)} lines skipped.")
    for error in line_errors[:20]:
        messages.warning(request, f"line {error.line}: {error.reason}")
    return redirect("provenance-console:banks")


@role_required("reviewer", "fact_checker", "policy_manager")
def bank_export(request: HttpRequest, name: str) -> HttpResponse:
    bank = get_object_or_404(MediaBank, name=name)
    response = HttpResponse(export_text(bank), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bank.name}.txt"'
    return response
