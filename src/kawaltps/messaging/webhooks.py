"""Webhook endpoints of the message channels: WhatsApp Cloud API, Telegram Bot API, an SMS gateway.

Each endpoint proves the request came from its provider before reading it, then feeds every text
message to :func:`kawaltps.messaging.services.handle` (one reply per message, one copy per id).
A missing secret setting refuses everything: an endpoint is never open by accident.

- ``GET /pesan/whatsapp/``: Meta's verification request. ``hub.mode=subscribe`` and
  ``hub.verify_token`` equal to ``KAWALTPS_WHATSAPP_VERIFY_TOKEN`` → 200 with ``hub.challenge``
  as plain text; anything else → 403.
- ``POST /pesan/whatsapp/``: ``X-Hub-Signature-256: sha256=<hex>`` must be the HMAC-SHA256 of the
  raw body keyed with the app secret ``KAWALTPS_WHATSAPP_APP_SECRET`` (else 403). The body is a
  ``whatsapp_business_account`` notification: ``entry[].changes[].value.messages[]`` with
  ``from`` (the sender's number), ``id`` (wamid) and ``text.body``; status updates and other
  message types are acknowledged and ignored. Replies go through the pluggable sender.
- ``POST /pesan/telegram/``: ``X-Telegram-Bot-Api-Secret-Token`` must equal
  ``KAWALTPS_TELEGRAM_SECRET_TOKEN`` (the ``secret_token`` given to ``setWebhook``; else 403). The
  body is an ``Update``. Telegram does not send the phone number, so a user first shares their
  contact (``message.contact`` with ``user_id`` = ``from.id``; kept in ``TelegramLink``); texts
  from a linked user are handled with that phone. The reply is the webhook's answer
  (``{"method": "sendMessage", "chat_id": …, "text": …}``), as the Bot API allows.
- ``POST /pesan/sms/``: for an SMS gateway (places with no data signal, e.g. Kepulauan Seribu).
  JSON ``{"id": "<gateway message id>", "from": "<phone>", "text": "<message>"}``, signed like
  WhatsApp: ``X-Kawaltps-Signature: sha256=<hex HMAC-SHA256 of the body with KAWALTPS_SMS_SECRET>``.
  Answers ``{"reply": …, "status": …}``; the reply also goes out through the pluggable sender.
"""

import hashlib
import hmac
import json
import os

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kawaltps.deployment.senders import get_sender
from kawaltps.volunteers.nik import InvalidPhone, normalise_phone

from .models import Channel, TelegramLink
from .services import handle

MAX_BODY = 256 * 1024  # a webhook batch is a few kB; anything much larger is refused unread


def secret(name: str) -> str:
    """A channel secret from the settings or the environment ('' when not configured)."""
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def _signed(body: bytes, header: str, key: str) -> bool:
    """``header`` is ``sha256=<hex>`` of the HMAC-SHA256 of ``body`` keyed with ``key`` (constant time)."""
    if not key or not header.startswith("sha256="):
        return False
    expected = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def _forbidden() -> JsonResponse:
    return JsonResponse({"detail": _("Tanda tangan atau token webhook tidak sah.")}, status=403)


def _json(request):
    if len(request.body) > MAX_BODY:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


def _reply(reply) -> None:
    """Send a new reply through the configured sender (a replayed message was answered already)."""
    if not reply.replayed and reply.phone:
        get_sender().send(reply.phone, reply.text)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request):
    """The WhatsApp Cloud API webhook (see the module docstring)."""
    if request.method == "GET":
        token = secret("KAWALTPS_WHATSAPP_VERIFY_TOKEN")
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and token and hmac.compare_digest(given, token):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return _forbidden()
    if not _signed(request.body, request.headers.get("X-Hub-Signature-256", ""),
                   secret("KAWALTPS_WHATSAPP_APP_SECRET")):
        return _forbidden()
    payload = _json(request)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": _("Isi webhook bukan JSON.")}, status=400)
    handled = 0
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for msg in value.get("messages") or []:
                if not isinstance(msg, dict) or msg.get("type") != "text":
                    continue
                body = (msg.get("text") or {}).get("body", "")
                _reply(handle(Channel.WHATSAPP, str(msg.get("from", "")), body, str(msg.get("id", ""))))
                handled += 1
    return JsonResponse({"handled": handled})


def _telegram_answer(chat_id, text: str, ask_contact: bool = False) -> JsonResponse:
    body = {"method": "sendMessage", "chat_id": chat_id, "text": text}
    if ask_contact:
        body["reply_markup"] = {"keyboard": [[{"text": _("Kirim nomor telepon saya"), "request_contact": True}]],
                                "one_time_keyboard": True, "resize_keyboard": True}
    return JsonResponse(body)


@csrf_exempt
@require_POST
def telegram(request):
    """The Telegram Bot API webhook (see the module docstring)."""
    token = secret("KAWALTPS_TELEGRAM_SECRET_TOKEN")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not token or not hmac.compare_digest(given, token):
        return _forbidden()
    update = _json(request)
    if not isinstance(update, dict):
        return JsonResponse({"detail": _("Isi webhook bukan JSON.")}, status=400)
    msg = update.get("message")
    if not isinstance(msg, dict):
        return JsonResponse({})  # edited messages, callbacks, …: acknowledged, ignored
    sender = (msg.get("from") or {}).get("id")
    chat_id = (msg.get("chat") or {}).get("id")
    contact = msg.get("contact")
    if isinstance(contact, dict):
        if contact.get("user_id") != sender or sender is None:
            return _telegram_answer(chat_id, _("Kirim nomor Anda sendiri dengan tombol 'Kirim nomor telepon saya'."),
                                    ask_contact=True)
        try:
            phone = normalise_phone(contact.get("phone_number", ""))
        except InvalidPhone:
            return _telegram_answer(chat_id, _("Nomor ini bukan nomor seluler Indonesia."))
        TelegramLink.objects.update_or_create(telegram_user_id=sender, defaults={"phone": phone})
        return _telegram_answer(chat_id, _("Nomor tersimpan. Kirim laporan, atau BANTUAN untuk formatnya."))
    text = msg.get("text")
    if not isinstance(text, str):
        return JsonResponse({})
    link = TelegramLink.objects.filter(telegram_user_id=sender).first() if sender is not None else None
    if link is None:
        return _telegram_answer(chat_id, _("Bagikan nomor telepon Anda dulu (tombol di bawah) agar kami tahu "
                                           "TPS tugas Anda."), ask_contact=True)
    message_id = f"{chat_id}:{msg.get('message_id')}"
    reply = handle(Channel.TELEGRAM, link.phone, text, message_id)
    return _telegram_answer(chat_id, reply.text)


@csrf_exempt
@require_POST
def sms(request):
    """The SMS gateway webhook (see the module docstring)."""
    if not _signed(request.body, request.headers.get("X-Kawaltps-Signature", ""), secret("KAWALTPS_SMS_SECRET")):
        return _forbidden()
    payload = _json(request)
    if not isinstance(payload, dict) or not payload.get("id") or not payload.get("from"):
        return JsonResponse({"detail": _("Isi harus JSON dengan id, from, text.")}, status=400)
    reply = handle(Channel.SMS, str(payload["from"]), str(payload.get("text", "")), str(payload["id"]))
    _reply(reply)
    return JsonResponse(reply.as_dict())
