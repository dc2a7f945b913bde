"""The political-ad detector on its own: what it flags, what it leaves alone, and why."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from civicshield.ads.detector import PoliticalAdDetector
from civicshield.core.events import Account


@pytest.fixture(scope="module")
def detector() -> PoliticalAdDetector:
    return PoliticalAdDetector()


@pytest.mark.parametrize("text", [
    "Vote for Jane Doe for Senate on November 3. Paid for by Friends of Jane Doe.",
    "Wählen Sie am Sonntag die SPD. Beide Stimmen zählen!",
    "Vota SÍ en el referéndum. Por nuestra tierra.",
    "Votez pour Camille Martin aux municipales.",
    "Vote em Ana Souza para prefeita. Eleições 2026.",
    "Tell Congress to pass the climate bill before it is too late.",
])
def test_political_ads_in_several_languages_score_high_and_say_why(detector, text):
    signal = detector.assess_text(text)
    assert signal.value >= 0.7
    assert signal.evidence["categories"]
    assert signal.evidence["reason_code"]
    assert signal.evidence["explanation"].startswith("Political-content score")


@pytest.mark.parametrize("text", [
    "Vote for your favourite pizza in our summer contest and win a free meal!",
    "Donate to the local food bank this winter: every $10 feeds a family.",
    "Birthday party supplies 30% off this weekend only.",
    "Meet our new team president at the club open day.",
    "Vota por tu paella favorita y gana una cena para dos.",
])
def test_hard_negatives_are_never_rejected(detector, text):
    # At most held for a person (0.35-0.7); none is rejected automatically.
    assert detector.assess_text(text).value < 0.7


def test_how_to_vote_notice_is_marked_as_exemptable_but_partisan_text_is_not(detector):
    notice = detector.assess_text("So wählen Sie per Briefwahl: Wahllokal finden, offizielle Informationen.")
    assert notice.evidence["exemption"] == "voting_information"
    partisan = detector.assess_text("Find your polling place and vote for the Green Party!")
    assert partisan.evidence["exemption"] == ""


def test_names_from_the_official_registry_and_accounts_count_as_political(detector):
    text = "Zorblax Quint wants your support this autumn."
    plain = detector.assess_text(text)
    registry = {"acct-9": SimpleNamespace(category="politician", display_name="Zorblax Quint", official_name="")}
    context = SimpleNamespace(resources={"verification.officials": registry}, election={}, account=None)
    named = detector.assess_text(text, context)
    assert "zorblax quint" in named.evidence["categories"]["office"]
    assert named.value > plain.value


def test_registry_absent_or_oddly_shaped_degrades_to_the_shipped_lexicon(detector):
    for resources in ({}, {"verification.officials": None}, {"verification.officials": ["not", "a", "map"]}):
        context = SimpleNamespace(resources=resources, election={}, account=None)
        signal = detector.assess_text("Great running shoes on sale", context)
        assert signal.value < 0.35 and signal.evidence["advertiser_official"] is False


def test_an_advertiser_in_the_registry_is_an_official_advertiser(detector):
    account = Account(id="gov-1", handle="cityhall")
    registry = {"gov-1": {"category": "government", "display_name": "City Hall"}}
    context = SimpleNamespace(resources={"verification.officials": registry}, election={}, account=account)
    assert detector.assess_text("Fresh bread every morning", context).evidence["advertiser_official"] is True
    news = {"gov-1": {"category": "news_org", "display_name": "City Paper"}}
    context = SimpleNamespace(resources={"verification.officials": news}, election={}, account=account)
    assert detector.assess_text("Fresh bread every morning", context).evidence["advertiser_official"] is False


def test_unpaid_posts_are_not_checked_as_ads(detector):
    from civicshield.core.events import Content

    post = Content(id="p1", account_id="a1", text="Vote for the SPD!")
    paid = Content(id="p2", account_id="a1", text="Vote for the SPD!", paid_partnership=True)
    context = SimpleNamespace(resources={}, election={}, account=None)
    assert list(detector.detect(post, context, {})) == []
    assert list(detector.detect(paid, context, {}))[0].value >= 0.7
