"""Ads reviewers decide borderline ads; paid partnerships and coordinated scripts reach them too."""

from __future__ import annotations

import datetime as dt

import pytest

from civicshield.review.models import Case
from tests.conftest import ev_account, ev_ad, ev_content

pytestmark = pytest.mark.django_db
# An ad the shipped political-ad head scores mid-band (0.54 on the policy scale, where 0.35-0.7 is held for a
# person); a retrained head may move it, and then this example is replaced by one in the band's middle.
BORDERLINE = ("Documentary: the story of the town's fight to keep its hospital open. Premieres Friday with a "
              "talk by local organisers.")


@pytest.fixture
def held_ad(ingest):
    ingest([ev_account("studio-1", display_name="Riverside Films"),
            ev_ad("ad-doc", advertiser="studio-1", text=BORDERLINE)])
    return Case.objects.get(subject_key="ad:ad-doc", queue="ads")


def test_a_borderline_ad_is_held_in_the_ads_queue(held_ad):
    from civicshield.decisions.state import subject_state

    assert held_ad.status == "open" and "ads.political_borderline" in held_ad.rule_ids
    assert subject_state("ad", "ad-doc").visibility == "held"


def test_a_reviewer_rejects_with_a_reason_and_a_strike(client, held_ad, make_user):
    from civicshield.decisions.state import subject_state
    from civicshield.review.strikes import live_strikes

    client.force_login(make_user("ana", "ads_reviewer"))
    assert b"Riverside Films" in client.get(f"/console/ads/cases/{held_ad.pk}/").content
    client.post(f"/console/ads/cases/{held_ad.pk}/claim/")
    client.post(f"/console/ads/cases/{held_ad.pk}/decide/",
                {"choice": "reject", "reason": "issue_advocacy", "strike": "on", "rationale": "Advocacy ad."})
    held_ad.refresh_from_db()
    assert held_ad.status == "decided" and held_ad.decided_by == "ana"
    assert subject_state("ad", "ad-doc").visibility == "removed"
    assert len(live_strikes("studio-1")) == 1
    entry = client.get("/api/v1/ads/library").json()["results"][0]
    assert (entry["ad_id"], entry["reason_codes"], entry["decided_by"]) == ("ad-doc", ["issue_advocacy"], "reviewer")


def test_approving_lifts_the_hold(client, held_ad, make_user):
    from civicshield.decisions.state import subject_state

    client.force_login(make_user("ben", "ads_reviewer"))
    client.post(f"/console/ads/cases/{held_ad.pk}/claim/")
    client.post(f"/console/ads/cases/{held_ad.pk}/decide/", {"choice": "approve"})
    assert subject_state("ad", "ad-doc").visibility == "visible"
    assert client.get("/api/v1/ads/library").json()["total"] == 0


def test_a_rejection_needs_a_reason_code_and_a_claim(client, held_ad, make_user):
    client.force_login(make_user("cy", "ads_reviewer"))
    page = client.post(f"/console/ads/cases/{held_ad.pk}/decide/", {"choice": "reject", "reason": "x"}, follow=True)
    assert b"reason code" in page.content
    client.post(f"/console/ads/cases/{held_ad.pk}/claim/")
    page = client.post(f"/console/ads/cases/{held_ad.pk}/decide/", {"choice": "reject"}, follow=True)
    assert b"reason code" in page.content
    held_ad.refresh_from_db()
    assert held_ad.status == "claimed"


def test_only_ads_reviewers_see_the_ads_console(client, held_ad, make_user):
    assert client.get("/console/ads/").status_code == 302
    client.force_login(make_user("fc", "fact_checker"))
    assert client.get("/console/ads/").status_code == 403
    assert client.post(f"/console/ads/cases/{held_ad.pk}/claim/").status_code == 403


def test_a_paid_partnership_with_political_content_is_demonetised_and_reviewed(ingest):
    from civicshield.decisions.state import subject_state

    ingest([ev_account("creator-1", category="creator"),
            ev_content("post-paid", account_id="creator-1", paid_partnership=True,
                       text="Vote YES on Proposition 12 — clean water for every neighbourhood!"),
            ev_content("post-own", account_id="creator-1",
                       text="Vote YES on Proposition 12 — clean water for every neighbourhood!")])
    state = subject_state("content", "post-paid")
    assert "restrict_monetization" in state.restrictions
    assert Case.objects.filter(subject_key="content:post-paid", queue="ads").exists()
    assert not Case.objects.filter(subject_key="content:post-own", queue="ads").exists()


def test_many_creators_posting_one_political_script_go_to_review(ingest):
    from civicshield.ads.scan import scan

    script = "Honestly the Greens are the only ones who care about rent. Vote for them on Sunday, I did my research!"
    events = [ev_account(f"cr-{i}", category="creator") for i in range(6)]
    events += [ev_content(f"s-{i}", account_id=f"cr-{i}", text=script + (" 🙌" * i),
                          at=f"2026-10-20T1{i}:00:00Z") for i in range(6)]
    events += [ev_content(f"n-{i}", account_id=f"cr-{i}", text="Loving this sunny afternoon at the beach with friends",
                          at="2026-10-20T12:30:00Z") for i in range(6)]
    ingest(events)
    now = dt.datetime(2026, 10, 20, 18, tzinfo=dt.timezone.utc)
    from civicshield.intake.models import Content

    Content.objects.update(last_event_at=now - dt.timedelta(hours=2))
    summary = scan(24, now=now)
    assert summary["clusters"] == 1 and summary["cases_opened"] == 1
    case = Case.objects.get(queue="ads", kind="network")
    assert sorted(case.details["accounts"]) == [f"cr-{i}" for i in range(6)]
    assert "undisclosed paid political promotion" in case.reason
    assert scan(24, now=now)["cases_opened"] == 0


def test_a_politician_accounts_name_in_an_ad_counts_as_political(ingest):
    from civicshield.intake import context

    ingest([ev_account("pol-7", display_name="Zorblax Quint", category="politician")])
    context.reset()  # the names resource is built with the assessment context
    result = ingest([ev_account("shop-7"), ev_ad("ad-z", advertiser="shop-7",
                                               text="Zorblax Quint wants your support this autumn.")])
    signal = result.outcomes[1].verdict.signals["political_ad"]
    assert "zorblax quint" in signal.evidence["categories"]["office"]
    assert signal.value >= 0.35


def test_rejecting_a_paid_partnership_keeps_it_demonetised_and_lifts_the_hold(client, ingest, make_user):
    from civicshield.decisions.state import subject_state

    ingest([ev_account("creator-2", category="creator"),
            ev_content("post-p2", account_id="creator-2", paid_partnership=True,
                       text="Vote NO on Measure B — tell your neighbours!")])
    case = Case.objects.get(subject_key="content:post-p2", queue="ads")
    client.force_login(make_user("dee", "ads_reviewer"))
    assert b"Paid partnership" in client.get(f"/console/ads/cases/{case.pk}/").content
    client.post(f"/console/ads/cases/{case.pk}/claim/")
    client.post(f"/console/ads/cases/{case.pk}/decide/", {"choice": "reject", "reason": "branded_political_content"})
    state = subject_state("content", "post-p2")
    assert "restrict_monetization" in state.restrictions and state.visibility != "held"
