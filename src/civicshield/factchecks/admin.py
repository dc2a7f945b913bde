from django.contrib import admin

from .models import FactCheck, FactCheckRevision, PartnerOrganisation


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "url")
    filter_horizontal = ("members",)
    prepopulated_fields = {"slug": ("name",)}


class RevisionInline(admin.TabularInline):
    model = FactCheckRevision
    extra = 0
    can_delete = False
    readonly_fields = ("number", "rating", "rating_text", "review_date", "notes", "sources", "author", "created_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ("id", "claim", "language", "publisher", "organisation", "source", "created_at")
    list_filter = ("source", "language", "organisation")
    search_fields = ("claim", "title", "url")
    inlines = [RevisionInline]
