"""Verification pages: the public registry, and the verifier console (queue, requests, look-alikes)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from civicshield.review.models import Case
from civicshield.site.roles import role_required

from .evidence import MAX_BYTES, MAX_FILES, ALLOWED, check_documents
from .exceptions import eligible, exception_settings, grant_exception
from .lookalike import clear_lookalike, confirm_impersonation, lookalike_pair
from .matrix import enforcement_table
from .models import CATEGORY_CHOICES, EvidenceDocument, VerificationRequest, VerifiedAccount
from .registry import as_csv, entry_dict, public_entries
from .workflow import QUEUE, WorkflowError, approve, reject, revoke, submit_request


# ---- public -------------------------------------------------------------------------------------
def registry_page(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category") or None
    q = request.GET.get("q", "").strip()
    return render(request, "verification/registry.html", {
        "entries": public_entries(category, q), "categories": CATEGORY_CHOICES, "category": category, "q": q})


def registry_json(request: HttpRequest) -> JsonResponse:
    entries = public_entries(request.GET.get("category") or None)
    return JsonResponse({"count": entries.count(), "officials": [entry_dict(e) for e in entries]})


def registry_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(as_csv(public_entries(request.GET.get("category") or None)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verified-officials.csv"'
    return response


# ---- console: queue and requests ------------------------------------------------------------------
@role_required("verifier")
def queue(request: HttpRequest) -> HttpResponse:
    cases = list(Case.objects.filter(queue=QUEUE, status__in=("open", "claimed")).order_by("-severity", "opened_at"))
    return render(request, "verification/queue.html", {"cases": cases})


@role_required("verifier")
def request_new(request: HttpRequest) -> HttpResponse:
    form = {k: request.POST.get(k, "").strip() for k in ("account_id", "category", "official_name", "office",
                                                         "region", "website", "registry_reference",
                                                         "applicant_note")}
    errors: list[str] = []
    if request.method == "POST":
        good, bad = check_documents(request.FILES.getlist("evidence"))
        errors = [str(e) for e in bad]
        if not form["account_id"] or not form["official_name"]:
            errors.append("account id and official name are required")
        if form["category"] not in dict(CATEGORY_CHOICES):
            errors.append("choose a category")
        if not errors:
            try:
                req = submit_request(documents=good, submitted_via=request.user.get_username(), **form)
            except WorkflowError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, f"Request {req.pk} submitted and queued for verification.")
                return redirect("verification-console:request-detail", pk=req.pk)
    return render(request, "verification/request_new.html", {
        "form": form, "errors": errors, "categories": CATEGORY_CHOICES, "max_files": MAX_FILES,
        "max_mb": MAX_BYTES // (1024 * 1024), "types": ", ".join(sorted(ALLOWED))}, status=422 if errors else 200)


@role_required("verifier")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from civicshield.decisions.models import Decision
    from civicshield.decisions.state import subject_state
    from civicshield.intake.models import Account

    req = get_object_or_404(VerificationRequest, pk=pk)
    entry = VerifiedAccount.objects.filter(request=req).first()
    return render(request, "verification/request_detail.html", {
        "req": req, "evidence": req.evidence.all(), "entry": entry,
        "account": Account.objects.filter(id=req.account_id).first(),
        "account_state": subject_state("account", req.account_id),
        "log": Decision.objects.filter(subject_key__in=[f"verification:{req.pk}", f"account:{req.account_id}"])
                               .order_by("seq")})


@require_POST
@role_required("verifier")
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    outcome, rationale = request.POST.get("outcome"), request.POST.get("rationale", "")
    try:
        if outcome == "approve":
            entry = approve(pk, request.user, rationale)
            messages.success(request, f"Verified: {entry.official_name} now carries the badge.")
        elif outcome == "reject":
            reject(pk, request.user, rationale)
            messages.success(request, "Request rejected; the applicant sees your rationale.")
        else:
            messages.error(request, "choose approve or reject")
    except (WorkflowError, VerificationRequest.DoesNotExist) as exc:
        messages.error(request, str(exc))
    return redirect("verification-console:request-detail", pk=pk)


@role_required("verifier")
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_object_or_404(EvidenceDocument, pk=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("the document file is missing from storage") from None
    response = FileResponse(handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type)
    response["Content-Security-Policy"] = "sandbox"
    return response


# ---- console: look-alikes and the registry --------------------------------------------------------
@role_required("verifier")
def lookalike_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id, queue=QUEUE, subject_type="account")
    pair = lookalike_pair(case)
    if request.method == "POST":
        outcome, rationale = request.POST.get("outcome"), request.POST.get("rationale", "")
        official_id = pair.official.account_id if pair else request.POST.get("official_id", "")
        try:
            if outcome == "confirm":
                confirm_impersonation(case.pk, request.user, rationale, official_id)
                messages.success(request, "Impersonation confirmed; the account is actioned per policy.")
            elif outcome == "clear":
                clear_lookalike(case.pk, request.user, rationale, official_id)
                messages.success(request, "Cleared: this pair will not be queued again.")
            else:
                messages.error(request, "choose confirm or clear")
                return redirect("verification-console:lookalike", case_id=case.pk)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("verification-console:lookalike", case_id=case.pk)
        return redirect("verification-console:queue")
    return render(request, "verification/lookalike.html", {"case": case, "pair": pair})


@role_required("verifier")
def registry_console(request: HttpRequest) -> HttpResponse:
    return render(request, "verification/registry_console.html", {
        "entries": VerifiedAccount.objects.order_by("revoked_at", "official_name")[:500]})


@require_POST
@role_required("verifier")
def revoke_entry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = revoke(pk, request.user, request.POST.get("reason", ""))
        messages.success(request, f"Verification of {entry.official_name} revoked.")
    except (WorkflowError, VerifiedAccount.DoesNotExist) as exc:
        messages.error(request, str(exc))
    return redirect("verification-console:registry")


@role_required("verifier", "reviewer", "policy_manager")
def matrix_table(request: HttpRequest) -> HttpResponse:
    from civicshield.intake.context import current

    return render(request, "verification/matrix.html", {"table": enforcement_table(current().policy)})


@role_required("reviewer")
def public_interest(request: HttpRequest, content_id: str) -> HttpResponse:
    from civicshield.decisions.state import subject_state

    if request.method == "POST":
        try:
            grant_exception(content_id, request.user, request.POST.get("rationale", ""))
            messages.success(request, "Kept up under the public-interest exception, demoted and labelled.")
            return redirect("subject-detail", "content", content_id)
        except WorkflowError as exc:
            messages.error(request, str(exc))
    content, account, liftable, refusal = eligible(content_id)
    return render(request, "verification/exception.html", {
        "content": content, "account": account, "liftable": liftable, "refusal": refusal,
        "state": subject_state("content", content_id), "rules": exception_settings()})
