"""Build the evaluation event files of the three text detectors from the rebuilt source sets.

Reads `$CIVICSHIELD_DATASETS` (default var/datasets): `ads/`, `elections/`, `annotated/` and `written/`
as the builders in this folder and the annotation guidelines in docs/data-sources.md leave them, and
writes `eval/*.jsonl`: events with a top-level `expected`, `language` and `category`, the input of
`civicshield ads evaluate`, `civicshield elections evaluate-relevance` and `evaluate-procedural`.
None of these sources is read by any training command. Deterministic (seeded samples).
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(os.environ.get("CIVICSHIELD_DATASETS", "var/datasets"))
OUT = ROOT / "eval"
HERE = Path(__file__).resolve().parent
# Committed with the project: the labels of the annotated sets (texts are joined from the rebuilt
# sources by id) and the sets written for evaluation (fictional texts, some naming real officials and
# parties: evaluation data only, never to be published as real ads or posts).
LABELS = HERE / "labels"
WRITTEN = HERE / "written"
WHEN = "2026-10-20T12:00:00Z"


def labelled(name: str) -> list[dict]:
    """A committed label file joined with its texts from the rebuilt source sets (by id)."""
    labels = [json.loads(line) for line in (LABELS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, dict] = {}
    for source in sorted({r["id"].rsplit("-", 1)[0] for r in labels}):
        texts.update({r["id"]: r for r in rows(f"elections/{source}.jsonl")})
    joined = [texts[r["id"]] | r for r in labels if r["id"] in texts]
    if len(joined) < len(labels):
        print(f"{name}: {len(labels) - len(joined)} labelled items have no rebuilt text", file=sys.stderr)
    return joined


def written(name: str) -> list[dict]:
    return [json.loads(line) for line in (WRITTEN / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def rows(relative: str) -> list[dict]:
    path = ROOT / relative
    if not path.exists():
        print(f"{path} is absent: skipped (see docs/data-sources.md for how to rebuild it)", file=sys.stderr)
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample(items: list[dict], n: int, seed: int = 20261204) -> list[dict]:
    items = sorted(items, key=lambda r: str(r["id"]))
    random.Random(seed).shuffle(items)
    return items[:n]


def ad_event(row: dict, expected: str) -> dict:
    key = f"eval-{row['id']}"
    return {"id": key, "type": "ad.submitted", "occurred_at": WHEN,
            "ad": {"id": key, "advertiser_account_id": f"adv-{key}", "text": row["text"][:2000], "regions": []},
            "expected": expected, "language": row.get("language") or "und", "category": row.get("category") or "",
            "source": row.get("source", "")}


def content_event(row: dict, expected: object, region: str | None = None) -> dict:
    key = f"eval-{row['id']}"
    content = {"id": key, "account_id": "eval-author", "text": row["text"][:2000], "views": 5000}
    if region:
        content["region"] = region
    return {"id": key, "type": "content.created", "occurred_at": WHEN, "content": content, "expected": expected,
            "language": row.get("language") or "und", "category": row.get("category") or row.get("slot") or "",
            "source": row.get("source", "")}


def write(name: str, events: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", encoding="utf-8") as fh:
        for event in events:
            fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    print(f"{OUT / name}: {len(events)} events")


def ads() -> None:
    pfe = rows("ads/pfe.jsonl")
    real = (sample([r for r in pfe if r["label"] == "political" and r["language"] == "en"], 700)
            + sample([r for r in pfe if r["label"] == "not_political" and r["language"] == "en"], 700)
            + sample(rows("ads/uruguay.jsonl"), 500) + rows("ads/ti_cz.jsonl"))
    write("ads_real.jsonl", [ad_event(r, r["label"]) for r in real])
    write("ads_written.jsonl", [ad_event(r, r["label"]) for r in written("ads_eval_written.jsonl")])
    # Written later by another author, for a blind figure after the training ads were extended.
    write("ads_written_fresh.jsonl", [ad_event(r, r["label"]) for r in written("ads_eval_fresh.jsonl")])


def relevance() -> None:
    liar = {" ".join(r["text"].casefold().split()) for r in rows("elections/liar.jsonl")}
    claimskg = [r for r in rows("elections/claimskg_topics.jsonl")
                if r["election_related"] is not None and " ".join(r["text"].casefold().split()) not in liar]
    annotated = [r for r in labelled("relevance_annotated.jsonl") if r.get("election_related") is not None]
    real = claimskg + annotated
    label = {True: "election_related", False: "not_election_related"}
    write("relevance_real.jsonl", [content_event(r, label[bool(r["election_related"])]) for r in real])
    # A fresh sample labelled after the multilingual training examples were added (see data-sources.md).
    fresh = [r for r in labelled("relevance_fresh.jsonl") if r.get("election_related") is not None]
    write("relevance_fresh.jsonl", [content_event(r | {"category": r.get("sampled_by", "")},
                                                  label[bool(r["election_related"])]) for r in fresh])
    write("relevance_written.jsonl", [content_event(r, r["label"]) for r in written("relevance_eval_written.jsonl")])
    write("relevance_written_fresh.jsonl",
          [content_event(r, r["label"]) for r in written("relevance_eval_fresh.jsonl")])


def procedural() -> None:
    annotated = []
    for r in labelled("procedural_annotated.jsonl"):
        if r.get("procedural") is None:
            continue
        # A headline that denies a rumour ("É falso que …") or explains a rule states the truth: its
        # rating is the rumour's, so it cannot be scored as a false claim. Only claims and news are kept.
        if r.get("procedural") and r.get("text_type") in ("debunk", "explainer", "clarification"):
            continue
        if not r["procedural"]:
            expected = "none"
        else:
            expected = {"false": "false", "true": "true"}.get(str(r.get("claim_verdict")), "unverified")
        jurisdiction = r.get("jurisdiction")
        region = jurisdiction if isinstance(jurisdiction, str) else None
        annotated.append(content_event(r, expected, region))
    write("procedural_real.jsonl", annotated)
    events = [content_event(r | {"category": r.get("narrative") or f"({r['expected']})"}, r["expected"], r.get("region"))
              for r in written("procedural_eval_written.jsonl")]
    write("procedural_written.jsonl", events)
    # Written afterwards by another author for a blind figure (see docs/data-sources.md, "Changes made
    # after looking at an evaluation set").
    events = [content_event(r | {"category": r.get("narrative") or f"({r['expected']})"}, r["expected"], r.get("region"))
              for r in written("procedural_eval_fresh.jsonl")]
    write("procedural_fresh.jsonl", events)
    # A third author, after the voting-hoax head gained its character n-gram model (data-sources.md).
    events = [content_event(r | {"category": r.get("narrative") or f"({r['expected']})"}, r["expected"], r.get("region"))
              for r in written("procedural_eval_fresh2.jsonl")]
    write("procedural_fresh2.jsonl", events)


if __name__ == "__main__":
    ads()
    relevance()
    procedural()
