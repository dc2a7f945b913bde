from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "civicshield.elections"
    label = "elections"
    verbose_name = "Elections"

    def load_reference_data(self) -> str:
        from .reference import load_calendar

        return load_calendar()
