"""`civicshield ads evaluate`: the figures the political-ad ban is measured by."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from civicshield.ads.dataset import EVAL_FILE, build, read
from civicshield.cli import app


def test_the_shipped_set_has_300_ads_in_4_languages_with_hard_negatives():
    lines = read(EVAL_FILE)
    assert len(lines) >= 300
    assert len({line["language"] for line in lines}) >= 4
    assert {line["expected"] for line in lines} == {"political", "not_political"}
    texts = " ".join(line["ad"]["text"].lower() for line in lines if line["expected"] == "not_political")
    assert "favourite" in texts and "coat drive" in texts and "vaccination" in texts


def test_training_and_evaluation_sets_share_no_text():
    train = {line["ad"]["text"] for line in build("train")}
    held = {line["ad"]["text"] for line in build("heldout")}
    assert not train & held


def test_evaluate_json_reports_precision_and_recall_above_090():
    result = CliRunner().invoke(app, ["ads", "evaluate", str(EVAL_FILE), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == len(read(EVAL_FILE))
    assert figures["precision"] >= 0.9 and figures["recall"] >= 0.9
    assert 0 < figures["f1"] <= 1


def test_bad_lines_are_reported_by_index_and_good_ones_kept(tmp_path):
    good = json.dumps({"id": "e1", "type": "ad.submitted", "occurred_at": "2026-10-01T00:00:00Z",
                       "ad": {"id": "a1", "advertiser_account_id": "x", "text": "Vote for the SPD!"},
                       "expected": "political"})
    no_label = json.dumps({"id": "e2", "type": "ad.submitted", "occurred_at": "2026-10-01T00:00:00Z",
                           "ad": {"id": "a2", "advertiser_account_id": "x", "text": "hi"}})
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join([good, "{not json", no_label]) + "\n")
    result = CliRunner().invoke(app, ["ads", "evaluate", str(path), "--json"])
    figures = json.loads(result.stdout)
    assert figures["n"] == 1 and figures["recall"] == 1.0
    assert [(e["index"], "expected" in e["reason"] or "JSON" in e["reason"]) for e in figures["errors"]] == \
        [(1, True), (2, True)]


def test_training_writes_a_head_that_verifies_and_records_its_data(tmp_path, monkeypatch):
    from civicshield.ads.dataset import TRAIN_FILE, read
    from civicshield.core.heads import LinearHead

    # A stand-in for the rebuilt ProPublica set: the written training ads, in the builders' format.
    (tmp_path / "ads").mkdir()
    rows = [{"id": f"p-{i}", "text": line["ad"]["text"], "language": line["language"],
             "label": line["expected"], "source": "stand-in"} for i, line in enumerate(read(TRAIN_FILE))]
    (tmp_path / "ads" / "propublica.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    monkeypatch.setenv("CIVICSHIELD_DATASETS", str(tmp_path))
    out = tmp_path / "head.json"
    result = CliRunner().invoke(app, ["ads", "train", "--out", str(out)])
    assert result.exit_code == 0, result.output
    head = LinearHead.load(out)
    from civicshield.ads.training import WRITTEN_TRAIN_MORE

    more = [json.loads(line)["text"] for line in WRITTEN_TRAIN_MORE.read_text(encoding="utf-8").splitlines()]
    assert head.meta["trained_on"] == len({" ".join(t.casefold().split()) for t in [r["text"] for r in rows] + more})
    assert "stand-in/en" in head.meta["sources"]
    assert head.thresholds["low"] <= head.thresholds["high"]
    assert head.meta["cross_validation"]["cv_average_precision"] > 0.8


def test_training_without_the_rebuilt_data_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVICSHIELD_DATASETS", str(tmp_path))
    result = CliRunner().invoke(app, ["ads", "train", "--out", str(tmp_path / "head.json")])
    assert result.exit_code == 2
    assert "bench/datasets" in result.output
