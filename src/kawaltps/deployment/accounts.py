"""Volunteer logins without an administrator: a one-time activation code, then a password.

Rules (``ActivationCode``):

- A code is 8 digits, sent to the volunteer's registered phone through the configured sender
  (``senders``), valid ``CODE_TTL`` (48 hours), usable once; only its HMAC-SHA256 (keyed with
  ``SECRET_KEY``) is stored. A new code voids the older unused ones.
- Throttled: at most ``MAX_CODES_PER_HOUR`` (3) codes per volunteer per hour; a code dies after
  ``MAX_FAILURES`` (5) wrong tries. Asking for a code never says whether the number is registered.
- Activating creates (or re-uses) the volunteer's ``User`` — username = phone number (``<phone>-<id>``
  if another account already has that name: an unlinked account is never taken over), role from
  ``rules.role_for`` (relawan, or saksi of their TPS when already assigned) — and sets the password.
  A linked login with another role (a koordinator who is also a volunteer) is refused: its password
  is not reset by a text message.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change
from kawaltps.people.models import User
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.nik import InvalidPhone, normalise_phone

from .models import ActivationCode, Assignment
from .rules import MANAGED_ROLES, DeploymentError, role_for
from .senders import get_sender

CODE_TTL = timedelta(hours=48)
MAX_CODES_PER_HOUR = 3
MAX_FAILURES = 5


def _digest(volunteer_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{volunteer_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _volunteer_by_phone(phone: str) -> Volunteer | None:
    try:
        return Volunteer.objects.filter(phone=normalise_phone(phone)).first()
    except InvalidPhone:
        return None


def issue_code(volunteer: Volunteer, *, link_base: str = "", by=None) -> str | None:
    """Create and send a code; None when the hourly limit is reached (nothing sent)."""
    now = timezone.now()
    recent = ActivationCode.objects.filter(volunteer=volunteer, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= MAX_CODES_PER_HOUR:
        return None
    code = f"{secrets.randbelow(10 ** 8):08d}"
    with transaction.atomic():
        ActivationCode.objects.filter(volunteer=volunteer, used_at__isnull=True).update(expires_at=now)
        ActivationCode.objects.create(volunteer=volunteer, digest=_digest(volunteer.pk, code),
                                      expires_at=now + CODE_TTL)
        record_change(user=by, subject="volunteers.Volunteer", object_id=str(volunteer.pk),
                      code=volunteer.kelurahan_id, action="activation_code_issue")
    link = f"\n{link_base}?hp={volunteer.phone}&kode={code}" if link_base else ""
    get_sender().send(volunteer.phone, _("Kode aktivasi akun Kawal TPS Anda: %(c)s (berlaku 48 jam, sekali "
                                         "pakai). Jangan berikan kepada siapa pun.") % {"c": code} + link, secret=True)
    return code


def request_code(phone: str, *, link_base: str = "") -> None:
    """The public 'send me a code' form: silent whether or not the number is registered."""
    volunteer = _volunteer_by_phone(phone)
    if volunteer is not None:
        issue_code(volunteer, link_base=link_base)


@transaction.atomic
def activate(phone: str, code: str, password: str) -> User:
    """Check the code, set the password, link the volunteer's login. DeploymentError says why not."""
    volunteer = _volunteer_by_phone(phone)
    wrong = DeploymentError(_("Nomor atau kode aktivasi salah, sudah dipakai, atau kedaluwarsa."))
    if volunteer is None:
        raise wrong
    now = timezone.now()
    row = (ActivationCode.objects.select_for_update().filter(volunteer=volunteer, used_at__isnull=True,
                                                             expires_at__gt=now).first())
    if row is None or row.failed_attempts >= MAX_FAILURES:
        raise wrong
    if not hmac.compare_digest(row.digest, _digest(volunteer.pk, (code or "").strip())):
        raise _Failed(wrong)
    user = volunteer.user
    if user is not None and user.role not in MANAGED_ROLES:
        # a koordinator/admin who is also a volunteer: their password is not reset by a text message
        raise DeploymentError(_("Akun ini dikelola admin; minta admin mengatur ulang kata sandinya."))
    if user is None:
        taken = User.objects.filter(username=volunteer.phone).exists()  # someone else's account: never taken over
        user = User(username=f"{volunteer.phone}-{volunteer.pk}" if taken else volunteer.phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DeploymentError(" ".join(exc.messages)) from None
    post = (Assignment.objects.filter(volunteer=volunteer, status=Assignment.Status.ACTIVE,
                                      kind=Assignment.Kind.SAKSI).values_list("tps_code", flat=True).first())
    user.role, user.tps_code = role_for(bool(post)), post or ""
    user.first_name = user.first_name or volunteer.name[:150]
    user.phone = volunteer.phone
    user.is_active = True
    user.set_password(password)
    user.save()
    volunteer.user = user
    volunteer.save(update_fields=["user", "updated_at"])
    row.used_at = now
    row.save(update_fields=["used_at"])
    record_change(user=user, subject="volunteers.Volunteer", object_id=str(volunteer.pk),
                  code=volunteer.kelurahan_id, action="account_activate", after={"user": user.pk})
    return user


class _Failed(DeploymentError):
    """A wrong code: the failure count must survive the refusal (see :func:`activate_or_count`)."""

    def __init__(self, inner: DeploymentError):
        super().__init__(str(inner))


def activate_or_count(phone: str, code: str, password: str) -> User:
    """:func:`activate`, but a wrong code's failed-attempt count is kept (it is written outside the
    transaction that the refusal rolls back)."""
    try:
        return activate(phone, code, password)
    except _Failed:
        volunteer = _volunteer_by_phone(phone)
        row = ActivationCode.objects.filter(volunteer=volunteer, used_at__isnull=True,
                                            expires_at__gt=timezone.now()).first()
        if row is not None:
            ActivationCode.objects.filter(pk=row.pk).update(failed_attempts=row.failed_attempts + 1)
        raise
