"""Media-literacy campaigns: chosen by locale, region, schedule and placement; reach counted from events."""

from __future__ import annotations

import datetime as dt

import pytest

from civicshield.literacy.models import Campaign
from civicshield.literacy.selection import choose_campaign
from tests.conftest import ev_content, ev_search

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 10, 20, 12, tzinfo=UTC)
CAMPAIGNS = [
    {
        "id": "us-en",
        "locale": "en",
        "regions": ["US"],
        "placements": ["search", "banner"],
        "tips": ["Check the source"],
    },
    {
        "id": "tx-es",
        "locale": "es",
        "regions": ["US-TX"],
        "placements": ["search"],
        "tips": ["Verifique la fuente"],
    },
    {
        "id": "old",
        "locale": "en",
        "regions": [],
        "placements": ["search"],
        "tips": ["x"],
        "ends_at": dt.datetime(2026, 1, 1, tzinfo=UTC),
    },
]


def test_campaign_choice_respects_region_locale_schedule_and_placement():
    assert (
        choose_campaign(CAMPAIGNS, placements=["search"], region="US-TX", language="es", now=NOW)[0]["id"]
        == "tx-es"
    )
    assert (
        choose_campaign(CAMPAIGNS, placements=["search"], region="US-TX", language="en", now=NOW)[0]["id"]
        == "us-en"
    )
    assert choose_campaign(CAMPAIGNS, placements=["search"], region="DE", language="en", now=NOW) is None
    assert (
        choose_campaign(CAMPAIGNS, placements=["share_prompt"], region="US-CA", language="en", now=NOW)
        is None
    )


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        slug="check-before-you-vote",
        title="Check before you vote",
        locale="en",
        target_regions=["US"],
        placements=["search", "banner", "interstitial"],
        tips=["Voting rules come from your state election office, not from viral posts."],
        link_url="https://vote.gov/",
    )


@pytest.mark.django_db
def test_election_search_gets_the_banner_and_a_tip(ingest, campaign):
    result = ingest([ev_search("where do I vote in texas", region="US-TX")])
    [outcome] = result.outcomes
    verdict = outcome.verdict
    signal = verdict.signals["literacy_campaign"]
    assert signal.value == "check-before-you-vote" and signal.evidence["placement"] == "search"
    assert signal.evidence["tip"].startswith("Voting rules come from")
    assert signal.evidence["election_center"] == "/elections/us/tx/"
    assert "literacy.search_tip" in [r.rule_id for r in verdict.enforced]
    assert "election_info_banner" in verdict.labels
    pizza = ingest([ev_search("vote for your favourite pizza", region="US-TX")]).outcomes[0].verdict
    assert "literacy_campaign" not in pizza.signals and "election_info_banner" not in pizza.labels


@pytest.mark.django_db
def test_unverified_voting_claim_gets_a_share_prompt(ingest, campaign):
    verdict = (
        ingest([ev_content(text="Polls close at 6 pm in Kansas this year, go vote early!", region="US-KS")])
        .outcomes[0]
        .verdict
    )
    assert verdict.signals["procedural_claim"].value == "unverified"
    assert verdict.signals["literacy_campaign"].evidence["placement"] == "interstitial"
    assert "share_warning" in verdict.actions


@pytest.mark.django_db
def test_impressions_and_clicks_come_from_events(ingest, campaign, client, make_user):
    def ev(kind, i):
        return {
            "id": f"lit-{kind}-{i}",
            "type": f"literacy.{kind}",
            "occurred_at": "2026-10-20T12:00:00Z",
            "literacy": {"campaign_id": campaign.slug, "placement": "search", "region": "US-TX"},
        }

    result = ingest(
        [ev("impression", i) for i in range(5)]
        + [ev("click", 1)]
        + [
            {
                "id": "bad",
                "type": "literacy.click",
                "occurred_at": "2026-10-20T12:00:00Z",
                "literacy": {"campaign_id": campaign.slug, "placement": "billboard"},
            }
        ]
    )
    assert (
        result.accepted == 6
        and result.errors[0]["index"] == 6
        and result.errors[0]["field"] == "literacy.placement"
    )
    client.force_login(make_user(None, "election_editor"))
    page = client.get("/console/literacy/").content.decode()
    assert "<td>5</td><td>1</td><td>0.200</td>" in page


@pytest.mark.django_db
def test_campaign_console_needs_role_and_validates(client, make_user):
    from django.test import Client

    analyst = Client()
    analyst.force_login(make_user(None, "analyst"))
    assert analyst.get("/console/literacy/").status_code == 403
    client.force_login(make_user(None, "election_editor"))
    bad = client.post(
        "/console/literacy/new/",
        {
            "slug": "x",
            "title": "X",
            "locale": "en",
            "target_regions": "Texas",
            "placements": ["search"],
            "tips": "",
        },
    )
    body = bad.content.decode()
    assert "not a region code: TEXAS" in body and "This field is required" in body
    ok = client.post(
        "/console/literacy/new/",
        {
            "slug": "es-tips",
            "title": "Consejos",
            "locale": "es",
            "target_regions": "us, us-tx",
            "placements": ["search", "share_prompt"],
            "tips": "Consulte fuentes oficiales\nDesconfíe de lo viral",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    saved = Campaign.objects.get(slug="es-tips")
    assert saved.target_regions == ["US", "US-TX"] and len(saved.tips) == 2
