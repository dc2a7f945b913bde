"""TSE "Fato ou Boato" checks on electronic voting machines (Brazil, 2018-2022)
-> $CIVICSHIELD_DATASETS/elections/tse_urnas.jsonl

Source: snapshot of github.com/ergoncugler/fake-news-about-electronic-voting-machines, the .xlsx
"Todas as Fake News sobre Urnas Eletrônicas - 2018 a 2022 - ...xlsx" (read with zipfile/xml, stdlib):
columns ID, Title, Date, Link, Text, Detail, scraped from the Superior Electoral Court's (TSE)
"Fato ou Boato" page, where the electoral court and partner fact-checkers debunk false content about
the voting machines and the electoral process. No LICENSE file; the README encourages free academic
use with citation -> licence "unknown (README: free academic use with citation)": use locally, do
NOT commit or redistribute.

Mapping rule: every row is election_related = True, because the source itself is the electoral
court's debunk list restricted to voting-machine/electoral-process content (source-level label, not a
per-item judgement). verdict = "false (debunked by TSE Fato ou Boato)" for every row, because the
list only contains content the TSE classed as fake. procedural = None (to be reviewed by hand).
text = the TSE headline (Title), which states the debunked narrative (often phrased as a refutation,
e.g. "Homem falecido há 22 anos não votou ..."); subtitle = Text column; factcheck_url = Link.
topic_labels = ["urnas-eletronicas"] (the scrape's own scope).
"""

from __future__ import annotations

import io
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "ergoncugler/fake-news-about-electronic-voting-machines"
SOURCE = "tse_urnas"
PATH = ("Todas as Fake News sobre Urnas Eletrônicas - 2018 a 2022 - Extração WebScraping do Fato ou "
        "Boato do TSE.xlsx")
LICENCE = "unknown (no licence file; README: free academic use with citation); not redistributable"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_rows(blob: bytes) -> list[dict[str, str]]:
    z = zipfile.ZipFile(io.BytesIO(blob))
    shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
              for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    out = []
    for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(f"{{{NS['m']}}}row"):
        d = {}
        for c in r.findall("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group()
            v = c.find("m:v", NS)
            if v is None:
                t = c.find(".//m:t", NS)
                d[col] = t.text if t is not None and t.text else ""
            else:
                d[col] = shared[int(v.text)] if c.get("t") == "s" else v.text
        out.append(d)
    return out


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    table = xlsx_rows(show(gd, PATH))
    header_i = next(i for i, r in enumerate(table) if r.get("A") == "ID" and r.get("B") == "Title")
    rows = []
    n = 0
    for r in table[header_i + 1:]:
        title = (r.get("B") or "").strip()
        if not title:
            continue
        n += 1
        rows.append(record(SOURCE, n, title, "pt", election_related=True,
                           verdict="false (debunked by TSE Fato ou Boato)",
                           topic_labels=["urnas-eletronicas"], factcheck_url=(r.get("D") or "").strip() or None,
                           repo=REPO, licence=LICENCE, source_row_id=(r.get("A") or "").strip(),
                           subtitle=" ".join((r.get("E") or "").split())))
    write(SOURCE, rows, {"repo": REPO, "paths": [PATH], "commit": commit, "licence": LICENCE,
                         "redistributable": False})


if __name__ == "__main__":
    main()
