from django.urls import path

from . import views

console_urlpatterns = [
    path("", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/<str:action>/", views.case_action, name="case-action"),
]
