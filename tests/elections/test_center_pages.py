"""The Election Center's public pages and JSON API, and the editor console behind them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from civicshield.elections.models import Election, KeyDate, VoterFact

pytestmark = pytest.mark.django_db


def test_every_state_and_dc_has_a_page_listing_sources_and_verified_dates(client, reference_data):
    picker = client.get("/elections/us/").content.decode()
    assert len(set(re.findall(r'href="/elections/us/([a-z]{2})/', picker))) == 51
    for code in ("al", "dc", "tx", "wy"):
        page = client.get(f"/elections/us/{code}/").content.decode()
        assert page.count("Last verified") >= 12 and "Source" in page


def test_state_page_in_spanish_shows_rules_as_rules(client, reference_data):
    page = client.get("/elections/us/tx/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert 'lang="es"' in page and "Texas: información para votantes" in page
    assert "30 días antes del día de las elecciones" in page
    assert "válida solo para la elección del 5 de noviembre de 2024" in page
    english = client.get("/elections/us/tx/?lang=en").content.decode()
    assert "30 days before Election Day" in english and "Not offered" in english


def test_a_past_deadline_is_never_shown_as_upcoming(client, reference_data):
    texas = VoterFact.objects.filter(jurisdiction__region="US-TX").first().jurisdiction
    election = Election.objects.create(
        name="Texas runoff",
        country="US",
        date=dt.date(2026, 12, 12),
        jurisdiction=texas,
        date_status="declared",
    )
    KeyDate.objects.create(
        election=election,
        jurisdiction=texas,
        kind="registration_deadline",
        date=dt.date(2020, 11, 12),
        source_url="https://www.votetexas.gov/",
    )
    data = client.get("/api/v1/elections/us/tx").json()
    assert [k["timing"] for k in data["key_dates"]] == ["passed"]
    assert "(passed)" in client.get("/elections/us/tx/").content.decode()
    california = client.get("/api/v1/elections/us/ca").json()
    assert california["next_election"]["name"] != "Texas runoff"


def test_api_mirrors_the_pages(client, reference_data):
    states = client.get("/api/v1/elections/us").json()
    assert (
        len(states) == 51 and {"code": "DC"}.items() <= next(s for s in states if s["code"] == "DC").items()
    )
    texas = client.get("/api/v1/elections/us/tx").json()
    fields = {f["field"]: f for f in texas["facts"]}
    assert fields["online_registration"]["value"] == {"offered": False, "url": None}
    assert all(f["source_url"] and f["last_verified"] and f["verified_by"] for f in texas["facts"])
    calendar = client.get("/api/v1/elections/calendar").json()
    assert len({e["country"] for e in calendar}) >= 30
    assert all(e["source_url"] and e["date_status"] for e in calendar)
    assert client.get("/api/v1/elections/calendar?country=DEU").status_code == 404
    assert client.get("/api/v1/elections/us/zz").status_code == 404


def test_calendar_filters_by_country(client, reference_data):
    page = client.get("/elections/?country=FR").content.decode()
    assert "French presidential election" in page and "Kenyan" not in page


def test_console_needs_the_election_editor_role(client, make_user, reference_data):
    assert client.get("/console/elections/").status_code == 302
    client.force_login(make_user(None, "reviewer"))
    assert client.get("/console/elections/").status_code == 403


def test_editor_reverifies_a_fact(client, make_user, reference_data):
    editor = make_user("maria", "election_editor")
    client.force_login(editor)
    dashboard = client.get("/console/elections/").content.decode()
    assert "facts not verified in 90 days" in dashboard
    fact = VoterFact.objects.get(jurisdiction__region="US-TX", field="official_election_website")
    response = client.post(
        f"/console/elections/facts/{fact.pk}/",
        {
            "value": "https://www.votetexas.gov/",
            "source_url": "https://www.sos.state.tx.us/elections/",
            "as_of": "2026-11-20",
            "note": "",
        },
    )
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.verified_by == "maria" and fact.value == "https://www.votetexas.gov/"
    assert fact.last_verified == dt.date.today() or fact.last_verified >= dt.date(2026, 11, 25)
    bad = client.post(
        f"/console/elections/facts/{fact.pk}/", {"value": "{oops", "source_url": "x", "as_of": "no"}
    )
    assert bad.status_code == 200 and "not valid JSON" in bad.content.decode()


def test_editor_adds_an_election_with_validation(client, make_user, reference_data):
    client.force_login(make_user(None, "election_editor"))
    bad = client.post(
        "/console/elections/elections/new/",
        {"name": "X", "country": "de", "type": "general", "date_status": "declared"},
    )
    assert "needs a date" in bad.content.decode()
    ok = client.post(
        "/console/elections/elections/new/",
        {
            "name": "Hamburg state election",
            "country": "de",
            "type": "state",
            "date": "2030-03-02",
            "date_status": "declared",
            "source_url": "https://www.hamburg.de/wahlen",
        },
    )
    assert ok.status_code == 302 and Election.objects.get(name="Hamburg state election").country == "DE"


def test_all_51_jurisdictions_are_served_by_the_api_with_source_and_verified_date(client, reference_data):
    for state in client.get("/api/v1/elections/us").json():
        page = client.get(state["url"]).json()
        assert len(page["facts"]) == 13, state["code"]
        for fact in page["facts"]:
            assert fact["source_url"].startswith("https://") and fact["last_verified"] and fact["verified_by"]


def test_editor_adds_key_dates_to_an_election(client, make_user, reference_data):
    client.force_login(make_user(None, "election_editor"))
    election = Election.objects.get(name="United States presidential general election")
    texas = VoterFact.objects.filter(jurisdiction__region="US-TX").first().jurisdiction
    data = {
        "add_key_date": "1",
        "kd-kind": "registration_deadline",
        "kd-date": "2028-10-10",
        "kd-jurisdiction": texas.pk,
        "kd-basis": "in person",
        "kd-note": "",
        "kd-source_url": "https://www.votetexas.gov/",
    }
    assert client.post(f"/console/elections/elections/{election.pk}/", data).status_code == 302
    again = client.post(f"/console/elections/elections/{election.pk}/", data).content.decode()
    assert "already has that key date" in again
    page = client.get("/api/v1/elections/us/tx").json()
    assert page["key_dates"][0] | {"timing": "upcoming", "date": "2028-10-10"} == page["key_dates"][0]
