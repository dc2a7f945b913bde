"""How an action maps onto the EU DSA statement-of-reasons restriction fields."""

from __future__ import annotations

# action -> (DSA field, enum value)
RESTRICTIONS: dict[str, tuple[str, str]] = {
    "remove": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    "hold_for_review": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    "restrict_recommendation": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DEMOTED"),
    "share_warning": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"),
    "label": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_LABELLED"),
    "add_banner": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_LABELLED"),
    "reject_ad": ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    "restrict_monetization": ("decision_monetary", "DECISION_MONETARY_SUSPENSION"),
    "require_verification": ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    "strike": ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    "suspend_account": ("decision_account", "DECISION_ACCOUNT_SUSPENDED"),
    "ban_account": ("decision_account", "DECISION_ACCOUNT_TERMINATED"),
}

EU_EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split())


def restriction_for(action: str) -> str:
    return RESTRICTIONS.get(action, ("", ""))[1]


def territorial_scope(regions: list[str | None]) -> list[str]:
    """Country codes a decision applies in, from ISO regions such as `US-CA` or `DE`."""
    return sorted({r.split("-")[0] for r in regions if r})
