from django.urls import path

from . import views

urlpatterns: list = []

console_urlpatterns = [
    path("", views.banks, name="banks"),
    path("banks/import/", views.bank_import, name="bank-import"),
    path("banks/<extid:name>.txt", views.bank_export, name="bank-export"),
]
