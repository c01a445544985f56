"""One inbound text message, from any channel, to its reply.

:func:`handle` is the only way in (the WhatsApp, Telegram and SMS webhooks and ``kawaltps
message`` all call it)::

    stored = InboundMessage(channel, message_id)
    if stored: return its reply                        # a provider retry or a replayed id: one copy
    phone  = normalise_phone(sender)                   # volunteers.nik, the registered form 628…
    person = Volunteer with that phone → its login (User), else a User with that phone
    if none / inactive: reply "nomor tidak terdaftar"  (denied)
    command = parser.parse(text)                       # a mistake: the parser's Indonesian reply
    post  = the person's active saksi Assignment       # deployment: which TPS, which election
    tps   = command.tps or post.tps_code
    access.require(user, action, tps)                  # one rule for "only their TPS"
    and tps == post.tps_code                           # and the deployment says they are posted there
    do it through the owning app's service, with a client id made from
        (user, election, the parsed command)           # the same report twice = one submission,
                                                       # whichever channel it came through
    store InboundMessage(..., reply) and return the reply

C.Hasil numbers go through ``results.services.submit`` (kind ``saksi``), the same path as the
web form. Check-in, turnout, checklist and incidents go through ``kawaltps.fieldday.services``
when that app is installed; without it the sender is told the report cannot be taken yet.
Nothing of a refused message is stored but the message itself and its reply.
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.people.models import User
from kawaltps.results.forms import error_dict
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.nik import InvalidPhone, normalise_phone

from . import parser
from .models import InboundMessage

ACTIONS = {"HASIL": Action.SUBMIT_RESULT, "HADIR": Action.FIELD_REPORT, "PEMILIH": Action.FIELD_REPORT,
           "CEK": Action.FIELD_REPORT, "LAPOR": Action.REPORT_INCIDENT}


@dataclass
class Reply:
    text: str
    status: str  # InboundMessage.Status
    replayed: bool = False
    keyword: str = ""
    tps: str = ""
    phone: str = ""  # the normalised sender, for the reply through the sender

    def as_dict(self) -> dict:
        return {"reply": self.text, "status": self.status, "replayed": self.replayed, "keyword": self.keyword,
                "tps": self.tps}


class Denied(Exception):
    """The sender may not do this; ``str(exc)`` is the Indonesian reply."""


def find_sender(phone: str) -> tuple[User | None, Volunteer | None]:
    """The registered person behind a phone number: a volunteer's login, else a user with that phone."""
    volunteer = Volunteer.objects.select_related("user").filter(phone=phone).first()
    user = volunteer.user if volunteer and volunteer.user_id else None
    if user is None:
        user = User.objects.filter(phone=phone).first()
    if user is not None and not user.is_active:
        user = None
    return user, volunteer


def saksi_post(volunteer: Volunteer | None):
    """The volunteer's active saksi assignment (the most recent election's), or None."""
    if volunteer is None:
        return None
    from kawaltps.deployment.models import Assignment

    return (Assignment.objects.filter(volunteer=volunteer, status=Assignment.Status.ACTIVE,
                                      kind=Assignment.Kind.SAKSI)
            .select_related("election", "tps").order_by("-election__date", "-id").first())


def client_id_for(user: User, election, command: parser.Command) -> str:
    """The idempotency key of a report: the same parsed report from the same person is one copy."""
    canonical = command.canonical() if isinstance(command, parser.Results) else repr(command)
    digest = hashlib.sha256(f"{user.pk}|{election.pk}|{canonical}".encode()).hexdigest()
    return f"msg-{digest[:56]}"


def handle(channel: str, sender: str, text: str, message_id: str | None = None) -> Reply:
    """Answer one message (the module's flow); never raises for what a sender can get wrong."""
    message_id = str(message_id or uuid.uuid4())[:128]
    stored = InboundMessage.objects.filter(channel=channel, message_id=message_id).first()
    if stored is not None:
        return Reply(stored.reply, stored.status, True, stored.keyword, stored.tps_code, stored.phone)
    try:
        phone = normalise_phone(sender)
    except InvalidPhone:
        phone = ""
    user, volunteer = find_sender(phone) if phone else (None, None)
    reply = _answer(user, volunteer, text, channel)
    reply.phone = phone
    try:
        with transaction.atomic():
            InboundMessage.objects.create(channel=channel, message_id=message_id, phone=phone, user=user,
                                          text=str(text)[:parser.MAX_TEXT * 2], keyword=reply.keyword,
                                          tps_code=reply.tps, status=reply.status, reply=reply.text)
    except IntegrityError:  # its twin was stored first: answer as the twin did
        stored = InboundMessage.objects.get(channel=channel, message_id=message_id)
        return Reply(stored.reply, stored.status, True, stored.keyword, stored.tps_code, stored.phone)
    return reply


