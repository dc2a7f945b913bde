"""The elections app: shipped reference data on setup, and voter facts for the procedural-claim check."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "civicshield.elections"
    label = "elections"
    verbose_name = "Elections"
    public_nav = [(_("Election Center"), "elections:calendar")]
    console_nav = [("Elections", "elections-console:dashboard", ("election_editor",))]

    def load_reference_data(self) -> str:
        from .reference import load_calendar, load_us_facts

        return f"{load_calendar()}; {load_us_facts()}"

    def assessment_resources(self) -> dict[str, Any]:
        """Voter facts by region ("US", "US-TX", …) for the procedural-claim check."""
        from .facts import voter_facts

        return {"voter_facts": voter_facts()}
