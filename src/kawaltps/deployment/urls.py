from django.urls import path

from . import mandate_views, selfservice, views

app_name = "deployment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("jalankan/", views.run, name="run"),
    path("tugas/<int:pk>/<str:op>/", views.act, name="act"),
    path("tukar/", views.swap, name="swap"),
    path("tugaskan/", views.assign, name="assign"),
    path("celah/", views.gaps, name="gaps"),
    path("mandat/", mandate_views.mandate_list, name="mandates"),
    path("mandat/terbitkan/<int:assignment>/", mandate_views.issue, name="issue"),
    path("mandat/pleno/", mandate_views.plenary, name="plenary"),
    path("mandat/<int:pk>/pdf/", mandate_views.mandate_pdf, name="mandate_pdf"),
    path("mandat/berkas/<uuid:job>/<str:name>", mandate_views.job_file, name="job_file"),
    path("cek/<str:code>/", mandate_views.verify, name="verify"),
    path("saya/", selfservice.mine, name="mine"),
    path("aktivasi/", selfservice.activation_request, name="activation_request"),
    path("aktivasi/kode/", selfservice.activate, name="activate"),
]
