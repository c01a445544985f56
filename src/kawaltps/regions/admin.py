from django.contrib import admin

from .models import TPS, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(TPS)
class TPSAdmin(admin.ModelAdmin):
    list_display = ["code", "election", "kelurahan", "number", "dpt_l", "dpt_p", "dpt"]
    list_filter = ["election"]
    search_fields = ["code", "kelurahan__name", "address"]
    raw_id_fields = ["kelurahan"]
