"""Bangla social-media comments with topic labels -> $CIVICSHIELD_DATASETS/elections/social_banglamedia.jsonl

Source: snapshot of github.com/Tokir-ulHasan/Bangla-Social-Media-Comment-Analysis, file BanglaMedia.csv
(7,725 Bengali social-media comments dated Nov 2024 - May 2025, columns Date, Comments, Topic,
Sentiment). The platform is not stated in the repository; the comments read like replies under
Bangladeshi news / food-vlog videos (probably YouTube). The README points to the original release, Mendeley Data
doi:10.17632/xyxb5kryx3.1. Topics (assigned by the dataset's annotators): political, international,
religious, education, food, sports, technology, abusive, threat, others.

Licence: the repository has no LICENSE file and the README states none -> "none stated (repository);
original on Mendeley Data xyxb5kryx3" -> use locally only, do not redistribute.

Mapping rule (mechanical, uses only the dataset's own Topic column):
  * None  if Topic == "political" (Bangladeshi politics during the interim government; some comments are
          about the upcoming national election, most are not - not decided by the label)
  * False for every other topic (international, religious, education, food, sports, technology,
          abusive, threat, others)
  * True  never: negatives-only source; pair with a Bengali election source before training, otherwise
          a classifier can learn "Bengali -> not election".
Exact duplicate texts are kept once. platform = "social media comments (platform not stated)".
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "Tokir-ulHasan/Bangla-Social-Media-Comment-Analysis"
SOURCE = "social_banglamedia"
LICENCE = "none stated (repository has no LICENSE; data from Mendeley Data xyxb5kryx3); do not redistribute"


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    data = show(gd, "BanglaMedia.csv").decode("utf-8-sig")
    rows, seen, n = [], set(), 0
    for r in csv.DictReader(io.StringIO(data)):
        text = " ".join((r.get("Comments") or "").split())
        topic = (r.get("Topic") or "").strip().lower()
        if not text or not topic or text in seen:
            continue
        seen.add(text)
        n += 1
        rows.append(record(SOURCE, n, text, "bn", election_related=None if topic == "political" else False,
                           topic_labels=[topic], repo=REPO, licence=LICENCE,
                           platform="social media comments (platform not stated)", date=r.get("Date"),
                           sentiment=(r.get("Sentiment") or "").strip() or None))
    write(SOURCE, rows, {"repo": REPO, "paths": ["BanglaMedia.csv"], "commit": commit, "licence": LICENCE,
                         "redistributable": False, "label_rule": "Topic political -> null, other topics -> false"})


if __name__ == "__main__":
    main()
