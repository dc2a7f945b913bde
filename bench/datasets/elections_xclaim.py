"""X-CLAIM (Mittal et al., EMNLP 2023) social-media posts -> $CIVICSHIELD_DATASETS/elections/xclaim.jsonl

Source: snapshot of github.com/mbzuai-nlp/x-claim, files data/{train,dev,test}-{en,hi,pa,ta,te,bn}.csv
(columns tokens = Python-list string of the post's tokens, span_start_index, span_end_index).
Posts from social media (e.g. Instagram, X) that contain a claim later reviewed by a fact-checker;
the claim span was annotated (partly automatically, test sets by hand). Only the native-language
files are read; the machine-translated files ({split}-en2{lang}.csv) and the aggregated
*-multilingual.csv are skipped (translations are not real text; multilingual duplicates the others).
No LICENSE file -> licence "unknown": use locally, do NOT commit.

Mapping rule: X-CLAIM has no topic, rating or URL metadata, so election_related, procedural,
verdict and factcheck_url are all None (unlabelled real posts, for hand review only). text = tokens
joined by single spaces (original spacing is not preserved); claim_span = the annotated span text.
"""

from __future__ import annotations

import ast
import csv
import io
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _elections_common import head_commit, record, require, show, write  # noqa: E402

REPO = "mbzuai-nlp/x-claim"
SOURCE = "xclaim"
LICENCE = "unknown (no licence file); not redistributable"
LANGS = ["en", "hi", "pa", "ta", "te", "bn"]


def main() -> None:
    gd = require(REPO)
    commit = head_commit(gd)
    files = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "--name-only", "HEAD", "data/"],
                           check=True, capture_output=True, text=True).stdout.split()
    wanted = sorted(f for f in files for s in ("train", "dev", "test") for lg in LANGS
                    if f == f"data/{s}-{lg}.csv")
    csv.field_size_limit(10**8)
    rows = []
    n = 0
    for path in wanted:
        split, lang = Path(path).stem.split("-")
        for r in csv.DictReader(io.StringIO(show(gd, path).decode("utf-8"))):
            try:
                toks = ast.literal_eval(r["tokens"])
                s, e = ast.literal_eval(r["span_start_index"]), ast.literal_eval(r["span_end_index"])
            except (ValueError, SyntaxError, KeyError):
                continue
            text = " ".join(toks).strip()
            if not text:
                continue
            span = " ".join(toks[s[0]:e[0] + 1]) if s and e else None
            n += 1
            rows.append(record(SOURCE, n, text, lang, repo=REPO, licence=LICENCE, split=split,
                               claim_span=span))
    write(SOURCE, rows, {"repo": REPO, "paths": wanted, "commit": commit, "licence": LICENCE,
                         "redistributable": False})


if __name__ == "__main__":
    main()
