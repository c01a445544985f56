import os

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.signing import ENV, SigningKeyError, key_path, public_info


class Command(JsonCommand):
    help = (
        "Print the organisation's public key that signs evidence dossiers (Ed25519: base64, fingerprint, "
        "PEM). Give it to lawyers and courts: `kawaltps verify-dossier --public-key KEY`. The private key "
        "comes from KAWALTPS_SIGNING_KEY or is generated on first use in KAWALTPS_DATA_DIR."
    )

    def handle(self, *args, **options):
        try:
            info = public_info()
        except SigningKeyError as exc:
            raise CommandError(str(exc)) from None
        text = (
            f"Kunci publik penanda tangan berkas bukti ({info['algorithm']}):\n"
            f"  base64: {info['public_key']}\n"
            f"  sidik:  {info['fingerprint']}\n\n{info['pem']}"
            f"Periksa berkas bukti: kawaltps verify-dossier BERKAS.zip --public-key {info['public_key']}"
        )
        if not os.environ.get(ENV, "").strip():
            text += f"\n(kunci privat tersimpan di {key_path()}; cadangkan dan jaga kerahasiaannya)"
        self.emit(info, text)
