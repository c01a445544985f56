"""The arithmetic checks of a C.Hasil, each a small named rule with a message people understand.

Sources: ``../shared/DOMAIN.md`` "The TPS tally form (C.Hasil)" (the checks the form itself requires,
and the legal maximum DPT per TPS: 600 in the 2024 Pilkada, 300 in the 2024 general election),
and issue 3 item 2. A failing rule *flags* the TPS and says why; it never stops what the form says
from being saved (the form is evidence even when its arithmetic is wrong).

Field keys are those of :mod:`kawaltps.elections.form_types` (``dpt_l``, ``pengguna_total_j``,
``surat_diterima``, ``suara_sah`` …); ``votes`` maps the paslon ballot number (as a string) to its
votes. A rule whose inputs are missing (a partly entered form) passes: it has nothing to check.

``RULES`` is data the UI shows (code, name, message); :func:`run_checks` returns the failures.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Rows of the form that have L (men), P (women) and J (total) columns.
LPJ_ROWS = ("dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total", "pengguna_disabilitas")
PHOTO_DUPLICATE = "foto_duplikat"  # set by kawaltps.results.photos, not by the arithmetic


@dataclass(frozen=True)
class Failure:
    code: str
    message: str
    detail: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


@dataclass(frozen=True)
class Context:
    """What a rule looks at: the form's numbers, the paslon votes, the TPS's DPT and the legal limit."""

    votes: Mapping[str, int]
    numbers: Mapping[str, int]
    max_dpt: int
    registered_dpt: int | None  # the TPS's DPT in our register (None/0 = unknown)

    def get(self, key: str) -> int | None:
        value = self.numbers.get(key)
        return value if isinstance(value, int) else None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    message: str
    check: Callable[[Context], str | None]  # None = passes, else the detail of the failure


def _all(ctx: Context, *keys: str) -> list[int] | None:
    values = [ctx.get(k) for k in keys]
    return None if any(v is None for v in values) else values


def paslon_sum_equals_valid(ctx: Context) -> str | None:
    """The candidate pairs' votes add up to the valid votes (DOMAIN.md, checks of the form)."""
    valid = ctx.get("suara_sah")
    if valid is None or not ctx.votes:
        return None
    total = sum(ctx.votes.values())
    return None if total == valid else f"{total} ≠ {valid}"


def valid_plus_invalid_equals_total(ctx: Context) -> str | None:
    """Valid + invalid = total votes (DOMAIN.md)."""
    values = _all(ctx, "suara_sah", "suara_tidak_sah", "suara_total")
    if values is None:
        return None
    sah, tidak_sah, total = values
    return None if sah + tidak_sah == total else f"{sah} + {tidak_sah} ≠ {total}"


def total_equals_voters(ctx: Context) -> str | None:
    """Total votes = voters who used their right, B.4 (DOMAIN.md: "total votes = voters who voted")."""
    values = _all(ctx, "suara_total", "pengguna_total_j")
    if values is None:
        return None
    total, voters = values
    return None if total == voters else f"{total} ≠ {voters}"


def voters_add_up(ctx: Context) -> str | None:
    """B.4 = B.1 + B.2 + B.3, for L, P and J (DOMAIN.md: voters = DPT + DPTb + DPK voters)."""
    bad = []
    for col in ("l", "p", "j"):
        values = _all(
            ctx, f"pengguna_dpt_{col}", f"pengguna_dptb_{col}", f"pengguna_dpk_{col}", f"pengguna_total_{col}"
        )
        if values is not None and values[0] + values[1] + values[2] != values[3]:
            bad.append(f"{col.upper()}: {values[0]} + {values[1]} + {values[2]} ≠ {values[3]}")
    return "; ".join(bad) or None


def voters_within_lists(ctx: Context) -> str | None:
    """Voters ≤ DPT + DPTb + DPK, i.e. the DPT voters who voted are at most the DPT, for L, P and J.

    DPTb and DPK voters are listed only when they vote, so the issue's "voters ≤ DPT + DPTb + DPK"
    comes down to DOMAIN.md's "DPT voters who voted ≤ voters on the DPT, separately for men and women".
    """
    bad = []
    for col in ("l", "p", "j"):
        values = _all(ctx, f"pengguna_dpt_{col}", f"dpt_{col}")
        if values is not None and values[0] > values[1]:
            bad.append(f"{col.upper()}: {values[0]} > {values[1]}")
    voters = _all(ctx, "pengguna_total_j", "dpt_j")
    if voters is not None:
        lists = voters[1] + (ctx.get("pengguna_dptb_j") or 0) + (ctx.get("pengguna_dpk_j") or 0)
        if voters[0] > lists:
            bad.append(f"{voters[0]} > {lists}")
    return "; ".join(dict.fromkeys(bad)) or None


def ballots_used_equal_voters(ctx: Context) -> str | None:
    """Ballots used = voters who voted (DOMAIN.md)."""
    values = _all(ctx, "surat_digunakan", "pengguna_total_j")
    if values is None:
        return None
    used, voters = values
    return None if used == voters else f"{used} ≠ {voters}"


