"""The per-child rows of the D.Hasil entry page (``/rekap/dhasil/``): which rows the form lists, and
reading what the clerk typed into them.

Rules:
- A D.Hasil lists its children, one row each: the kelurahan of a D.Hasil Kecamatan, the kecamatan of a
  D.Hasil Kab/Kota, the kab/kota of a D.Hasil Provinsi — those with TPS of the election in our register
  (:func:`child_regions`).
- A row has DPT, pengguna hak pilih, surat suara digunakan, suara sah, suara tidak sah and one number per
  paslon, posted as ``baris-<child code>-<field>`` (:data:`ROW_FIELDS`, ``paslon_<n>``).
- Rows left wholly empty mean "rows not typed": the D.Hasil is saved with its totals only. Once one row is
  typed, every row must be (a missing row would make the children not add up for the wrong reason):
  :func:`rows_from_post` names the empty rows. The numbers themselves, and that the rows add up to the
  totals, are checked by ``dhasil.save_dhasil`` (nothing is saved when they do not).
"""

from __future__ import annotations

from django.db.models import QuerySet

from kawaltps.core.numbers import is_ascii_digits
from kawaltps.elections.models import Election
from kawaltps.regions.models import Region

from .dhasil import CHILD_LENGTH, CHILD_WORD, DHasilError, parse_tier
from .models import TIER_CODE_LENGTH

# the children's field in save_dhasil → the posted name (the same names as the totals' inputs)
ROW_FIELDS = {"dpt": "dpt", "voters": "pengguna", "ballots_used": "surat_suara", "valid": "sah",
              "invalid": "tidak_sah"}


def child_regions(election: Election, tier: str, code: str) -> QuerySet[Region] | list:
    """The regions one tier down inside ``code`` with TPS of the election, by code; [] when the tier or
    code is not a D.Hasil's (the page then shows no rows)."""
    try:
        t = parse_tier(tier)
    except DHasilError:
        return []
    code = (code or "").strip().replace(".", "")
    if not is_ascii_digits(code) or len(code) != TIER_CODE_LENGTH[t]:
        return []
    length = CHILD_LENGTH[t]
    tps = election.tps_set.filter(code__startswith=code).values_list("code", flat=True)
    codes = sorted({c[:length] for c in tps})
    return Region.objects.filter(code__in=codes).order_by("code")


def field_name(child: str, field: str) -> str:
    return f"baris-{child}-{field}"


def row_inputs(post, regions, numbers: list[int]) -> list[dict]:
    """For the template: per child region its code, name and the inputs (name, posted value)."""
    get = post.get if post else (lambda _k, _d="": "")
    out = []
    for r in regions:
        names = [*(f"paslon_{n}" for n in numbers), "sah", "tidak_sah", "dpt", "pengguna", "surat_suara"]
        out.append({"code": r.code, "name": r.name,
                    "inputs": [(n, field_name(r.code, n), get(field_name(r.code, n), "")) for n in names]})
    return out


def rows_from_post(post, tier: str, regions, numbers: list[int]) -> dict | None:
    """The children to give ``save_dhasil`` ({code: {"votes": {...}, "dpt", ...}}, raw text), or None when
    no row was typed. DHasilError (Indonesian) names the rows left empty when others are typed."""
    rows, empty = {}, []
    for r in regions:
        values = {n: (post.get(field_name(r.code, f"paslon_{n}")) or "").strip() for n in numbers}
        admin = {f: (post.get(field_name(r.code, name)) or "").strip() for f, name in ROW_FIELDS.items()}
        if not any(values.values()) and not any(admin.values()):
            empty.append(r)
            continue
        rows[r.code] = {"votes": {str(n): v for n, v in values.items()}, **admin}
    if not rows:
        return None
    if empty:
        word = CHILD_WORD[parse_tier(tier)]
        names = ", ".join(f"{r.name} ({r.code})" for r in empty[:10]) + (" …" if len(empty) > 10 else "")
        raise DHasilError(f"baris {word} belum diisi: {names}; isi semua baris atau kosongkan semuanya")
    return rows
