"""``kawaltps audit verify [--json] [--anchor SEQ:HASH]`` and ``kawaltps audit anchor [--json]``.

``verify`` walks the hash chain of the audit log (``audit.chain``) and names the first record that
was edited, deleted or inserted behind the application's back; exit status 1 when it finds one.
``anchor`` prints the head (seq and hash) to publish or hand to a notary; a later
``verify --anchor SEQ:HASH`` proves the history up to that point was not rewritten.
"""

import re
import sys

from django.core.management.base import CommandError
from django.utils import timezone

from kawaltps.audit import chain
from kawaltps.core.commands import JsonCommand

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(text: str) -> tuple[int, str]:
    m = ANCHOR.match(text.strip().lower())
    if not m:
        raise CommandError(f"jangkar {text!r} tidak sah: tulis NOMOR:HASH, mis. 1024:<64 digit heksadesimal>")
    return int(m.group(1)), m.group(2)


class Command(JsonCommand):
    help = ("Check the tamper-evident audit log (verify) or print its head hash to publish (anchor). "
            "Memeriksa rantai hash riwayat audit atau mencetak hash ujungnya.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="{verify,anchor}",
                                    help="verify: check the chain; anchor: print its head")
        verify = sub.add_parser("verify", help="walk the chain; name the first edited, deleted or inserted record")
        verify.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        verify.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                            help="a published anchor the chain must still contain (repeatable)")
        anchor = sub.add_parser("anchor", help="print the head's seq and hash to publish")
        anchor.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    def handle(self, *args, **options):
        if options["what"] == "anchor":
            top = chain.head()
            data = {**top, "at": timezone.now().isoformat(timespec="seconds")}
            self.emit(data, f"{top['seq']}:{top['hash']}")
            return
        anchors = [_anchor(a) for a in options["anchor"]]
        print("memeriksa rantai riwayat audit …", file=sys.stderr)
        report = chain.verify(anchors)
        if report["ok"]:
            text = (f"Rantai utuh: {report['checked']} catatan diperiksa; ujung "
                    f"{report['head']['seq']}:{report['head']['hash']}")
        else:
            p = report["problem"]
            text = (f"RANTAI RUSAK ({p['kind']}): {p['message']}\n"
                    f"{report['checked']} catatan sebelumnya utuh; objek {p['subject']}#{p['object_id']} "
                    f"tindakan {p['action']}")
        self.emit(report, text)
        if not report["ok"]:
            sys.exit(1)
