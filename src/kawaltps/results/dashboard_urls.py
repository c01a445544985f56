"""The results dashboard under /hasil/ (namespace ``results``, included by ``urls.py``)."""

from django.urls import path

from . import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("wilayah/<str:code>/", dashboard.dashboard, name="dashboard_region"),
    path("data.json", dashboard.dashboard_json, name="dashboard_json"),
]
