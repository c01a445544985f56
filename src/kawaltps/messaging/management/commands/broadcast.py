"""`kawaltps broadcast --election SLUG --as USER (--kelurahan CODE | --kecamatan CODE | --uncovered CODE) TEXT`."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.elections.models import Election
from kawaltps.messaging.broadcasts import broadcast
from kawaltps.people.models import User
from kawaltps.results.forms import error_dict


class Command(JsonCommand):
    help = ("Send one text to the saksi and backups of a kelurahan or kecamatan, or to the backups of the "
            "TPS without a saksi present in a region, through the configured message sender "
            "(KAWALTPS_MESSAGE_SENDER). Acts as --as USER, with that user's permissions.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="the election's slug")
        parser.add_argument("--as", dest="username", required=True,
                            help="the koordinator or admin sending it (their area limits the audience)")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--kelurahan", help="10-digit kelurahan code: every saksi and backup there")
        who.add_argument("--kecamatan", help="6-digit kecamatan code: every saksi and backup there")
        who.add_argument("--uncovered", help="region code: the backups of its TPS without a saksi present")
        parser.add_argument("--id", dest="client_id", default=None,
                            help="broadcast id (default: new); repeating it sends nothing again")
        parser.add_argument("text", nargs="+", help="the message")

    def handle(self, *args, election, username, kelurahan, kecamatan, uncovered, client_id, text, **opts):
        e = Election.objects.filter(slug=election).first()
        if e is None:
            raise CommandError(f"pemilihan {election!r} tidak ada")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"pengguna {username!r} tidak ada")
        audience, code = next((a, c) for a, c in (("kelurahan", kelurahan), ("kecamatan", kecamatan),
                                                  ("uncovered", uncovered)) if c)
        try:
            row = broadcast(user, e, audience, code, " ".join(text), client_id or str(uuid.uuid4()))
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(m for ms in error_dict(exc).values() for m in ms)) from None
        data = {"id": row.pk, "client_id": row.client_id, "audience": row.audience, "region": row.region_code,
                "recipients": row.recipients, "replayed": row.replayed}
        verb = "sudah terkirim sebelumnya" if row.replayed else "terkirim"
        self.emit(data, f"Siaran {verb} ke {row.recipients} nomor.")
