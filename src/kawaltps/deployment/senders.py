"""Pluggable message senders for activation codes and saksi messages.

``KAWALTPS_MESSAGE_SENDER`` (setting or environment) names a class with
``send(phone, text, secret=False)`` (secret: an activation code, never kept for a resend);
the default writes to the console (stderr) like Django's console e-mail backend. WhatsApp/SMS
gateways come with election day. ``MemorySender`` keeps messages in ``outbox`` (tests, demos).
"""

import os
import sys

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT = "kawaltps.deployment.senders.ConsoleSender"


class ConsoleSender:
    """Development: print the message with the number masked (a phone number is personal data)."""

    def send(self, phone: str, text: str, secret: bool = False) -> None:
        from kawaltps.volunteers.nik import mask_phone

        sys.stderr.write(f"[pesan ke {mask_phone(phone)}]\n{text}\n")


class MemorySender:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, secret: bool = False) -> None:
        MemorySender.outbox.append((phone, text))


def get_sender():
    path = getattr(settings, "KAWALTPS_MESSAGE_SENDER", None) or os.environ.get("KAWALTPS_MESSAGE_SENDER") or DEFAULT
    return import_string(path)()