def ballots_balance(ctx: Context) -> str | None:
    """Ballots received = used + returned/damaged + unused (DOMAIN.md)."""
    values = _all(ctx, "surat_diterima", "surat_digunakan", "surat_rusak", "surat_tidak_digunakan")
    if values is None:
        return None
    received, used, damaged, unused = values
    return None if received == used + damaged + unused else f"{received} ≠ {used} + {damaged} + {unused}"


def dpt_within_legal_maximum(ctx: Context) -> str | None:
    """DPT ≤ the legal maximum per TPS, ``Election.max_dpt_per_tps``.

    DOMAIN.md: at most 600 voters per TPS in the 2024 Pilkada, 300 in the 2024 general election.
    """
    dpt = ctx.get("dpt_j")
    if dpt is None:
        return None
    return None if dpt <= ctx.max_dpt else f"{dpt} > {ctx.max_dpt}"


def dpt_matches_register(ctx: Context) -> str | None:
    """The form's DPT (A.1) equals the TPS's DPT in our register, when we know it."""
    dpt = ctx.get("dpt_j")
    if dpt is None or not ctx.registered_dpt:
        return None
    return None if dpt == ctx.registered_dpt else f"{dpt} ≠ {ctx.registered_dpt}"


def lpj_rows_add_up(ctx: Context) -> str | None:
    """L + P = J on every voter row (DOMAIN.md)."""
    bad = []
    for row in LPJ_ROWS:
        values = _all(ctx, f"{row}_l", f"{row}_p", f"{row}_j")
        if values is not None and values[0] + values[1] != values[2]:
            bad.append(f"{row}: {values[0]} + {values[1]} ≠ {values[2]}")
    return "; ".join(bad) or None


def numbers_plausible(ctx: Context) -> str | None:
    """No negative or absurd number: nothing on one TPS's form can exceed twice the legal maximum DPT.

    Ballots received are at most the DPT plus a reserve of a few percent (DOMAIN.md), so every count
    on the form (voters, ballots, votes) is bounded by the DPT limit; twice that is surely a typo.
    """
    limit = 2 * ctx.max_dpt
    values = {**ctx.numbers, **{f"paslon {k}": v for k, v in ctx.votes.items()}}
    bad = [f"{k} = {v}" for k, v in values.items() if isinstance(v, int) and (v < 0 or v > limit)]
    return ", ".join(bad) or None


RULES: list[Rule] = [
    Rule(
        "paslon_tidak_sama_sah",
        _("Jumlah suara paslon = suara sah"),
        _("Jumlah suara semua paslon tidak sama dengan jumlah suara sah."),
        paslon_sum_equals_valid,
    ),
    Rule(
        "sah_tidak_sah_total",
        _("Suara sah + tidak sah = jumlah suara"),
        _("Suara sah ditambah suara tidak sah tidak sama dengan jumlah suara."),
        valid_plus_invalid_equals_total,
    ),
    Rule(
        "suara_tidak_sama_pemilih",
        _("Jumlah suara = pengguna hak pilih"),
        _("Jumlah suara tidak sama dengan jumlah pengguna hak pilih (B.4)."),
        total_equals_voters,
    ),
    Rule(
        "pengguna_tidak_seimbang",
        _("B.4 = B.1 + B.2 + B.3"),
        _("Jumlah pengguna hak pilih (B.4) tidak sama dengan pengguna DPT + DPTb + DPK."),
        voters_add_up,
    ),
    Rule(
        "pemilih_melebihi_daftar",
        _("Pengguna hak pilih ≤ DPT + DPTb + DPK"),
        _("Pengguna hak pilih lebih banyak daripada pemilih yang terdaftar."),
        voters_within_lists,
    ),
    Rule(
        "surat_digunakan_tidak_sama",
        _("Surat suara digunakan = pengguna hak pilih"),
        _("Surat suara yang digunakan tidak sama dengan jumlah pengguna hak pilih."),
        ballots_used_equal_voters,
    ),
    Rule(
        "surat_tidak_seimbang",
        _("Surat diterima = digunakan + rusak + tidak digunakan"),
        _("Surat suara yang diterima tidak sama dengan yang digunakan + rusak/keliru + tidak digunakan."),
        ballots_balance,
    ),
    Rule(
        "dpt_melebihi_batas",
        _("DPT ≤ batas maksimum per TPS"),
        _("DPT TPS ini melebihi batas maksimum pemilih per TPS menurut aturan pemilihan."),
        dpt_within_legal_maximum,
    ),
    Rule(
        "dpt_beda_daftar",
        _("DPT di formulir = DPT terdaftar"),
        _("DPT di formulir tidak sama dengan DPT TPS ini di daftar kita."),
        dpt_matches_register,
    ),
    Rule(
        "lpj_tidak_seimbang",
        _("L + P = J di setiap baris"),
        _("Laki-laki + perempuan tidak sama dengan jumlah pada satu baris atau lebih."),
        lpj_rows_add_up,
    ),
    Rule(
        "angka_mustahil",
        _("Tidak ada angka negatif atau mustahil"),
        _("Ada angka negatif atau terlalu besar untuk satu TPS."),
        numbers_plausible,
    ),
]
RULES_BY_CODE = {rule.code: rule for rule in RULES}

