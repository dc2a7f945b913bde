"""Public ad library at /ads/ (namespace "ads"); the ads reviewer's console at /console/ads/."""

from django.urls import path

from . import views

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library.csv", views.library_csv, name="library-csv"),
]

console_urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/claim/", views.claim, name="claim"),
    path("cases/<int:case_id>/decide/", views.decide, name="decide"),
]
