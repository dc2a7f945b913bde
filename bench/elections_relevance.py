"""Election relevance and procedural-claim check: precision and recall on the project's labelled sets.

Relevance: `score_text` against `elections/data/relevance_eval.jsonl` (the development set the lexicon
was tuned on, 88 texts, 10 languages, hard negatives such as "vote for your favourite pizza") and
`relevance_heldout.jsonl` (48 texts written after tuning and never tuned on: the honest figure), at the
search threshold (0.5) and the content-banner threshold (0.6). Procedural check: `check_claims`
against `procedural_eval.jsonl` (30 claims: false, consistent, unverified, and non-claims); precision and
recall of the "false" flag. Also throughput of `score_text` in texts per second.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/civicshield/elections/data"
RESULT = ROOT / "bench/results/elections_relevance.json"


def _rows(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def relevance_figures(name: str, threshold: float) -> dict[str, float]:
    from civicshield.elections.relevance import score_text

    tp = fp = fn = tn = 0
    for row in _rows(name):
        predicted = score_text(row["text"])[0] >= threshold
        tp += predicted and row["label"] == 1
        fp += predicted and row["label"] == 0
        fn += (not predicted) and row["label"] == 1
        tn += (not predicted) and row["label"] == 0
    return {
        "precision": round(tp / max(1, tp + fp), 3),
        "recall": round(tp / max(1, tp + fn), 3),
        "n": tp + fp + fn + tn,
    }


def procedural_figures() -> dict[str, float]:
    from civicshield.elections.procedural import check_claims
    from civicshield.elections.votegov import load_us_dataset

    data = load_us_dataset()
    facts = {j["region"]: j for j in data["jurisdictions"]}
    facts["US"] = data["national"]
    tp = fp = fn = agree = 0
    rows = _rows("procedural_eval.jsonl")
    for row in rows:
        result = check_claims(row["text"], facts, row["region"])
        got = result["value"] if result else "none"
        agree += got == row["expect"]
        tp += got == "false" and row["expect"] == "false"
        fp += got == "false" and row["expect"] != "false"
        fn += got != "false" and row["expect"] == "false"
    return {
        "false_precision": round(tp / max(1, tp + fp), 3),
        "false_recall": round(tp / max(1, tp + fn), 3),
        "exact_agreement": round(agree / len(rows), 3),
        "n": len(rows),
    }


def throughput() -> float:
    from civicshield.elections.relevance import score_text

    texts = [r["text"] for r in _rows("relevance_eval.jsonl") + _rows("relevance_heldout.jsonl")] * 50
    start = time.perf_counter()
    for text in texts:
        score_text(text)
    return round(len(texts) / (time.perf_counter() - start))


def main() -> None:
    figures: dict[str, float] = {}
    for name, label in (("relevance_eval.jsonl", "dev"), ("relevance_heldout.jsonl", "heldout")):
        for threshold in (0.5, 0.6):
            for key, value in relevance_figures(name, threshold).items():
                figures[f"relevance_{label}_{key}@{threshold}"] = value
    figures.update({f"procedural_{k}": v for k, v in procedural_figures().items()})
    figures["relevance_texts_per_second"] = throughput()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(
        json.dumps(
            {
                "title": "Election relevance and procedural-claim check: precision and recall",
                "command": ".venv/bin/python bench/elections_relevance.py",
                "figures": figures,
                "notes": "Both hand-written relevance sets are now in the relevance head's TRAINING data, so these "
                "figures are not an evaluation (that is 'Detection quality on data the detectors were not fitted "
                "on'). 0.5 is the search-intervention threshold, 0.6 the content-banner threshold. Procedural "
                "precision/recall are for the 'false' flag on 30 hand-written claims.",
            },
            indent=1,
        )
        + "\n"
    )
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
