from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.plenary import PlenaryError, build


class Command(JsonCommand):
    help = (
        "The PPK plenary kit of one kecamatan: a PDF and an XLSX with every TPS's numbers from our saksi's "
        "C.Hasil beside Sirekap's, the differences marked, the salinan photos referenced, and a prepared "
        "objection text. --json: {pdf, xlsx, tps, differing}."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="the election's slug")
        parser.add_argument("--region", required=True, help="the kecamatan code (6 digits, dotted or not)")
        parser.add_argument("--out", required=True, help="directory to write the two files into")

    def handle(self, *args, election: str, region: str, out: str, **options):
        e = election_or_error(election)
        try:
            data, pdf, xlsx = build(e, region)
        except PlenaryError as exc:
            raise CommandError(str(exc)) from None
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        code = data["region"].code
        paths = {
            "pdf": folder / f"bahan-pleno-{e.slug}-{code}.pdf",
            "xlsx": folder / f"bahan-pleno-{e.slug}-{code}.xlsx",
        }
        paths["pdf"].write_bytes(pdf)
        paths["xlsx"].write_bytes(xlsx)
        differing = sum(1 for r in data["tps"] if r["differs"])
        result = {"pdf": str(paths["pdf"]), "xlsx": str(paths["xlsx"]), "tps": len(data["tps"]), "differing": differing}
        self.emit(result, f"{paths['pdf']}\n{paths['xlsx']}\n{len(data['tps'])} TPS, {differing} berbeda")
