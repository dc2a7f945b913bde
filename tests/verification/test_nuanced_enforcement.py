"""Civic speakers and news organisations: held for a person, kept up under the public-interest
exception only with a reviewer's rationale, and the whole matrix readable in the console."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db
DEFAULT = Path(__file__).resolve().parents[2] / "src" / "civicshield" / "policies" / "default"
RULE = """
rules:
  - id: test.network_post
    area: covert_influence
    applies_to: [content]
    when: subject.text.contains("#coordinated")
    actions: [remove, strike]
    explanation: Posts of a covert influence network are removed and the account struck.

  - id: test.vote_by_text
    area: election_misinformation
    applies_to: [content]
    when: subject.text.contains("vote by text")
    actions: [remove, strike]
    explanation: Claims that you can vote by text message are false and removed.
"""


@pytest.fixture
def policy_dir(settings, tmp_path):
    target = tmp_path / "policy"
    shutil.copytree(DEFAULT, target)
    (target / "zz_test.yaml").write_text(RULE)
    settings.CIVICSHIELD = {**settings.CIVICSHIELD, "POLICY_DIR": str(target)}
    return target


def test_a_politicians_violating_post_is_held_then_kept_up_with_a_rationale(policy_dir, ingest, make_user, client):
    ingest([ev_account("sen", category="politician", verified=True),
            ev_content("p1", account_id="sen", text="You can vote by text this year, just send YES")])
    assert subject_state("content", "p1").visibility == "held"

    client.force_login(make_user("rita", "reviewer"))
    response = client.post("/console/verification/exceptions/p1/", {"rationale": "newsworthy"})
    assert "at least 20 characters" in response.content.decode()
    assert subject_state("content", "p1").visibility == "held"

    client.post("/console/verification/exceptions/p1/",
                {"rationale": "A sitting senator's false claim is newsworthy; keep it up, demoted and labelled."})
    state = subject_state("content", "p1")
    assert state.visibility == "reduced"
    assert "public_interest_exception" in state.labels and "restrict_recommendation" in state.restrictions
    rows = Decision.objects.filter(subject_key="content:p1", actor_type="user")
    assert {r.actor_id for r in rows} == {"rita"}
    assert all("newsworthy" in r.explanation for r in rows)


def test_a_regular_accounts_post_is_removed_and_gets_no_exception(policy_dir, ingest, make_user, client):
    ingest([ev_account("joe", category="regular"),
            ev_content("p2", account_id="joe", text="Reminder: vote by text, it's easy")])
    assert subject_state("content", "p2").visibility == "removed"
    client.force_login(make_user("rita", "reviewer"))
    page = client.get("/console/verification/exceptions/p2/").content.decode()
    assert "does not allow the exception for regular accounts" in page


def test_news_reporting_is_held_and_demoted_not_removed(policy_dir, ingest):
    ingest([ev_account("paper", category="news_org"),
            ev_content("p3", account_id="paper", text="Fact check: no, you cannot vote by text")])
    state = subject_state("content", "p3")
    assert state.visibility == "held" and "restrict_recommendation" in state.restrictions


def test_the_matrix_is_a_readable_table_covering_every_rule(policy_dir, make_user, client):
    from civicshield.core.policy import load_policy
    from civicshield.verification.matrix import enforcement_table

    table = enforcement_table(load_policy(policy_dir))
    row = next(r for r in table["rows"] if r.rule_id == "test.vote_by_text")
    assert row.cells["regular"] == ("remove", "strike") and row.cells["politician"] == ("hold_for_review",)
    assert row.cells["news_org"] == ("hold_for_review", "restrict_recommendation")
    acting = {r.id for r in load_policy(policy_dir).rules if r.actions and r.applies_to & {"content", "account", "ad"}}
    assert {r.rule_id for r in table["rows"]} == acting

    client.force_login(make_user("rita", "reviewer"))
    page = client.get("/console/verification/matrix/").content.decode()
    assert "test.vote_by_text" in page and "hold_for_review" in page


CIVIC = ("government", "politician", "political_party", "news_org")
DRASTIC = {"remove", "strike", "suspend_account", "ban_account"}


def test_no_rule_removes_strikes_or_suspends_a_civic_speaker_automatically():
    from civicshield.core.policy import load_policy
    from civicshield.verification.matrix import enforcement_table

    table = enforcement_table(load_policy(DEFAULT))
    for row in table["rows"]:
        allowed = {"strike"} if row.area == "covert_influence" else set()
        for category in CIVIC:
            assert not (DRASTIC - allowed) & set(row.cells[category]), (row.rule_id, category, row.cells[category])


def test_the_matrix_differs_by_policy_area(policy_dir, ingest):
    from civicshield.core.policy import load_policy
    from civicshield.verification.matrix import enforcement_table

    ingest([ev_account("sen", category="politician", verified=True),
            ev_content("p4", account_id="sen", text="vote by text #coordinated"),
            ev_content("p5", account_id="sen", text="you can vote by text")])
    struck = Decision.objects.filter(subject_key="account:sen", action="strike").values_list("rule_id", flat=True)
    assert list(struck) == ["test.network_post"]  # covert influence strikes count; misinformation ones do not
    assert subject_state("content", "p4").visibility == "held"
    rows = {r.rule_id: r for r in enforcement_table(load_policy(policy_dir))["rows"]}
    assert rows["test.network_post"].cells["politician"] == ("hold_for_review", "strike")
    assert rows["test.vote_by_text"].cells["politician"] == ("hold_for_review",)


def test_a_matrix_exception_for_an_unknown_area_is_a_policy_error(policy_dir):
    from civicshield.core.policy import check_policy

    head = policy_dir / "policyset.yaml"
    head.write_text(head.read_text().replace("areas: {covert_influence:", "areas: {covert_influenza:", 1))
    errors = check_policy(policy_dir)
    assert errors and "covert_influenza" in str(errors[0]) and "policyset.yaml" in str(errors[0])
