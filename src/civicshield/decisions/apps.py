from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "civicshield.decisions"
    label = "decisions"
    verbose_name = "Decision log"
