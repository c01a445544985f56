"""Check-in, turnout, checklist and incident messages → ``kawaltps.fieldday.services``.

Each parsed command becomes one call of the field-day service with the acting user, the channel
as ``source`` and a UUID made from the message's idempotency key (the same report twice is one
row there). The time of a message is when it arrived. Items of the checklist are named by their
number in procedure order (``CEK 3 YA``) or their key (``CEK kotak_kosong YA``); incident kinds
are the keys of ``fieldday.taxonomy``. Without the fieldday app the sender is told the report
cannot be taken by message yet (nothing is stored).
"""

import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import parser

SOURCES = {"whatsapp": "whatsapp", "telegram": "telegram", "sms": "sms"}  # cli → "api"


def _uuid(client_id: str) -> uuid.UUID:
    return uuid.UUID(hex=client_id.removeprefix("msg-")[:32])


def dispatch(user, election, tps: str, command: parser.Command, client_id: str, channel: str = "cli") -> str:
    """Record ``command`` for ``tps`` and return the reply; ValidationError (Indonesian) when refused."""
    if not apps.is_installed("kawaltps.fieldday"):
        raise ValidationError(_("Laporan ini belum bisa diterima lewat pesan; pakai halaman saksi."))
    from kawaltps.access import Action
    from kawaltps.fieldday import checklist, services, taxonomy

    action = Action.REPORT_INCIDENT if isinstance(command, parser.Incident) else Action.FIELD_REPORT
    place = services.tps_of(user, election, tps, action)
    now = timezone.now()
    kw = {"client_id": _uuid(client_id), "source": SOURCES.get(channel, "api")}
    if isinstance(command, parser.CheckIn):
        row, created = services.check_in(user, place, at=now, lat=command.latitude, lon=command.longitude, **kw)
        text = _("Check-in di TPS %(tps)s tercatat pukul %(t)s.") % {
            "tps": tps, "t": timezone.localtime(row.at).strftime("%H.%M")}
        if row.distance_m is not None:
            text += " " + _("Jarak ke TPS %(m)s m.") % {"m": f"{row.distance_m:,}".replace(",", ".")}
            if row.far:
                text += " " + _("Terlalu jauh: koordinator akan memeriksa.")
    elif isinstance(command, parser.Turnout):
        row, created = services.record_turnout(user, place, at=now, voters=command.count,
                                               slot=command.hour.replace(".", ":"), **kw)
        text = _("Pemilih sampai pukul %(slot)s: %(n)s tercatat.") % {
            "slot": row.slot.replace(":", "."), "n": f"{row.voters:,}".replace(",", ".")}
    elif isinstance(command, parser.ChecklistAnswer):
        items = checklist.items_for(election)
        key = command.item.lower()
        if key.isascii() and key.isdigit():
            if not 1 <= int(key) <= len(items):
                raise ValidationError(_("Butir %(n)s tidak ada: daftar periksa punya %(m)s butir.")
                                      % {"n": key, "m": len(items)})
            key = items[int(key) - 1].key
        row, created = services.answer_checklist(user, place, item_key=key, answer=command.answer,
                                                 note=command.note, at=now, **kw)
        item = checklist.item(election, row.item_key)
        text = _("Butir %(label)s: %(a)s tercatat.") % {"label": item.label, "a": row.answer.upper()}
    elif isinstance(command, parser.Incident):
        key = command.kind.lower()
        if taxonomy.category(key) is None:
            raise ValidationError(_("Jenis kejadian %(k)s tidak dikenal. Pilih salah satu: %(list)s.") % {
                "k": command.kind, "list": ", ".join(c.key.upper() for c in taxonomy.CATEGORIES)})
        row, created = services.report_incident(user, place, category_key=key, description=command.description,
                                                occurred_at=now, **kw)
        text = _("Laporan kejadian #%(id)s tercatat: %(label)s.") % {
            "id": row.pk, "label": taxonomy.category(row.category_key).label}
        if row.psu_trigger:
            text += " " + _("Ini dapat menjadi dasar pemungutan suara ulang: tim hukum diberi tahu.")
    else:  # pragma: no cover - the parser makes no other command for this bridge
        raise ValidationError(_("Laporan ini belum bisa diterima lewat pesan; pakai halaman saksi."))
    if not created:
        text = _("Laporan ini sudah diterima sebelumnya.") + " " + text
    return text


def present_tps(election, prefix: str) -> set[str] | None:
    """TPS codes under ``prefix`` with a saksi checked in (``fieldday.board.presence``)."""
    if not apps.is_installed("kawaltps.fieldday"):
        return None
    from kawaltps.fieldday.board import presence

    return set(presence(election, prefix))
