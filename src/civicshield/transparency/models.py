"""Stored running totals of the decision log, so a report reads only the decisions logged since.

The log is append-only, so counts up to a sequence number never change: `CubeMark` records the
last decision folded into the `CubeCell` totals (and its hash, to notice a log that was replaced).
A report at a later head adds the newer decisions to these totals; a report at an earlier head
(recomputing an old report) scans the log up to that head instead.
"""

from __future__ import annotations

from django.db import models


class CubeMark(models.Model):
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class CubeCell(models.Model):
    # The mark these totals belong to; the previous generation is kept until the next one is stored,
    # so a reader that has just read the older mark still finds its totals.
    mark_seq = models.BigIntegerField(default=0, db_index=True)
    quarter = models.IntegerField(help_text="year * 10 + quarter")
    area = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=40)
    effect = models.CharField(max_length=8)
    actor_type = models.CharField(max_length=8)
    automated_decision = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=32)
    rule_id = models.CharField(max_length=120)
    labels = models.JSONField(default=list)
    territorial_scope = models.JSONField(default=list)
    decisions = models.BigIntegerField()
