from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.quickcount_page, name="quickcount"),
    path("forensik/", views.forensics_page, name="forensics"),
    path("bimtek/", views.bimtek_page, name="bimtek"),
]
