from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "region", "tps_code", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    raw_id_fields = ["region"]
    fieldsets = BaseUserAdmin.fieldsets + (("Kawal TPS", {"fields": ["role", "region", "tps_code", "organisation",
                                                                      "phone"]}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "created_at"]
    search_fields = ["name", "short_name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]
    readonly_fields = ["digest", "prefix"]
