"""Message channel webhooks at ``/pesan/`` (see ``webhooks.py``; callers are the providers, not people)."""

from django.urls import path

from . import webhooks

app_name = "messaging"
urlpatterns = [
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
    path("telegram/", webhooks.telegram, name="telegram"),
    path("sms/", webhooks.sms, name="sms"),
]
