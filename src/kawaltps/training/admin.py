from django.contrib import admin

from .models import Certificate, Enrolment, Module, Question, Session


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "title"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "module", "key", "correct", "source", "active"]
    list_filter = ["module", "active"]
    search_fields = ["text", "key", "source"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "region", "trainer", "organisation", "capacity", "pass_score"]
    list_filter = ["organisation"]
    raw_id_fields = ["region", "trainer", "created_by"]
    date_hierarchy = "date"


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["session", "volunteer", "attended_at", "attendance_method"]
    raw_id_fields = ["session", "volunteer", "attendance_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "verification_code", "issued_at", "revoked_at"]
    search_fields = ["number", "verification_code"]
    raw_id_fields = ["enrolment"]
