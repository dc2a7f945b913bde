"""Which subjects a console user may see, as querysets, before anything is rendered.

Platform staff whose work is about subjects (reviewers, policy managers, analysts, ads reviewers,
verifiers; admins) see every subject. A partner fact-checker sees only the subjects of the cases routed
to their own organisations, and only those cases. Anyone else (no role, or a role whose work is not
about subjects, such as election editor) sees no subject at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicshield.decisions.models import Decision
from civicshield.review.models import Case
from civicshield.site.roles import user_has_role

from .models import Content

SUBJECT_ROLES = ("reviewer", "policy_manager", "analyst", "ads_reviewer", "verifier")
PARTNER_ROLE = "fact_checker"


def sees_every_subject(user: Any) -> bool:
    return user_has_role(user, *SUBJECT_ROLES)


def may_open_subjects(user: Any) -> bool:
    """Whether the subject pages are for this user at all (a partner sees its own subjects there)."""
    return sees_every_subject(user) or user_has_role(user, PARTNER_ROLE)


def _partner_cases(user: Any) -> QuerySet[Case]:
    from civicshield.factchecks.models import PartnerOrganisation

    if not user_has_role(user, PARTNER_ROLE):
        return Case.objects.none()
    return Case.objects.filter(partner_org__in=PartnerOrganisation.of_user(user).values_list("slug", flat=True))


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.all() if sees_every_subject(user) else _partner_cases(user)


def visible_decisions(user: Any) -> QuerySet[Decision]:
    if sees_every_subject(user):
        return Decision.objects.all()
    return Decision.objects.filter(subject_key__in=_partner_cases(user).values("subject_key"))


def visible_contents(user: Any) -> QuerySet[Content]:
    if sees_every_subject(user):
        return Content.objects.all()
    return Content.objects.filter(id__in=_partner_cases(user).filter(subject_type="content").values("subject_id"))


def may_see_subject(user: Any, subject_key: str) -> bool:
    return sees_every_subject(user) or _partner_cases(user).filter(subject_key=subject_key).exists()
