"""CSV for people who open it in a spreadsheet: the one writer every CSV download uses.

Text from outside (advertiser names, analyst notes, official names) may begin with a character a
spreadsheet reads as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return before one); such a
cell is written with a leading apostrophe, so it is shown as text and never run. Numbers are written
as numbers. Bidirectional override characters are removed, as on every page (see `bidi.py`).
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from .bidi import strip_bidi_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """The cell as written: text a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    text = strip_bidi_controls(str(value))
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n") -> str:
    """A whole CSV document: the header, then every row with each cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()
