"""Indonesian hoax / news headlines around the 2024 presidential election
-> $CIVICSHIELD_DATASETS/elections/turnbackhoax_pilpres.jsonl

Source: snapshot of github.com/AptaArkana/hoax_pilpres_24, file data/data_berita.csv (columns
"Judul Artikel", Link, Waktu_Scraping, Berita_Hoax). Rows with Berita_Hoax == "True" are
TurnBackHoax.id (MAFINDO) fact-check article titles with their URL; rows with "False" are news
headlines scraped from detik.com (relative links for some). The repository's own purpose is
"hoax Pilpres" classification, but the rows were not filtered per item for election content (a
random sample contains unrelated hoaxes such as earthquake warnings). No LICENSE file -> licence
"unknown": use locally, do NOT commit or redistribute.

Mapping rule:
  * election_related = None for every row (the source has no per-item topic label).
  * verdict: for TurnBackHoax rows, the first token of the URL slug, which is TurnBackHoax's own
    rating prefix, when it is one of VERDICT_TOKENS (salah=false, benar=true, disinformasi, hoax,
    hoaks, klarifikasi, fitnah, hasut, misinformasi, false); otherwise None. For news rows, None.
  * factcheck_url: the TurnBackHoax URL for TurnBackHoax rows; None for news rows (kept in news_url).
  * topic_labels = ["turnbackhoax"] or ["news-detik"] (row origin, from the link's host).
  * text: the title with a leading "[SALAH]"-style bracket tag removed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "AptaArkana/hoax_pilpres_24"
SOURCE = "turnbackhoax_pilpres"
LICENCE = "unknown (no licence file); not redistributable"
VERDICT_TOKENS = {"salah", "benar", "disinformasi", "hoax", "hoaks", "klarifikasi", "fitnah", "hasut",
                  "misinformasi", "false"}
TBH = re.compile(r"https?://(?:www\.)?turnbackhoax\.id/\d{4}/\d{2}/\d{2}/([^/?#]+)")


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    data = show(gd, "data/data_berita.csv").decode("utf-8")
    rows = []
    n = 0
    for r in csv.DictReader(io.StringIO(data)):
        title = re.sub(r"^\s*\[[^\]]*\]\s*", "", r.get("Judul Artikel") or "").strip()
        if not title:
            continue
        link = (r.get("Link") or "").strip()
        m = TBH.match(link)
        n += 1
        if m:
            tok = m.group(1).split("-")[0].lower()
            rows.append(record(SOURCE, n, title, "id", verdict=tok if tok in VERDICT_TOKENS else None,
                               topic_labels=["turnbackhoax"], factcheck_url=link, repo=REPO,
                               licence=LICENCE, source_label_berita_hoax=r.get("Berita_Hoax")))
        else:
            rows.append(record(SOURCE, n, title, "id", topic_labels=["news-detik"], factcheck_url=None,
                               repo=REPO, licence=LICENCE, news_url=link,
                               source_label_berita_hoax=r.get("Berita_Hoax")))
    write(SOURCE, rows, {"repo": REPO, "paths": ["data/data_berita.csv"], "commit": commit,
                         "licence": LICENCE, "redistributable": False})


if __name__ == "__main__":
    main()
