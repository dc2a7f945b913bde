from django.apps import AppConfig


class InfluenceConfig(AppConfig):
    name = "civicshield.influence"
    label = "influence"
    verbose_name = "Covert influence operations"
    default_auto_field = "django.db.models.BigAutoField"
    console_nav = [("Networks", "influence-console:networks", ("analyst",))]
    public_nav = [("Influence reports", "influence:reports")]
