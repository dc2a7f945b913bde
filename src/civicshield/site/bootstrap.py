"""Start Django from the CLI or a script, once, with the CivicShield settings."""

from __future__ import annotations

import os

_ready = False


def setup_django() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicshield.site.settings")
    from django.conf import settings

    home = settings.HOME
    home.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    _ready = True
