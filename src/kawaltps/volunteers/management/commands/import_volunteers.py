import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q

from kawaltps.core.commands import JsonCommand
from kawaltps.people.models import Organisation, User
from kawaltps.volunteers.consent import PaperConsent
from kawaltps.volunteers.importer import import_volunteers
from kawaltps.volunteers.tabular import FileRefused


class Command(JsonCommand):
    help = ("Import volunteers from a CSV or XLSX list (template in docs/volunteers.md). Re-importing the "
            "same file changes nothing; every rejected row is reported with its row number and reason.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--org", help="organisation (name or short name) for rows without 'organisasi'")
        parser.add_argument("--user", help="import as this user: limited to their area, recorded as actor")
        parser.add_argument("--consent-by", default="", help="who collected the signed paper consent forms")
        parser.add_argument("--consent-date", type=datetime.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                            help="the day the consent forms were collected")
        parser.add_argument("--consent-paper", default="",
                            help="where the paper forms are kept (e.g. 'map Bimtek Makasar, sekretariat Pokja')")

    def handle(self, *args, file: str, org: str | None, user: str | None, consent_by: str = "",
               consent_date=None, consent_paper: str = "", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"berkas {file} tidak ada")
        organisation = None
        if org:
            match = Q(name__iexact=org) | Q(short_name__iexact=org)
            organisation = Organisation.objects.filter(match).first()
            if organisation is None:
                known = ", ".join(Organisation.objects.values_list("name", flat=True)) or "(belum ada)"
                raise CommandError(f"organisasi {org!r} tidak dikenal; yang ada: {known}")
        acting = None
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"pengguna {user!r} tidak ada")
        bar = self.progress(None, "Membaca")
        try:
            report = import_volunteers(path, organisation=organisation, user=acting,
                                       actor="import-volunteers", progress=bar.update,
                                       on_total=lambda n: setattr(bar, "total", n),
                                       consent=PaperConsent(consent_by, consent_date, consent_paper)
                                       if (consent_by or consent_date or consent_paper) else None)
        except FileRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        data = report.as_dict()
        lines = [f"{report.filename}: {report.rows} baris — {report.imported} baru, "
                 f"{report.updated} diperbarui, {report.unchanged} tetap, {report.merged} digabung, "
                 f"{len(report.rejected)} ditolak"]
        lines += [f"  baris {e.row}: {e.reason}" for e in report.rejected]
        if report.ignored_columns:
            lines.append(f"  kolom diabaikan: {', '.join(report.ignored_columns)}")
        self.emit(data, "\n".join(lines))
