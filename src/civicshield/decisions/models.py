"""The decision log and what hangs off it: derived subject state, the outbox and webhook deliveries.

`Decision` rows are append-only and hash-chained (see `chain.py`). Nothing updates a decision: a
reversal (appeal won, fact-check revised, text edited) is a new row whose `supersedes` points back.
"""

from __future__ import annotations

from django.db import models


class Decision(models.Model):
    EFFECTS = (("apply", "apply"), ("lift", "lift"))
    MODES = (("enforce", "enforce"), ("shadow", "shadow"))
    ACTORS = (("system", "system"), ("user", "user"), ("partner", "partner"))

    seq = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    event_id = models.CharField(max_length=200, blank=True, db_index=True)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=400)
    subject_key = models.CharField(max_length=440, db_index=True)
    account_id = models.CharField(max_length=200, blank=True, db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    effect = models.CharField(max_length=8, choices=EFFECTS, default="apply")
    labels = models.JSONField(default=list)
    rule_id = models.CharField(max_length=120, db_index=True)
    policy_version = models.CharField(max_length=80)
    area = models.CharField(max_length=60, blank=True, db_index=True)
    mode = models.CharField(max_length=8, choices=MODES, default="enforce")
    explanation = models.TextField(blank=True)
    signals = models.JSONField(default=dict)
    automated_detection = models.BooleanField(default=True)
    automated_decision = models.CharField(max_length=40, default="AUTOMATED_DECISION_FULLY")
    actor_type = models.CharField(max_length=8, choices=ACTORS, default="system")
    actor_id = models.CharField(max_length=150, blank=True)
    actor_org = models.CharField(max_length=150, blank=True)
    dsa_ground = models.CharField(max_length=60, blank=True)
    dsa_category = models.CharField(max_length=80, blank=True)
    restriction_type = models.CharField(max_length=60, blank=True)
    territorial_scope = models.JSONField(default=list)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="superseded_by", db_column="supersedes_seq")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The recipe `hash` was made with (chain.RECIPES); rows written before versions existed are 1.
    hash_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_key", "mode"]), models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject_type}:{self.subject_id}"


class SubjectState(models.Model):
    """Current labels, visibility and restrictions of a subject: a projection of the decision log."""

    subject_key = models.CharField(max_length=440, primary_key=True)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=400)
    labels = models.JSONField(default=list)
    visibility = models.CharField(max_length=24, default="visible")
    restrictions = models.JSONField(default=list)
    last_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class OutboxMessage(models.Model):
    """Written in the same transaction as its decision, so a committed decision is never unannounced."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    topic = models.CharField(max_length=64)
    decision = models.ForeignKey(Decision, null=True, on_delete=models.PROTECT, db_column="decision_seq")
    payload = models.JSONField()
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    # Kept in the clear because signing needs it; it is the receiver's shared secret, not a login.
    secret = models.CharField(max_length=200)
    topics = models.JSONField(default=list, blank=True, help_text="Empty: every topic.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    STATUSES = (("pending", "pending"), ("delivered", "delivered"), ("failed", "failed"))

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE)
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE)
    status = models.CharField(max_length=12, choices=STATUSES, default="pending", db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_status_code = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("endpoint", "message")]
