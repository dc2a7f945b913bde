"""Look-alikes of a verified official reach the verifier queue; parody and fan pages do not."""

from __future__ import annotations

import pytest

from civicshield.review.models import Case
from civicshield.verification.impersonation import office_claim
from civicshield.verification.names import name_keys
from civicshield.verification.officials import Official, OfficialRegistry
from tests.conftest import ev_account

from .factories import verify


def queued(account_id: str) -> bool:
    return Case.objects.filter(queue="verification", subject_key=f"account:{account_id}",
                               status="open").exists()


@pytest.mark.django_db
def test_look_alikes_of_a_verified_senator_reach_the_verifier_queue(ingest, make_user, client):
    ingest([ev_account("sen", handle="SenMariaAlvarez", display_name="Sen. María Alvarez", category="politician")])
    verify("sen", make_user("vera", "verifier"))
    ingest([
        ev_account("imp1", handle="SenMariaAIvarez", display_name="Maria"),          # capital I for l
        ev_account("imp2", handle="SenMaríaAlvarez", display_name="Maria"),          # accented
        ev_account("imp3", handle="MariaAlvarez_Official", display_name="Maria"),    # decorated
        ev_account("parody", handle="SenMariaAIvarez_parody", display_name="Maria Alvarez (parody)",
                   bio="Parody account. Not affiliated with the senator."),
        ev_account("fan", handle="SenMariaAlvarezFans", display_name="Maria Alvarez fan page", labels=["fan"]),
        ev_account("other", handle="JoseRamirez", display_name="José Ramírez"),
    ])
    assert [a for a in ("imp1", "imp2", "imp3") if queued(a)] == ["imp1", "imp2", "imp3"]
    assert not queued("parody") and not queued("fan") and not queued("other") and not queued("sen")

    # The verifier sees the pair side by side, with the swapped character named.
    client.force_login(make_user("vic", "verifier"))
    case = Case.objects.get(subject_key="account:imp1", queue="verification")
    page = client.get(f"/console/verification/lookalikes/{case.pk}/").content.decode()
    assert "@SenMariaAIvarez" in page and "@SenMariaAlvarez" in page
    assert "U+0049 LATIN CAPITAL LETTER I" in page and "U+006C LATIN SMALL LETTER L" in page


@pytest.mark.django_db
def test_a_verifier_confirms_one_look_alike_and_clears_another(ingest, make_user, client):
    from civicshield.decisions.state import subject_state

    ingest([ev_account("sen", handle="SenMariaAlvarez", category="politician")])
    verify("sen", make_user("vera", "verifier"))
    ingest([ev_account("imp1", handle="SenMariaAIvarez"), ev_account("twin", handle="MariaAlvarez_Official")])
    client.force_login(make_user("vic", "verifier"))
    imp = Case.objects.get(subject_key="account:imp1")
    twin = Case.objects.get(subject_key="account:twin")
    client.post(f"/console/verification/lookalikes/{imp.pk}/",
                {"outcome": "confirm", "rationale": "Copies the senator's photo and bio."})
    client.post(f"/console/verification/lookalikes/{twin.pk}/",
                {"outcome": "clear", "rationale": "A different Maria Alvarez, a baker in Ohio."})
    assert "suspend_account" in subject_state("account", "imp1").restrictions
    assert not queued("imp1") and not queued("twin")
    # A cleared pair is not queued again when the account is next seen.
    ingest([ev_account("twin", handle="MariaAlvarez_Official", at="2026-10-23T10:00:00Z")])
    assert not queued("twin")


@pytest.mark.django_db
def test_a_profile_claiming_an_office_is_queued(ingest):
    ingest([ev_account("claim", handle="jdoe", display_name="Governor Jane Doe", bio="Official account.")])
    case = Case.objects.get(subject_key="account:claim", queue="verification")
    assert case.rule_ids == ["verification.office_claim"]


def test_folding_sees_through_homoglyphs_accents_and_decorations():
    target = name_keys("SenMariaAlvarez")
    assert name_keys("SenMariaAIvarez").skeleton == target.skeleton
    assert name_keys("SenMaríaAlvarez").skeleton == target.skeleton
    assert name_keys("ЅenМariaАlvarez").skeleton == target.skeleton  # Cyrillic Ѕ, М, А
    assert name_keys("MariaAlvarez_Official").core == target.core
    assert name_keys("JoseRamirez").core != target.core


def test_the_index_ranks_similar_spellings_and_ignores_strangers():
    registry = OfficialRegistry([Official("sen", "SenMariaAlvarez", "Sen. María Alvarez", "politician"),
                                 Official("gov", "GovJohnReed", "Governor John Reed", "politician")])
    index = registry.lookalike_index()
    assert index.search("handle", "SenMariaAlvares")[0].official.account_id == "sen"
    assert index.search("handle", "JohnReedOfficial")[0].official.account_id == "gov"
    assert index.search("handle", "GardeningTips") == []


@pytest.mark.parametrize("text,claims", [
    ("Senator Maria Alvarez", True), ("Official account of the Green Party", True),
    ("I'm the elected mayor of Springfield", True), ("Proud voter. Dog person.", False),
    ("I love my senator", False)])
def test_office_claims(text, claims):
    from civicshield.core.events import Account

    assert (office_claim(Account(id="a", handle="a", bio=text)) is not None) is claims


def test_the_index_follows_additions_and_revocations_without_a_rebuild():
    registry = OfficialRegistry([Official("sen", "SenMariaAlvarez", "", "politician")])
    index = registry.lookalike_index()
    registry.add(Official("gov", "GovJohnReed", "", "government"))
    assert registry.lookalike_index() is index
    assert index.search("handle", "GovJohnReeed")[0].official.account_id == "gov"
    registry.remove("sen")
    assert index.search("handle", "SenMariaAIvarez") == []
    registry.add(Official("sen", "SenMariaAlvarez", "", "politician", official_name="María Alvarez"))
    assert [m.official.official_name for m in index.search("handle", "SenMariaAIvarez")] == ["María Alvarez"]
