"""Checks statements of reasons against the DSA Transparency Database API rules, before submission.

The database rejects a whole bulk request when one statement is wrong, so every rule it applies
(enumerations, required and conditional fields, at least one restriction, the puid pattern, date
ranges, lengths, batches of 1..100) is checked here first, and every violation is reported with the
file line and statement it was found in. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

from . import sor_vocabulary as V

RESTRICTION_FIELDS = ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")
_PUID = re.compile(V.PUID_PATTERN)
_EAN13 = re.compile(r"^[0-9]{13}$")
_DATE_RANGES = {"content_date": (dt.date(2000, 1, 1), dt.date(2038, 1, 1)),
                "application_date": (dt.date(2020, 1, 1), dt.date(2038, 1, 1))}
_END_DATES = ("end_date_account_restriction", "end_date_monetary_restriction", "end_date_service_restriction",
              "end_date_visibility_restriction")
_SINGLE = {"decision_monetary": V.DECISION_MONETARIES, "decision_provision": V.DECISION_PROVISIONS,
           "decision_account": V.DECISION_ACCOUNTS, "account_type": V.ACCOUNT_TYPES,
           "content_language": V.LANGUAGES}
_ARRAYS = {"decision_visibility": V.DECISION_VISIBILITIES, "category_specification": V.KEYWORDS,
           "territorial_scope": V.TERRITORIES}
_CONDITIONAL = (
    # (field, required when, excluded otherwise)
    ("illegal_content_legal_ground", lambda s: s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT"),
    ("illegal_content_explanation", lambda s: s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT"),
    ("incompatible_content_ground", lambda s: s.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT"),
    ("incompatible_content_explanation",
     lambda s: s.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT"),
    ("decision_visibility_other", lambda s: "DECISION_VISIBILITY_OTHER" in (s.get("decision_visibility") or [])),
    ("decision_monetary_other", lambda s: s.get("decision_monetary") == "DECISION_MONETARY_OTHER"),
    ("content_type_other", lambda s: "CONTENT_TYPE_OTHER" in (s.get("content_type") or [])),
)


@dataclass(frozen=True)
class Violation:
    line: int
    statement: int | None
    puid: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", statement {self.statement}" if self.statement is not None else "")
        who = f" (puid {self.puid})" if self.puid else ""
        return f"{where}{who}: {self.field}: {self.message}" if self.field else f"{where}{who}: {self.message}"


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_statement(s: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (field, message) for every rule the statement breaks."""
    if not isinstance(s, dict):
        yield "", "a statement must be a JSON object"
        return
    if all(_blank(s.get(f)) for f in RESTRICTION_FIELDS):
        yield "decision_visibility", f"at least one restriction is required: one of {', '.join(RESTRICTION_FIELDS)}"
    for name, allowed in (("decision_ground", V.DECISION_GROUNDS), ("category", V.STATEMENT_CATEGORIES),
                          ("source_type", V.SOURCE_TYPES), ("automated_decision", V.AUTOMATED_DECISIONS),
                          ("automated_detection", V.YES_NO)):
        yield from _one_of(s, name, allowed, required=True)
    for name, allowed in _SINGLE.items():
        yield from _one_of(s, name, allowed, required=False)
    for name, allowed in _ARRAYS.items():
        yield from _array_of(s, name, allowed, required=False)
    yield from _array_of(s, "content_type", V.CONTENT_TYPES, required=True)
    yield from _array_of(s, "category_addition", V.STATEMENT_CATEGORIES, required=False)
    for name, applies in _CONDITIONAL:
        if applies(s) and _blank(s.get(name)):
            yield name, f"is required here ({_why(name)})"
        elif not applies(s) and not _blank(s.get(name)):
            yield name, f"must be left out unless {_why(name)}"
    if "incompatible_content_illegal" in s and s.get("decision_ground") != "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        yield "incompatible_content_illegal", "must be left out unless decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT"
    elif not _blank(s.get("incompatible_content_illegal")) and s["incompatible_content_illegal"] not in V.YES_NO:
        yield "incompatible_content_illegal", "must be 'Yes' or 'No'"
    yield from _text_fields(s)
    yield from _dates(s)
    if not _blank(s.get("content_id")):
        cid = s["content_id"]
        if not isinstance(cid, dict) or set(cid) != {"EAN-13"} or not _EAN13.match(str(cid.get("EAN-13"))):
            yield "content_id", "may only hold {'EAN-13': <13 digits>}"


