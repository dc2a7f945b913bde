"""Analysts' side: network cases, takedown through the decision log, returning actors, public reports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civicshield.influence.detection import detect_networks
from civicshield.influence.simulate import simulate


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A log with planted networks, and a later log where one network's operators return with new accounts."""
    folder = tmp_path_factory.mktemp("influence-cases")
    simulation = simulate(5, accounts=1500, events=25_000, networks=5, days=2)
    simulation.write(folder / "first.parquet", folder / "accounts.parquet")
    planted = next(spec for spec in simulation.truth["networks"].values() if spec["tactic"] == "link_push")
    renamed = {old: f"fresh-{i}" for i, old in enumerate(planted["members"])}
    accounts = simulation.events.column("account_id").to_pylist()
    events = simulation.events.set_column(0, "account_id", [[renamed.get(a, a) for a in accounts]])
    pq.write_table(events, folder / "later.parquet")
    first = detect_networks(folder / "first.parquet", accounts=folder / "accounts.parquet").as_dict()
    later = detect_networks(folder / "later.parquet").as_dict()
    return {"first": first, "later": later, "planted": planted, "renamed": renamed}


def _case_of(cases, members):
    return next(c for c in cases if set(c.fingerprint["members"]) & set(members))


@pytest.mark.django_db
def test_takedown_writes_one_decision_per_member_with_the_network_id(logs, reference_data, make_user) -> None:
    from civicshield.decisions.models import Decision
    from civicshield.influence.cases import store_detection
    from civicshield.influence.takedown import TakedownError, take_down

    _, cases = store_detection(logs["first"], source="first.parquet")
    case = _case_of(cases, logs["planted"]["members"])
    analyst = make_user("ana", "analyst")
    rows = take_down(case, actor=analyst, reason="Link-pushing network run from one operator.")
    members = sorted(m.account_id for m in case.members.all())
    assert sorted(r.subject_id for r in rows) == members
    stored = Decision.objects.filter(rule_id="influence.network_takedown")
    assert stored.count() == len(members)
    for decision in stored:
        assert decision.action == "ban_account" and decision.actor_id == "ana"
        assert decision.signals["influence_network"]["value"] == case.network_id
        assert decision.subject_id in decision.explanation and case.network_id in decision.explanation
        assert decision.dsa_category
    case.refresh_from_db()
    assert case.status == "taken_down"
    with pytest.raises(TakedownError, match="already taken down"):
        take_down(case, actor=analyst, reason="Again, by mistake, twice.")


@pytest.mark.django_db
def test_takedown_needs_a_reason(logs, reference_data, make_user) -> None:
    from civicshield.influence.cases import store_detection
    from civicshield.influence.takedown import TakedownError, take_down

    _, cases = store_detection(logs["first"], source="first.parquet")
    with pytest.raises(TakedownError, match="reason"):
        take_down(cases[0], actor=make_user("ana", "analyst"), reason=" ")


@pytest.mark.django_db
def test_returning_operators_with_fresh_accounts_are_flagged(logs, reference_data, make_user) -> None:
    from civicshield.influence.cases import store_detection
    from civicshield.influence.models import ReturningActor
    from civicshield.influence.takedown import take_down

    _, cases = store_detection(logs["first"], source="first.parquet")
    removed = _case_of(cases, logs["planted"]["members"])
    take_down(removed, actor=make_user("ana", "analyst"), reason="Link-pushing network run from one operator.")
    store_detection(logs["later"], source="later.parquet")
    flagged = set(ReturningActor.objects.filter(removed=removed).values_list("account_id", flat=True))
    assert flagged and flagged <= set(logs["renamed"].values())
    assert len(flagged) >= len(logs["renamed"]) // 2
    flag = ReturningActor.objects.filter(removed=removed).first()
    assert "keys" in flag.matched and flag.new_case is not None


