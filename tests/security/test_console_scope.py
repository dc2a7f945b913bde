"""The console shows each user only what their role and organisation allow, in the queryset, on every page.

A partner fact-checker sees only the subjects of the cases routed to their organisation; a user with no
role sees a dashboard that says so and is refused every subject page; staff see everything. Ids of any
shape (`/`, `?`, `#`, `..`) appear in links that lead back to the same subject.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db

SECRET = "Secret plan: flood the county hotline"
OWN = "Mail ballots are counted after election day"


@pytest.fixture
def world(ingest, make_user):
    from civicshield.factchecks.models import PartnerOrganisation
    from civicshield.review.cases import open_case

    ingest([ev_account("acct-1", handle="writer"), ev_content("own-post", account_id="acct-1", text=OWN),
            ev_content("other-post", account_id="acct-1", text=SECRET),
            ev_content("third-post", account_id="acct-1", text="Vote early at the library"),
            ev_content("unrouted-post", account_id="acct-1", text="No partner covers this one")])
    ours = PartnerOrganisation.objects.create(slug="checkers-us", name="Checkers US", languages=["en"])
    PartnerOrganisation.objects.create(slug="verif-fr", name="Vérif FR", languages=["fr"])
    open_case("fact_check", "content", "own-post", partner_org="checkers-us", reason="ours")
    open_case("fact_check", "content", "other-post", partner_org="verif-fr", reason="theirs")
    open_case("misinformation", "content", "third-post", reason="reported: hidden from partners")
    open_case("fact_check", "content", "unrouted-post", reason="no organisation covers it")
    partner = make_user("partner", "fact_checker")
    ours.members.add(partner)
    return {"partner": partner, "nobody": make_user("nobody"), "reviewer": make_user("rev", "reviewer"),
            "editor": make_user("editor", "election_editor")}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_partner_sees_only_its_own_cases_subjects(world):
    client = _client(world["partner"])
    home = client.get("/console/").content.decode()
    assert "own-post" in home and "other-post" not in home and "third-post" not in home
    assert "Showing your organisation" in home and "events ingested" not in home
    listing = client.get("/console/subjects/").content.decode()
    assert "own-post" in listing and "other-post" not in listing and "third-post" not in listing
    assert "other-post" not in client.get("/console/subjects/", {"q": "Secret plan"}).content.decode()
    assert client.get("/console/subjects/content/own-post/").status_code == 200
    for url in ("/console/subjects/content/other-post/", "/console/subjects/content/third-post/",
                "/console/subjects/account/acct-1/"):
        assert client.get(url).status_code == 404, url
    review = client.get("/console/review/").content.decode()
    assert "third-post" not in review and "unrouted-post" not in review


def test_a_partner_subject_page_lists_only_its_own_cases(world):
    from civicshield.review.cases import open_case

    open_case("misinformation", "content", "own-post", reason="reporter wrote: my neighbour posted this")
    page = _client(world["partner"]).get("/console/subjects/content/own-post/").content.decode()
    assert "ours" in page and "my neighbour" not in page


@pytest.mark.parametrize("who", ["nobody", "editor"])
def test_a_user_without_a_subject_role_sees_no_subject(world, who):
    client = _client(world[who])
    home = client.get("/console/")
    text = home.content.decode()
    assert home.status_code == 200 and "no role that shows subjects" in text
    assert "own-post" not in text and "decisions logged" not in text
    assert client.get("/console/subjects/").status_code == 403
    assert client.get("/console/subjects/", {"q": "Secret"}).status_code == 403
    assert client.get("/console/subjects/content/other-post/").status_code == 403
    assert 'href="/console/subjects/"' not in text


def test_staff_still_see_everything(world):
    client = _client(world["reviewer"])
    listing = client.get("/console/subjects/").content.decode()
    assert all(post in listing for post in ("own-post", "other-post", "third-post"))
    assert client.get("/console/subjects/account/acct-1/").status_code == 200


POISON = ["a/b", "what?x=1", "frag#ment", "..", "~x", "ünï code", "%2F"]


def test_ids_with_any_characters_keep_the_console_working_and_lead_back_to_their_subject(ingest, make_user):
    ingest([ev_account("acct/../x", handle="slashy")]
           + [ev_content(pid, account_id="acct/../x", text=f"poison {n}") for n, pid in enumerate(POISON)])
    client = _client(make_user("rev", "reviewer"))
    for url in ("/console/", "/console/subjects/"):
        assert client.get(url).status_code == 200, url
    for n, pid in enumerate(POISON):
        url = reverse("subject-detail", args=["content", pid])
        assert url in client.get("/console/subjects/").content.decode()
        page = client.get(url)
        assert page.status_code == 200 and f"poison {n}" in page.content.decode(), pid
    account = client.get(reverse("subject-detail", args=["account", "acct/../x"]))
    assert account.status_code == 200 and "slashy" in account.content.decode()


def test_a_media_bank_named_with_any_characters_keeps_the_banks_page_working(make_user, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(make_user("pm", "policy_manager"))
    upload = SimpleUploadedFile("bank.txt", b"")
    answer = client.post("/console/provenance/banks/import/", {"bank": "known ai/2026?#", "file": upload}, follow=True)
    assert answer.status_code == 200 and "bank names are" in answer.content.decode()
    from civicshield.provenance.banks import ensure_bank

    assert client.get("/console/provenance/").status_code == 200
    bank = ensure_bank("known_ai_generated")
    export = reverse("provenance-console:bank-export", args=[bank.name])
    assert client.get(export).status_code == 200
