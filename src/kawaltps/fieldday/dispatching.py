"""Acting on uncovered TPS: the escalation to koordinators and the one-tap dispatch of a backup.

    escalate(election, now):
        if now (WIB) is before FieldSettings.escalate_at on voting day: nothing
        for each TPS with no saksi checked in and no Escalation row yet:
            koordinator = the nearest koordinator (longest region prefix), backups = active backups
            one message per koordinator through the pluggable sender (KAWALTPS_MESSAGE_SENDER):
                "TPS <code>: belum ada saksi. Cadangan: <name> <phone>. Kirim: <board link>"
            an Escalation row per TPS (so a second run sends nothing twice), audit record

    dispatch_backup(user, backup assignment, client_id):
        access: MANAGE_DEPLOYMENT at the TPS (deployment.services.promote checks it again)
        idempotent by client_id (a double tap promotes once)
        promote the backup to saksi (their login follows: role saksi at that TPS), message them
"""

import datetime
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.deployment import services as deployment
from kawaltps.deployment.models import Assignment
from kawaltps.deployment.rules import DeploymentError
from kawaltps.deployment.senders import get_sender
from kawaltps.deployment.tasks import public_base

from . import board
from .models import Dispatch, Escalation
from .services import settings_for


def is_due(election, now: datetime.datetime | None = None) -> bool:
    """True from ``escalate_at`` (WIB) on voting day onwards."""
    now = timezone.localtime(now or timezone.now())
    at = settings_for(election).escalate_at
    return now.date() > election.date or (now.date() == election.date and now.time() >= at)


def escalate(election, *, now: datetime.datetime | None = None, force: bool = False, region: str = "") -> dict:
    """Send each koordinator the uncovered TPS of their area (once per TPS); see the module text."""
    if not force and not is_due(election, now):
        return {"due": False, "escalated": 0, "messages": 0, "tps": []}
    done = set(Escalation.objects.filter(election=election).values_list("tps_code", flat=True))
    todo = [u for u in board.uncovered(election, region) if u["code"] not in done]
    by_koord = defaultdict(list)
    for u in todo:
        by_koord[u["koordinator_id"]].append(u)
    from kawaltps.people.models import User

    sender, sent = get_sender(), 0
    url = public_base() + "/hari-h/papan/"
    for kid, items in by_koord.items():
        k = User.objects.filter(pk=kid).first() if kid else None
        with transaction.atomic():
            for u in items:
                b = u["backups"][0] if u["backups"] else None
                try:
                    with transaction.atomic():
                        Escalation.objects.create(election=election, tps_code=u["code"], koordinator=k,
                                                  backup_id=b["assignment"] if b else None, sent=bool(k and k.phone))
                except IntegrityError:  # another run took it
                    continue
                record_change(actor="kawaltps", subject="fieldday.Escalation", object_id=u["code"], code=u["code"],
                              election_slug=election.slug, action="fieldday.escalate",
                              after={"koordinator": k.get_username() if k else None,
                                     "backup": b["assignment"] if b else None})
        if k and k.phone:
            lines = [_("Pukul %(t)s: %(n)s TPS belum ada saksi.") % {
                "t": settings_for(election).escalate_at.strftime("%H.%M"), "n": len(items)}]
            for u in items[:20]:
                b = u["backups"][0] if u["backups"] else None
                lines.append(f"TPS {u['code']}: " + (_("cadangan %(n)s %(p)s") % {"n": b["name"], "p": b["phone"]}
                                                     if b else _("tanpa cadangan")))
            lines.append(_("Kirim cadangan: %(u)s") % {"u": url})
            sender.send(k.phone, "\n".join(lines))
            sent += 1
    return {"due": True, "escalated": len(todo), "messages": sent, "tps": [u["code"] for u in todo]}


def dispatch_backup(user, assignment: Assignment, *, client_id) -> tuple[Dispatch, bool]:
    """Send ``assignment`` (an active backup) to its TPS as saksi; idempotent by ``client_id``.

    The permission is checked before anything the request carries, so a refusal says nothing else."""
    require(user, Action.MANAGE_DEPLOYMENT, assignment.tps_code)
    try:
        cid = uuid.UUID(str(client_id))
    except (TypeError, ValueError):
        raise ValidationError(_("Kode kiriman (client_id) tidak sah.")) from None
    existing = Dispatch.objects.filter(client_id=cid).first()
    if existing:
        return existing, False
    with transaction.atomic():
        try:
            a = deployment.promote(assignment, by=user, reason=_("dikirim dari papan hari H (TPS tanpa saksi)"))
        except DeploymentError as exc:
            raise ValidationError(str(exc)) from None
        d = Dispatch.objects.create(election=a.election, tps_code=a.tps_code, assignment=a, by=user, client_id=cid)
        record_change(user=user, obj=d, code=a.tps_code, election_slug=a.election.slug, action="fieldday.dispatch",
                      after={"assignment": a.pk, "volunteer": a.volunteer_id})
    phone = a.volunteer.phone
    if phone:
        get_sender().send(phone, _("Anda diminta segera bertugas sebagai saksi di TPS %(c)s. Buka %(u)s untuk "
                                   "check-in.") % {"c": a.tps_code, "u": public_base() + "/hari-h/"})
        d.message_sent = True
        d.save(update_fields=["message_sent"])
    return d, True
