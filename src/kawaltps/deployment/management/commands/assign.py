"""`kawaltps assign --election SLUG [--region CODE] [--availability CSV] [--priorities CSV] [--json]`."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from kawaltps.core.commands import JsonCommand
from kawaltps.core.formatting import number as angka
from kawaltps.deployment import inputs, services
from kawaltps.deployment.rules import DeploymentError
from kawaltps.elections.models import Election


class Command(JsonCommand):
    help = ("Assign certified saksi to every TPS of an election with the min-cost-flow solver (pinned assignments "
            "are kept); print coverage, distances, changes and the greedy baseline.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--region", default="", help="region code prefix (default: the whole election)")
        parser.add_argument("--availability", help="CSV: nik, bersedia, tps_memilih, jarak_maks (applied first)")
        parser.add_argument("--priorities", help="CSV: kode_tps, bobot (1–10), alasan (applied first)")
        parser.add_argument("--saksi-per-tps", type=int, help="saksi wanted per TPS (stored for the election)")
        parser.add_argument("--backups-per-tps", type=int, help="backups wanted per TPS (stored)")

    def handle(self, *args, election: str, region: str, availability: str | None, priorities: str | None,
               **opts):
        e = Election.objects.filter(slug=election).first()
        if e is None:
            raise CommandError(f"pemilihan {election!r} tidak ada")
        try:
            for name in (availability, priorities):
                if name and not Path(name).exists():
                    raise CommandError(f"berkas {name} tidak ada")
            with transaction.atomic():  # a refused file or run leaves everything as it was
                priority_rows = inputs.load_priorities(e, Path(priorities).read_text(encoding="utf-8")) \
                    if priorities else None
                availability_rows = inputs.load(Path(availability).read_text(encoding="utf-8")) \
                    if availability else None
                conf = services.settings_for(e)
                changed = []
                for opt, field in (("saksi_per_tps", "saksi_per_tps"), ("backups_per_tps", "backups_per_tps")):
                    if opts.get(opt) is not None:
                        if opts[opt] < 0 or (field == "saksi_per_tps" and not 1 <= opts[opt] <= 2):
                            raise CommandError("saksi per TPS harus 1–2, cadangan ≥ 0")
                        setattr(conf, field, opts[opt])
                        changed.append(field)
                if changed:
                    conf.save(update_fields=changed)
                report = services.run_assignment(e, region)
        except DeploymentError as exc:
            raise CommandError(str(exc)) from None
        report["availability_rows"] = availability_rows
        report["priority_rows"] = priority_rows
        c, g, ch = report["coverage"], report["greedy_baseline"], report["changes"]
        text = (f"{e.name} {region or ''}\n"
                f"TPS {angka(c['tps'])}: {angka(c['full'])} terisi, {angka(c['with_backup'])} dengan cadangan, "
                f"{angka(c['none'])} tanpa saksi\n"
                f"jarak rata-rata {c['mean_distance']}, maksimum {c['max_distance']} "
                f"(greedy: {angka(g['full'])} terisi, rata-rata {g['mean_distance']})\n"
                f"perubahan: {angka(ch['assigned'])} baru, {angka(ch['moved'])} pindah, "
                f"{angka(ch['released'])} dilepas, {angka(ch['kind_changed'])} ganti jenis, "
                f"{angka(ch['kept'])} tetap; {angka(report['pinned'])} disematkan")
        self.emit(report, text)
