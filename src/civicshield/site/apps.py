from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "civicshield.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import lockout, signals  # noqa: F401  (failed sign-in counting; SQLite pragmas)
        from .converters import ExternalIdConverter

        register_converter(ExternalIdConverter, "extid")
