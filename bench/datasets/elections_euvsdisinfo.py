"""EUvsDisinfo database cases (pro-Kremlin disinformation, 2015-2021 scrape)
-> $CIVICSHIELD_DATASETS/elections/euvsdisinfo.jsonl

Source: snapshot of github.com/cknabs/EUvsDisinfo, file data/posts.csv (columns date, id = case URL
on euvsdisinfo.eu, title, countries, keywords, languages, outlets; '+'-separated lists). Titles and
keywords are written by the EU East StratCom Task Force (EUvsDisinfo) editors; every case is, by
construction of the database, a message EUvsDisinfo classed as disinformation. Titles are English
summaries even when the original outlet used another language ("languages" field, kept as
outlet_languages). The repository has no LICENSE file -> licence "unknown": use locally, do NOT commit.

Mapping rule (EUvsDisinfo's own keyword tags):
  * election_related = True if keywords contain any of ELECTION_TAGS
    ("Elections", "election meddling", "Manipulated elections/referendum",
     "US Presidential Election 2020", "EU elections 2019");
  * None if the only election-like tag is "Referendum";
  * False otherwise.
procedural = None. verdict = "disinformation (EUvsDisinfo case)". factcheck_url = case URL.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "cknabs/EUvsDisinfo"
SOURCE = "euvsdisinfo"
LICENCE = "unknown (no licence file in repo; content from euvsdisinfo.eu); not redistributable"
ELECTION_TAGS = {"Elections", "election meddling", "Manipulated elections/referendum",
                 "US Presidential Election 2020", "EU elections 2019"}


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    data = show(gd, "data/posts.csv").decode("utf-8")
    rows = []
    n = 0
    for r in csv.DictReader(io.StringIO(data)):
        title = (r.get("title") or "").strip()
        if not title:
            continue
        kws = [k.strip() for k in (r.get("keywords") or "").split("+") if k.strip()]
        if set(kws) & ELECTION_TAGS:
            rel = True
        elif "Referendum" in kws:
            rel = None
        else:
            rel = False
        n += 1
        rows.append(record(SOURCE, n, title, "en", election_related=rel,
                           verdict="disinformation (EUvsDisinfo case)", topic_labels=kws,
                           factcheck_url=r.get("id") or None, repo=REPO, licence=LICENCE,
                           date=r.get("date"), target_countries=r.get("countries"),
                           outlet_languages=r.get("languages")))
    write(SOURCE, rows, {"repo": REPO, "paths": ["data/posts.csv"], "commit": commit, "licence": LICENCE,
                         "redistributable": False})


if __name__ == "__main__":
    main()
