"""The partner fact-checker portal's rules: which cases a user sees, routing, and rating a case.

Partner staff see only their organisation's cases, and the restriction is in the queryset, so a
case id from another organisation is simply not found (404) rather than forbidden. Fact-check cases
are routed to the organisation whose languages and regions cover the case. Rating a case stores a
fact-check revision and re-assesses the rated post with every stored copy of its claim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from civicshield.core.errors import CivicShieldError
from civicshield.review.models import Case, CaseEntry
from civicshield.site.roles import user_has_role

from .claimreview import RATING_NAME, RATINGS
from .models import FactCheck, FactCheckRevision, PartnerOrganisation
from .store import external_key, refresh_index

QUEUE = "fact_check"


class PortalError(CivicShieldError):
    """A portal action that cannot happen (case closed, missing claim, unknown rating)."""


def visible_cases(user: Any) -> QuerySet[Case]:
    """Fact-check cases this user may see: their organisations' only (admins: all)."""
    qs = Case.objects.filter(queue=QUEUE)
    if user_has_role(user, "admin"):
        return qs
    if not user_has_role(user, "fact_checker"):
        return qs.none()
    return qs.filter(partner_org__in=PartnerOrganisation.of_user(user).values_list("slug", flat=True))


def route_open_cases() -> int:
    """Give unrouted fact-check cases to the organisation covering their language and region."""
    routed = 0
    orgs = list(PartnerOrganisation.objects.order_by("id"))
    for case in Case.objects.filter(queue=QUEUE, partner_org="", status__in=("open", "claimed")):
        org = next((o for o in orgs if _covers(o, case.language, case.region)), None)
        if org is not None:
            routed += Case.objects.filter(pk=case.pk, partner_org="").update(partner_org=org.slug)
    return routed


def _covers(org: PartnerOrganisation, language: str, region: str) -> bool:
    language_ok = not org.languages or (language or "").split("-")[0] in org.languages
    region_ok = not org.regions or any(region == r or region.startswith(r + "-") for r in org.regions)
    return language_ok and region_ok


def log(case: Case, user: Any, what: str, note: str = "") -> None:
    CaseEntry.objects.create(case=case, at=timezone.now(), actor=user.get_username(), what=what, note=note)


def claim_case(case: Case, user: Any, minutes: int = 30) -> None:
    now = timezone.now()
    free = Q(status="open") | Q(status="claimed", lease_expires_at__lt=now) | Q(claimed_by=user)
    if not Case.objects.filter(Q(pk=case.pk) & free).update(
            status="claimed", claimed_by=user, lease_expires_at=now + dt.timedelta(minutes=minutes)):
        raise PortalError("someone else is working on this case")
    log(case, user, "claimed")


def rate_case(case: Case, user: Any, *, claim: str, rating: str, rating_text: str = "", notes: str = "",
              sources: list[str] | None = None, url: str = "") -> FactCheckRevision:
    """Store the partner's verdict, close the case, and re-assess the post and its copies."""
    if rating not in RATINGS:
        raise PortalError(f"rating must be one of {', '.join(RATINGS)}")
    if not claim.strip():
        raise PortalError("state the claim being rated")
    if case.status in ("decided", "closed"):
        raise PortalError("this case is already decided")
    org = PartnerOrganisation.of_user(user).filter(slug=case.partner_org).first()
    with transaction.atomic():
        fc, _ = FactCheck.objects.get_or_create(
            external_key=external_key(url or f"case:{case.pk}", claim),
            defaults={"claim": claim.strip(), "organisation": org, "source": "partner", "url": url,
                      "language": case.language, "case_id": case.pk})
        number = fc.revisions.count() + 1
        revision = FactCheckRevision.objects.create(
            fact_check=fc, number=number, rating=rating, rating_text=rating_text or RATING_NAME[rating],
            notes=notes, sources=sources or [], author=user, review_date=timezone.now().date())
        Case.objects.filter(pk=case.pk).update(status="decided", decided_by=user.get_username(),
                                               closed_at=timezone.now(), lease_expires_at=None)
        log(case, user, "rated", f"{rating}: {claim.strip()[:200]}")
        subject = (case.subject_id,) if case.subject_type == "content" else ()
        transaction.on_commit(lambda: _after_rating(fc.pk, subject))
    return revision


def _after_rating(fact_check_id: int, subjects: tuple[str, ...]) -> None:
    from .tasks import sweep_fact_checks

    refresh_index([fact_check_id])
    sweep_fact_checks.enqueue([fact_check_id], list(subjects))
