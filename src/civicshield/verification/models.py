"""Verification requests, their evidence documents and the registry of verified official accounts.

A request moves pending → approved | rejected; an approved request creates a `VerifiedAccount`, the
public registry entry and badge, which stays until it is revoked with a reason. The decision log holds
every step; these tables hold what the workflow and the public registry need to show.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

CATEGORY_CHOICES = [(c, c.replace("_", " ")) for c in
                    ("government", "politician", "political_party", "news_org", "state_media")]


class VerificationRequest(models.Model):
    STATUSES = (("pending", "pending"), ("approved", "approved"), ("rejected", "rejected"))

    account_id = models.CharField(max_length=200, db_index=True)
    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES)
    official_name = models.CharField(max_length=200)
    office = models.CharField(max_length=200, blank=True, help_text="e.g. State Senator, District 12")
    region = models.CharField(max_length=8, blank=True)
    website = models.URLField(max_length=500, blank=True)
    registry_reference = models.CharField(max_length=300, blank=True,
                                          help_text="Official registry id or URL (election commission, gazette)")
    applicant_note = models.TextField(blank=True, max_length=4000)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending", db_index=True)
    submitted_at = models.DateTimeField(db_index=True)
    submitted_via = models.CharField(max_length=150, blank=True, help_text="API key name or console user")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    rationale = models.TextField(blank=True)
    decision_seq = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"verification request {self.pk} for {self.account_id} ({self.category}, {self.status})"


class EvidenceDocument(models.Model):
    """An uploaded document. Stored under a generated name; the applicant's file name is only shown."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="verification/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()


class VerifiedAccount(models.Model):
    """A public registry entry: this account is the verified voice of this official, party or body."""

    account_id = models.CharField(max_length=200, db_index=True)
    handle = models.CharField(max_length=200)
    display_name = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=32, choices=CATEGORY_CHOICES)
    official_name = models.CharField(max_length=200)
    office = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=8, blank=True)
    website = models.URLField(max_length=500, blank=True)
    request = models.ForeignKey(VerificationRequest, null=True, blank=True, on_delete=models.PROTECT)
    verified_at = models.DateTimeField(db_index=True)
    badge_decision_seq = models.BigIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["official_name"]
        constraints = [models.UniqueConstraint(fields=["account_id"], condition=models.Q(revoked_at__isnull=True),
                                               name="one_active_registry_entry_per_account")]

    def __str__(self) -> str:
        return f"{self.official_name} (@{self.handle}, {self.category})"
