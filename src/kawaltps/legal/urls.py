"""Legal filings under /hukum/ (namespace ``legal``)."""

from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("", views.filings, name="list"),
    path("bawaslu/baru/", views.create_report, name="create"),
    path("bawaslu/<int:pk>/", views.report, name="report"),
    path("bawaslu/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("mk/", views.mk_page, name="mk"),
    path("mk/<int:pk>/pdf/", views.mk_pdf, name="mk_pdf"),
]
