"""Review cases: work for people, opened by verdicts, reports and appeals."""

from __future__ import annotations

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
    partner_org = models.CharField(max_length=150, blank=True, db_index=True)
    opened_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["queue", "status", "priority"])]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.queue}) {self.subject_key}"
