from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "kawaltps.messaging"
    verbose_name = "Pesan WhatsApp, Telegram, SMS"
