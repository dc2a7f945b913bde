"""Elections, jurisdictions, voter-information facts with provenance, and VIP polling places.

`Election` is also what the policy engine sees as the `election` context (see `calendar.py`). Every
`VoterFact` carries its source URL, as-of date, last-verified date and verifier, because an Election
Center that cannot say where a deadline came from, or when someone last checked it, is not trustworthy.
"""

from __future__ import annotations

import datetime as dt

from django.db import models


class Jurisdiction(models.Model):
    """A place with its own election rules: a country, a US state or DC, a county."""

    KINDS = (
        ("country", "country"),
        ("state", "state"),
        ("district", "district"),
        ("county", "county"),
        ("locality", "locality"),
    )

    ocd_id = models.CharField(max_length=200, unique=True, help_text="OCD division id")
    region = models.CharField(max_length=6, db_index=True, help_text='ISO 3166 code, e.g. "US-TX"')
    code = models.CharField(max_length=10, blank=True, help_text='Short code used in URLs, e.g. "TX"')
    name = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=KINDS)
    country = models.CharField(max_length=2, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Election(models.Model):
    DATE_STATUSES = (
        ("declared", "declared"),
        ("scheduled_by_law", "scheduled by law"),
        ("expected_window", "expected window"),
        ("tentative", "tentative"),
    )

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, db_index=True)
    division_id = models.CharField(max_length=200, blank=True, help_text="OCD division id")
    type = models.CharField(max_length=40, default="general")
    date = models.DateField(
        db_index=True, null=True, blank=True, help_text="Election day; empty while only a window is known"
    )
    date_status = models.CharField(max_length=20, choices=DATE_STATUSES, default="declared")
    source_url = models.URLField(max_length=500, blank=True)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    rule = models.TextField(blank=True, help_text="How the date is set (law, decree, term length)")
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="elections"
    )
    origin = models.CharField(max_length=200, blank=True, help_text="Dataset or feed this record came from")
    as_of = models.DateField(null=True, blank=True)
    last_verified = models.DateField(null=True, blank=True)
    verified_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "window_start"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date or self.window_start})"

    @property
    def sort_date(self) -> dt.date | None:
        return self.date or self.window_start


class KeyDate(models.Model):
    """A dated milestone of one election: registration deadline, early voting, election day, certification."""

    KINDS = (
        ("registration_deadline", "registration deadline"),
        ("early_voting_start", "early voting starts"),
        ("early_voting_end", "early voting ends"),
        ("mail_ballot_request_deadline", "mail ballot request deadline"),
        ("mail_ballot_return_deadline", "mail ballot return deadline"),
        ("election_day", "election day"),
        ("certification", "certification"),
    )

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="key_dates")
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=40, choices=KINDS)
    date = models.DateField()
    basis = models.CharField(
        max_length=40, blank=True, help_text="postmarked / received / in person / online"
    )
    note = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500)
    last_verified = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "jurisdiction", "kind", "basis"], name="one_key_date_per_kind"
            )
        ]


class VoterFact(models.Model):
    """One field of voter information for a jurisdiction, with its provenance."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="facts")
    field = models.CharField(max_length=60)
    value = models.JSONField(null=True, blank=True)
    scope = models.CharField(
        max_length=40,
        default="evergreen",
        help_text='"evergreen" rule, or the one election a dated value belongs to',
    )
    note = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)
    source_dataset = models.CharField(max_length=200, blank=True)
    as_of = models.DateField()
    last_verified = models.DateField()
    verified_by = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jurisdiction", "field"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "field"], name="one_fact_per_field")]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code}.{self.field}"

    def as_dict(self) -> dict:
        out = {
            "value": self.value,
            "source_url": self.source_url,
            "source_dataset": self.source_dataset,
            "as_of": self.as_of.isoformat(),
            "last_verified": self.last_verified.isoformat(),
            "verified_by": self.verified_by,
            "scope": self.scope,
        }
        if self.note:
            out["note"] = self.note
        return out


class VipFeed(models.Model):
    """One imported VIP feed (identified by its Source VipId); re-imports update it in place."""

    vip_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=10)
    source_datetime = models.CharField(max_length=40, blank=True)
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)


class VipRecordBase(models.Model):
    feed = models.ForeignKey(VipFeed, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=100, help_text="The element's id in the feed")
    name = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


class ElectionAdministration(VipRecordBase):
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="administrations"
    )
    urls = models.JSONField(default=dict)
    phone = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "object_id"], name="one_admin_per_feed_id")]


class Locality(VipRecordBase):
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL)
    type = models.CharField(max_length=40, blank=True)
    administration_id = models.CharField(max_length=100, blank=True)
    is_mail_only = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "object_id"], name="one_locality_per_feed_id")]


class Precinct(VipRecordBase):
    locality_id = models.CharField(max_length=100, blank=True)
    number = models.CharField(max_length=40, blank=True)
    polling_location_ids = models.JSONField(default=list)
    is_mail_only = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "object_id"], name="one_precinct_per_feed_id")]


class PollingLocation(VipRecordBase):
    """A polling place, early-vote site or drop box, with opening hours."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="polling_locations"
    )
    address = models.CharField(max_length=500, blank=True)
    is_early_voting = models.BooleanField(default=False)
    is_drop_box = models.BooleanField(default=False)
    hours_text = models.CharField(max_length=300, blank=True)
    hours = models.JSONField(default=list)
    directions = models.TextField(blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["feed", "object_id"], name="one_location_per_feed_id")]


class LinkCheck(models.Model):
    """The latest result of checking one official URL (`civicshield elections check-links`)."""

    url = models.URLField(max_length=500, unique=True)
    ok = models.BooleanField()
    status = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    used_by = models.JSONField(default=list)
    checked_at = models.DateTimeField()
