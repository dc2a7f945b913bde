"""Elections on the calendar: what the policy engine sees as the `election` context."""

from __future__ import annotations

from django.db import models


class Election(models.Model):
    DATE_STATUSES = (("declared", "declared"), ("scheduled_by_law", "scheduled by law"),
                     ("expected_window", "expected window"), ("tentative", "tentative"))

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, db_index=True)
    division_id = models.CharField(max_length=200, blank=True, help_text="OCD division id")
    type = models.CharField(max_length=40, default="general")
    date = models.DateField(db_index=True)
    date_status = models.CharField(max_length=20, choices=DATE_STATUSES, default="declared")
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"
