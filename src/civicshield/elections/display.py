"""Words for voter facts on the public pages, in the reader's language (English or Spanish).

Rules are rendered from their structure ("30 days before Election Day"), not from the source's English
text, so a Spanish reader sees a Spanish rule with the same meaning and no computed date.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LANGUAGES = ("en", "es")
FIELD_LABELS = {
    "official_election_website": gettext_lazy("Official election website"),
    "registration_required": gettext_lazy("Voter registration required"),
    "online_registration": gettext_lazy("Online registration"),
    "registration_status_lookup": gettext_lazy("Check your registration"),
    "mail_registration_form": gettext_lazy("Mail registration form"),
    "registration_information": gettext_lazy("How to register"),
    "deadline_in_person": gettext_lazy("Registration deadline: in person"),
    "deadline_online": gettext_lazy("Registration deadline: online"),
    "deadline_mail": gettext_lazy("Registration deadline: by mail"),
    "same_day_registration": gettext_lazy("Same-day registration"),
    "accepts_national_mail_form": gettext_lazy("Accepts the National Mail Voter Registration Form"),
    "registration_methods": gettext_lazy("Ways to register"),
    "mail_deadline_2024_general": gettext_lazy(
        "Mail registration deadline for the 2024 general election (past)"
    ),
}
OFFICE_LINKS = {
    "ElectionsUri": gettext_lazy("Election office website"),
    "RegistrationUri": gettext_lazy("Register to vote"),
    "AmIRegisteredUri": gettext_lazy("Am I registered?"),
    "WhereDoIVoteUri": gettext_lazy("Where do I vote?"),
    "AbsenteeUri": gettext_lazy("Absentee and mail voting"),
    "BallotTrackingUri": gettext_lazy("Track your ballot"),
    "BallotProvisionalTrackingUri": gettext_lazy("Track a provisional ballot"),
    "WhatIsOnMyBallotUri": gettext_lazy("What is on my ballot?"),
    "RulesUri": gettext_lazy("Election rules"),
}
STATUS_LABELS = {
    "declared": gettext_lazy("declared"),
    "scheduled_by_law": gettext_lazy("scheduled by law"),
    "expected_window": gettext_lazy("expected window"),
    "tentative": gettext_lazy("tentative"),
}


def describe_rule(rule: dict[str, Any] | None) -> str:
    if not rule:
        return _("Not offered or not published")
    kind = rule.get("kind")
    if kind == "election_day":
        text = _("Up to and including Election Day")
    elif kind == "early_voting_period":
        text = _("Same-day registration during the early voting period only")
    elif kind == "days_before":
        text = _("%(days)s days before Election Day") % {"days": rule["days_before"]}
    else:
        return rule.get("text", "")
    basis = rule.get("basis")
    if basis == "postmarked":
        text += " " + _("(postmarked)")
    elif basis == "received":
        text += " " + _("(received)")
    elif basis == "postmarked_and_received":
        text = _("Postmarked %(post)s days and received %(recv)s days before Election Day") % {
            "post": rule["postmarked_days_before"],
            "recv": rule["days_before"],
        }
    return text


def describe(field: str, value: Any) -> dict[str, Any]:
    """{"text": ..., "url": ...} for one fact value."""
    if field.startswith("deadline_"):
        return {"text": describe_rule(value)}
    if field == "online_registration":
        return {"text": _("Offered") if value["offered"] else _("Not offered"), "url": value.get("url")}
    if field == "same_day_registration":
        return {
            "text": {
                "yes": _("Yes, including on Election Day"),
                "no": _("No"),
                "early_voting_only": _("Only during early voting"),
                "not_applicable": _("Not applicable: no registration needed"),
            }.get(value, str(value))
        }
    if field == "registration_methods":
        return {
            "text": {
                "online": _("Online, by mail or in person"),
                "by-mail": _("By mail or in person"),
                "in-person": _("In person"),
                "not-needed": _("No registration needed"),
            }.get(value, value)
        }
    if field == "mail_deadline_2024_general":
        if not value:
            return {"text": _("Not published")}
        bases = {"postmarked": _("postmarked"), "received": _("received")}
        parts = ["%s (%s)" % (d["date"], bases.get(d["basis"], d["basis"])) for d in value["deadlines"]]
        return {"text": ", ".join(parts) + " — " + _("applied only to the election of 5 November 2024")}
    if isinstance(value, bool):
        return {"text": _("Yes") if value else _("No")}
    if value is None:
        return {"text": _("Not published")}
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return {"text": value, "url": value}
    return {"text": str(value)}