# The sums the C.Hasil form shows while it is typed (results/static/results/typing-help.js, issue 13.7):
# rule code → (fields added up, the field they must equal); ``paslon_*`` is every paslon's votes.
# Only a hint on the page: the rules above, run on the server, still decide (and never block).
LIVE_SUMS: dict[str, tuple[tuple[str, ...], str]] = {
    "paslon_tidak_sama_sah": (("paslon_*",), "suara_sah"),
    "sah_tidak_sah_total": (("suara_sah", "suara_tidak_sah"), "suara_total"),
    "suara_tidak_sama_pemilih": (("suara_total",), "pengguna_total_j"),
    "surat_digunakan_tidak_sama": (("surat_digunakan",), "pengguna_total_j"),
}


def live_sums() -> list[dict]:
    """``LIVE_SUMS`` with each rule's name and message in the page's language (for the form's data)."""
    return [{"code": code, "add": list(add), "equals": total, "name": str(RULES_BY_CODE[code].name),
             "message": str(RULES_BY_CODE[code].message)} for code, (add, total) in LIVE_SUMS.items()
            if code in RULES_BY_CODE]
PHOTO_RULE = Rule(
    PHOTO_DUPLICATE,
    _("Foto tidak dipakai untuk TPS lain"),
    _("Foto yang sama atau hampir sama juga dikirim untuk TPS lain."),
    lambda ctx: None,
)


# What the C.Hasil says beside the numbers (``attestation.py``): these rules flag a TPS too, for a
# coordinator to follow up; they read the submission's attestation, not its numbers.


def salinan_received(attestation: Mapping) -> str | None:
    """The saksi received the salinan of the C.Hasil: withholding it is an offence (DOMAIN.md, Witnesses)."""
    return _("salinan tidak diterima") if attestation.get("salinan") is False else None


def everyone_signed(attestation: Mapping) -> str | None:
    """KPPS and every saksi present signed the C.Hasil; a refusal is recorded (DOMAIN.md, page 3)."""
    refused = [_("KPPS")] if attestation.get("kpps") == "refused" else []
    refused += [_("saksi paslon %(n)s") % {"n": n} for n, s in (attestation.get("saksi") or {}).items()
                if s == "refused"]
    return ", ".join(str(r) for r in refused) or None


def no_objection(attestation: Mapping) -> str | None:
    """No C.Kejadian Khusus dan/atau Keberatan was filled with anything but NIHIL (DOMAIN.md, Witnesses)."""
    from .attestation import objected

    return str(attestation.get("keberatan_text") or _("formulir keberatan diisi"))[:120] if objected(
        attestation) else None


@dataclass(frozen=True)
class AttestationRule:
    code: str
    name: str
    message: str
    check: Callable[[Mapping], str | None]


ATTESTATION_RULES: list[AttestationRule] = [
    AttestationRule("salinan_tidak_diterima", _("Saksi menerima salinan C.Hasil"),
                    _("Saksi tidak menerima salinan C.Hasil (menahan salinan adalah tindak pidana)."),
                    salinan_received),
    AttestationRule("ttd_ditolak", _("KPPS dan saksi menandatangani C.Hasil"),
                    _("KPPS atau saksi menolak menandatangani C.Hasil."), everyone_signed),
    AttestationRule("ada_keberatan", _("Tidak ada keberatan"),
                    _("Formulir C.Kejadian Khusus dan/atau Keberatan diisi."), no_objection),
]
ATTESTATION_CODES = frozenset(rule.code for rule in ATTESTATION_RULES)
ALL_FLAGS = {**RULES_BY_CODE, PHOTO_DUPLICATE: PHOTO_RULE, **{r.code: r for r in ATTESTATION_RULES}}


def run_attestation_checks(attestation: Mapping | None) -> list[Failure]:
    """Run the attestation rules on what one C.Hasil says beside its numbers; returns the failures."""
    failures = []
    for rule in ATTESTATION_RULES:
        detail = rule.check(attestation or {})
        if detail is not None:
            failures.append(Failure(rule.code, str(rule.message), detail))
    return failures


def message(code: str) -> str:
    """The plain-Indonesian message of a flag code (the code itself if unknown)."""
    rule = ALL_FLAGS.get(code)
    return str(rule.message) if rule else code


def run_checks(election, tps, votes: Mapping[str, int], numbers: Mapping[str, int]) -> list[Failure]:
    """Run every rule on one TPS's form; returns the failures (empty = the arithmetic is right).

    ``election`` supplies ``max_dpt_per_tps``; ``tps`` (a TPS or None) its registered DPT.
    """
    ctx = Context(
        votes={str(k): v for k, v in votes.items()},
        numbers=numbers,
        max_dpt=election.max_dpt_per_tps,
        registered_dpt=getattr(tps, "dpt", None),
    )
    failures = []
    for rule in RULES:
        detail = rule.check(ctx)
        if detail is not None:
            failures.append(Failure(rule.code, str(rule.message), detail))
    return failures
