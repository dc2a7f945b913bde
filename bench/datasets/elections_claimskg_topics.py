"""ClaimsKG claim-topic gold standard -> $CIVICSHIELD_DATASETS/elections/claimskg_topics.jsonl

Source: snapshot of github.com/claimskg/claim_topics_dataset, file gold_updated.csv: English claims
sampled from ClaimsKG (fact-checked claims from PolitiFact, Snopes, FullFact, etc.; AfricaCheck
excluded) and annotated for seven topics (education, healthcare, immigration, environment, taxes,
elections, crime) by five human annotators, divergences reconciled into this gold file (README).
The repository has no LICENSE file -> licence "unknown": use locally, do NOT commit or redistribute.

Mapping rule: election_related = (gold column "elections" == 1), i.e. the human annotators' label,
False when 0. topic_labels = names of the seven topic columns equal to 1, followed by the ClaimsKG
keywords column (fact-checker tags). procedural = None. verdict = None (the gold file carries no
rating). factcheck_url = review_url (the fact-check article).
Note: many claims are PolitiFact statements that also appear in LIAR -> do not train on LIAR and
evaluate on this set without de-duplicating (the builder of the candidates file de-duplicates by text).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "claimskg/claim_topics_dataset"
SOURCE = "claimskg_topics"
LICENCE = "unknown (no licence file); not redistributable"
TOPICS = ["education", "healthcare", "immigration", "environment", "taxes", "elections", "crime"]


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    data = show(gd, "gold_updated.csv").decode("utf-8")
    rows = []
    for n, r in enumerate(csv.DictReader(io.StringIO(data)), start=1):
        text = (r.get("text") or "").strip().strip("'").strip()
        if not text:
            continue
        topics = [t for t in TOPICS if (r.get(t) or "0").strip() == "1"]
        kws = [k.strip() for k in (r.get("keywords") or "").split(",") if k.strip()]
        rows.append(record(SOURCE, n, text, "en", election_related=(r.get("elections", "0").strip() == "1"),
                           topic_labels=topics + kws, factcheck_url=r.get("review_url") or None,
                           repo=REPO, licence=LICENCE, claimer=r.get("claimer"),
                           annotated_topics=topics, claim_date=r.get("claim_date")))
    write(SOURCE, rows, {"repo": REPO, "paths": ["gold_updated.csv"], "commit": commit,
                         "licence": LICENCE, "redistributable": False})


if __name__ == "__main__":
    main()
