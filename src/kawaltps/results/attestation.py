"""What the C.Hasil says beside the numbers: signatures, the keberatan form, the salinan.

Page 3 of the C.Hasil carries the signatures of KPPS and of the saksi present; objections and
special events go on the form "C.Kejadian Khusus dan/atau Keberatan" (saksi write "NIHIL" when
there is nothing to object to); each saksi must receive a salinan (copy) of the tally form, and
withholding it is an offence (``../shared/DOMAIN.md``, "Witnesses"). A submission records:

=================  ==========================================================================
key                value
=================  ==========================================================================
``kpps``           ``signed`` / ``refused``: the KPPS chair signed the form, or refused
``saksi``          ``{"<paslon>": "signed" | "refused" | "absent"}``: each paslon's saksi
``keberatan``      ``true`` when a C.Kejadian Khusus dan/atau Keberatan form was filled
``keberatan_text`` what it says (``NIHIL`` = filled, nothing objected), at most 2,000 characters
``salinan``        ``true`` when the saksi received the salinan, ``false`` when not
=================  ==========================================================================

Every key is optional (unknown = left out). :func:`clean_attestation` validates a mapping in this
shape (the API's ``attestation`` object); :func:`read_post` reads the form's inputs (``ttd_kpps``,
``ttd_saksi_<n>``, ``keberatan``, ``keberatan_isi``, ``salinan``). The named rules that flag a TPS
from it live in :mod:`kawaltps.results.checks` (``ATTESTATION_RULES``).

Photos say which document they show (``Photo.document``): :data:`DOCUMENTS`.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SIGNED, REFUSED, ABSENT = "signed", "refused", "absent"
SIGNATURE_LABELS = {SIGNED: gettext_lazy("tanda tangan"), REFUSED: gettext_lazy("menolak tanda tangan"),
                    ABSENT: gettext_lazy("tidak hadir")}
KPPS_CHOICES = (SIGNED, REFUSED)
SAKSI_CHOICES = (SIGNED, REFUSED, ABSENT)
MAX_TEXT = 2000
NIHIL = "NIHIL"

# Photo.document: which paper a photo shows (the salinan's pages are the C.Hasil the saksi holds).
DOCUMENTS = {
    "salinan": gettext_lazy("Salinan C.Hasil"),
    "plano": gettext_lazy("C.Hasil plano (lembar besar)"),
    "keberatan": gettext_lazy("Formulir C.Kejadian Khusus dan/atau Keberatan"),
    "daftar_hadir": gettext_lazy("Daftar hadir pemilih"),
}
EXTRA_DOCUMENTS = ("plano", "keberatan", "daftar_hadir")  # one photo each, beside the salinan's pages
YES = {"ya", "y", "yes", "true", "1", "sudah"}
NO = {"tidak", "t", "no", "false", "0", "belum"}


def _bool(value, key: str, errors: dict, message: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    errors[key] = message
    return None


def clean_attestation(election, data: Mapping | None) -> dict:
    """Validate an attestation (the module's shape); returns it with only the known keys set.

    Raises ``ValidationError`` keyed like the form's inputs (Indonesian) on an unknown status, an
    unknown paslon, a yes/no that is neither, or a text over 2,000 characters.
    """
    if not data:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError({"attestation": _("Format isian tanda tangan/keberatan/salinan tidak sah.")})
    from .validation import candidate_numbers

    errors: dict[str, str] = {}
    out: dict = {}
    unknown = set(data) - {"kpps", "saksi", "keberatan", "keberatan_text", "salinan"}
    for key in sorted(unknown):
        errors[str(key)] = _("Isian %(key)s tidak dikenal pada formulir ini.") % {"key": key}
    kpps = data.get("kpps") or ""
    if kpps:
        if kpps in KPPS_CHOICES:
            out["kpps"] = kpps
        else:
            errors["ttd_kpps"] = _("Tanda tangan KPPS harus: tanda tangan atau menolak.")
    saksi = data.get("saksi") or {}
    if not isinstance(saksi, Mapping):
        errors["saksi"] = _("Tanda tangan saksi harus per nomor paslon.")
        saksi = {}
    candidates = candidate_numbers(election)
    clean_saksi = {}
    for number, status in saksi.items():
        number = str(number)
        if number not in candidates:
            errors[f"ttd_saksi_{number}"] = _("Paslon nomor %(n)s tidak ada dalam pemilihan ini.") % {"n": number}
        elif status in SAKSI_CHOICES:
            clean_saksi[number] = status
        elif status:
            errors[f"ttd_saksi_{number}"] = _(
                "Tanda tangan saksi paslon %(n)s harus: tanda tangan, menolak, atau tidak hadir.") % {"n": number}
    if clean_saksi:
        out["saksi"] = dict(sorted(clean_saksi.items(), key=lambda kv: int(kv[0])))
    keberatan = _bool(data.get("keberatan"), "keberatan", errors,
                      _("Formulir keberatan diisi? Jawab ya atau tidak."))
    text = str(data.get("keberatan_text") or "").strip()
    if len(text) > MAX_TEXT:
        errors["keberatan_isi"] = _("Isi keberatan paling panjang %(n)s karakter.") % {"n": MAX_TEXT}
    if text and keberatan is False:
        errors["keberatan_isi"] = _("Isi keberatan ditulis, tetapi formulir keberatan dijawab tidak diisi.")
    if text and keberatan is None:
        keberatan = True
    if keberatan is not None:
        out["keberatan"] = keberatan
    if text:
        out["keberatan_text"] = text
    salinan = _bool(data.get("salinan"), "salinan", errors, _("Salinan C.Hasil diterima? Jawab ya atau tidak."))
    if salinan is not None:
        out["salinan"] = salinan
    if errors:
        raise ValidationError(errors)
    return out


def read_post(election, data) -> dict:
    """The attestation as typed in a POST of the C.Hasil form (not yet validated)."""
    saksi = {}
    for number in election.candidates.values_list("number", flat=True):
        value = (data.get(f"ttd_saksi_{number}") or "").strip()
        if value:
            saksi[str(number)] = value
    raw = {"kpps": (data.get("ttd_kpps") or "").strip(), "saksi": saksi,
           "keberatan": (data.get("keberatan") or "").strip(),
           "keberatan_text": (data.get("keberatan_isi") or "").strip(),
           "salinan": (data.get("salinan") or "").strip()}
    return {k: v for k, v in raw.items() if v}


def objected(attestation: Mapping) -> bool:
    """A keberatan form was filled with something other than ``NIHIL``."""
    text = str(attestation.get("keberatan_text") or "").strip()
    return bool(attestation.get("keberatan")) and text.upper().rstrip(".") != NIHIL


def form_context(election, attestation: Mapping | None, errors: Mapping | None = None) -> dict:
    """What the templates show/edit: the KPPS and per-paslon statuses with their labels and errors."""
    attestation, errors = attestation or {}, errors or {}
    saksi = attestation.get("saksi") or {}

    def err(key):
        return " ".join(errors.get(key, []))

    def yes_no(value):
        return "" if value is None else ("ya" if value else "tidak")

    return {
        "kpps": attestation.get("kpps", ""), "kpps_error": err("ttd_kpps"),
        "kpps_choices": [(c, SIGNATURE_LABELS[c]) for c in KPPS_CHOICES],
        "saksi_choices": [(c, SIGNATURE_LABELS[c]) for c in SAKSI_CHOICES],
        "saksi": [{"number": c.number, "name": c.name, "value": saksi.get(str(c.number), ""),
                   "label": SIGNATURE_LABELS.get(saksi.get(str(c.number), ""), ""),
                   "error": err(f"ttd_saksi_{c.number}")} for c in election.candidates.all()],
        "kpps_label": SIGNATURE_LABELS.get(attestation.get("kpps", ""), ""),
        "keberatan": yes_no(attestation.get("keberatan")), "keberatan_error": err("keberatan"),
        "keberatan_text": attestation.get("keberatan_text", ""), "keberatan_text_error": err("keberatan_isi"),
        "salinan": yes_no(attestation.get("salinan")), "salinan_error": err("salinan"),
        "known": bool(attestation),
    }
