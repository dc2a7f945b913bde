"""The decision log is append-only and tamper-evident: `civicshield audit verify` catches edits."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, transaction
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.decisions.log import DecisionDraft, append, record_decision
from civicshield.decisions.models import Decision
from civicshield.decisions.state import subject_state
from tests.conftest import ev_account, ev_content

runner = CliRunner()


def verify() -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


def seed(ingest) -> None:
    ingest([ev_account("a1")] + [ev_content(f"p{i}", account_id="a1", text="Vote on election day at your polling place")
                                 for i in range(5)])


@pytest.mark.django_db
def test_an_intact_log_verifies(ingest):
    seed(ingest)
    code, report = verify()
    assert code == 0 and report == {"checked": Decision.objects.count(), "ok": True, "breaks": [], "checkpoint": None}


@pytest.mark.django_db
def test_an_altered_row_fails_verification_at_that_row(ingest):
    seed(ingest)
    Decision.objects.filter(seq=3).update(action="remove")  # an edit behind the application's back
    code, report = verify()
    assert code == 1
    assert report["breaks"] == [{"seq": 3, "problem": "row content does not match its hash (altered)"}]


# Every column that gives an entry meaning, with an edit a tamperer might make to it.
EDITS = {
    "created_at": "2020-01-01T00:00:00+00:00", "event_id": "ev-forged", "subject_type": "account",
    "subject_id": "someone-else", "subject_key": "content:someone-else", "account_id": "a-forged",
    "action": "remove", "effect": "lift", "labels": ["fact_checked_false"], "rule_id": "forged.rule",
    "policy_version": "v-forged", "area": "forged", "mode": "shadow", "explanation": "edited",
    "signals": {"forged": 1}, "automated_detection": False, "automated_decision": "NOT_AUTOMATED",
    "actor_type": "reviewer", "actor_id": "mallory", "actor_org": "forged-org", "dsa_ground": "illegal",
    "dsa_category": "forged", "restriction_type": "forged", "territorial_scope": ["XX"],
    "start": "2020-01-01T00:00:00+00:00", "end": "2030-01-01T00:00:00+00:00", "supersedes_id": 1,
}


@pytest.mark.django_db
@pytest.mark.parametrize("field", sorted(EDITS))
def test_editing_any_field_that_gives_an_entry_meaning_fails_verification(ingest, field):
    from civicshield.decisions.chain import HASHED_FIELDS

    assert field in HASHED_FIELDS
    seed(ingest)
    Decision.objects.filter(seq=3).update(**{field: EDITS[field]})
    code, report = verify()
    assert code == 1 and report["breaks"][0] == {"seq": 3, "problem": "row content does not match its hash (altered)"}


def test_every_stored_column_is_hashed_or_is_the_chain_itself():
    from civicshield.decisions.chain import HASHED_FIELDS

    columns = {f.attname for f in Decision._meta.concrete_fields}
    assert columns - set(HASHED_FIELDS) == {"prev_hash", "hash"}


@pytest.mark.django_db
def test_a_removed_row_fails_verification(ingest):
    seed(ingest)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM decisions_outboxmessage WHERE decision_seq = 2")
        cursor.execute("DELETE FROM decisions_decision WHERE seq = 2")
    code, report = verify()
    assert code == 1 and report["breaks"][0]["seq"] == 3 and "missing" in report["breaks"][0]["problem"]


@pytest.mark.django_db
def test_a_rewritten_row_with_a_recomputed_hash_still_breaks_the_next_link(ingest):
    from civicshield.decisions.chain import HASHED_FIELDS, row_hash

    seed(ingest)
    row = Decision.objects.filter(seq=2).values(*HASHED_FIELDS, "prev_hash").get()
    row["action"] = "remove"
    Decision.objects.filter(seq=2).update(action="remove", hash=row_hash(row["prev_hash"], row))
    code, report = verify()
    assert code == 1 and report["breaks"] == [{"seq": 3, "problem": "prev_hash does not match the previous row's hash"}]


@pytest.mark.django_db
def test_reversals_are_new_rows_that_supersede(ingest):
    seed(ingest)
    originals = list(Decision.objects.filter(subject_key="content:p0"))
    for original in originals:  # an appeal granted lifts whatever the post received
        record_decision("content", "p0", original.action, effect="lift", rule_id="appeal.granted",
                        policy_version=original.policy_version, actor_id="reviewer-1", supersedes=original)
    for original in originals:
        assert Decision.objects.get(seq=original.seq).action == original.action  # untouched
    assert subject_state("content", "p0").labels == []
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    def write(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    append([DecisionDraft("content", f"w{n}-{i}", "label", "t.rule", "v1")])
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Decision.objects.count() == 40
    code, report = verify()
    assert code == 0 and report["checked"] == 40 and report["breaks"] == []
    assert report["checkpoint"]["seq"] == 40  # every commit signs its head; the last one wins


@pytest.mark.django_db
def test_rebuild_state_restores_subject_state_from_the_log(ingest):
    from civicshield.decisions.models import SubjectState

    record_decision("content", "p-rebuild", "remove", rule_id="review.election_misinformation",
                    policy_version="test", labels=["false_information"])
    expected = SubjectState.objects.values("visibility", "labels").get(subject_key="content:p-rebuild")
    assert expected == {"visibility": "removed", "labels": ["false_information"]}
    SubjectState.objects.filter(subject_key="content:p-rebuild").update(visibility="visible", labels=[])
    SubjectState.objects.create(subject_key="content:ghost", subject_type="content", subject_id="ghost")

    result = runner.invoke(app, ["audit", "rebuild-state"])

    assert result.exit_code == 0, result.output
    assert SubjectState.objects.values("visibility", "labels").get(subject_key="content:p-rebuild") == expected
    assert not SubjectState.objects.filter(subject_key="content:ghost").exists()
