"""DISARM technique ids (https://www.disarm.foundation/framework) for the tactics CivicShield detects.

Reports name tactics by DISARM id so readers can compare them with other platforms' reports.
"""

from __future__ import annotations

TECHNIQUES: dict[str, str] = {
    "T0049": "Flood information space",
    "T0049.001": "Trolls amplify and manipulate",
    "T0049.005": "Conduct swarming",
    "T0084.001": "Use copypasta",
    "T0090": "Create inauthentic accounts",
    "T0090.001": "Create anonymous accounts",
    "T0115": "Post content",
    "T0118": "Amplify existing narrative",
    "T0119": "Cross-posting",
    "T0121": "Manipulate platform algorithm",
}
BY_TACTIC: dict[str, list[str]] = {
    "amplification": ["T0049", "T0119"],
    "copypasta": ["T0084.001", "T0049.001"],
    "link_push": ["T0115", "T0118"],
    "hashtag_flood": ["T0049.005", "T0121"],
    "account_farm": ["T0090", "T0090.001"],
}
BY_BEHAVIOUR: dict[str, list[str]] = {
    "co_share": BY_TACTIC["amplification"], "same_text": BY_TACTIC["copypasta"],
    "same_url": BY_TACTIC["link_push"], "same_hashtags": BY_TACTIC["hashtag_flood"],
    "creation": BY_TACTIC["account_farm"], "device": BY_TACTIC["account_farm"],
    "ip24": BY_TACTIC["account_farm"],
}


def techniques_for(behaviours: list[str]) -> list[str]:
    return sorted({t for b in behaviours for t in BY_BEHAVIOUR.get(b, [])})
