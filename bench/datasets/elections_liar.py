"""LIAR (Wang 2017, PolitiFact statements) -> $CIVICSHIELD_DATASETS/elections/liar.jsonl

Source: snapshot of github.com/nishitpatel01/Fake_News_Detection, files liar_dataset/{train,valid,test}.tsv
(an unmodified copy of the LIAR v1.0 TSVs, 12,791 statements; the README shipped with them says
"The original sources retain the copyright of the data ... You are allowed to use this dataset for
research purposes only"). Licence recorded as "research-only (LIAR README); PolitiFact copyright" ->
usable locally, NOT redistributable, never commit the output.

Columns used: 1 id ([ID].json), 2 label (PolitiFact Truth-O-Meter rating, assigned by PolitiFact
editors), 3 statement, 4 subject(s) (comma list assigned by PolitiFact), 5 speaker, 14 context.

Mapping rule for election_related (uses PolitiFact's own subject tags only):
  * True  if the subjects contain "elections".
  * None  (ambiguous, left unlabelled) if they do not contain "elections" but contain any of the
          election-adjacent PolitiFact subjects ADJACENT below (campaign finance/ads, candidate
          biographies, debates, polls, redistricting, legislators' voting records, campaign "message
          machine" tags, the New Hampshire 2012 primary tag).
  * False otherwise (statement tagged only with non-election subjects, e.g. health-care, taxes).
procedural is always None (LIAR has no such tag). verdict = the LIAR label verbatim
(true, mostly-true, half-true, barely-true, false, pants-fire). factcheck_url = None: LIAR gives only
PolitiFact's numeric statement id (kept as "politifact_id"), not the article URL.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "nishitpatel01/Fake_News_Detection"
SOURCE = "liar"
LICENCE = "research-only (LIAR README: original sources retain copyright); not redistributable"
CORE = {"elections"}
ADJACENT = {
    "campaign-finance", "campaign-advertising", "candidates-biography", "debates", "polls",
    "redistricting", "voting-record", "message-machine", "message-machine-2012",
    "message-machine-2014", "new-hampshire-2012",
}


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    rows = []
    n = 0
    for split in ("train", "valid", "test"):
        data = show(gd, f"liar_dataset/{split}.tsv").decode("utf-8")
        for cols in csv.reader(io.StringIO(data), delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(cols) < 4 or not cols[2].strip():
                continue
            subjects = [s.strip() for s in cols[3].split(",") if s.strip()]
            subj = set(subjects)
            if subj & CORE:
                rel = True
            elif subj & ADJACENT:
                rel = None
            else:
                rel = False
            n += 1
            rows.append(record(SOURCE, n, cols[2], "en", election_related=rel, verdict=cols[1],
                               topic_labels=subjects, factcheck_url=None, repo=REPO, licence=LICENCE,
                               politifact_id=cols[0].replace(".json", ""), split=split,
                               speaker=cols[4] if len(cols) > 4 else None))
    write(SOURCE, rows, {"repo": REPO, "paths": ["liar_dataset/train.tsv", "liar_dataset/valid.tsv",
                                                 "liar_dataset/test.tsv"], "commit": commit,
                         "licence": LICENCE, "redistributable": False})


if __name__ == "__main__":
    main()
