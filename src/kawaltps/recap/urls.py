from django.urls import path

from . import views, views_outcome

app_name = "recap"
urlpatterns = [
    path("", views.discrepancy_list, name="list"),
    path("hitung-ulang/", views.recompute_view, name="recompute"),
    path("selisih/<int:pk>/", views.discrepancy_detail, name="detail"),
    path("selisih/<int:pk>/berkas-bukti.zip", views.discrepancy_dossier, name="dossier"),
    path("tps/<str:code>/berkas-bukti.zip", views.tps_dossier, name="tps_dossier"),
    path("dhasil/", views.dhasil_entry, name="dhasil"),
    path("dhasil/foto/<int:pk>/", views.dhasil_photo, name="dhasil_photo"),
    path("margin/", views_outcome.margin_page, name="margin"),
    path("cakupan/", views_outcome.coverage_page, name="coverage"),
    path("kit-pleno/", views_outcome.plenary_kit, name="plenary_kit"),
    path("kunci-publik/", views.public_key, name="public_key"),
]
