"""The `election` context policies see: the next election that applies to the subject's region."""

from __future__ import annotations

import datetime as dt

import pytest

from civicshield.elections.calendar import election_context, load_elections
from civicshield.elections.models import Election, Jurisdiction

TODAY = dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_state_elections_apply_to_their_state_only(reference_data):
    texas = Jurisdiction.objects.get(region="US-TX")
    Election.objects.create(name="Texas runoff", country="US", date=dt.date(2026, 12, 12), jurisdiction=texas)
    elections = load_elections()
    assert election_context(elections, "US-TX", TODAY)["name"] == "Texas runoff"
    california = election_context(elections, "US-CA", TODAY)
    assert california["name"] == "United States presidential general election"
    assert california["date"] == "2028-11-07" and not california["in_election_period"]


@pytest.mark.django_db
def test_an_expected_window_counts_from_its_start(reference_data):
    france = election_context(load_elections(), "FR", TODAY)
    assert france["date_status"] == "expected_window" and france["date"] == "2027-04-01"
    assert election_context(load_elections(), "UA", TODAY)["upcoming"] is False
