"""Per-station numbers for the forensics, from a stored election or from any per-station CSV.

A :class:`Units` holds one row per polling station (a TPS, a Russian UIK, a Canadian poll) as
NumPy arrays: ``registered`` (voters on the list), ``voters`` (ballots cast), ``valid`` (valid
votes), ``winner`` (votes of the overall leader), a ``unit`` id, and optional grouping labels
(``region`` for the report by region; ``kelurahan``/``kecamatan`` for the neighbourhood outliers).

Rows that cannot be a polling station are left out and counted with their reason (never silently):
a missing or non-numeric number, registered ≤ 0, voters above registered, valid above voters,
winner above valid. When more than :data:`MAX_BAD_SHARE` of the rows are bad the columns are
probably the wrong ones and the whole input is refused with a message that says so.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

MAX_BAD_SHARE = 0.05


class AnalyticsError(ValueError):
    """Bad input for an analysis; the message is for the user (Indonesian, translated)."""


@dataclass
class Units:
    registered: np.ndarray
    voters: np.ndarray
    valid: np.ndarray
    winner: np.ndarray
    unit: np.ndarray
    groups: dict[str, np.ndarray] = field(default_factory=dict)  # level name -> label per unit
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> rows left out
    winner_label: str = ""
    index: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # level -> (names, idx)

    def group(self, level: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted unique labels, each unit's index into them) of a grouping, computed once."""
        if level not in self.index:
            series = pl.Series(self.groups[level], dtype=pl.String)
            self.index[level] = _dense(series)
        return self.index[level]

    def __len__(self) -> int:
        return int(self.registered.shape[0])

    @property
    def turnout(self) -> np.ndarray:
        return self.voters / self.registered

    @property
    def share(self) -> np.ndarray:
        """The winner's share of the valid votes (NaN where there are none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.valid > 0, self.winner / np.maximum(self.valid, 1), np.nan)

    def subset(self, mask: np.ndarray) -> Units:
        return Units(self.registered[mask], self.voters[mask], self.valid[mask], self.winner[mask],
                     self.unit[mask], {k: v[mask] for k, v in self.groups.items()}, dict(self.excluded),
                     self.winner_label, {k: (names, idx[mask]) for k, (names, idx) in self.index.items()})


def _dense(series: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    idx = (series.rank("dense") - 1).to_numpy().astype(np.int64)
    return series.unique().sort().to_numpy(), idx


def from_frame(df: pl.DataFrame, *, registered: str, voters: str, valid: str, winner: str, unit: str | None,
               groups: dict[str, str], winner_label: str = "") -> Units:
    """Check and convert a frame whose named columns are numbers (Int/Float) or labels."""
    n = df.height
    if n == 0:
        raise AnalyticsError(_("Tidak ada baris data untuk dianalisis."))
    nums = {k: df[c].cast(pl.Float64, strict=False).to_numpy() for k, c in
            (("registered", registered), ("voters", voters), ("valid", valid), ("winner", winner))}
    reasons = {
        _("angka kosong atau bukan angka"): ~np.all([np.isfinite(v) for v in nums.values()], axis=0),
    }
    finite = ~reasons[_("angka kosong atau bukan angka")]
    with np.errstate(invalid="ignore"):
        r, t, v, w = (np.where(finite, nums[k], 0) for k in ("registered", "voters", "valid", "winner"))
        reasons[_("pemilih terdaftar nol atau negatif")] = finite & (r <= 0)
        reasons[_("pengguna hak pilih melebihi pemilih terdaftar")] = finite & (r > 0) & (t > r)
        reasons[_("suara sah melebihi pengguna hak pilih")] = finite & (t <= r) & (v > t)
        reasons[_("suara pemenang melebihi suara sah")] = finite & (v <= t) & (w > v)
        reasons[_("angka negatif")] = finite & ((t < 0) | (v < 0) | (w < 0))
    bad = np.zeros(n, dtype=bool)
    excluded = {}
    for reason, mask in reasons.items():
        mask = mask & ~bad
        if mask.any():
            excluded[reason] = int(mask.sum())
        bad |= mask
    if bad.sum() > MAX_BAD_SHARE * n:
        detail = "; ".join(f"{reason}: {count}" for reason, count in excluded.items())
        raise AnalyticsError(_("%(bad)d dari %(n)d baris tidak mungkin berasal dari satu TPS (%(detail)s). "
                               "Periksa apakah kolom yang dipilih sudah benar.")
                             % {"bad": int(bad.sum()), "n": n, "detail": detail})
    keep = ~bad
    ids = df[unit].cast(pl.String).to_numpy() if unit else np.arange(1, n + 1).astype(str)
    kept = pl.Series(keep)
    index = {name: _dense(df[col].cast(pl.String).fill_null("").filter(kept)) for name, col in groups.items()}
    return Units(registered=r[keep].astype(np.int64), voters=t[keep].astype(np.int64),
                 valid=v[keep].astype(np.int64), winner=w[keep].astype(np.int64), unit=ids[keep],
                 groups={name: df[col].cast(pl.String).fill_null("").to_numpy()[keep] for name, col in groups.items()},
                 excluded=excluded, winner_label=winner_label, index=index)


# --- any per-station CSV ------------------------------------------------------------------------

def read_table(path: str | Path) -> pl.DataFrame:
    """A CSV (UTF-8, comma-separated), plain, gzipped, or the single CSV inside a ZIP; every cell a string."""
    path = Path(path)
    if not path.exists():
        raise AnalyticsError(_("Berkas %(path)s tidak ada.") % {"path": path})
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                names = [i.filename for i in z.infolist() if i.filename.lower().endswith((".csv", ".txt"))]
                if len(names) != 1:
                    raise AnalyticsError(_("Berkas ZIP harus berisi tepat satu CSV (ada: %(names)s).")
                                         % {"names": ", ".join(z.namelist()[:10]) or "-"})
                data = z.read(names[0])
            return pl.read_csv(io.BytesIO(data), infer_schema_length=0)
        return pl.read_csv(path, infer_schema_length=0)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError) as exc:
        raise AnalyticsError(_("Berkas %(path)s tidak dapat dibaca sebagai CSV: %(err)s")
                             % {"path": path.name, "err": str(exc).splitlines()[0][:200]}) from None


def column(df: pl.DataFrame, spec: str, what: str) -> pl.Expr:
    """A column named by ``spec``: its exact name, its 1-based position, or several joined by ``+``
    (summed: Russian protocols have no single "voters" line). Raises with the available columns."""
    parts = [p.strip() for p in spec.split("+")] if spec not in df.columns else [spec]
    exprs = []
    for p in parts:
        if p in df.columns:
            name = p
        elif p.isdigit() and 1 <= int(p) <= df.width:
            name = df.columns[int(p) - 1]
        else:
            shown = ", ".join(f"{i + 1}={c[:40]}" for i, c in enumerate(df.columns[:30]))
            raise AnalyticsError(_("Kolom %(what)s %(spec)r tidak ada. Kolom berkas: %(cols)s")
                                 % {"what": what, "spec": p, "cols": shown})
        values = df[name].str.strip_chars().str.replace_all(r"[ _]", "")
        numeric = values.cast(pl.Float64, strict=False)
        nonnum = df.filter(values.is_not_null() & (values != "") & numeric.is_null())
        if nonnum.height > MAX_BAD_SHARE * max(df.height, 1):
            example = nonnum[name][0]
            raise AnalyticsError(_("Kolom %(what)s %(spec)r bukan angka (contoh: %(ex)r di %(bad)d baris).")
                                 % {"what": what, "spec": name, "ex": example, "bad": nonnum.height})
        exprs.append(pl.lit(numeric))
    return pl.sum_horizontal(exprs) if len(exprs) > 1 else exprs[0]


def _label(df: pl.DataFrame, spec: str, what: str) -> str:
    if spec in df.columns:
        return spec
    if spec.isdigit() and 1 <= int(spec) <= df.width:
        return df.columns[int(spec) - 1]
    raise AnalyticsError(_("Kolom %(what)s %(spec)r tidak ada.") % {"what": what, "spec": spec})


def from_csv(path: str | Path, *, registered: str, voters: str, valid: str, winner: str,
             unit: str | None = None, region: str | None = None) -> Units:
    """Units from a per-station CSV; columns as in :func:`column`."""
    df = read_table(path)
    if df.height == 0:
        raise AnalyticsError(_("Berkas %(path)s tidak berisi baris data.") % {"path": Path(path).name})
    frame = pl.DataFrame({
        "registered": df.select(column(df, registered, "terdaftar")).to_series(),
        "voters": df.select(column(df, voters, "pengguna hak pilih")).to_series(),
        "valid": df.select(column(df, valid, "suara sah")).to_series(),
        "winner": df.select(column(df, winner, "pemenang")).to_series(),
    })
    groups = {}
    if unit:
        frame = frame.with_columns(df[_label(df, unit, "unit")].alias("unit"))
    if region:
        frame = frame.with_columns(df[_label(df, region, "wilayah")].alias("region"))
        groups["region"] = "region"
    return from_frame(frame, registered="registered", voters="voters", valid="valid", winner="winner",
                      unit="unit" if unit else None, groups=groups, winner_label=winner)
