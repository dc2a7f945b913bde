"""Uruguay 2024 elections: Meta political ads, hand-coded by ad type (Spanish, political only).

Source: github.com/juanperezmartirene/meta-ads-uy-2024 (README: MIT licence, Juan Pérez
Martirené, Universidad Católica del Uruguay; no separate LICENSE file). Files
data/processed/"train_conjunto - clasificada.csv" and "val_conjunto - clasificada.csv".

What the data is: ads from the Meta Ad Library (ads about social issues, elections or
politics) run by Uruguayan parties/candidates for the 2024 internal, national and run-off
elections. The text column `texto` combines the ad body with OCR of images and Whisper
transcripts of videos. The author coded each ad (coding guide in notebooks/) with binary
flags advocacy / atack / image / issue / call to action / ceremonial.
Every row is a political ad (label "political"); the flags become `category`, first match
in the order call_to_action, attack, issue, advocacy, image, ceremonial; "candidate"
otherwise. There are NO negatives in this source.
language: "es" from the source (Uruguayan Spanish).
Output: $CIVICSHIELD_DATASETS/ads/uruguay.jsonl. Redistributable (MIT, keep notice); texts are
third-party ad copy.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ads_common import require, show, write  # noqa: E402

REPO = "juanperezmartirene/meta-ads-uy-2024"
SOURCE = "uruguay"
LICENCE = "MIT"
FILES = ["data/processed/train_conjunto - clasificada.csv", "data/processed/val_conjunto - clasificada.csv"]
FLAGS = [("call to action", "call_to_action"), ("atack", "attack"), ("issue", "issue"),
         ("advocacy", "advocacy"), ("image", "image"), ("ceremonial", "ceremonial")]


def items(gd):
    rows = []
    for f in FILES:
        rows += list(csv.DictReader(io.StringIO(show(gd, f).decode("utf-8"))))
    rows.sort(key=lambda r: r["id"])
    for r in rows:
        cat = next((c for k, c in FLAGS if (r.get(k) or "").strip() == "1"), "candidate")
        yield {"text": r["texto"], "label": "political", "category": cat, "language": "es"}


def main():
    gd = require(REPO)
    write(SOURCE, REPO, LICENCE, items(gd))


if __name__ == "__main__":
    main()
