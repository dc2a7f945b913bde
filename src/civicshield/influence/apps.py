from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "civicshield.influence"
    label = "influence"
    verbose_name = "Covert influence operations"
    default_auto_field = "django.db.models.BigAutoField"
    console_nav = [("Networks", "influence-console:networks", ("analyst",))]
    public_nav = [(_("Influence reports"), "influence:reports")]

    def assessment_resources(self) -> dict:
        from .models import NetworkCase
        from .returning import RESOURCE_KEY

        removed = NetworkCase.objects.filter(status="taken_down").values_list("network_id", "fingerprint")
        return {RESOURCE_KEY: [{"network_id": network_id, "devices": fp.get("devices", []),
                                "ip24": fp.get("ip24", [])} for network_id, fp in removed]}
