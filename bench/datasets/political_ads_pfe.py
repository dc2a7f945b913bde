"""Inside0ut/PFE "Measuring Risks with AI-based Targeted Advertising": English Facebook ads.

Source: github.com/Inside0ut/PFE (final-year student project). NO LICENCE file and no
licence statement in the README -> licence "unknown": usable locally for training /
evaluation, must NOT be committed or redistributed.

What the data is
  Task-1/data/ads_dataset.csv (label,text): ads seen in real users' Facebook feeds,
  collected by the AdAnalyst browser tool (MPI-SWS) and HAND-ANNOTATED by the project
  authors as 0 = commercial, 1 = informational (non-commercial: charity/NGO appeals,
  public information, advocacy - mixed), 2 = unclear/other. Only label 0 is used here,
  as not_political / category "commerce". Labels 1 and 2 are dropped because
  "informational" mixes charity drives (not political for CivicShield) with issue
  advocacy (political) and cannot be mapped without relabelling.
  Task-1/data/task1_dataset.csv (,label,text): the authors' balanced training set =
  AdAnalyst ads plus political ads taken from ProPublica's "Political Advertisements from
  Facebook" datastore (ads with ProPublica classifier score >= 0.9, punctuation stripped by
  the authors). Rows with label 1 whose text is not an AdAnalyst ad are kept as political,
  category "propublica_classifier" - this is classifier-assigned, noisy (e.g. "Did someone
  say cosmic swashbuckling action"), and ORIGINATES FROM PROPUBLICA'S COLLECTOR, so it is
  not independent of political_ads_propublica.py (different texts: ads vs page posts).
language: detected with py3langid (almost all "en").
Output: $CIVICSHIELD_DATASETS/ads/pfe.jsonl.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ads_common import clean, require, show, write  # noqa: E402

REPO = "Inside0ut/PFE"
SOURCE = "pfe"
LICENCE = "unknown"
COMMIT = "HEAD"


def items(gd):
    ads = list(csv.DictReader(io.StringIO(show(gd, "Task-1/data/ads_dataset.csv", COMMIT).decode("utf-8"))))
    adanalyst = {clean(r["text"]) for r in ads}
    for text in sorted(clean(r["text"]) for r in ads if r["label"] == "0"):
        yield {"text": text, "label": "not_political", "category": "commerce", "lang_hint": "en"}
    t1 = list(csv.DictReader(io.StringIO(show(gd, "Task-1/data/task1_dataset.csv", COMMIT).decode("utf-8"))))
    pol = sorted({clean(r["text"]) for r in t1 if r["label"] == "1"} - adanalyst)
    for text in pol:
        yield {"text": text, "label": "political", "category": "propublica_classifier", "lang_hint": "en"}


def main():
    gd = require(REPO)
    write(SOURCE, REPO, LICENCE, items(gd))


if __name__ == "__main__":
    main()
