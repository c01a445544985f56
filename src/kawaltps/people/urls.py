from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("2fa/", views.otp_verify, name="otp_verify"),
    path("2fa/daftar/", views.otp_enrol, name="otp_enrol"),
    path("2fa/kode-cadangan/", views.otp_recovery, name="otp_recovery"),
    path("akses-data/", views.access_log, name="access_log"),
]
