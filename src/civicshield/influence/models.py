"""Network cases: what detection found, what analysts learned about it, and what was done.

A `NetworkCase` is one coordinated network from a detection run, with its members, evidence, notes and
attribution. Taking a network down writes one decision per member to the decision log; the case keeps
the network's fingerprint so accounts that come back after the takedown can be recognised.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

STATUSES = (("open", "open"), ("taken_down", "taken down"), ("dismissed", "dismissed"))
SOURCES = (("internal", "internal detection"), ("external", "external report"))


class DetectionRun(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=300)
    engine = models.CharField(max_length=16, default="duckdb")
    window_seconds = models.FloatField(default=60.0)
    stats = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"run {self.pk} ({self.source})"


class NetworkCase(models.Model):
    network_id = models.CharField(max_length=40, unique=True)
    run = models.ForeignKey(DetectionRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=STATUSES, default="open", db_index=True)
    score = models.FloatField(default=0.0)
    behaviours = models.JSONField(default=list)
    evidence = models.JSONField(default=dict)
    fingerprint = models.JSONField(default=dict)
    detection_source = models.CharField(max_length=16, choices=SOURCES, default="internal")
    # Attribution, written by analysts.
    name = models.CharField(max_length=200, blank=True)
    attributed_to = models.CharField(max_length=300, blank=True)
    origin_country = models.CharField(max_length=64, blank=True)
    target_countries = models.CharField(max_length=300, blank=True, help_text="Comma-separated codes")
    targets = models.TextField(blank=True, help_text="Whom the network targeted")
    tactics = models.JSONField(default=list, blank=True, help_text="DISARM technique ids")
    taken_down_at = models.DateTimeField(null=True, blank=True, db_index=True)
    taken_down_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-score", "network_id"]

    def __str__(self) -> str:
        return self.name or self.network_id

    @property
    def title(self) -> str:
        return self.name or self.network_id


class NetworkMember(models.Model):
    case = models.ForeignKey(NetworkCase, related_name="members", on_delete=models.CASCADE)
    account_id = models.CharField(max_length=200, db_index=True)
    followers = models.BigIntegerField(default=0)
    evidence = models.JSONField(default=dict)
    decision_seq = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["account_id"]
        unique_together = [("case", "account_id")]


class NetworkNote(models.Model):
    case = models.ForeignKey(NetworkCase, related_name="notes", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]


class ReturningActor(models.Model):
    """An account that matches a taken-down network's fingerprint, flagged for an analyst."""

    removed = models.ForeignKey(NetworkCase, related_name="returning", on_delete=models.CASCADE)
    account_id = models.CharField(max_length=200, db_index=True)
    new_case = models.ForeignKey(NetworkCase, null=True, blank=True, related_name="returning_from",
                                 on_delete=models.SET_NULL)
    similarity = models.FloatField(default=0.0)
    matched = models.JSONField(default=dict)
    flagged_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, default="open",
                              choices=(("open", "open"), ("confirmed", "confirmed"), ("dismissed", "dismissed")))

    class Meta:
        ordering = ["-flagged_at", "account_id"]
        unique_together = [("removed", "account_id")]
