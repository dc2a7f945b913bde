"""Finding coordinated networks in an interaction log, and not mistaking organic crowds for them."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civicshield.core.errors import FeedError
from civicshield.influence.cli import app
from civicshield.influence.detection import detect_networks
from civicshield.influence.evaluation import evaluate
from civicshield.influence.neartext import cluster_texts
from civicshield.influence.simulate import simulate


@pytest.fixture(scope="module")
def campaign_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("influence")
    simulation = simulate(7, accounts=1500, events=25_000, networks=5, days=2)
    simulation.write(folder / "events.parquet", folder / "accounts.parquet")
    return folder / "events.parquet", folder / "accounts.parquet", simulation.truth


@pytest.fixture(scope="module")
def detection(campaign_log: tuple[Path, Path, dict]):
    events, accounts, _ = campaign_log
    return detect_networks(events, accounts=accounts)


def test_every_planted_tactic_is_found_with_its_members(detection, campaign_log) -> None:
    truth = campaign_log[2]
    report = evaluate([n.as_dict() for n in detection.networks], truth)
    for tactic, figures in report["per_tactic"].items():
        assert figures["recall"] >= 0.8, tactic
        assert figures["precision"] >= 0.8, tactic
    assert report["false_alarm_accounts"] == 0


def test_breaking_news_burst_is_set_aside_not_flagged(detection, campaign_log) -> None:
    truth = campaign_log[2]
    bursts = {key for key, _ in detection.stats["layers"]["co_share"]["bursts"]}
    assert {f"share:{news}" for news in truth["bursts"]} <= bursts
    flagged = {m for n in detection.networks for m in n.members}
    planted = {m for spec in truth["networks"].values() for m in spec["members"]}
    assert flagged <= planted


def test_a_network_carries_evidence_of_who_did_what_when(detection, campaign_log) -> None:
    truth = campaign_log[2]
    amplification = next(spec for spec in truth["networks"].values() if spec["tactic"] == "amplification")
    network = next(n for n in detection.networks if set(n.members) & set(amplification["members"]))
    assert "co_share" in network.behaviours
    top = network.evidence["co_share"]["top"][0]
    assert top["accounts"] >= 3 and top["object_id"].startswith("camp")
    assert all(account in network.members for account, _ in top["who"])
    assert top["spread_seconds"] <= 600
    assert network.evidence["activity"]["events"] > 0
    assert network.id.startswith("net-") and 0 < network.score <= 1


def test_account_farm_shows_shared_infrastructure(detection, campaign_log) -> None:
    truth = campaign_log[2]
    farm = next(spec for spec in truth["networks"].values() if spec["tactic"] == "account_farm")
    network = next(n for n in detection.networks if set(n.members) & set(farm["members"]))
    assert {"ip24", "creation"} & set(network.behaviours)
    assert network.evidence["infrastructure"]["shared_ip24"]


def _write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["account_id", "action", "object_id", "timestamp", "text",
                                                    "url", "hashtags"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_hyperactive_accounts_sharing_popular_posts_are_not_a_network(tmp_path: Path) -> None:
    rng = random.Random(3)
    base, rows = 1_790_000_000, []
    posts = [(f"viral{i}", base + i * 1800) for i in range(300)]
    for a in range(12):  # a dozen hyperactive accounts each share most of the day's popular posts
        for post, born in rng.sample(posts, 220):
            rows.append({"account_id": f"hyper{a}", "action": "share", "object_id": post,
                         "timestamp": born + rng.expovariate(1 / 3600)})
    for a in range(600):  # ordinary accounts share a few popular posts and their friends' things
        for post, born in rng.sample(posts, 4):
            rows.append({"account_id": f"org{a}", "action": "share", "object_id": post,
                         "timestamp": born + rng.expovariate(1 / 3600)})
        rows.append({"account_id": f"org{a}", "action": "like", "object_id": f"own{a // 2}",
                     "timestamp": base + rng.uniform(0, 86400)})
    result = detect_networks(_write_csv(tmp_path / "log.csv", rows))
    assert result.networks == []


def test_bad_rows_are_reported_by_index_and_good_rows_kept(tmp_path: Path) -> None:
    rows = [{"account_id": f"a{i}", "action": "share", "object_id": f"o{j}",
             "timestamp": f"2026-10-0{1 + j % 3}T10:00:{i:02d}Z"} for j in range(12) for i in range(5)]
    rows.insert(3, {"account_id": "", "action": "share", "object_id": "o1", "timestamp": "1790000000"})
    rows.insert(5, {"account_id": "a1", "action": "teleport", "object_id": "o1", "timestamp": "1790000000"})
    rows.insert(7, {"account_id": "a1", "action": "share", "object_id": "o1", "timestamp": "next tuesday"})
    result = detect_networks(_write_csv(tmp_path / "log.csv", rows))
    reasons = {r.index: r.reason for r in result.rejected}
    assert reasons[3] == "account_id is empty"
    assert "teleport" in reasons[5]
    assert "next tuesday" in reasons[7] and "ISO 8601" in reasons[7]
    assert result.stats["events"] == 60


def test_missing_columns_and_unknown_formats_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text("account_id,object_id\na,b\n")
    with pytest.raises(FeedError, match="missing column.*action.*timestamp"):
        detect_networks(tmp_path / "log.csv")
    (tmp_path / "log.txt").write_text("x")
    with pytest.raises(FeedError, match="use .csv or .parquet"):
        detect_networks(tmp_path / "log.txt")


def test_near_duplicate_texts_share_a_cluster_and_unrelated_ones_do_not() -> None:
    base = "the election in the north district was stolen by the machines share before they delete"
    variants = [base, base.replace("north", "south"), base.replace("machines", "counters"),
                "my cat likes to sleep in the sun all afternoon long and then eats dinner"]
    clusters = cluster_texts(list(enumerate(variants, 1)))
    assert clusters[1] == clusters[2] == clusters[3]
    assert clusters[4] != clusters[1]


def test_cli_writes_the_stable_json_shape(campaign_log, tmp_path: Path) -> None:
    events, accounts, _ = campaign_log
    out = tmp_path / "networks.json"
    result = CliRunner().invoke(app, ["detect", "--input", str(events), "--accounts", str(accounts),
                                      "--window", "60", "--json", str(out)])
    assert result.exit_code == 0, result.output
    networks = json.loads(out.read_text())["networks"]
    assert networks and set(networks[0]) == {"id", "members", "score", "behaviours", "evidence"}


def test_cli_rejects_an_unknown_engine(campaign_log) -> None:
    result = CliRunner().invoke(app, ["detect", "--input", str(campaign_log[0]), "--engine", "pandas"])
    assert result.exit_code != 0
    assert "duckdb or spark" in result.output


@pytest.mark.slow
def test_spark_engine_finds_identical_networks(campaign_log, detection) -> None:
    events, accounts, _ = campaign_log
    spark = detect_networks(events, accounts=accounts, engine="spark")
    assert [n.as_dict() for n in spark.networks] == [n.as_dict() for n in detection.networks]


def test_duckdb_memory_cap_comes_from_the_environment_and_a_bad_one_is_a_clear_error(monkeypatch) -> None:
    from civicshield.influence.engines import DuckDBEngine, EngineError

    monkeypatch.setenv("CIVICSHIELD_DUCKDB_MEMORY", "512MB")
    engine = DuckDBEngine()
    assert engine.rows("SELECT current_setting('memory_limit')")[0][0] == "488.2 MiB"  # 512 MB
    engine.close()
    monkeypatch.setenv("CIVICSHIELD_DUCKDB_MEMORY", "plenty")
    with pytest.raises(EngineError, match="CIVICSHIELD_DUCKDB_MEMORY='plenty'"):
        DuckDBEngine()
