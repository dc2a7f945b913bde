from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from civicshield.intake import views as intake_views
from civicshield.observability.metrics import metrics_view

from . import views
from .api import api
from .discovery import capability_apps, optional_module

admin.site.site_header = "CivicShield administration"
admin.site.login = views.admin_login  # type: ignore[method-assign]  (the same lockout as /accounts/login/)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("console/", views.console_home, name="console-home"),
    path("console/subjects/", intake_views.subject_search, name="subject-search"),
    path("console/subjects/<str:subject_type>/<extid:subject_id>/", intake_views.subject_detail,
         name="subject-detail"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

for label, config in sorted(capability_apps()):
    module = optional_module(config.name, "urls")
    if module is None:
        continue
    if getattr(module, "urlpatterns", None):
        urlpatterns.append(path(f"{label}/", include((module.urlpatterns, label))))
    if getattr(module, "console_urlpatterns", None):
        urlpatterns.append(path(f"console/{label}/", include((module.console_urlpatterns, f"{label}-console"))))