def _why(name: str) -> str:
    return {"illegal_content_legal_ground": "decision_ground is DECISION_GROUND_ILLEGAL_CONTENT",
            "illegal_content_explanation": "decision_ground is DECISION_GROUND_ILLEGAL_CONTENT",
            "incompatible_content_ground": "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "incompatible_content_explanation": "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "decision_visibility_other": "decision_visibility includes DECISION_VISIBILITY_OTHER",
            "decision_monetary_other": "decision_monetary is DECISION_MONETARY_OTHER",
            "content_type_other": "content_type includes CONTENT_TYPE_OTHER"}[name]


def _one_of(s: dict[str, Any], name: str, allowed: frozenset[str], *, required: bool) -> Iterator[tuple[str, str]]:
    value = s.get(name)
    if _blank(value):
        if required:
            yield name, "is required"
    elif not isinstance(value, str) or value not in allowed:
        yield name, f"{value!r} is not an allowed value"


def _array_of(s: dict[str, Any], name: str, allowed: frozenset[str], *, required: bool) -> Iterator[tuple[str, str]]:
    value = s.get(name)
    if _blank(value):
        if required:
            yield name, "is required (a non-empty list)"
        return
    if not isinstance(value, list):
        yield name, "must be a list"
        return
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            yield name, f"{item!r} is not an allowed value"


def _text_fields(s: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if _blank(s.get("decision_facts")):
        yield "decision_facts", "is required"
    puid = s.get("puid")
    if _blank(puid):
        yield "puid", "is required"
    elif not isinstance(puid, str) or not _PUID.match(puid):
        yield "puid", f"{puid!r} may only contain letters, digits, '-' and '_'"
    for name, limit in V.MAX_LENGTH.items():
        value = s.get(name)
        if value is not None and not isinstance(value, str):
            yield name, "must be text"
        elif value is not None and len(value) > limit:
            yield name, f"is {len(value)} characters long; the limit is {limit}"
    url = s.get("decision_ground_reference_url")
    if isinstance(url, str) and url and not (urlparse(url).scheme in ("http", "https") and urlparse(url).netloc):
        yield "decision_ground_reference_url", f"{url!r} is not a URL"
    if s.get("source_type") == "SOURCE_VOLUNTARY" and not _blank(s.get("source_identity")):
        yield "source_identity", "must be left out when source_type is SOURCE_VOLUNTARY"


def _dates(s: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for name in (*_DATE_RANGES, *_END_DATES):
        value = s.get(name)
        if _blank(value):
            if name in _DATE_RANGES:
                yield name, "is required (YYYY-MM-DD)"
            continue
        try:
            day = dt.datetime.strptime(str(value), "%Y-%m-%d").date()
        except ValueError:
            yield name, f"{value!r} is not a date in YYYY-MM-DD form"
            continue
        low, high = _DATE_RANGES.get(name, (dt.date.min, dt.date(2038, 1, 1)))
        if not low <= day <= high:
            yield name, f"{value} is outside {low if low != dt.date.min else ''}..{high}"


def check_lines(lines: Iterator[str]) -> Iterator[Violation]:
    """Check JSONL text: each line is a bulk request `{"statements": [...]}` or a single statement."""
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Violation(number, None, "", "", f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        batch = data.get("statements") if isinstance(data, dict) and "statements" in data else None
        if batch is not None:
            if not isinstance(batch, list) or not 1 <= len(batch) <= V.BATCH_MAX:
                size = len(batch) if isinstance(batch, list) else "not a list"
                yield Violation(number, None, "", "statements", f"a batch holds 1 to {V.BATCH_MAX} statements ({size})")
                batch = batch if isinstance(batch, list) else []
            items = list(enumerate(batch))
        else:
            items = [(None, data)]
        for index, statement in items:
            puid = statement.get("puid", "") if isinstance(statement, dict) else ""
            for name, message in check_statement(statement):
                yield Violation(number, index, str(puid or ""), name, message)
            if isinstance(puid, str) and puid:
                if puid in seen:
                    yield Violation(number, index, puid, "puid", f"repeats the puid on line {seen[puid]}")
                seen.setdefault(puid, number)


def check_file(path: Path) -> list[Violation]:
    with path.open(encoding="utf-8") as fh:
        return list(check_lines(iter(fh)))
