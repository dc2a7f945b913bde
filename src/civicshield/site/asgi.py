"""The ASGI entry point `civicshield serve --workers N` runs: gunicorn's asyncio worker reads each
request without holding a thread, so slow or stalled clients cannot starve the workers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicshield.site.settings")
application = get_asgi_application()

if os.environ.get("CIVICSHIELD_WARM_ON_START") == "1":
    # Build detectors, policy and indices, and load every model, before the first request arrives.
    from civicshield.intake.context import current
    from civicshield.intake.warmup import warm

    warm(current())
