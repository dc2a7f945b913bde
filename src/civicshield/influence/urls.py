"""Public report pages at /influence/ and analyst pages at /console/influence/."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/<str:quarter>/", views.report, name="report"),
    path("reports/<str:quarter>.json", views.report, {"fmt": "json"}, name="report-json"),
    path("reports/<str:quarter>.csv", views.report, {"fmt": "csv"}, name="report-csv"),
]

console_urlpatterns = [
    path("", views.networks, name="networks"),
    path("networks/<extid:network_id>/", views.network, name="network"),
    path("networks/<extid:network_id>/notes/", views.add_note, name="note"),
    path("networks/<extid:network_id>/attribution/", views.attribute, name="attribute"),
    path("networks/<extid:network_id>/takedown/", views.takedown, name="takedown"),
    path("returning/<int:flag_id>/", views.review_returning, name="returning"),
]
