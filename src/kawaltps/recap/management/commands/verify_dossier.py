import sys
from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.signing import SigningKeyError, parse_public_key
from kawaltps.recap.verification import verify

CHECK_NAMES = {
    "zip": "Struktur ZIP",
    "manifest": "Manifest",
    "tanda_tangan": "Tanda tangan organisasi",
    "hash_manifest": "Hash manifest",
    "berkas": "Isi berkas",
}


class Command(JsonCommand):
    help = (
        "Verify an evidence dossier ZIP: the organisation's Ed25519 signature on its manifest (with the "
        "organisation key on this machine, or --public-key), every file's SHA-256 and size, no duplicate, "
        "unsafe or oversized entry. Exit status 1 if any check fails."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("zip", type=Path, help="the dossier ZIP to check")
        parser.add_argument("--manifest-sha256", help="the manifest hash noted in a report, to compare with")
        parser.add_argument(
            "--public-key",
            help="the organisation's public key to trust (base64, PEM, or a file holding either), "
            "as shown by `kawaltps signing-key` or /rekap/kunci-publik/; default: this machine's key",
        )

    def handle(self, *args, zip: Path, manifest_sha256=None, public_key=None, **options):
        if not zip.is_file():
            raise CommandError(f"berkas tidak ditemukan: {zip}")
        try:
            key = parse_public_key(public_key) if public_key else None
        except SigningKeyError as exc:
            raise CommandError(f"--public-key: {exc}") from None
        result = verify(zip, manifest_sha256, key)
        lines = [
            f"{'BAIK ' if c['ok'] else 'GAGAL'} {CHECK_NAMES.get(c['check'], c['check'])}: {c['detail']}"
            for c in result.checks
        ]
        if result.ok:
            lines.append(
                f"UTUH: {result.files} berkas cocok dengan manifest {result.manifest_sha256}, tanda tangan sah"
            )
        else:
            lines.append("TIDAK UTUH:")
            lines += [f"- {p}" for p in result.problems]
        self.emit(result.as_dict(), "\n".join(lines))
        if not result.ok:
            sys.exit(1)
