"""Reason codes: the short, stable answer to "why was my ad rejected?".

Advertisers, reviewers and the public ad library all see the same code. Automated rejections take it
from the rule (a political advertiser) or from the detector's strongest category; a reviewer picks
one, and the decision's rule id records it (`ads.review.<code>`).
"""

from __future__ import annotations

from typing import Any, Mapping

REASON_CODES: dict[str, str] = {
    "political_advertiser": "The advertiser is a politician, party, official or government account",
    "names_party": "Names a political party",
    "names_candidate_or_official": "Names a candidate, an elected office or an official",
    "election_or_ballot_measure": "Refers to an election, a referendum or a ballot measure",
    "call_to_vote": "Asks people to vote for or against someone or something",
    "issue_advocacy": "Advocates a side on a political issue or on legislation",
    "branded_political_content": "A paid partnership carrying political content",
    "political_content": "Carries political content",
}
REVIEW_RULE_PREFIX = "ads.review."


def reason_code(rule_id: str, signals: Mapping[str, Any] | None) -> str:
    """The reason code of a decision row, from its rule id and the signals it recorded."""
    if rule_id.startswith(REVIEW_RULE_PREFIX):
        code = rule_id[len(REVIEW_RULE_PREFIX):]
        return code if code in REASON_CODES else "political_content"
    if rule_id == "ads.political_advertiser":
        return "political_advertiser"
    if rule_id.startswith("ads.branded"):
        return "branded_political_content"
    evidence = ((signals or {}).get("political_ad") or {}).get("evidence") or {}
    code = evidence.get("reason_code") or "political_content"
    return code if code in REASON_CODES else "political_content"
