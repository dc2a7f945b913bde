"""The public ad library: rejected political ads, searchable, as a page, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import ev_account, ev_ad

pytestmark = pytest.mark.django_db


@pytest.fixture
def party_ad(ingest):
    ingest([ev_account("party-1", display_name="Harbour Party", category="political_party", region="DE"),
            ev_ad("ad-party", advertiser="party-1", text="Join us for a summer picnic in the park!",
                  regions=["DE"])])
    return "ad-party"


def test_a_rejected_ad_appears_in_the_public_library_and_its_csv(client, party_ad):
    page = client.get("/ads/library/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Harbour Party" in body and "summer picnic" in body and "political_advertiser" in body
    rows = list(csv.DictReader(io.StringIO(client.get("/ads/library.csv").content.decode())))
    assert [(r["ad_id"], r["advertiser_name"], r["regions"], r["reason_codes"]) for r in rows] == \
        [("ad-party", "Harbour Party", "DE", "political_advertiser")]


def test_ads_that_pass_are_not_in_the_library(client, ingest):
    ingest([ev_account("charity-1", display_name="Food Bank"),
            ev_ad("ad-cause", advertiser="charity-1", text="Donate to the food bank: every $10 feeds a family.")])
    assert "ad-cause" not in client.get("/ads/library.csv").content.decode()


def test_the_api_filters_by_text_region_and_reason_and_rejects_bad_parameters(client, ingest, party_ad):
    ingest([ev_account("shop-1", display_name="Corner Shop"),
            ev_ad("ad-vote", advertiser="shop-1", text="Vote NO on Proposition 50 this November!",
                  regions=["US-CA"])])
    everything = client.get("/api/v1/ads/library").json()
    assert everything["total"] == 2
    by_region = client.get("/api/v1/ads/library?region=US").json()["results"]
    assert [e["ad_id"] for e in by_region] == ["ad-vote"]
    by_text = client.get("/api/v1/ads/library?q=picnic").json()["results"]
    assert [e["ad_id"] for e in by_text] == ["ad-party"]
    by_reason = client.get("/api/v1/ads/library?reason=political_advertiser").json()["results"]
    assert [e["ad_id"] for e in by_reason] == ["ad-party"]
    assert client.get("/api/v1/ads/library?since=2026-10-21").json()["total"] == 0
    assert client.get("/api/v1/ads/library?since=2026-10-20&until=2026-10-20").json()["total"] == 2
    bad = client.get("/api/v1/ads/library?region=nowhere&since=yesterday")
    assert bad.status_code == 422
    assert "region" in bad.json()["detail"] and "since" in bad.json()["detail"]


def test_csv_cells_cannot_run_as_formulas(client, ingest):
    ingest([ev_account("p-2", display_name="=HYPERLINK(1)", category="politician"),
            ev_ad("ad-f", advertiser="p-2", text="=1+1 vote for me")])
    row = next(csv.DictReader(io.StringIO(client.get("/ads/library.csv").content.decode())))
    assert row["advertiser_name"].startswith("'=") and row["text"].startswith("'=")


@pytest.mark.parametrize("outcome, listed", [("reverse", 0), ("uphold", 1)])
def test_an_advertiser_appeal_decided_in_the_review_console(client, ingest, party_ad, make_user, outcome, listed):
    from civicshield.review import appeals, leases
    from civicshield.review.models import Case

    ingest([{"id": f"appeal-{outcome}", "type": "appeal.filed", "occurred_at": "2026-10-21T10:00:00Z",
             "appeal": {"subject": {"type": "ad", "id": "ad-party"}, "reason": "not_political",
                        "appellant_account_id": "party-1", "text": "It is only a picnic."}}])
    case = Case.objects.get(kind="appeal", subject_key="ad:ad-party")
    reviewer = make_user(None, "reviewer")
    leases.claim(case.pk, reviewer)
    appeals.decide_appeal(case.pk, reviewer, outcome, "Checked against the ads policy.")
    assert client.get("/api/v1/ads/library").json()["total"] == listed