def _answer(user: User | None, volunteer: Volunteer | None, text: str, channel: str) -> Reply:
    if user is None:
        return Reply(_("Nomor Anda tidak terdaftar sebagai saksi Kawal TPS. Hubungi koordinator Anda."),
                     InboundMessage.Status.DENIED)
    try:
        command = parser.parse(text)
    except parser.ParseError as exc:
        return Reply(str(exc), InboundMessage.Status.INVALID)
    if isinstance(command, parser.Help):
        return Reply(parser.help_text(), InboundMessage.Status.OK, keyword=command.keyword)
    post = saksi_post(volunteer)
    tps = command.tps or (post.tps_code if post else "")
    try:
        if post is None:
            raise Denied(_("Anda belum bertugas sebagai saksi di TPS mana pun. Hubungi koordinator Anda."))
        try:
            require(user, ACTIONS[command.keyword], tps)
        except PermissionDenied:
            raise Denied(_("Anda bertugas di TPS %(mine)s, bukan TPS %(tps)s: laporan tidak dicatat.")
                         % {"mine": post.tps_code, "tps": tps}) from None
        if tps != post.tps_code:
            raise Denied(_("Anda bertugas di TPS %(mine)s, bukan TPS %(tps)s: laporan tidak dicatat.")
                         % {"mine": post.tps_code, "tps": tps})
        text = _DISPATCH[command.keyword](user, post.election, tps, command, channel)
    except (Denied, PermissionDenied) as exc:
        return Reply(str(exc), InboundMessage.Status.DENIED, keyword=command.keyword, tps=tps)
    except ValidationError as exc:
        errors = " ".join(m for ms in error_dict(exc).values() for m in ms)
        hint = _("Format: %(f)s") % {"f": parser.FORMATS[command.keyword]}
        return Reply(_("Laporan tidak dicatat: %(e)s %(hint)s") % {"e": errors, "hint": hint},
                     InboundMessage.Status.INVALID, keyword=command.keyword, tps=tps)
    return Reply(text, InboundMessage.Status.OK, keyword=command.keyword, tps=tps)


def _results(user: User, election, tps: str, command: parser.Results, channel: str) -> str:
    """C.Hasil numbers through the web form's path (``results.services.submit``, kind saksi)."""
    from kawaltps.results import services as results
    from kawaltps.results.checks import message
    from kawaltps.results.outcomes import saksi_message

    numbers = sorted(election.candidates.values_list("number", flat=True))
    if len(command.votes) != len(numbers):
        raise ValidationError(_("Pemilihan ini punya %(n)s paslon: tulis %(n)s angka suara (Anda menulis %(m)s).")
                              % {"n": len(numbers), "m": len(command.votes)})
    votes = {str(n): v for n, v in zip(numbers, command.votes, strict=True)}
    sub = results.submit(user, election, tps, "saksi", votes, command.numbers, client_id_for(user, election, command),
                         note=_("dikirim lewat pesan"), attestation=command.attestation)
    text = saksi_message(sub)
    if sub.flags and not getattr(sub, "replayed", False):
        text += " " + _("Periksa: %(f)s") % {"f": "; ".join(message(c) for c in sub.flags)}
    return text


def _fieldday(user: User, election, tps: str, command: parser.Command, channel: str) -> str:
    from . import fieldday_bridge

    return fieldday_bridge.dispatch(user, election, tps, command, client_id_for(user, election, command),
                                    channel)


_DISPATCH = {"HASIL": _results, "HADIR": _fieldday, "PEMILIH": _fieldday, "CEK": _fieldday, "LAPOR": _fieldday}
