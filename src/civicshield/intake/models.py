"""Stored events and the subjects they describe.

Every accepted event is kept verbatim (unknown fields included) under its platform id, which makes
intake idempotent: a replayed id is recognised and skipped. Subjects keep the columns queries need and
the full payload for replays (`policy backtest`) and detectors.
"""

from __future__ import annotations

from django.db import models


class Event(models.Model):
    event_id = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=64, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=400)
    payload = models.JSONField()
    source = models.CharField(max_length=32, default="api")

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Subject(models.Model):
    id = models.CharField(primary_key=True, max_length=200)
    payload = models.JSONField()
    first_seen = models.DateTimeField()
    last_event_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.id}"


class Account(Subject):
    handle = models.CharField(max_length=200, db_index=True)
    display_name = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=32, db_index=True)
    region = models.CharField(max_length=8, blank=True, db_index=True)
    verified = models.BooleanField(default=False)
    followers = models.BigIntegerField(default=0)


class Content(Subject):
    account_id = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=16)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=8, blank=True, db_index=True)
    views = models.BigIntegerField(default=0)


class Ad(Subject):
    advertiser_account_id = models.CharField(max_length=200, db_index=True)
    text = models.TextField(blank=True)
    regions = models.JSONField(default=list)


class Search(Subject):
    query = models.TextField()
    region = models.CharField(max_length=8, blank=True)
    language = models.CharField(max_length=16, blank=True)


class Interaction(models.Model):
    event_id = models.CharField(max_length=200, unique=True)
    account_id = models.CharField(max_length=200, db_index=True)
    action = models.CharField(max_length=16)
    object_id = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(db_index=True)
    payload = models.JSONField(default=dict)


class ApiKey(models.Model):
    """A platform client's key. Only a SHA-256 digest is stored; the key is shown once at creation."""

    name = models.CharField(max_length=100, unique=True)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DeadLetter(models.Model):
    """A broker message parked on the dead-letter subject instead of stored: what it was and why.

    The message itself stays on the broker's dead-letter subject; this row makes the count and the
    reasons visible to every process (the metrics endpoint, the console) whichever worker parked it."""

    INVALID, UNPROCESSABLE = "invalid", "unprocessable"
    parked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=16, choices=[(INVALID, "invalid"), (UNPROCESSABLE, "unprocessable")])
    event_id = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    size = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the message as received")
    dead_letter_subject = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id or self.digest[:12]}"


SUBJECT_MODELS: dict[str, type[Subject]] = {"account": Account, "content": Content, "ad": Ad, "search": Search}
