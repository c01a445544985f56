"""Real message senders: WhatsApp Cloud API, Telegram Bot API, a generic SMS gateway.

Choose one with ``KAWALTPS_MESSAGE_SENDER`` (``deployment.senders.get_sender``), e.g.
``kawaltps.messaging.senders.WhatsAppSender``. Settings (Django setting or environment variable):

    WhatsAppSender  POST {KAWALTPS_WHATSAPP_API_URL=https://graph.facebook.com}/{KAWALTPS_WHATSAPP_API_VERSION=v21.0}
                    /{KAWALTPS_WHATSAPP_PHONE_NUMBER_ID}/messages, ``Authorization: Bearer
                    KAWALTPS_WHATSAPP_TOKEN``, JSON ``{"messaging_product": "whatsapp", "recipient_type":
                    "individual", "to": "628…", "type": "text", "text": {"preview_url": false, "body": …}}``
                    (Meta's Cloud API "send text message").
    TelegramSender  POST {KAWALTPS_TELEGRAM_API_URL=https://api.telegram.org}/bot{KAWALTPS_TELEGRAM_BOT_TOKEN}
                    /sendMessage, JSON ``{"chat_id": …, "text": …}``; the chat id is the Telegram user
                    who shared this phone with the bot (``TelegramLink``), else the message fails.
    SmsSender       POST KAWALTPS_SMS_GATEWAY_URL as a form ``to=628…&text=…`` with the header
                    ``KAWALTPS_SMS_API_KEY_HEADER`` (default ``X-API-Key``) = ``KAWALTPS_SMS_API_KEY``.

Rules: every call gets ``KAWALTPS_SENDER_TIMEOUT`` seconds (default 10); a timeout, a connection
error or a 5xx/429 answer is retried, at most ``KAWALTPS_SENDER_ATTEMPTS`` tries in all (default 3,
bounded 1..5); a 4xx is not retried. Each message is one ``OutboundMessage`` row (sent / failed with
the reason). ``send`` never raises: a provider outage must not crash the inbound webhook or a
broadcast loop; it returns True when the provider accepted the message.
"""

import os

import httpx
from django.conf import settings

from .models import Channel, OutboundMessage, TelegramLink

RETRY_STATUS = {429, 500, 502, 503, 504}


def setting(name: str, default: str = "") -> str:
    """A sender setting from Django settings, else the environment, else ``default``."""
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def _attempts() -> int:
    try:
        return min(5, max(1, int(setting("KAWALTPS_SENDER_ATTEMPTS", "3"))))
    except ValueError:
        return 3


def _timeout() -> float:
    try:
        return min(60.0, max(0.5, float(setting("KAWALTPS_SENDER_TIMEOUT", "10"))))
    except ValueError:
        return 10.0


class HttpSender:
    """One HTTP POST per message (subclasses say where and how); records the outcome."""

    channel = ""

    def request(self, phone: str, text: str) -> dict:
        """The keyword arguments of ``httpx.post`` (url, headers, json/data); raise ValueError when
        the message cannot be addressed (missing setting, no chat)."""
        raise NotImplementedError

    def provider_id(self, response: httpx.Response) -> str:
        return ""

    def send(self, phone: str, text: str) -> bool:
        row = OutboundMessage(channel=self.channel, phone=phone, status=OutboundMessage.Status.FAILED)
        try:
            kwargs = self.request(phone, text)
        except ValueError as exc:
            row.reason = str(exc)[:300]
            row.save()
            return False
        for attempt in range(1, _attempts() + 1):
            row.attempts = attempt
            try:
                response = httpx.post(timeout=_timeout(), **kwargs)
            except httpx.TimeoutException:
                row.reason = "timeout"
                continue
            except httpx.HTTPError as exc:
                row.reason = f"{type(exc).__name__}: {exc}"[:300]
                continue
            if response.is_success:
                row.status, row.reason = OutboundMessage.Status.SENT, ""
                row.provider_id = self.provider_id(response)[:128]
                break
            row.reason = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code not in RETRY_STATUS:
                break
        row.save()
        return row.status == OutboundMessage.Status.SENT


def _required(name: str) -> str:
    value = setting(name)
    if not value:
        raise ValueError(f"{name} not configured")
    return value


class WhatsAppSender(HttpSender):
    channel = Channel.WHATSAPP

    def request(self, phone: str, text: str) -> dict:
        base = setting("KAWALTPS_WHATSAPP_API_URL", "https://graph.facebook.com").rstrip("/")
        version = setting("KAWALTPS_WHATSAPP_API_VERSION", "v21.0")
        number_id = _required("KAWALTPS_WHATSAPP_PHONE_NUMBER_ID")
        token = _required("KAWALTPS_WHATSAPP_TOKEN")
        return {"url": f"{base}/{version}/{number_id}/messages",
                "headers": {"Authorization": f"Bearer {token}"},
                "json": {"messaging_product": "whatsapp", "recipient_type": "individual", "to": phone,
                         "type": "text", "text": {"preview_url": False, "body": text}}}

    def provider_id(self, response: httpx.Response) -> str:
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            return ""


class TelegramSender(HttpSender):
    channel = Channel.TELEGRAM

    def request(self, phone: str, text: str) -> dict:
        base = setting("KAWALTPS_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
        token = _required("KAWALTPS_TELEGRAM_BOT_TOKEN")
        link = TelegramLink.objects.filter(phone=phone).order_by("-linked_at").first()
        if link is None:
            raise ValueError("no Telegram chat for this phone (not shared with the bot)")
        return {"url": f"{base}/bot{token}/sendMessage", "json": {"chat_id": link.telegram_user_id, "text": text}}

    def provider_id(self, response: httpx.Response) -> str:
        try:
            return str(response.json()["result"]["message_id"])
        except (ValueError, KeyError, TypeError):
            return ""


class SmsSender(HttpSender):
    channel = Channel.SMS

    def request(self, phone: str, text: str) -> dict:
        url = _required("KAWALTPS_SMS_GATEWAY_URL")
        header = setting("KAWALTPS_SMS_API_KEY_HEADER", "X-API-Key")
        return {"url": url, "headers": {header: _required("KAWALTPS_SMS_API_KEY")},
                "data": {"to": phone, "text": text}}
