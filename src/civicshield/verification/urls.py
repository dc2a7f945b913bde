from django.urls import path

from . import views

urlpatterns = [
    path("registry/", views.registry_page, name="registry"),
    path("registry.json", views.registry_json, name="registry-json"),
    path("registry.csv", views.registry_csv, name="registry-csv"),
]

console_urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request-decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("lookalikes/<int:case_id>/", views.lookalike_case, name="lookalike"),
    path("registry/", views.registry_console, name="registry"),
    path("registry/<int:pk>/revoke/", views.revoke_entry, name="revoke"),
    path("matrix/", views.matrix_table, name="matrix"),
    path("exceptions/<extid:content_id>/", views.public_interest, name="exception"),
]
