"""Election-day pages under /hari-h/ (namespace ``fieldday``)."""

from django.urls import path

from . import views, views_board

app_name = "fieldday"
urlpatterns = [
    path("", views.saksi_home, name="saksi"),
    path("sw.js", views.service_worker, name="sw"),
    path("tps/<str:code>/", views.saksi_page, name="page"),
    path("tps/<str:code>/checkin/", views.post_checkin, name="checkin"),
    path("tps/<str:code>/kehadiran/", views.post_turnout, name="turnout"),
    path("tps/<str:code>/periksa/", views.post_checklist, name="checklist"),
    path("tps/<str:code>/kejadian/", views.post_incident, name="incident"),
    path("papan/", views_board.board, name="board"),
    path("papan/data.json", views_board.board_json, name="board_json"),
    path("kirim-cadangan/", views_board.dispatch, name="dispatch"),
    path("kejadian/", views_board.incidents, name="incidents"),
    path("kejadian/<int:pk>/", views_board.incident, name="incident_detail"),
    path("bukti/<int:pk>/", views_board.evidence_file, name="evidence"),
]
