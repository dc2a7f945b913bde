"""Transparency International CZ: Meta ads of 2023 Czech presidential candidates (Czech, political only).

Source: github.com/opop999/TI_monitoring_fb_political_ads_2023 (MIT licence, (c) 2021
Ondrej Pekacek). File data/merged_dataset_text_only.csv at commit 143690a3 (3 Nov 2022;
later versions of the file are >= 4 MiB and absent from the snapshot).

What the data is: ad_creative_bodies of ads from the Meta Ad Library API run by the pages
of presidential candidates monitored by Transparency International CZ (at that commit:
Petr Pavel and Tomáš Zima). All rows are political ads (label "political", category
"candidate"); the label follows from the advertiser, nobody labelled texts one by one.
Only ~270 distinct texts after dedup. There are NO negatives.
language: detected with py3langid (expected "cs").
Output: $CIVICSHIELD_DATASETS/ads/ti_cz.jsonl. Redistributable (MIT, keep notice).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ads_common import has_commit, require, show, write  # noqa: E402

REPO = "opop999/TI_monitoring_fb_political_ads_2023"
SOURCE = "ti_cz"
LICENCE = "MIT"
COMMIT = "143690a3f52993569b0be6eb6a5e58b43e160f44"
PATH = "data/merged_dataset_text_only.csv"


def items(gd):
    rows = list(csv.DictReader(io.StringIO(show(gd, PATH, COMMIT).decode("utf-8"))))
    rows.sort(key=lambda r: (r["page_id"], r["ad_creative_bodies"]))
    for r in rows:
        yield {"text": r["ad_creative_bodies"], "label": "political", "category": "candidate", "lang_hint": "cs"}


def main():
    gd = require(REPO)
    if not has_commit(gd, COMMIT):
        print(f"commit {COMMIT} not in snapshot of {REPO}; nothing written.")
        return
    write(SOURCE, REPO, LICENCE, items(gd))


if __name__ == "__main__":
    main()
