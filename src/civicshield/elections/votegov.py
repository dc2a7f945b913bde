"""Build CivicShield's US voter-registration dataset from vote.gov's published facts.

vote.gov (GSA / EAC, public domain) publishes, per state, the official election website, the
registration links and the deadline rules. We ship our own dataset in our own schema
(`data/us_voter_info.json`) in which every field is a `Fact`: the value plus where it came from, as of
when, when it was last verified and by whom. Evergreen rules ("15 days before Election Day") stay
rules; the concrete 2024 dates are kept, scoped to the 2024 general election, and never turned into
deadlines for later elections. Regenerate with
`python -m civicshield.elections.votegov [SHARED_ELECTION_DIR]`.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
US_DATASET = DATA_DIR / "us_voter_info.json"
CSV_NAME = "us_states_dc_voter_registration_votegov_2024.csv"

# The vote.gov sources the facts come from, with the date each was last changed upstream.
SOURCES = {
    "registration": {
        "dataset": "usagov/vote-gov-drupal web/data/en/states.json @ 828037d8",
        "as_of": "2024-08-26",
    },
    "rules": {
        "dataset": "usagov/vote-gov data/translations/en/state-data.json @ 6e4482ab",
        "as_of": "2024-05-01",
    },
}
GENERAL_2024 = "2024-11-05"
EDITORS = "CivicShield election editors"
# Nationwide facts that procedural claims are checked against; compiled from federal law and usa.gov.
NATIONAL_FACTS = {
    "ballot_casting_methods": (
        "In the United States ballots are cast in person or by mail; no state accepts a vote by text message, "
        "phone call or social media. Electronic ballot return exists only for some military and overseas voters.",
        "https://www.usa.gov/how-to-vote",
    ),
    "single_election_day": (
        "Every voter, whatever their party, has the same Election Day: the Tuesday after the first Monday in "
        "November for federal general elections (2 U.S.C. § 7). Early and mail voting happen before it, never after.",
        "https://www.law.cornell.edu/uscode/text/2/7",
    ),
    "federal_citizenship_requirement": (
        "Only US citizens may vote in federal elections; voting by non-citizens in federal elections is a "
        "federal crime (18 U.S.C. § 611).",
        "https://www.usa.gov/who-can-vote",
    ),
}
NATIONAL_AS_OF = "2026-11-25"
VERIFIED_BY = "vote.gov (U.S. Election Assistance Commission / GSA)"


def vote_gov_page(state_name: str) -> str:
    """The public vote.gov page a reader can open to check a state's facts."""
    return "https://vote.gov/register/" + re.sub(r"[^a-z]+", "-", state_name.lower()).strip("-")


def fact(
    value: Any, source_url: str, *, kind: str = "registration", scope: str = "evergreen", note: str = ""
) -> dict[str, Any]:
    """One field of the dataset with its provenance."""
    src = SOURCES[kind]
    out = {
        "value": value,
        "source_url": source_url,
        "source_dataset": src["dataset"],
        "as_of": src["as_of"],
        "last_verified": src["as_of"],
        "verified_by": VERIFIED_BY,
        "scope": scope,
    }
    if note:
        out["note"] = note
    return out


_DAYS = re.compile(r"(\d+) days before")


def parse_rule(text: str) -> dict[str, Any] | None:
    """Read a vote.gov evergreen rule into a structured rule (never into a date)."""
    text = (text or "").strip()
    if not text:
        return None
    rule: dict[str, Any] = {"text": text}
    lowered = text.lower()
    if "up to and including on election day" in lowered or "by or on election day" in lowered:
        rule["kind"] = "election_day"
        rule["days_before"] = 0
    elif "early voting period" in lowered:
        rule["kind"] = "early_voting_period"
    else:
        days = [int(d) for d in _DAYS.findall(lowered)]
        if not days:
            rule["kind"] = "text"
        else:
            rule["kind"] = "days_before"
            rule["days_before"] = min(days)
    if "postmarked" in lowered and "received" in lowered:
        rule["basis"] = "postmarked_and_received"
        found = [int(d) for d in _DAYS.findall(lowered)] + [
            int(d) for d in re.findall(r"(\d+) days", lowered)
        ]
        rule["postmarked_days_before"] = max(found)
    elif "postmarked" in lowered:
        rule["basis"] = "postmarked"
    elif "received" in lowered:
        rule["basis"] = "received"
    return rule


def _same_day(in_person_rule: dict[str, Any] | None, reg_type: str) -> str:
    if reg_type == "not-needed":
        return "not_applicable"
    if in_person_rule is None:
        return "unknown"
    return {"election_day": "yes", "early_voting_period": "early_voting_only"}.get(
        in_person_rule["kind"], "no"
    )


