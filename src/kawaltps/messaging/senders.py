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

Resending (``resend_due``, ``kawaltps resend-messages --loop 60``): a message that failed for a
passing reason (timeout, connection error, 429/5xx, a sender not configured yet) is tried again
after 1, 2, 4, 8 and 16 minutes, then given up; a 4xx refusal is final. Each row is claimed by one
compare-and-set UPDATE, so resend loops on several machines never send it twice. A secret message
(``send(..., secret=True)``: an activation code) is never kept and never resent.
"""

import datetime
import os

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Channel, OutboundMessage, TelegramLink

RETRY_STATUS = {429, 500, 502, 503, 504}
RESEND_MINUTES = (1, 2, 4, 8, 16)  # waits before each resend; after the last one the message is given up
CLAIM = datetime.timedelta(minutes=10)  # a claimed row is left alone this long by other resend loops


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

    def send(self, phone: str, text: str, secret: bool = False) -> bool:
        row = OutboundMessage(channel=self.channel, phone=phone, status=OutboundMessage.Status.FAILED,
                              secret=secret)
        return self.deliver(row, text)

    def deliver(self, row: OutboundMessage, text: str) -> bool:
        """Try ``row`` now (bounded retries) and save the outcome; a passing failure waits for a resend."""
        passing = True
        try:
            kwargs = self.request(row.phone, text)
        except ValueError as exc:
            row.reason = str(exc)[:300]
            kwargs = None
        for _ in range(_attempts() if kwargs else 0):
            row.attempts += 1
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
                passing = False
                break
        sent = row.status == OutboundMessage.Status.SENT
        again = not sent and passing and not row.secret and row.resends < len(RESEND_MINUTES)
        row.text = text if again else ""
        row.next_attempt_at = (timezone.now() + datetime.timedelta(minutes=RESEND_MINUTES[row.resends])
                               if again else None)
        row.save()
        return sent


SENDERS: dict[str, type[HttpSender]] = {}  # channel → sender class, filled below


def resend_due(now: datetime.datetime | None = None, limit: int = 200) -> dict:
    """Send again every failed message whose wait is over; ``{"due", "sent", "failed", "given_up"}``."""
    now = now or timezone.now()
    due = list(OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED, next_attempt_at__lte=now)
               .exclude(text="").order_by("next_attempt_at", "id")[:limit])
    out = {"due": len(due), "sent": 0, "failed": 0, "given_up": 0}
    for row in due:
        claimed = OutboundMessage.objects.filter(
            Q(pk=row.pk, status=OutboundMessage.Status.FAILED, next_attempt_at=row.next_attempt_at)
        ).update(next_attempt_at=now + CLAIM)
        sender = SENDERS.get(row.channel)
        if not claimed or sender is None:
            continue
        row.resends += 1
        if sender().deliver(row, row.text):
            out["sent"] += 1
        elif row.next_attempt_at is None:
            out["given_up"] += 1
        else:
            out["failed"] += 1
    return out


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


SENDERS.update({c.channel: c for c in (WhatsAppSender, TelegramSender, SmsSender)})
