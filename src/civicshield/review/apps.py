from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "civicshield.review"
    label = "review"
    verbose_name = "Review cases"
    console_nav = [
        ("Review", "review-console:queue", ("reviewer", "policy_manager", "fact_checker", "ads_reviewer",
                                           "verifier", "analyst")),
        ("Queue health", "review-console:health", ("reviewer", "policy_manager", "analyst")),
    ]
