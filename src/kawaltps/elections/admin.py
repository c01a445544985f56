from django.contrib import admin
from django.utils.html import format_html_join

from .models import Candidate, Election


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "date", "scope", "form_type"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["scope"]
    inlines = [CandidateInline]
    readonly_fields = ["form_fields"]

    @admin.display(description="Isian formulir C.Hasil")
    def form_fields(self, obj):
        if not obj or not obj.form_type:
            return "-"
        return format_html_join("", "<div>hal. {} · {} <code>{}</code></div>",
                                ((f.page, f.label, f.key) for f in obj.form.fields))
