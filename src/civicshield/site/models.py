"""Failed sign-ins, kept in the database so every web process and the `civicshield users unlock`
command see the same count (a per-process cache would let the CLI unlock nothing)."""

from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True, help_text="As typed, case-folded.")
    address = models.CharField(max_length=64, db_index=True, help_text="Client address of the attempt.")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "failed sign-in"

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
