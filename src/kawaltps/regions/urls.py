from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("cari/", views.search, name="search"),
    path("<str:code>/", views.region, name="region"),
    path("tps/<slug:election>/<str:code>/", views.tps, name="tps"),
]
