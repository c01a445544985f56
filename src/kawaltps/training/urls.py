from django.urls import path

from . import certificate_views, selfservice, views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("sesi/baru/", views.session_create, name="session_create"),
    path("sesi/<int:pk>/", views.session_detail, name="session"),
    path("sesi/<int:pk>/daftarkan/", views.enrol, name="enrol"),
    path("sesi/<int:pk>/hadir/<int:enrolment>/", views.mark_present, name="mark_present"),
    path("sesi/<int:pk>/pindai/", views.scan, name="scan"),
    path("sesi/<int:pk>/qr/", views.session_qr, name="session_qr"),
    path("sesi/<int:pk>/ikut/", selfservice.self_enrol, name="self_enrol"),
    path("hasil/", views.gains_page, name="gains"),
    path("hasil/ekspor.csv", views.gains_csv, name="gains_csv"),
    path("saya/", selfservice.mine, name="mine"),
    path("hadir/", selfservice.checkin, name="checkin"),
    path("tes/<int:enrolment>/<str:kind>/", selfservice.take_test, name="test"),
    path("tes/<int:enrolment>/<str:kind>/hasil/", selfservice.test_result, name="test_result"),
    path("sertifikat/", certificate_views.verify_form, name="verify_form"),
    path("sertifikat/<str:code>/", certificate_views.verify, name="verify"),
    path("sertifikat/<str:code>/pdf/", certificate_views.certificate_pdf, name="certificate_pdf"),
    path("sertifikat/<str:code>/cabut/", certificate_views.revoke, name="revoke"),
]
