from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "civicshield.intake"
    label = "intake"
    verbose_name = "Intake: events and subjects"