def jurisdiction(row: dict[str, str]) -> dict[str, Any]:
    """One state's (or DC's) record in our schema."""
    name, code = row["state_name"], row["state_code"]
    page = vote_gov_page(name)
    notes = row.get("notes", "")
    reg_type = row["registration_type"]
    in_person = parse_rule(row["rule_in_person_deadline"])
    online = parse_rule(row["rule_online_deadline"])
    mail = parse_rule(row["rule_mail_received_deadline"] or row["rule_mail_postmarked_deadline"])
    online_url = row["online_registration_url"] or None
    mail_form = row["mail_registration_form_url"] or None
    mail_note = ""
    if code == "NH":
        mail_note = (
            "vote.gov links an absentee-ballot application here; New Hampshire mails its own form on request."
        )
    facts = {
        "registration_required": fact(
            reg_type != "not-needed",
            page,
            note="North Dakota has no voter registration." if code == "ND" else "",
        ),
        "registration_methods": fact(reg_type, page),
        "official_election_website": fact(row["election_website_url"] or None, page),
        "registration_information": fact(row["registration_info_url"] or None, page),
        "online_registration": fact(
            {"offered": online_url is not None, "url": online_url},
            page,
            note="" if online_url else "Online registration is not offered.",
        ),
        "registration_status_lookup": fact(row["check_registration_url"] or None, page),
        "mail_registration_form": fact(mail_form, page, note=mail_note),
        "accepts_national_mail_form": fact(row["accepts_nvrf"] == "1", page),
        "deadline_in_person": fact(in_person, page, kind="rules"),
        "deadline_online": fact(online, page, kind="rules"),
        "deadline_mail": fact(mail, page, kind="rules"),
        "same_day_registration": fact(_same_day(in_person, reg_type), page, kind="rules"),
    }
    dated = [(basis, row[f"mail_reg_deadline_{basis}_2024_general"]) for basis in ("postmarked", "received")]
    dated = [(b, d) for b, d in dated if d]
    facts["mail_deadline_2024_general"] = fact(
        {"election_date": GENERAL_2024, "deadlines": [{"basis": b, "date": d} for b, d in dated]}
        if dated
        else None,
        page,
        scope="2024-general-only",
        note="Applies to the 2024-11-05 general election only; not a deadline for later elections.",
    )
    for key, value in facts.items():
        if value["value"] is None:
            value.setdefault("note", "Not published by the source.")
    record: dict[str, Any] = {
        "code": code,
        "name": name,
        "ocd_id": row["ocd_id"],
        "region": f"US-{code}",
        "kind": "district" if code == "DC" else "state",
        "facts": facts,
    }
    if notes:
        record["source_notes"] = notes
    return record


def build_us_dataset(shared_dir: Path) -> dict[str, Any]:
    """Read the vote.gov facts from `shared_dir` and return our dataset (50 states + DC)."""
    path = Path(shared_dir) / CSV_NAME
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["in_scope_50_plus_dc"] == "1"]
    jurisdictions = sorted((jurisdiction(r) for r in rows), key=lambda j: j["name"])
    return {
        "dataset": "civicshield-us-voter-registration",
        "schema_version": 1,
        "description": "Voter-registration facts for the 50 US states and DC. Each fact carries its source, "
        "as-of date, last-verified date and verifier. Rules are evergreen; dated deadlines "
        "apply only to the election named in their scope.",
        "licence": "Facts from vote.gov, a work of the US Government (public domain / CC0 1.0).",
        "sources": SOURCES,
        "national": {
            "code": "US",
            "name": "United States",
            "ocd_id": "ocd-division/country:us",
            "region": "US",
            "kind": "country",
            "facts": {
                key: {
                    "value": text,
                    "source_url": url,
                    "source_dataset": "federal law and usa.gov",
                    "as_of": NATIONAL_AS_OF,
                    "last_verified": NATIONAL_AS_OF,
                    "verified_by": EDITORS,
                    "scope": "evergreen",
                }
                for key, (text, url) in NATIONAL_FACTS.items()
            },
        },
        "jurisdictions": jurisdictions,
    }


def load_us_dataset(path: Path = US_DATASET) -> dict[str, Any]:
    """The shipped dataset (no access to the original sources needed)."""
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else Path(__file__).resolve().parents[3].parent / "shared/data/election"
    if not (shared / CSV_NAME).exists():
        print(f"vote.gov facts not found in {shared}; pass the folder that holds {CSV_NAME}", file=sys.stderr)
        return 2
    data = build_us_dataset(shared)
    US_DATASET.parent.mkdir(parents=True, exist_ok=True)
    US_DATASET.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data['jurisdictions'])} jurisdictions to {US_DATASET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def shipped_voter_facts() -> dict[str, Any]:
    """The shipped US voter facts as the procedural check reads them (region code such as "US-TX" ->
    jurisdiction record, plus "US" for the national facts): the records `setup` loads, without a database."""
    data = load_us_dataset()
    facts = {j["region"]: j for j in data["jurisdictions"]}
    facts["US"] = data["national"]
    return facts
