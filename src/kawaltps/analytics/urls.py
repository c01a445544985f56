from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.quickcount_page, name="quickcount"),
    path("undi/", views.draw_sample, name="draw"),
    path("forensik/", views.forensics_page, name="forensics"),
    path("forensik/plot/<str:kind>.<str:fmt>", views.forensics_plot, name="plot"),
    path("bimtek/", views.bimtek_page, name="bimtek"),
]
