"""The structured text a saksi sends by WhatsApp, Telegram or SMS, and its parser.

Format (one message = one report; keywords in any case; words separated by spaces, ``#`` or ``*``;
``TPS`` is the 13-digit TPS code, dots allowed, and may be left out: then it is the sender's TPS)::

    HADIR [TPS] [lat,lon]                       check-in at the TPS (GPS optional)
    PEMILIH [TPS] <jam> <jumlah>                turnout: <jumlah> voters so far at <jam> (e.g. 11 or 11.00)
    CEK [TPS] <butir> YA|TIDAK|TOLAK [catatan]  one checklist answer (butir = its number or code;
                                                TOLAK where the item allows a refusal)
    LAPOR [TPS] <jenis> <uraian>                an incident (jenis = a code of the taxonomy)
    HASIL [TPS] <suara 01> <suara 02> … [KUNCI=angka …]
                                                the C.Hasil numbers: one vote count per paslon,
                                                in ballot order, then optional form numbers and
                                                what the form says beside them
    BANTUAN                                     this list

``HASIL`` keys (``KUNCI=angka``, also ``KUNCI:angka``): ``SAH`` valid votes, ``TSAH`` (or
``TIDAKSAH``) invalid votes, ``TOTAL`` valid + invalid, ``PEMILIH`` voters who voted (B.4 J),
``DPT`` voters on the list (A.1 J); ``SALINAN=YA|TIDAK`` the salinan was received,
``KPPS=TTD|TOLAK`` the KPPS chair signed or refused, ``KEBERATAN=YA|TIDAK`` a keberatan form was
filled. Examples::

    HADIR 3175081001001 -6.2101,106.8843
    PEMILIH 11 143
    CEK 3 YA
    LAPOR SURAT_TIDAK_DICORET Surat suara sisa tidak dicoret sebelum penghitungan
    HASIL 3175081001001 120 30 150 SAH=300 TSAH=10 SALINAN=YA

Rules: numbers follow ``kawaltps.core.numbers.parse_count`` (ASCII digits, ``1.234`` = 1234);
every mistake raises :class:`ParseError` whose text is the Indonesian reply to send back, naming
the word that was wrong and the format expected. The parser knows nothing of people or
databases; :mod:`kawaltps.messaging.services` decides who may send what.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kawaltps.core.numbers import NumberError, is_ascii_digits, parse_count

MAX_TEXT = 1600  # an SMS concatenation limit; longer messages are refused before parsing
MAX_NOTE = 1000
TPS_LENGTH = 13
_SPLIT = re.compile(r"[\s#*]+")
_HOUR = re.compile(r"^([0-9]{1,2})(?:[.:]([0-9]{2}))?$")
_KEY = re.compile(r"^([A-Za-z_]+)[=:](.*)$")
_GPS = re.compile(r"^(-?[0-9]{1,2}(?:\.[0-9]+)?),(-?[0-9]{1,3}(?:\.[0-9]+)?)$")
_WORD = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")

FORMATS = {
    "HADIR": "HADIR [kode TPS] [lintang,bujur]",
    "PEMILIH": "PEMILIH [kode TPS] <jam> <jumlah>",
    "CEK": "CEK [kode TPS] <butir> YA|TIDAK|TOLAK [catatan]",
    "LAPOR": "LAPOR [kode TPS] <jenis> <uraian>",
    "HASIL": "HASIL [kode TPS] <suara 01> <suara 02> … [SAH=n TSAH=n SALINAN=YA]",
}
NUMBER_KEYS = {"SAH": "suara_sah", "TSAH": "suara_tidak_sah", "TIDAKSAH": "suara_tidak_sah",
               "TOTAL": "suara_total", "PEMILIH": "pengguna_total_j", "DPT": "dpt_j"}
YES_NO = {"YA": True, "Y": True, "TIDAK": False, "T": False, "TDK": False}
SIGN = {"TTD": "signed", "YA": "signed", "TOLAK": "refused"}


class ParseError(ValueError):
    """A message that does not follow the format; ``str(exc)`` is the Indonesian reply."""


@dataclass(frozen=True)
class Command:
    keyword: str
    tps: str | None = None  # None: the sender's own TPS


@dataclass(frozen=True)
class CheckIn(Command):
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Turnout(Command):
    hour: str = ""  # "11.00"
    count: int = 0


@dataclass(frozen=True)
class ChecklistAnswer(Command):
    item: str = ""
    answer: str = ""  # "ya", "tidak" or "tolak"
    note: str = ""


@dataclass(frozen=True)
class Incident(Command):
    kind: str = ""
    description: str = ""


@dataclass(frozen=True)
class Results(Command):
    votes: tuple[int, ...] = ()
    numbers: dict = field(default_factory=dict)
    attestation: dict = field(default_factory=dict)

    def canonical(self) -> str:
        """One spelling of the same report (the idempotency key is made from it)."""
        nums = ",".join(f"{k}={v}" for k, v in sorted(self.numbers.items()))
        att = ",".join(f"{k}={v}" for k, v in sorted(self.attestation.items()))
        return f"{self.tps}|{','.join(map(str, self.votes))}|{nums}|{att}"


@dataclass(frozen=True)
class Help(Command):
    pass


def _fail(message: str, keyword: str | None = None) -> ParseError:
    hint = _("Format: %(f)s") % {"f": FORMATS[keyword]} if keyword else help_text()
    return ParseError(f"{message} {hint}")


def help_text() -> str:
    """The short list of formats sent back on BANTUAN or an unknown keyword."""
    return _("Format pesan: %(list)s. Kode TPS boleh dihilangkan (TPS tugas Anda).") % {
        "list": "; ".join(FORMATS.values())}


def _count(word: str, label: str, keyword: str) -> int:
    try:
        value = parse_count(word, field=label)
    except NumberError as exc:
        raise _fail(f"{exc}.", keyword) from None
    if value is None:
        raise _fail(_("%(label)s kosong.") % {"label": label}, keyword)
    return value


def _take_tps(words: list[str]) -> str | None:
    """Remove and return a leading TPS code (13 digits, dots allowed), None when the first word is none."""
    if not words:
        return None
    candidate = words[0].replace(".", "")
    if is_ascii_digits(candidate) and len(candidate) >= 10:  # no count on a form has 10 digits
        if len(candidate) != TPS_LENGTH:
            raise ParseError(_("Kode TPS %(c)s harus 13 angka (contoh 3175081001001).") % {"c": words[0]})
        words.pop(0)
        return candidate
    return None


def parse(text: str) -> Command:
    """Parse one message (the module's format); raises :class:`ParseError` with the reply."""
    if not isinstance(text, str) or not text.strip():
        raise _fail(_("Pesan kosong."))
    if len(text) > MAX_TEXT:
        raise ParseError(_("Pesan terlalu panjang (lebih dari %(n)s huruf). Kirim satu laporan per pesan.")
                         % {"n": MAX_TEXT})
    words = [w for w in _SPLIT.split(text.strip()) if w]
    if not words:  # only separators ("#", "* *")
        raise _fail(_("Pesan kosong."))
    keyword = words.pop(0).upper()
    if keyword in {"BANTUAN", "HELP", "?", "INFO"}:
        return Help(keyword="BANTUAN")
    handler = _HANDLERS.get(keyword)
    if handler is None:
        raise _fail(_("Kata pertama %(w)s tidak dikenal.") % {"w": keyword[:20]})
    tps = _take_tps(words)
    return handler(keyword, tps, words)


def _checkin(keyword: str, tps: str | None, words: list[str]) -> CheckIn:
    if not words:
        return CheckIn(keyword, tps)
    match = _GPS.match(words[0]) if len(words) == 1 else None
    if match is None:
        raise _fail(_("Lokasi %(w)s tidak terbaca; tulis lintang,bujur tanpa spasi (contoh -6.2101,106.8843).")
                    % {"w": " ".join(words)[:40]}, keyword)
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _fail(_("Lokasi %(w)s di luar bumi.") % {"w": words[0]}, keyword)
    return CheckIn(keyword, tps, lat, lon)


def _turnout(keyword: str, tps: str | None, words: list[str]) -> Turnout:
    if len(words) != 2:
        raise _fail(_("PEMILIH perlu jam dan jumlah pemilih."), keyword)
    match = _HOUR.match(words[0])
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise _fail(_("Jam %(w)s tidak terbaca (contoh 11 atau 11.00).") % {"w": words[0][:10]}, keyword)
    hour = f"{int(match.group(1)):02d}.{match.group(2) or '00'}"
    return Turnout(keyword, tps, hour, _count(words[1], _("Jumlah pemilih"), keyword))


def _checklist(keyword: str, tps: str | None, words: list[str]) -> ChecklistAnswer:
    if len(words) < 2:
        raise _fail(_("CEK perlu nomor butir dan jawaban YA atau TIDAK."), keyword)
    item, answer = words[0], words[1].upper()
    if not _WORD.match(item):
        raise _fail(_("Butir %(w)s tidak terbaca.") % {"w": item[:20]}, keyword)
    if answer not in YES_NO and answer != "TOLAK":
        raise _fail(_("Jawaban %(w)s harus YA, TIDAK, atau TOLAK.") % {"w": words[1][:20]}, keyword)
    note = " ".join(words[2:])[:MAX_NOTE]
    spoken = "tolak" if answer == "TOLAK" else ("ya" if YES_NO[answer] else "tidak")
    return ChecklistAnswer(keyword, tps, item.upper(), spoken, note)


def _incident(keyword: str, tps: str | None, words: list[str]) -> Incident:
    if len(words) < 2:
        raise _fail(_("LAPOR perlu jenis kejadian dan uraiannya."), keyword)
    if not _WORD.match(words[0]):
        raise _fail(_("Jenis kejadian %(w)s tidak terbaca.") % {"w": words[0][:20]}, keyword)
    return Incident(keyword, tps, words[0].upper(), " ".join(words[1:])[:MAX_NOTE])


def _results(keyword: str, tps: str | None, words: list[str]) -> Results:
    votes: list[int] = []
    numbers: dict[str, int] = {}
    attestation: dict = {}
    for word in words:
        match = _KEY.match(word)
        if match is None:
            if numbers or attestation:
                raise _fail(_("Suara paslon %(w)s harus ditulis sebelum KUNCI=angka.") % {"w": word[:20]}, keyword)
            votes.append(_count(word, _("Suara paslon %(n)s") % {"n": len(votes) + 1}, keyword))
            continue
        key, value = match.group(1).upper(), match.group(2).strip()
        if key in NUMBER_KEYS:
            if NUMBER_KEYS[key] in numbers:
                raise _fail(_("%(k)s ditulis dua kali.") % {"k": key}, keyword)
            numbers[NUMBER_KEYS[key]] = _count(value, key, keyword)
        elif key == "SALINAN" and value.upper() in YES_NO:
            attestation["salinan"] = YES_NO[value.upper()]
        elif key == "KEBERATAN" and value.upper() in YES_NO:
            attestation["keberatan"] = YES_NO[value.upper()]
        elif key == "KPPS" and value.upper() in SIGN:
            attestation["kpps"] = SIGN[value.upper()]
        elif key in {"SALINAN", "KEBERATAN", "KPPS"}:
            raise _fail(_("%(k)s=%(v)s tidak dikenal (SALINAN/KEBERATAN: YA atau TIDAK; KPPS: TTD atau TOLAK).")
                        % {"k": key, "v": value[:10]}, keyword)
        else:
            raise _fail(_("Kunci %(k)s tidak dikenal (SAH, TSAH, TOTAL, PEMILIH, DPT, SALINAN, KPPS, KEBERATAN).")
                        % {"k": key[:20]}, keyword)
    if not votes:
        raise _fail(_("HASIL perlu suara setiap paslon, urut nomor paslon."), keyword)
    return Results(keyword, tps, tuple(votes), numbers, attestation)


_HANDLERS = {"HADIR": _checkin, "PEMILIH": _turnout, "CEK": _checklist, "LAPOR": _incident, "HASIL": _results}
