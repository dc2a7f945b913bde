"""Submitting requests with evidence (console and API), deciding them, revoking, and the public registry."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicshield.decisions.state import subject_state
from civicshield.verification.evidence import MAX_BYTES
from civicshield.verification.models import EvidenceDocument, VerificationRequest
from tests.conftest import ev_account

from .factories import PDF, PNG, pdf, submit, verify

pytestmark = pytest.mark.django_db


def form(**extra):
    return {"account_id": "sen", "category": "politician", "official_name": "Maria Alvarez",
            "website": "https://senate.example.gov/alvarez", **extra}


def test_a_platform_submits_a_request_and_bad_documents_are_listed_by_index(api_client, settings):
    files = [pdf("passport.pdf"), SimpleUploadedFile("photo.png", PDF, content_type="image/png"),
             SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
             SimpleUploadedFile("../../../../etc/cron.d/evil.png", PNG, content_type="image/png")]
    response = api_client.client.post("/api/v1/verification/requests", data={**form(), "evidence": files},
                                      headers={"Authorization": f"Bearer {api_client.key}"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [e["name"] for e in body["evidence"]] == ["passport.pdf", "evil.png"]
    assert [(e["index"], e["reason"]) for e in body["errors"]] == [
        (1, "the content is not a PNG file"), (2, "only jpeg, jpg, pdf, png, webp files are accepted")]
    media = Path(settings.MEDIA_ROOT).resolve()
    for doc in EvidenceDocument.objects.all():
        stored = Path(doc.file.path).resolve()
        assert stored.is_relative_to(media / "verification") and stored.name != "evil.png"
    status = api_client.get(f"/api/v1/verification/requests/{body['id']}").json()
    assert status["status"] == "pending"
    from civicshield.intake.auth import create_api_key

    other = create_api_key("another-platform")
    assert api_client.get(f"/api/v1/verification/requests/{body['id']}", key=other).status_code == 404


def test_oversized_or_missing_evidence_is_refused(api_client):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_BYTES, content_type="application/pdf")
    response = api_client.client.post("/api/v1/verification/requests", data={**form(), "evidence": [big]},
                                      headers={"Authorization": f"Bearer {api_client.key}"})
    assert response.status_code == 422 and "limit is 10 MB" in response.json()["detail"]
    response = api_client.client.post("/api/v1/verification/requests", data={**form(category="king"),
                                      "evidence": [pdf()]}, headers={"Authorization": f"Bearer {api_client.key}"})
    assert response.status_code == 422
    assert VerificationRequest.objects.count() == 0


@pytest.mark.parametrize("field, value", [("official_name", "Maria\x00Alvarez"), ("applicant_note", "see \x00")])
def test_text_no_database_can_store_is_refused_with_the_field_named(api_client, field, value):
    response = api_client.client.post("/api/v1/verification/requests",
                                      data={**form(**{field: value}), "evidence": [pdf()]},
                                      headers={"Authorization": f"Bearer {api_client.key}"})
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"]) and "NUL" in str(response.json()["detail"])
    assert VerificationRequest.objects.count() == 0


def test_submitting_needs_an_api_key(client, db):
    response = client.post("/api/v1/verification/requests", data={**form(), "evidence": [pdf()]})
    assert response.status_code == 401


def test_a_rejection_keeps_the_restriction_and_tells_why(ingest, make_user):
    from civicshield.verification.workflow import reject

    ingest([ev_account("sen", category="politician")])
    req = submit("sen")
    reject(req.pk, make_user("vera", "verifier"), "The certificate names a different person.")
    req.refresh_from_db()
    assert req.status == "rejected" and "different person" in req.rationale
    assert "require_verification" in subject_state("account", "sen").restrictions
    assert subject_state("verification", str(req.pk)).visibility == "visible"


def test_a_decision_needs_a_rationale_and_happens_once(ingest, make_user):
    from civicshield.verification.workflow import WorkflowError, approve

    ingest([ev_account("sen", category="politician")])
    req = submit("sen")
    vera = make_user("vera", "verifier")
    with pytest.raises(WorkflowError, match="rationale"):
        approve(req.pk, vera, "ok")
    approve(req.pk, vera, "Matches the state senate roster.")
    with pytest.raises(WorkflowError, match="already approved"):
        approve(req.pk, vera, "Matches the state senate roster.")


def test_revocation_removes_the_badge_and_restores_the_restriction(ingest, make_user, client):
    from civicshield.verification.workflow import revoke

    ingest([ev_account("sen", handle="SenMariaAlvarez", category="politician")])
    vera = make_user("vera", "verifier")
    entry = verify("sen", vera)
    assert client.get("/verification/registry.json").json()["count"] == 1
    revoke(entry.pk, vera, "The senator resigned on 1 November.")
    state = subject_state("account", "sen")
    assert state.labels == [] and "require_verification" in state.restrictions
    assert client.get("/verification/registry.json").json()["count"] == 0
    # The pipeline agrees: the next account event is restricted again.
    result = ingest([ev_account("sen", handle="SenMariaAlvarez", category="politician", at="2026-11-02T10:00:00Z")])
    assert "require_verification" in result.outcomes[0].verdict.actions


def test_the_public_registry_is_a_page_json_and_csv(ingest, make_user, client):
    ingest([ev_account("sen", handle="SenMariaAlvarez", display_name="Sen. María Alvarez", category="politician"),
            ev_account("party", handle="=cmd|evil", category="political_party")])
    vera = make_user("vera", "verifier")
    verify("sen", vera)
    verify("party", vera, category="political_party", official_name="Green Party")
    page = client.get("/verification/registry/")
    assert page.status_code == 200 and "Maria Alvarez" in page.content.decode()
    data = client.get("/verification/registry.json?category=politician").json()
    assert [o["handle"] for o in data["officials"]] == ["SenMariaAlvarez"]
    rows = list(csv.DictReader(io.StringIO(client.get("/verification/registry.csv").content.decode())))
    assert {r["official_name"] for r in rows} == {"Maria Alvarez", "Green Party"}
    assert next(r for r in rows if r["account_id"] == "party")["handle"] == "'=cmd|evil"
    assert client.get("/api/v1/verification/registry/sen").json()["category"] == "politician"
    assert client.get("/api/v1/verification/registry/nobody").status_code == 404


def test_the_cli_lists_the_registry_and_checks_a_name(ingest, make_user):
    import json as jsonlib

    from typer.testing import CliRunner

    from civicshield.verification.cli import app

    ingest([ev_account("sen", handle="SenMariaAlvarez", category="politician")])
    verify("sen", make_user("vera", "verifier"))
    runner = CliRunner()
    listed = runner.invoke(app, ["registry", "--json"])
    assert jsonlib.loads(listed.output)["officials"][0]["handle"] == "SenMariaAlvarez"
    checked = runner.invoke(app, ["check", "SenMariaAIvarez", "--json"])
    assert checked.exit_code == 1
    assert jsonlib.loads(checked.output)[0]["method"] == "look-alike characters"
    assert runner.invoke(app, ["check", "GardeningTips"]).exit_code == 0


def test_one_pending_request_per_account(ingest):
    from civicshield.verification.workflow import WorkflowError

    ingest([ev_account("sen", category="politician")])
    first = submit("sen")
    with pytest.raises(WorkflowError, match=f"request {first.pk} .* still pending"):
        submit("sen")


def test_the_console_form_refuses_a_disguised_file(client, make_user, ingest):
    ingest([ev_account("sen", category="politician")])
    client.force_login(make_user(None, "verifier"))
    fake = SimpleUploadedFile("roster.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post("/console/verification/requests/new/", {**form(), "evidence": [fake]})
    assert response.status_code == 422
    assert "the content is not a PDF file" in response.content.decode()
    assert VerificationRequest.objects.count() == 0


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/verification/requests", "/api/v1/verification/registry"} <= set(paths)


def test_a_monetization_request_has_a_subject_page(ingest, make_user, client):
    ingest([ev_account("sen", category="politician"),
            {"id": "m-9", "type": "monetization.requested", "occurred_at": "2026-10-21T10:00:00Z",
             "monetization": {"id": "req-9", "account_id": "sen", "kind": "creator_fund"}}])
    client.force_login(make_user(None, "reviewer"))
    page = client.get("/console/subjects/monetization/req-9/").content.decode()
    assert "restrict_monetization" in page and "verification.official_monetization_request" in page


def test_a_script_url_is_not_accepted_as_the_official_website(client, make_user, ingest):
    ingest([ev_account("sen", category="politician")])
    client.force_login(make_user(None, "verifier"))
    response = client.post("/console/verification/requests/new/",
                           {**form(website="javascript:alert(document.cookie)"), "evidence": [pdf()]})
    assert response.status_code == 422
    assert "must be an http(s) address" in response.content.decode()
    assert VerificationRequest.objects.count() == 0
