"""The literacy app: registers campaign events and hands running campaigns to the selection detector."""

from typing import Any

from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "civicshield.literacy"
    label = "literacy"
    verbose_name = "Media literacy"
    console_nav = [("Literacy campaigns", "literacy-console:campaigns", ("election_editor",))]

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers literacy.impression / literacy.click)

    def assessment_resources(self) -> dict[str, Any]:
        """Campaigns that may run, for the campaign-selection detector."""
        from .models import Campaign

        return {"literacy_campaigns": [c.as_resource() for c in Campaign.objects.filter(active=True)]}
