"""What the hash chain alone cannot show: a pointer moved to another subject, a log cut short, a chain
recomputed after an edit. Hash versions and signed checkpoints of the head catch each one, and logs
written before hash versions existed still verify."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from typer.testing import CliRunner

from civicshield.cli import app
from civicshield.decisions.chain import HASHED_FIELDS, HASHED_FIELDS_V1, row_hash
from civicshield.decisions.models import Decision
from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db
runner = CliRunner()


def verify() -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def seeded(ingest, django_capture_on_commit_callbacks) -> int:
    """A few decisions, committed, so the head is signed as it would be in production; returns the last seq."""
    with django_capture_on_commit_callbacks(execute=True):
        ingest([ev_account("a1")] + [ev_content(f"p{i}", account_id="a1", text="Vote on election day at your polling place")
                                     for i in range(6)])
    last = Decision.objects.count()
    assert last >= 6
    return last


def rechain(from_seq: int) -> None:
    """What an intruder with database access does: recompute every hash from `from_seq` on."""
    prev = Decision.objects.get(seq=from_seq - 1).hash if from_seq > 1 else "0" * 64
    for row in Decision.objects.filter(seq__gte=from_seq).order_by("seq").values(*HASHED_FIELDS, "prev_hash"):
        digest = row_hash(prev, row)
        Decision.objects.filter(seq=row["seq"]).update(prev_hash=prev, hash=digest)
        prev = digest


def test_pointing_a_decision_at_another_subject_fails_verification(seeded):
    Decision.objects.filter(seq=2).update(subject_key="content:somewhere-else")
    code, report = verify()
    assert code == 1 and {"seq": 2, "problem": "row content does not match its hash (altered)"} in report["breaks"]


def test_a_log_written_before_hash_versions_still_verifies_and_grows_with_the_new_recipe(ingest):
    ingest([ev_account("a1")] + [ev_content(f"old{i}", account_id="a1", text="Vote on election day at your polling place")
                                 for i in range(3)])
    old = Decision.objects.count()
    # Rewrite the rows as the previous release wrote them: recipe 1, no version recorded.
    Decision.objects.update(hash_version=1)
    rechain(1)
    assert all(row_hash(r["prev_hash"], {k: r[k] for k in HASHED_FIELDS_V1}) == r["hash"]
               for r in Decision.objects.values(*HASHED_FIELDS, "prev_hash", "hash"))
    ingest([ev_content(f"new{i}", account_id="a1", text="Vote on election day at your polling place") for i in range(2)])
    versions = list(Decision.objects.order_by("seq").values_list("hash_version", flat=True))
    assert versions == [1] * old + [2] * (len(versions) - old) and len(versions) > old
    assert verify()[0] == 0
    # An old row's subject_key is not in its hash, but it must still name the row's own subject.
    Decision.objects.filter(seq=1).update(subject_key="content:new0-elsewhere")
    code, report = verify()
    assert code == 1 and report["breaks"] == [{"seq": 1, "problem": "subject_key does not name the row's subject (altered)"}]


def test_moving_a_row_back_to_the_old_recipe_is_caught(ingest):
    ingest([ev_account("a1")] + [ev_content(f"p{i}", account_id="a1", text="Vote on election day at your polling place")
                                 for i in range(3)])
    Decision.objects.filter(seq=2).update(hash_version=1, subject_key="content:elsewhere")
    code, report = verify()
    assert code == 1 and "older recipe" in json.dumps(report["breaks"])


def delete_after(seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM decisions_outboxmessage WHERE decision_seq > %s", [seq])
        cursor.execute("DELETE FROM decisions_decision WHERE seq > %s", [seq])


def test_deleting_the_last_decisions_is_reported_as_truncation(seeded):
    last = seeded
    assert verify()[0] == 0
    delete_after(last - 2)
    code, report = verify()
    assert code == 1
    (problem,) = report["breaks"]
    assert problem["seq"] == last and problem["problem"].startswith(f"truncated: the log ends at #{last - 2}")
    assert f"#{last - 1}–#{last} were removed" in problem["problem"]
    human = runner.invoke(app, ["audit", "verify"])
    assert human.exit_code == 1 and "truncated" in human.output


def test_an_edit_with_the_chain_recomputed_is_reported_as_rechained(seeded):
    Decision.objects.filter(seq=3).update(action="remove")
    rechain(3)
    code, report = verify()
    assert code == 1 and len(report["breaks"]) == 1
    assert report["breaks"][0]["problem"].startswith(f"re-chained: decision #{seeded}'s hash differs")


def test_a_forged_checkpoint_file_is_refused(seeded):
    from civicshield.decisions import checkpoints

    delete_after(seeded - 1)
    path = checkpoints.head_path()
    forged = {**json.loads(path.read_text()), "seq": seeded - 1, "hash": Decision.objects.get(seq=seeded - 1).hash}
    path.write_text(json.dumps(forged))
    code, report = verify()
    assert code == 1 and "not signed by this installation's key" in report["breaks"][0]["problem"]


def test_the_witness_endpoint_publishes_a_head_anyone_can_check(seeded, client):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    body = client.get("/api/v1/audit/head").json()
    head = body["checkpoint"]
    assert head["seq"] == seeded and head["hash"] == Decision.objects.get(seq=seeded).hash
    assert head["first_hash"] == Decision.objects.get(seq=1).hash and body["algorithm"] == "Ed25519"
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(body["public_key"]))
    public.verify(bytes.fromhex(head["signature"]), body["signed_message"].encode())  # raises if forged
    assert json.loads(body["signed_message"])["seq"] == seeded


def test_the_key_lives_outside_the_database(seeded):
    from civicshield.decisions import checkpoints

    key_pem = (checkpoints.audit_dir() / "signing-key.pem").read_bytes()
    assert (checkpoints.audit_dir() / "signing-key.pem").stat().st_mode & 0o077 == 0
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            assert all(b"PRIVATE KEY" not in str(row).encode() for row in cursor.fetchall())
    assert b"PRIVATE KEY" in key_pem


def test_an_operator_restarts_checkpoints_only_on_purpose(seeded):
    delete_after(seeded - 1)
    refused = runner.invoke(app, ["audit", "checkpoint"])
    assert refused.exit_code == 1 and "truncated" in refused.output
    assert verify()[0] == 1
    restarted = runner.invoke(app, ["audit", "checkpoint", "--restart"])
    assert restarted.exit_code == 0 and f"#{seeded - 1}" in restarted.output
    assert verify()[0] == 0
