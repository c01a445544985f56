"""Deployment rules, each one function with its source, called by every page, command and API.

- :func:`certified_q` — who may be a saksi: a volunteer with at least one Bimtek certificate that
  is not revoked (the certificate is the proof that they attended and passed; training.certificates).
- :func:`role_for` — the role a volunteer's login gets: ``saksi`` scoped to their TPS while they hold
  an active *saksi* assignment (they submit its C.Hasil), else ``relawan`` (their own pages only).
- :func:`race_level` — where a mandate is signed: the race's scope (provincial team for a governor
  race, kota/kabupaten team for a bupati/walikota race, national for pilpres).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kawaltps.people.models import Role


class DeploymentError(ValueError):
    """A request the rules refuse; the message (Indonesian) is shown to the user. Nothing was changed."""


def certified_q() -> Q:
    """A filter on Volunteer: holds a valid (not revoked) Bimtek certificate."""
    from kawaltps.training.models import Certificate

    return Q(Exists(Certificate.objects.filter(enrolment__volunteer=OuterRef("pk"), revoked_at__isnull=True)))


def is_certified(volunteer) -> bool:
    from kawaltps.training.models import Certificate

    return Certificate.objects.filter(enrolment__volunteer=volunteer, revoked_at__isnull=True).exists()


def role_for(has_saksi_assignment: bool) -> str:
    return Role.SAKSI if has_saksi_assignment else Role.RELAWAN


MANAGED_ROLES = {Role.SAKSI, Role.RELAWAN}  # a volunteer who is also a koordinator keeps that role


def race_level(election) -> tuple[str, str]:
    """(level word, region name) at which the election's mandates are signed."""
    scope = election.scope
    if scope is None:
        return _("nasional"), "Indonesia"
    if len(scope.code) == 2:
        return _("provinsi"), scope.name
    return _("kabupaten/kota"), scope.name


WHAT_TO_BRING = [
    gettext_noop("Surat mandat (cetak, ditandatangani) dan KTP-el asli"),
    gettext_noop("Ponsel terisi penuh dengan aplikasi/halaman Kawal TPS, power bank"),
    gettext_noop("Pulpen, map plastik, salinan tata cara penghitungan"),
    gettext_noop("Datang sebelum pukul 07.00 untuk mengikuti pembukaan TPS"),
]
