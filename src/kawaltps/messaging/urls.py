"""Message channel webhooks at ``/pesan/`` (see ``webhooks.py``; callers are the providers, not people)
and the koordinator's broadcast page ``/pesan/siaran/`` (``views.py``)."""

from django.urls import path

from . import views, webhooks

app_name = "messaging"
urlpatterns = [
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
    path("telegram/", webhooks.telegram, name="telegram"),
    path("sms/", webhooks.sms, name="sms"),
    path("siaran/", views.broadcast_page, name="broadcasts"),  # the koordinator's broadcast page
]
