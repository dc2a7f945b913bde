"""Fact-checks, their revisions, and the partner organisations that write them.

A verdict is never overwritten: re-rating a claim adds a `FactCheckRevision`, and the newest
revision is the one policy acts on. Partner organisations own the fact-checks their staff write and
see only the review cases routed to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import QuerySet

from .claimreview import RATINGS

RATING_CHOICES = [(r, r.replace("_", " ")) for r in RATINGS]
SOURCES = [("claimreview", "ClaimReview import"), ("factchecktools", "Fact Check Tools import"),
           ("clef", "CLEF TSV import"), ("partner", "partner verdict")]


class PartnerOrganisation(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes the organisation rates.")
    regions = models.JSONField(default=list, blank=True, help_text="Region codes (US, US-TX, DE) it covers.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partner_organisations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of_user(cls, user: object) -> QuerySet["PartnerOrganisation"]:
        if not getattr(user, "is_authenticated", False):
            return cls.objects.none()
        return cls.objects.filter(members=user)


class FactCheck(models.Model):
    claim = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    organisation = models.ForeignKey(PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="fact_checks")
    publisher = models.CharField(max_length=200, blank=True, help_text="Publisher named by an import.")
    publisher_url = models.URLField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    appearances = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=20, choices=SOURCES)
    external_key = models.CharField(max_length=64, unique=True, help_text="Digest of url + claim, for re-imports.")
    case_id = models.BigIntegerField(null=True, blank=True, help_text="Review case a partner rated.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.claim[:80]

    @property
    def current(self) -> "FactCheckRevision | None":
        return self.revisions.order_by("-number").first()

    @property
    def publisher_name(self) -> str:
        return self.organisation.name if self.organisation else self.publisher


class FactCheckRevision(models.Model):
    """One verdict on a fact-check. Rows are only ever added."""

    fact_check = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    rating = models.CharField(max_length=20, choices=RATING_CHOICES)
    rating_text = models.CharField(max_length=200, blank=True, help_text="The partner's own rating words.")
    review_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["fact_check_id", "number"]
        constraints = [models.UniqueConstraint(fields=["fact_check", "number"], name="factcheck_revision_number")]

    def __str__(self) -> str:
        return f"{self.fact_check_id} r{self.number}: {self.rating}"
