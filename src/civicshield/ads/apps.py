from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "civicshield.ads"
    label = "ads"
    verbose_name = "Political-ad ban"
    console_nav = [("Ad review", "ads-console:queue", ("ads_reviewer",))]
    public_nav = [(_("Ad library"), "ads:library")]

    def assessment_resources(self) -> dict[str, Any]:
        """Politician and party account names, matched as terms by the political-ad detector."""
        from .names import political_names

        return {"ads.political_names": political_names()}
