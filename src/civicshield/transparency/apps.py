from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "civicshield.transparency"
    label = "transparency"
    verbose_name = "Transparency Center"
    public_nav = [(_("Transparency"), "transparency:overview")]
