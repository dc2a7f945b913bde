"""Finds what each capability app contributes (URLs, API routers, CLI groups, navigation).

Capabilities plug in by convention instead of editing the site: an app's `urls.py`, `api.py` and
`cli.py` are picked up here, so adding a capability never means editing a central list.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Iterator

from django.apps import apps


def capability_apps() -> Iterator[tuple[str, object]]:
    for config in apps.get_app_configs():
        if config.name.startswith("civicshield.") and config.name != "civicshield.site":
            yield config.label, config


def optional_module(app_name: str, module: str) -> ModuleType | None:
    """Import `<app>.<module>` if the file exists; a real import error inside it still surfaces."""
    spec = importlib.util.find_spec(f"{app_name}.{module}")
    return importlib.import_module(f"{app_name}.{module}") if spec else None
