"""Reporting periods: calendar quarters in UTC, written `2026Q3`.

Every figure is attributed to the quarter in which the action took effect (the decision's `start`),
so a decision logged late for an earlier event still counts in the event's quarter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from civicshield.core.errors import CivicShieldError

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
# Quarters a report can be about; outside these a quarter's bounds (or its neighbours') are not dates.
FIRST_YEAR, LAST_YEAR = 1900, 9998


class PeriodError(CivicShieldError):
    """A reporting period that cannot be understood."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = _QUARTER.match(text.strip())
        if not match:
            raise PeriodError(f"{text!r} is not a quarter; write it like 2026Q3")
        if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            raise PeriodError(f"{text!r} is out of range: quarters run from {FIRST_YEAR}Q1 to {LAST_YEAR}Q4")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, moment: dt.datetime) -> "Quarter":
        moment = moment.astimezone(dt.timezone.utc)
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, 3 * self.number - 2, 1, tzinfo=dt.timezone.utc)

    @property
    def end(self) -> dt.datetime:
        """Exclusive end: the first instant of the next quarter."""
        return self.next().start

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    out, q = [], first
    while q <= last:
        out.append(q)
        q = q.next()
    return out


def parse_day(text: str, *, end: bool = False) -> dt.datetime:
    """`YYYY-MM-DD` as a UTC instant; with `end`, the first instant of the following day."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{text!r} is not a date; write it like 2026-07-01") from None
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    try:
        return moment + dt.timedelta(days=1) if end else moment
    except OverflowError:
        raise PeriodError(f"{text!r} is the last day the calendar has; give an earlier date") from None
