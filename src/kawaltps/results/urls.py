"""Result pages under /hasil/ (namespace ``results``; the dashboard's names share it)."""

from django.urls import include, path

from . import views

app_name = "results"
urlpatterns = [
    path("kirim/", views.saksi_home, name="saksi"),
    path("kirim/token.json", views.queue_token, name="queue_token"),
    path("kirim/<str:code>/", views.submit, name="submit"),
    path("entri/", views.entry_queue, name="entry_queue"),
    path("entri/<str:code>/", views.entry, name="entry"),
    path("rekonsiliasi/", views.reconcile_queue, name="reconcile_queue"),
    path("rekonsiliasi/<str:code>/", views.reconcile, name="reconcile"),
    path("tps/<str:code>/", views.tps_result, name="tps"),
    path("tps/<str:code>/foto/<int:pk>/bukan-duplikat/", views.dismiss_match, name="dismiss_match"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("", include("kawaltps.results.dashboard_urls")),
]
