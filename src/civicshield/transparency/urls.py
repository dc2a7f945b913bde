"""Public Transparency Center URLs, mounted at /transparency/."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("methodology/", views.methodology, name="methodology"),
    path("downloads/", views.downloads, name="downloads"),
    path("reports/all-quarters.csv", views.download_all, name="download-all"),
    re_path(r"^reports/(?P<quarter>\d{4}Q[1-4])\.(?P<fmt>csv|json)$", views.download, name="download"),
    path("reports/<str:quarter>/", views.quarter_report, name="report"),
]
