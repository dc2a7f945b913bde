"""Shared helpers for the political_ads_<source>.py dataset builders.

Each builder reads a snapshot (a bare git clone) of a public GitHub repository placed under
$CIVICSHIELD_SNAPSHOTS/<owner>+<name>/ (a bare git directory, read with `git show`) and writes
normalised JSONL to $CIVICSHIELD_DATASETS/ads/<source>.jsonl, one object per line:

    {"id", "text", "language", "label", "category", "source", "licence"}

label is "political" or "not_political". Texts are whitespace-normalised, empty texts
dropped, exact duplicates (after normalisation) dropped (first occurrence in a sorted,
deterministic order wins) and capped at 2000 characters. Nothing here downloads anything;
if a snapshot is absent the builder prints a message and exits 0.
Standard library only, plus py3langid (installed with CivicShield) for language detection.
"""

from __future__ import annotations

import os
import collections
import glob
import html
import json
import re
import subprocess
import sys
from pathlib import Path

from _snapshots import MIRROR, git_dir, head_commit, require  # noqa: E402,F401
OUT_DIR = Path(os.environ.get("CIVICSHIELD_DATASETS", "var/datasets")) / "ads"
MAX_CHARS = 2000

# Languages the detector may answer with. Restricting the set avoids the many rare
# labels (e.g. "pcm", "bcl") that full py3langid returns for short ad copy.
LANGS = ["en", "de", "fr", "it", "es", "pt", "nl", "fi", "sv", "da", "no", "pl", "cs", "sk",
         "hu", "ro", "el", "tr", "ru", "uk", "ar", "hi", "id", "ja", "zh", "ka", "lv", "lt", "et"]

_identifier = None


def detect_language(text: str, fallback: str = "und") -> str:
    """ISO 639-1 code from py3langid restricted to LANGS; fallback when unavailable."""
    global _identifier
    if _identifier is None:
        try:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier
        except ImportError:
            _identifier = False
        else:
            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            _identifier.set_languages(LANGS)
    if not _identifier:
        return fallback
    # strip URLs / hashtags / handles, they confuse the detector
    t = re.sub(r"https?://\S+|www\.\S+|[#@]\w+", " ", text)
    if len(t.strip()) < 3:
        return fallback
    return _identifier.classify(t)[0]




def has_commit(gd: Path, commit: str) -> bool:
    return subprocess.run(["git", "--git-dir", str(gd), "cat-file", "-e", f"{commit}^{{commit}}"],
                          capture_output=True).returncode == 0


def show(gd: Path, path: str, commit: str = "HEAD") -> bytes:
    return subprocess.run(["git", "--git-dir", str(gd), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    return text[:MAX_CHARS].strip()


def write(source: str, repo: str, licence: str, items) -> Path:
    """items: iterable of dicts with text, label, category and optionally language / lang_hint.

    The caller must supply items in a deterministic order. Writes the JSONL and prints a
    language x label count table.
    """
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"{source}.jsonl"
    seen = set()
    counts = collections.Counter()
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for it in items:
            text = clean(it["text"])
            if not text or text in seen:
                continue
            seen.add(text)
            assert it["label"] in ("political", "not_political"), it["label"]
            lang = it.get("language") or detect_language(text, it.get("lang_hint", "und"))
            n += 1
            row = {"id": f"{source}-{n}", "text": text, "language": lang, "label": it["label"],
                   "category": it.get("category"), "source": repo, "licence": licence}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            counts[(lang, it["label"])] += 1
    print(f"wrote {n} rows to {out}")
    langs = sorted({l for l, _ in counts}, key=lambda l: -sum(v for (x, _), v in counts.items() if x == l))
    for l in langs:
        print(f"  {l:4s} political={counts[(l, 'political')]:6d} not_political={counts[(l, 'not_political')]:6d}")
    return out
