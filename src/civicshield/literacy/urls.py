"""Console pages for media-literacy campaigns (/console/literacy/)."""

from django.urls import path

from . import console

console_urlpatterns = [
    path("", console.campaigns, name="campaigns"),
    path("new/", console.edit_campaign, name="new-campaign"),
    path("<int:pk>/", console.edit_campaign, name="edit-campaign"),
]
