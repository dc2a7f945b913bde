from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "civicshield.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import lockout, signals  # noqa: F401  (failed sign-in counting; SQLite pragmas)
