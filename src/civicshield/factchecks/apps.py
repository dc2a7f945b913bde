from typing import Any

from django.apps import AppConfig


class FactChecksConfig(AppConfig):
    name = "civicshield.factchecks"
    label = "factchecks"
    verbose_name = "Fact-checks"
    console_nav = [("Fact-checks", "factchecks-console:cases", ("fact_checker",))]

    def assessment_resources(self) -> dict[str, Any]:
        """The live claim index; `civicshield.factchecks.store` keeps it in step with the database."""
        from .store import live_index

        return {"factchecks.index": live_index()}
