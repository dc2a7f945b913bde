"""Stored media and media banks.

`MediaFile` is one file the platform uploaded (or pointed to) under the media root, with its PDQ
hash and what its provenance said. `MediaBank` / `BankedHash` are the banks ("known AI-generated",
"known misleading" linked to fact-checks, and the bank the decision log fills when a reviewer or a
rule labels media AI-generated); each bank says which labels its matches carry.
"""

from __future__ import annotations

from django.db import models


class MediaFile(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=1024, help_text="relative to the media root")
    mime = models.CharField(max_length=100)
    size = models.BigIntegerField()
    pdq = models.CharField(max_length=64, blank=True, db_index=True)
    pdq_quality = models.IntegerField(null=True)
    provenance = models.JSONField(default=dict)
    uploaded_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.path


class MediaBank(models.Model):
    name = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    labels = models.JSONField(default=list, help_text="labels a match carries, e.g. ['ai_generated']")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class BankedHash(models.Model):
    SOURCES = [("import", "imported"), ("decision", "from a decision"), ("manual", "added by hand")]
    bank = models.ForeignKey(MediaBank, on_delete=models.CASCADE, related_name="hashes")
    pdq = models.CharField(max_length=64)
    quality = models.IntegerField(null=True)
    source = models.CharField(max_length=16, choices=SOURCES, default="import")
    fact_check_url = models.URLField(max_length=1000, blank=True)
    decision_seq = models.BigIntegerField(null=True, help_text="the decision that banked it")
    subject_key = models.CharField(max_length=400, blank=True)
    metadata = models.JSONField(default=dict)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bank", "pdq"], name="provenance_bank_hash_unique")]

    def __str__(self) -> str:
        return f"{self.bank_id}:{self.pdq[:12]}"


class PropagationCursor(models.Model):
    """How far label propagation has read the decision log (one row)."""

    last_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
