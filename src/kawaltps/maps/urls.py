"""Map pages under /peta/ (namespace ``maps``)."""

from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("", views.page, name="page"),
    path("data.json", views.data_json, name="data"),
    path("batas.json", views.shapes_json, name="shapes"),
]
