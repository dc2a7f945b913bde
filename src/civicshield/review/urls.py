"""Console URLs of the review app, mounted at /console/review/ (namespace "review-console")."""

from django.urls import path

from . import actions, views

console_urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", actions.next_case, name="next"),
    path("bulk/", actions.bulk, name="bulk"),
    path("health/", views.health, name="health"),
    path("preferences/", views.preferences, name="preferences"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/claim/", actions.claim, name="claim"),
    path("cases/<int:case_id>/release/", actions.release, name="release"),
    path("cases/<int:case_id>/reassign/", actions.reassign, name="reassign"),
    path("cases/<int:case_id>/escalate/", actions.escalate, name="escalate"),
    path("cases/<int:case_id>/decide/", actions.decide, name="decide"),
    path("cases/<int:case_id>/appeal/", actions.decide_appeal, name="appeal"),
    path("cases/<int:case_id>/media/<int:index>/", views.media_file, name="media"),
]
