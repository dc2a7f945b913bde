import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicshield.site.settings")
application = get_wsgi_application()

if os.environ.get("CIVICSHIELD_WARM_ON_START") == "1":
    # Build detectors, policy and indices, and load every model, before the first request arrives.
    from civicshield.intake.context import current
    from civicshield.intake.warmup import warm

    warm(current())
