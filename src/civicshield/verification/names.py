"""Folding names to what a reader sees, so look-alike handles compare equal.

Impersonators swap letters for look-alikes (`I` for `l`, Cyrillic `а` for Latin `a`), add accents or
decorate a real name with `_official`. A name is folded in three steps: Unicode confusables to their
ASCII look-alike (the `confusable-homoglyphs` table, from Unicode TR39), transliteration of what is
left (`unidecode`), then the ASCII look-alike classes (`I`/`l`/`1`, `O`/`0`, `rn`/`m`). The *skeleton*
is the folded name; the *core* also drops decorations such as titles and "official".
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from unidecode import unidecode

_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ASCII_CLASSES = str.maketrans({"I": "l", "1": "l", "|": "l", "0": "O"})
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Words that decorate a name without changing whose name it is.
DECORATIONS = frozenset("""
official officiai real the team teams office of hq page account acct news verified
sen senator rep representative gov governor mayor mp mep minister ministry president pres potus
cllr councillor councilor congressman congresswoman dr hon honorable mr mrs ms
""".split())


@lru_cache(maxsize=1)
def confusable_table() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it is confusable with."""
    raw = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for char, entries in raw.items():
        if len(char) != 1 or char in _ASCII_ALNUM:
            continue
        ascii_like = sorted(e["c"] for e in entries if e["c"] in _ASCII_ALNUM)
        if ascii_like:
            table[char] = ascii_like[0]
    return table


def fold(text: str) -> str:
    """Confusables → ASCII look-alikes → transliteration → ASCII look-alike classes (case kept)."""
    table = confusable_table()
    text = unicodedata.normalize("NFKC", text)
    text = "".join(table.get(ch, ch) for ch in text)
    return unidecode(text).translate(_ASCII_CLASSES)


def tokens(text: str) -> list[str]:
    """Lower-case words of a folded name, split on punctuation and camelCase boundaries."""
    out = []
    for chunk in re.split(r"[^A-Za-z0-9]+", fold(text)):
        out.extend(t.lower().replace("rn", "m") for t in _CAMEL.findall(chunk))
    return [t for t in out if t]


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The comparable forms of one name."""

    text: str
    skeleton: str
    core: str


def name_keys(text: str) -> NameKeys:
    words = tokens(text)
    skeleton = "".join(words)
    core = "".join(w for w in words if w not in DECORATIONS and not w.isdigit())
    return NameKeys(text, skeleton, core or skeleton)
