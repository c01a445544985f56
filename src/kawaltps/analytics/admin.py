"""Quick-count draws in the admin: read-only (a draw is evidence; a new one is made with the command or
the page, and the old one stays)."""

from django.contrib import admin

from .models import QuickCountDraw, SampledTps


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuickCountDraw)
class QuickCountDrawAdmin(ReadOnly):
    list_display = ["election", "created_at", "sample_size", "population", "seed", "strata", "created_by"]
    list_filter = ["election"]


@admin.register(SampledTps)
class SampledTpsAdmin(ReadOnly):
    list_display = ["code", "stratum", "draw"]
    list_filter = ["draw__election"]
    search_fields = ["code"]
