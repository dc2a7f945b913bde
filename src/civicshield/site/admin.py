"""Failed sign-ins in the admin: who is locked out, and an action to unlock them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages

from .lockout import unlock
from .models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("username", "address", "at")
    list_filter = ("at",)
    search_fields = ("username", "address")
    actions = ["unlock_accounts"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.action(description="Unlock the selected accounts (forget their failed sign-ins)")
    def unlock_accounts(self, request: Any, queryset: Any) -> None:
        names = sorted(set(queryset.values_list("username", flat=True)))
        forgotten = sum(unlock(username=name) for name in names)
        self.message_user(request, f"Unlocked {', '.join(names)} ({forgotten} failed sign-ins forgotten).",
                          messages.SUCCESS)
