from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "civicshield.verification"
    label = "verification"
    verbose_name = "Verification"
    console_nav = [("Verification", "verification-console:queue", ("verifier",)),
                   ("Enforcement matrix", "verification-console:matrix", ("verifier", "reviewer", "policy_manager"))]
    public_nav = [(_("Verified officials"), "verification:registry")]

    def ready(self) -> None:
        from civicshield.core.events import register_event_type
        from civicshield.intake.simulate import PHENOMENA, register_phenomenon

        from .monetization import EVENT_TYPE, MonetizationRequest
        from .simulation import official_phenomena

        register_event_type(EVENT_TYPE, "monetization", MonetizationRequest)
        if official_phenomena not in PHENOMENA:
            register_phenomenon(official_phenomena)

    def assessment_resources(self) -> dict:
        from .officials import RESOURCE_KEY
        from .resources import live_officials

        return {RESOURCE_KEY: live_officials(fresh=True)}
