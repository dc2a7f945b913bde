from django.contrib import admin

from .models import Account, ApiKey, Event


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("id", "handle", "category", "region", "verified", "followers")
    list_filter = ("category", "verified")
    search_fields = ("id", "handle", "display_name")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "occurred_at", "source")
    list_filter = ("type", "source")
    search_fields = ("event_id", "subject_id")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
