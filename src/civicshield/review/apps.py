from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "civicshield.review"
    label = "review"
    verbose_name = "Review cases"
