"""``kawaltps erase --volunteer ID``: anonymise a volunteer's personal data (``volunteers.erasure``)."""

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.volunteers.erasure import ErasureRefused, erase


class Command(JsonCommand):
    help = ("Erase (anonymise) a volunteer's personal data as UU 27/2022 requires, unless it is evidence in "
            "an open case, which is named. Menghapus data pribadi relawan.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--volunteer", type=int, required=True, metavar="ID", help="the volunteer's id")
        parser.add_argument("--reason", default="", help="why (e.g. the person's request of 2024-12-01)")

    def handle(self, *args, volunteer: int, reason: str, **options):
        try:
            done = erase(volunteer, actor="kawaltps erase", reason=reason)
        except ErasureRefused as exc:
            if self.as_json:
                self.emit({"erased": False, "error": str(exc), "open_cases": exc.cases})
                raise SystemExit(1) from None
            raise CommandError(str(exc)) from exc
        self.emit({"erased": True, "volunteer": done.volunteer_id, "erased_at": done.erased_at},
                  f"Data pribadi relawan #{done.volunteer_id} dihapus (dianonimkan).")
