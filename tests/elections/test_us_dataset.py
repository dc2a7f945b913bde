"""The shipped US voter-information dataset: 51 jurisdictions, every field with its provenance."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from civicshield.elections.votegov import CSV_NAME, build_us_dataset, load_us_dataset, parse_rule

SHARED = Path(os.environ.get("CIVICSHIELD_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared/data"))
PROVENANCE = ("source_url", "as_of", "last_verified", "verified_by", "scope")


def test_all_fifty_states_and_dc_are_served_with_sources_and_verified_dates():
    data = load_us_dataset()
    regions = {j["region"] for j in data["jurisdictions"]}
    assert len(regions) == 51 and "US-DC" in regions and "US-WY" in regions and "US-PR" not in regions
    for record in data["jurisdictions"]:
        for name, field in record["facts"].items():
            for key in PROVENANCE:
                assert field[key], f"{record['code']}.{name} lacks {key}"
            assert field["source_url"].startswith("https://")
            dt.date.fromisoformat(field["last_verified"])


def test_2024_dates_are_scoped_to_the_2024_general_and_rules_stay_rules():
    texas = next(j for j in load_us_dataset()["jurisdictions"] if j["code"] == "TX")["facts"]
    dated = texas["mail_deadline_2024_general"]
    assert dated["scope"] == "2024-general-only"
    assert dated["value"] == {
        "election_date": "2024-11-05",
        "deadlines": [{"basis": "postmarked", "date": "2024-10-07"}],
    }
    assert texas["deadline_in_person"]["scope"] == "evergreen"
    assert texas["deadline_in_person"]["value"] == {
        "text": "30 days before Election Day",
        "kind": "days_before",
        "days_before": 30,
    }
    assert texas["online_registration"]["value"] == {"offered": False, "url": None}
    assert texas["same_day_registration"]["value"] == "no"


def test_special_cases_north_dakota_and_north_carolina():
    records = {j["code"]: j["facts"] for j in load_us_dataset()["jurisdictions"]}
    assert records["ND"]["registration_required"]["value"] is False
    assert records["ND"]["same_day_registration"]["value"] == "not_applicable"
    assert records["NC"]["same_day_registration"]["value"] == "early_voting_only"
    assert "absentee" in records["NH"]["mail_registration_form"]["note"]


def test_rules_are_parsed_without_computing_dates():
    rule = parse_rule("Must be postmarked 15 days before and received 10 days before Election Day")
    assert rule["basis"] == "postmarked_and_received" and rule["days_before"] == 10
    assert rule["postmarked_days_before"] == 15
    assert parse_rule("Available up to and including on Election Day")["kind"] == "election_day"
    assert parse_rule("") is None


def test_shipped_dataset_is_what_the_build_script_produces_from_the_shared_facts():
    folder = SHARED / "election"
    if not (folder / CSV_NAME).exists():
        pytest.skip(f"vote.gov facts not present in {folder}")
    assert build_us_dataset(folder) == load_us_dataset()
