from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "civicshield.transparency"
    label = "transparency"
    verbose_name = "Transparency Center"
    public_nav = [("Transparency", "transparency:overview")]