@pytest.mark.django_db
def test_quarterly_report_is_public_in_html_json_and_csv(logs, reference_data, make_user, client) -> None:
    from civicshield.influence.cases import store_detection
    from civicshield.influence.takedown import take_down

    _, cases = store_detection(logs["first"], source="first.parquet")
    case = _case_of(cases, logs["planted"]["members"])
    case.name, case.origin_country, case.target_countries = "Operation Linkstorm", "XX", "US"
    case.save()
    take_down(case, actor=make_user("ana", "analyst"), reason="Link-pushing network run from one operator.")
    case.refresh_from_db()
    quarter = f"{case.taken_down_at.year}-Q{(case.taken_down_at.month - 1) // 3 + 1}"
    assert quarter in client.get("/influence/reports/").content.decode()
    page = client.get(f"/influence/reports/{quarter}/").content.decode()
    assert "Operation Linkstorm" in page and "T0115" in page
    data = client.get(f"/influence/reports/{quarter}.json").json()
    (entry,) = data["networks"]
    assert entry["accounts"] == case.members.count() and entry["operated_from"] == ["XX"]
    assert entry["detection_source"] == "internal" and "members" not in entry
    rows = list(csv.DictReader(io.StringIO(client.get(f"/influence/reports/{quarter}.csv").content.decode())))
    assert rows[0]["name"] == "Operation Linkstorm" and rows[0]["targeted_countries"] == "US"


@pytest.mark.django_db
def test_console_pages_need_the_analyst_role(logs, reference_data, make_user, client) -> None:
    from civicshield.influence.cases import store_detection

    _, cases = store_detection(logs["first"], source="first.parquet")
    url = f"/console/influence/networks/{cases[0].network_id}/"
    assert client.get(url).status_code == 302
    client.force_login(make_user("rev", "reviewer"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("ana", "analyst"))
    page = client.get(url).content.decode()
    assert "<svg" in page and "Activity timeline" in page and cases[0].network_id in page
    assert client.post(f"/console/influence/networks/{cases[0].network_id}/notes/",
                       {"text": "Same posting rhythm as last month."}).status_code == 302
    assert "Same posting rhythm" in client.get(url).content.decode()


@pytest.mark.django_db
def test_interaction_log_exports_to_parquet_that_detect_reads(ingest, events, tmp_path: Path) -> None:
    from civicshield.influence.export import export_log

    ingest([events.interaction(f"acct-{i}", f"obj-{j}", at=f"2026-10-20T12:{j:02d}:{i:02d}Z")
            for i in range(4) for j in range(6)])
    events, _ = export_log(tmp_path / "log.parquet", tmp_path / "accounts.parquet")
    assert events == 24
    table = pq.read_table(tmp_path / "log.parquet")
    assert set(table.column_names) >= {"account_id", "action", "object_id", "timestamp"}
    assert pc.min(table.column("timestamp")).as_py() > 1.7e9
    assert detect_networks(tmp_path / "log.parquet").stats["events"] == 24


@pytest.mark.django_db
def test_new_account_on_a_removed_networks_device_goes_to_the_analysts_queue(logs, ingest, events,
                                                                            make_user) -> None:
    from civicshield.influence.cases import store_detection
    from civicshield.influence.takedown import take_down
    from civicshield.review.models import Case

    _, cases = store_detection(logs["first"], source="first.parquet")
    farm = next(c for c in cases if c.fingerprint["devices"] and "ip24" in c.behaviours)
    take_down(farm, actor=make_user("ana", "analyst"), reason="Account farm sharing three phones.")
    device = next(d for d in farm.fingerprint["devices"] if d.startswith("dev-farm"))
    ingest([events.account("newcomer-1", device_id_hash=device),
            events.account("bystander-1", device_id_hash="dev-someone-else")])
    flagged = Case.objects.get(subject_id="newcomer-1")
    assert flagged.queue == "influence" and "influence.returning_actor" in flagged.rule_ids
    assert not Case.objects.filter(subject_id="bystander-1", queue="influence").exists()
