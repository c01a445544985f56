"""Admin: the election's deployment settings (signer and scanned signature), priorities, read-only records.

Assignments and mandates change only through ``services``/``mandates`` (pages and commands), so that
every change leaves its history and audit record; the admin shows them read-only.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Assignment, DeploymentSettings, Mandate, TpsPriority, VolunteerProfile


class SettingsForm(forms.ModelForm):
    signature = forms.ImageField(label=_("pindaian tanda tangan (PNG/JPEG)"), required=False)

    class Meta:
        model = DeploymentSettings
        fields = ["election", "saksi_per_tps", "backups_per_tps", "max_distance", "signer_name", "signer_title",
                  "signer_place"]

    def clean_saksi_per_tps(self):
        n = self.cleaned_data["saksi_per_tps"]
        if not 1 <= n <= 2:
            raise forms.ValidationError(_("UU 10/2016 memperbolehkan hingga 2 saksi per paslon di TPS; umumnya 1–2."))
        return n

    def save(self, commit=True):
        obj = super().save(commit=False)
        upload = self.cleaned_data.get("signature")
        if upload:
            import io

            from PIL import Image

            upload.seek(0)
            out = io.BytesIO()
            Image.open(upload).save(out, format="PNG")
            obj.signature_png = out.getvalue()
        if commit:
            obj.save()
        return obj


@admin.register(DeploymentSettings)
class DeploymentSettingsAdmin(admin.ModelAdmin):
    form = SettingsForm
    list_display = ["election", "saksi_per_tps", "backups_per_tps", "signer_name", "signer_title"]


@admin.register(TpsPriority)
class TpsPriorityAdmin(admin.ModelAdmin):
    list_display = ["election", "tps_code", "weight", "reason"]
    list_filter = ["election", "weight"]
    search_fields = ["tps_code"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["tps_code", "volunteer", "kind", "distance", "pinned", "status", "updated_at"]
    list_filter = ["election", "kind", "status", "pinned"]
    search_fields = ["tps_code"]


@admin.register(Mandate)
class MandateAdmin(ReadOnly):
    list_display = ["number", "kind", "place_code", "volunteer", "status", "issued_at"]
    list_filter = ["election", "kind", "status"]
    search_fields = ["number", "place_code", "verification_code"]


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "voting_tps_code", "available", "max_distance"]
    raw_id_fields = ["volunteer"]
    search_fields = ["voting_tps_code"]
