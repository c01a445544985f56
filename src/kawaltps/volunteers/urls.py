from django.urls import path

from . import views, views_import, views_privacy, views_readiness

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("daftar/", views.register_view, name="register"),
    path("daftar/terima-kasih/", views.registered_view, name="registered"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/hapus/", views_privacy.erase_view, name="erase"),
    path("saya/data/", views_privacy.my_data, name="my_data"),
    path("impor/", views_import.upload, name="upload"),
    path("impor/tugas/<uuid:pk>/", views_import.import_status, name="import_status"),
    path("impor/templat.csv", views.template_csv, name="template"),
    path("ekspor.csv", views.export_csv, name="export"),
    path("kesiapan/", views_readiness.readiness_page, name="readiness"),
    path("ormas/", views_readiness.partners_page, name="partners"),
]
