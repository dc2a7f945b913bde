"""The JSON API: one NinjaAPI at /api/v1/ assembled from each capability's router."""

from __future__ import annotations

from ninja import NinjaAPI

from .discovery import capability_apps, optional_module

api = NinjaAPI(title="CivicShield API", version="1", urls_namespace="api",
               description="Events in, verdicts and decisions out. Authenticate with `Authorization: Bearer <api key>`.")

for _label, _config in sorted(capability_apps()):
    _module = optional_module(_config.name, "api")
    if _module is not None and hasattr(_module, "router"):
        api.add_router(getattr(_module, "PREFIX", f"/{_label}/"), _module.router)
