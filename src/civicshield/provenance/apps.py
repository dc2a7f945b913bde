from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    name = "civicshield.provenance"
    label = "provenance"
    verbose_name = "Provenance"
    console_nav = [("Media banks", "provenance-console:banks", ("reviewer", "fact_checker", "policy_manager"))]

    def assessment_resources(self) -> dict[str, Any]:
        """The media root, the operator's C2PA trust anchors and the live media banks."""
        from .resources import resources

        return resources()
