"""Public Election Center pages (/elections/) and the election editor console (/console/elections/)."""

from django.urls import path

from . import console, views

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("us/", views.us_states, name="us-states"),
    path("us/<str:code>/", views.state, name="state"),
]

console_urlpatterns = [
    path("", console.dashboard, name="dashboard"),
    path("facts/<int:pk>/", console.edit_fact, name="edit-fact"),
    path("elections/new/", console.edit_election, name="new-election"),
    path("elections/<int:pk>/", console.edit_election, name="edit-election"),
]
