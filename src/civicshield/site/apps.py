from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "civicshield.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (SQLite pragmas on every connection)
