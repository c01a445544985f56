from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from kawaltps.audit.services import record_change

from .models import ApiToken, Organisation, User

# What decides what a user may do: a change of any of these is a role change, written to the audit log.
ROLE_FIELDS = ("role", "region_id", "tps_code", "is_active", "is_staff", "is_superuser")


def _role_state(user: User) -> dict:
    return {f: getattr(user, f) for f in ROLE_FIELDS}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "region", "tps_code", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    raw_id_fields = ["region"]
    fieldsets = BaseUserAdmin.fieldsets + (("Kawal TPS", {"fields": ["role", "region", "tps_code", "organisation",
                                                                      "phone"]}),)

    def save_model(self, request, obj, form, change):
        """Save, and write the role change (who, before, after) in the same transaction."""
        before = _role_state(User.objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = _role_state(obj)
            if before != after:
                record_change(user=request.user, obj=obj, code=obj.region_id or obj.tps_code or "",
                              action="user_role" if change else "user_create", before=before, after=after,
                              reason="admin")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "created_at"]
    search_fields = ["name", "short_name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]
    readonly_fields = ["digest", "prefix"]
