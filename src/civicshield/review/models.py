"""Review cases: work for people, opened by verdicts, reports and appeals.

A case is claimed under a lease (`leases.py`) so two reviewers never decide it at once; what happens to
a case (claims, releases, escalations, decisions) is kept as `CaseEntry` rows, while the outcome itself
goes to the one decision log. Reviewer preferences (wellness blur) live here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Case(models.Model):
    STATUSES = (("open", "open"), ("claimed", "claimed"), ("decided", "decided"), ("closed", "closed"))
    KINDS = (("verdict", "verdict"), ("report", "report"), ("appeal", "appeal"), ("network", "network"),
             ("verification", "verification"), ("other", "other"))

    queue = models.CharField(max_length=60, db_index=True)
    kind = models.CharField(max_length=16, choices=KINDS, default="verdict")
    status = models.CharField(max_length=10, choices=STATUSES, default="open", db_index=True)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=400)
    subject_key = models.CharField(max_length=440, db_index=True)
    rule_ids = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    event_id = models.CharField(max_length=200, blank=True)
    severity = models.PositiveSmallIntegerField(default=1)
    priority = models.FloatField(default=0.0, db_index=True)
    language = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=8, blank=True)
    area = models.CharField(max_length=60, blank=True)
    partner_org = models.CharField(max_length=150, blank=True, db_index=True)
    opened_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    reporters = models.JSONField(default=list, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="claimed_cases")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    # For appeals: who took the decision under appeal; that person may not decide the appeal.
    original_actor = models.CharField(max_length=150, blank=True)
    decision_seqs = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["queue", "status", "priority"]),
                   models.Index(fields=["status", "lease_expires_at"]),
                   models.Index(fields=["status", "-priority", "due_at", "id"], name="review_case_next_idx"),
                   models.Index(fields=["status", "area", "-closed_at"], name="review_case_decided_idx")]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.queue}) {self.subject_key}"


class CaseEntry(models.Model):
    """One thing that happened to a case, for its timeline and the queue-health figures."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, blank=True)
    what = models.CharField(max_length=24)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReviewerPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_preference")
    blur_media = models.BooleanField(default=True, help_text="Blur and grey out media until revealed.")

    @classmethod
    def for_user(cls, user: object) -> "ReviewerPreference":
        pref, _ = cls.objects.get_or_create(user=user)
        return pref
