"""Only verifiers work the verification console; the registry is public; evidence never is."""

from __future__ import annotations

import pytest

from tests.conftest import ev_account

from .factories import submit

pytestmark = pytest.mark.django_db

CONSOLE = ["/console/verification/", "/console/verification/requests/new/",
           "/console/verification/requests/{req}/", "/console/verification/evidence/{doc}/",
           "/console/verification/registry/"]


@pytest.fixture
def pending(ingest):
    ingest([ev_account("sen", category="politician")])
    req = submit("sen")
    return req, req.evidence.first()


def urls(req, doc):
    return [u.format(req=req.pk, doc=doc.pk) for u in CONSOLE]


def test_anonymous_visitors_are_sent_to_log_in(client, pending):
    for url in urls(*pending):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get("/verification/registry/").status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "fact_checker", "ads_reviewer", "analyst"])
def test_other_roles_are_refused(client, make_user, pending, role):
    client.force_login(make_user(None, role))
    for url in urls(*pending):
        assert client.get(url).status_code == 403, url
    req, _ = pending
    response = client.post(f"/console/verification/requests/{req.pk}/decide/",
                           {"outcome": "approve", "rationale": "Looks fine to me, approve."})
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.status == "pending"


def test_a_verifier_downloads_evidence_as_an_attachment(client, make_user, pending):
    req, doc = pending
    client.force_login(make_user(None, "verifier"))
    response = client.get(f"/console/verification/evidence/{doc.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_evidence_is_not_served_from_the_media_url(client, pending):
    _, doc = pending
    assert client.get(f"/media/{doc.file.name}").status_code == 404


def test_the_public_interest_exception_is_for_reviewers(client, make_user, ingest):
    from tests.conftest import ev_content

    ingest([ev_account("sen", category="politician"), ev_content("p1", account_id="sen")])
    client.force_login(make_user(None, "verifier"))
    assert client.get("/console/verification/exceptions/p1/").status_code == 403
