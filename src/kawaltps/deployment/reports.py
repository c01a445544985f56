"""Coverage and gaps: per TPS how many saksi and backups it has against what it wants, rolled up by region.

A TPS is **full** when it has the wanted number of saksi (``DeploymentSettings.saksi_per_tps``), a
**gap** when it has fewer saksi than wanted or no backup (while backups are wanted).
"""

from collections import Counter

from django.db.models import Count

from kawaltps.core.spreadsheet import csv_bytes, xlsx_bytes
from kawaltps.regions.models import TPS, Region

from .models import Assignment, TpsPriority

CHILD = {0: 2, 2: 4, 4: 6, 6: 10, 10: 13}


def _counts(election, prefix: str) -> tuple[Counter, Counter]:
    rows = (Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                      tps_code__startswith=prefix)
            .values("tps_code", "kind").annotate(n=Count("id")))
    saksi, backup = Counter(), Counter()
    for r in rows:
        (saksi if r["kind"] == Assignment.Kind.SAKSI else backup)[r["tps_code"]] += r["n"]
    return saksi, backup


def tps_status(election, prefix: str = "") -> list[dict]:
    """One row per TPS under ``prefix``: code, saksi, backup, wanted, weight."""
    from .services import settings_for  # here: services loads the solver and numpy, this module every command

    conf = settings_for(election)
    saksi, backup = _counts(election, prefix)
    weights = dict(TpsPriority.objects.filter(election=election, tps_code__startswith=prefix)
                   .values_list("tps_code", "weight"))
    return [{"code": c, "number": n, "address": addr, "saksi": saksi[c], "backup": backup[c],
             "wanted": conf.saksi_per_tps, "backups_wanted": conf.backups_per_tps, "weight": weights.get(c, 1)}
            for c, n, addr in TPS.objects.filter(election=election, code__startswith=prefix)
            .order_by("code").values_list("code", "number", "address")]


def is_gap(row: dict) -> bool:
    return row["saksi"] < row["wanted"] or (row["backups_wanted"] > 0 and row["backup"] == 0)


def summary(rows: list[dict]) -> dict:
    return {"tps": len(rows), "full": sum(r["saksi"] >= r["wanted"] for r in rows),
            "with_backup": sum(r["backup"] > 0 for r in rows), "none": sum(r["saksi"] == 0 for r in rows),
            "gaps": sum(is_gap(r) for r in rows)}


def by_child(election, prefix: str = "") -> list[dict]:
    """Coverage per child region of ``prefix`` (kota under a provinsi, …, TPS under a kelurahan)."""
    rows = tps_status(election, prefix)
    n = CHILD.get(len(prefix), 13)
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["code"][:n], []).append(r)
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name")) if n < 13 else {}
    out = []
    for code, items in groups.items():
        s = summary(items)
        s.update(code=code, name=names.get(code, code), coverage=s["full"] / s["tps"] if s["tps"] else 0,
                 target=s["tps"], certified=s["full"], gap=s["tps"] - s["full"])
        out.append(s)
    return out


def gap_rows(election, prefix: str = "") -> list[dict]:
    """TPS lacking a saksi or a backup, with their kelurahan/kecamatan/kota names, most important first."""
    rows = [r for r in tps_status(election, prefix) if is_gap(r)]
    codes = {r["code"][:k] for r in rows for k in (4, 6, 10)}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    for r in rows:
        r.update(kota=names.get(r["code"][:4], ""), kecamatan=names.get(r["code"][:6], ""),
                 kelurahan=names.get(r["code"][:10], ""),
                 missing="saksi" if r["saksi"] < r["wanted"] else "cadangan")
    rows.sort(key=lambda r: (r["missing"] != "saksi", -r["weight"], r["code"]))
    return rows


COLUMNS = ["code", "kota", "kecamatan", "kelurahan", "number", "address", "saksi", "backup", "wanted", "missing",
           "weight"]
HEADERS = ["kode_tps", "kota", "kecamatan", "kelurahan", "nomor_tps", "alamat", "saksi", "cadangan", "saksi_diminta",
           "kurang", "bobot"]


def gaps_csv(rows: list[dict]) -> bytes:
    """The gaps as CSV (UTF-8 with a BOM so spreadsheet programs read the names right), through
    ``core.spreadsheet`` so no cell is read as a formula."""
    return "\ufeff".encode() + csv_bytes([HEADERS, *([r[c] for c in COLUMNS] for r in rows)])


def gaps_xlsx(rows: list[dict]) -> bytes:
    return xlsx_bytes([HEADERS, *([r[c] for c in COLUMNS] for r in rows)], "TPS tanpa saksi")
