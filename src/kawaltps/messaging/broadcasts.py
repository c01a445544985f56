"""Broadcasts: one text from a koordinator to the saksi of an area, through the pluggable sender.

Audiences (``Broadcast.Audience``)::

    kelurahan  every active saksi and backup posted in the kelurahan (10-digit code)
    kecamatan  every active saksi and backup posted in the kecamatan (6-digit code)
    uncovered  the backups of the area's TPS that have no saksi present: no saksi checked in
               (``kawaltps.fieldday`` check-ins when installed), else no active saksi posted

Rules: the sender needs ``Action.MANAGE_DEPLOYMENT`` on the region (``kawaltps.access``: a
koordinator only in their area); the text is 1 to 1,000 characters; each phone gets one copy;
``client_id`` makes a retried broadcast a no-op (the first row is returned, nothing resent). The
row and its audit record are written in one transaction before anything is sent; phones never
enter the audit record (personal data).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.deployment.models import Assignment
from kawaltps.deployment.senders import get_sender

from .models import Broadcast

A = Broadcast.Audience
LEVELS = {A.KELURAHAN: 10, A.KECAMATAN: 6}
MAX_TEXT = 1000


def uncovered_tps(election, prefix: str) -> set[str]:
    """TPS codes under ``prefix`` with no saksi present (see the module docstring)."""
    from kawaltps.regions.models import TPS

    codes = set(TPS.objects.filter(election=election, code__startswith=prefix).values_list("code", flat=True))
    present = _present_tps(election, prefix)
    if present is None:  # no check-ins to go by: a TPS is covered when a saksi is posted there
        present = set(Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                                kind=Assignment.Kind.SAKSI, tps_code__startswith=prefix)
                      .values_list("tps_code", flat=True))
    return codes - present


def _present_tps(election, prefix: str) -> set[str] | None:
    """TPS with a saksi checked in, from the fieldday app; None when it is not installed."""
    from django.apps import apps

    if not apps.is_installed("kawaltps.fieldday"):
        return None
    from . import fieldday_bridge

    return fieldday_bridge.present_tps(election, prefix)


def recipients(election, audience: str, region_code: str) -> list[str]:
    """The distinct phone numbers an audience reaches, in TPS order."""
    rows = Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                     tps_code__startswith=region_code)
    if audience == A.UNCOVERED_BACKUPS:
        rows = rows.filter(kind=Assignment.Kind.BACKUP, tps_code__in=uncovered_tps(election, region_code))
    phones = rows.order_by("tps_code", "kind", "id").values_list("volunteer__phone", flat=True)
    return list(dict.fromkeys(p for p in phones if p))


def _checked(user, audience: str, region_code: str, text: str) -> tuple[str, str]:
    """The region code and text after the module's rules; raises ValidationError/PermissionDenied."""
    from kawaltps.regions.models import Region

    region_code = str(region_code or "").replace(".", "").strip()
    if audience not in A.values:
        raise ValidationError(_("Sasaran siaran harus kelurahan, kecamatan, atau uncovered."))
    if audience in LEVELS and len(region_code) != LEVELS[audience]:
        raise ValidationError(_("Kode %(a)s harus %(n)s angka.") % {"a": audience, "n": LEVELS[audience]})
    if not region_code.isascii() or not region_code.isdigit():
        raise ValidationError(_("Kode wilayah harus angka."))
    require(user, Action.MANAGE_DEPLOYMENT, region_code)
    text = str(text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise ValidationError(_("Isi siaran wajib diisi, paling panjang %(n)s huruf.") % {"n": MAX_TEXT})
    if not Region.objects.filter(code=region_code).exists():
        raise ValidationError(_("Wilayah %(c)s tidak dikenal.") % {"c": region_code})
    return region_code, text


def preview(user, election, audience: str, region_code: str, text: str) -> int:
    """How many phones a broadcast would reach (the same checks as sending; nothing sent or stored)."""
    region_code, text = _checked(user, audience, region_code, text)
    return len(recipients(election, audience, region_code))


def broadcast(user, election, audience: str, region_code: str, text: str, client_id: str) -> Broadcast:
    """Send ``text`` to an audience (the module's rules); returns the stored Broadcast
    (``.replayed`` True when ``client_id`` was seen). Raises PermissionDenied or ValidationError."""
    region_code, text = _checked(user, audience, region_code, text)
    client_id = str(client_id or "").strip()[:64]
    if not client_id:
        raise ValidationError(_("Id siaran (client_id) wajib diisi."))
    stored = Broadcast.objects.filter(client_id=client_id).first()
    if stored is not None:
        stored.replayed = True
        return stored
    phones = recipients(election, audience, region_code)
    try:
        with transaction.atomic():
            row = Broadcast.objects.create(election=election, audience=audience, region_code=region_code, text=text,
                                           recipients=len(phones), sent_by=user, client_id=client_id)
            record_change(user=user, obj=row, code=region_code, election_slug=election.slug,
                          action="messaging.broadcast",
                          after={"audience": audience, "recipients": len(phones), "text": text})
    except IntegrityError:
        stored = Broadcast.objects.get(client_id=client_id)
        stored.replayed = True
        return stored
    sender = get_sender()
    failed = sum(1 for phone in phones if sender.send(phone, text) is False)  # real senders say; others None
    row.delivered, row.failed = len(phones) - failed, failed
    with transaction.atomic():
        Broadcast.objects.filter(pk=row.pk).update(delivered=row.delivered, failed=row.failed)
        record_change(user=user, obj=row, code=region_code, election_slug=election.slug,
                      action="messaging.broadcast_delivered", before={"delivered": 0, "failed": 0},
                      after={"delivered": row.delivered, "failed": row.failed})
    row.replayed = False
    return row
