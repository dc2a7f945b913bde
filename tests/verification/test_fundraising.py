"""What counts as a campaign-fundraising ask."""

import pytest

from civicshield.verification.fundraising import solicitation


@pytest.mark.parametrize("text,urls,asks", [
    ("Chip in $5 to our campaign before midnight", [], True),
    ("Help us reach our $50,000 goal", [], True),
    ("Read my plan", ["https://secure.winred.com/alvarez/donate"], True),
    ("Support the movement: https://alvarez2026.example/donate", [], True),
    ("The senator raised $2M last quarter, filings show.", [], False),
    ("Town hall on Tuesday at the library.", ["https://library.example.org/events"], False),
])
def test_fundraising_asks(text, urls, asks):
    score, evidence = solicitation(text, urls)
    assert (score >= 0.6) is asks, evidence
