"""What the map colours: one value per kelurahan (and per TPS where it has one) for each layer.

Layers, each asked of the app that owns the numbers, each behind its own action (``kawaltps.access``):

- ``chasil`` (``VIEW_RESULTS`` and ``visibility.may_see_region_numbers``): share of the election's
  TPS whose C.Hasil (ours, source witness) has numbers (state entered, verified, disputed or final);
- ``selisih`` (``VIEW_DISCREPANCIES``): impact of the recap findings (``recap.Discrepancy``) at a
  TPS or kelurahan code, summed: Σ ``impact_rank`` (= |votes of the 50 % + 1 line|, ``recap.impact``);
- ``kesiapan`` (``VIEW_READINESS``): certified saksi ÷ target (``volunteers.readiness``: TPS × saksi per TPS);
- ``hadir`` (``VIEW_FIELD``): share of TPS with at least one saksi checked in (``fieldday.board``).

A value is shown with ``core.formatting`` (45%, 1.204) and falls in one of the layer's classes;
rows come worst first (the least covered, the largest impact), as a coordinator reads them.
Rows are limited to the user's scope by ``scope_q`` on the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawaltps.access import Action, may, may_see_region_numbers, scope_q
from kawaltps.access.visibility import NUMBER_STATES
from kawaltps.core import formatting
from kawaltps.regions.codes import Level
from kawaltps.regions.models import TPS, Region

GREY = "#d0d4d9"
#: share classes (upper bound, exclusive; None = the rest): the tile map's steps (volunteers.tilemap)
SHARE = [(0.2, "#b3261e", "< 20%"), (0.5, "#e4572e", "20–49%"), (0.8, "#f2a541", "50–79%"),
         (1.0, "#9bc53d", "80–99%"), (None, "#1e7b34", "100%")]
#: impact classes in votes (upper bound, inclusive)
IMPACT = [(0, "#e8f1e4", "0"), (10, "#fcd9b6", "1–10"), (100, "#f4a261", "11–100"),
          (1000, "#d9481c", "101–1.000"), (None, "#7f1d1d", "> 1.000")]


@dataclass(frozen=True)
class Value:
    value: float | int | None
    label: str
    detail: str
    cls: int | None  # index into the layer's classes; None = no data (grey)


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    action: Action
    explain: str
    classes: list[tuple]
    worst_first_desc: bool  # sort descending (impact) or ascending (coverage)
    kelurahan: Callable  # (election, prefix, user) -> {kelurahan code: Value}
    tps: Callable | None = None  # (election, prefix, user) -> {tps code: Value}
    needs_region_numbers: bool = False

    def allowed(self, user, code: str) -> bool:
        if not may(user, self.action, code or None):
            return False
        return not self.needs_region_numbers or may_see_region_numbers(user, code)

    def legend(self) -> list[dict]:
        return [{"colour": c, "label": label} for _, c, label in self.classes] + [
            {"colour": GREY, "label": _("tanpa data")}]


NO_TPS = Value(None, formatting.NOTHING, gettext_lazy("tanpa TPS"), None)


def share_class(share: float) -> int:
    for i, (limit, _c, _l) in enumerate(SHARE):
        if limit is None or share < limit:
            return i
    return len(SHARE) - 1


def impact_class(votes: int) -> int:
    for i, (limit, _c, _l) in enumerate(IMPACT):
        if limit is None or votes <= limit:
            return i
    return len(IMPACT) - 1


def _share(part: int, whole: int, detail: str) -> Value:
    if not whole:
        return Value(None, formatting.NOTHING, _("tanpa TPS"), None)
    share = part / whole
    return Value(round(share, 4), formatting.percent(100 * share, 0), detail, share_class(share))


def _tps_counts(election, prefix: str, user, action: Action) -> dict[str, int]:
    qs = TPS.objects.filter(election=election, code__startswith=prefix).filter(scope_q(user, action))
    return {r["kelurahan_id"]: r["n"] for r in qs.values("kelurahan_id").order_by().annotate(n=Count("id"))}


# --- chasil -------------------------------------------------------------------------------------
def _with_numbers(election, prefix: str, user):
    from kawaltps.results.models import Source, TpsResult

    return (TpsResult.objects.filter(election=election, source=Source.WITNESS, code__startswith=prefix,
                                     state__in=sorted(NUMBER_STATES))
            .filter(scope_q(user, Action.VIEW_RESULTS)))


def chasil_kelurahan(election, prefix: str, user) -> dict[str, Value]:
    tps = _tps_counts(election, prefix, user, Action.VIEW_RESULTS)
    got = {r["k"]: r["n"] for r in _with_numbers(election, prefix, user).annotate(k=Substr("code", 1, 10))
           .values("k").order_by().annotate(n=Count("id"))}
    return {code: _share(got.get(code, 0), n, _("%(a)s dari %(b)s TPS ada angka C.Hasil") % {
        "a": formatting.number(got.get(code, 0)), "b": formatting.number(n)})
        for code, n in tps.items() if may_see_region_numbers(user, code)}


def chasil_tps(election, prefix: str, user) -> dict[str, Value]:
    got = set(_with_numbers(election, prefix, user).values_list("code", flat=True))
    yes, no = _("ada angka C.Hasil"), _("belum ada angka")
    return {c: Value(1 if c in got else 0, yes if c in got else no, "", len(SHARE) - 1 if c in got else 0)
            for c in TPS.objects.filter(election=election, code__startswith=prefix).values_list("code", flat=True)}


# --- selisih ------------------------------------------------------------------------------------
def _findings(election, prefix: str, user, width: int):
    from kawaltps.recap.models import Discrepancy

    qs = (Discrepancy.objects.filter(election=election, code__startswith=prefix)
          .filter(scope_q(user, Action.VIEW_DISCREPANCIES)).filter(code__regex=rf"^[0-9]{{{width}}}"))
    return {r["k"]: r for r in qs.annotate(k=Substr("code", 1, width)).values("k").order_by()
            .annotate(n=Count("id"), impact=Sum("impact_rank"), moved=Sum("votes_moved"))}


def _impact(r: dict | None) -> Value:
    if r is None:
        return Value(0, "0", _("tanpa temuan"), 0)
    impact = int(r["impact"] or 0)
    return Value(impact, formatting.number(impact), _("%(n)s temuan, %(v)s suara berpindah") % {
        "n": formatting.number(r["n"]), "v": formatting.number(r["moved"] or 0)}, impact_class(impact))


def selisih_kelurahan(election, prefix: str, user) -> dict[str, Value]:
    found = _findings(election, prefix, user, 10)
    kel = Region.objects.filter(level=Level.KELURAHAN, code__startswith=prefix).filter(
        scope_q(user, Action.VIEW_DISCREPANCIES)).values_list("code", flat=True)
    return {code: _impact(found.get(code)) for code in kel}


def selisih_tps(election, prefix: str, user) -> dict[str, Value]:
    found = _findings(election, prefix, user, 13)
    return {c: _impact(found.get(c)) for c in TPS.objects.filter(election=election, code__startswith=prefix)
            .filter(scope_q(user, Action.VIEW_DISCREPANCIES)).values_list("code", flat=True)}


# --- kesiapan -----------------------------------------------------------------------------------
def kesiapan_kelurahan(election, prefix: str, user) -> dict[str, Value]:
    from kawaltps.volunteers.readiness import level_rows

    out = {}
    for r in level_rows(election, Level.KELURAHAN, prefix):
        if not may(user, Action.VIEW_READINESS, r["code"]):
            continue
        if not r["target"]:
            out[r["code"]] = Value(None, formatting.NOTHING, _("tanpa TPS"), None)
            continue
        out[r["code"]] = Value(r["coverage"], formatting.percent(100 * r["coverage"], 0),
                               _("%(c)s tersertifikasi dari target %(t)s; %(tr)s terlatih") % {
                                   "c": formatting.number(r["certified"]), "t": formatting.number(r["target"]),
                                   "tr": formatting.number(r["trained"])}, share_class(r["coverage"]))
    return out


# --- hadir --------------------------------------------------------------------------------------
def _present(election, prefix: str, user, width: int) -> dict[str, Value]:
    from kawaltps.fieldday.board import board

    out = {}
    for r in board(election, prefix, user, width=width)["rows"]:
        here = r["some"] + r["all"]
        if width == 13:
            out[r["code"]] = Value(here, _("saksi hadir") if here else _("belum ada saksi"), "",
                                   len(SHARE) - 1 if r["all"] else (2 if here else 0))
        else:
            out[r["code"]] = _share(here, r["tps"], _("%(a)s dari %(b)s TPS ada saksi hadir") % {
                "a": formatting.number(here), "b": formatting.number(r["tps"])})
    return out


def hadir_kelurahan(election, prefix: str, user) -> dict[str, Value]:
    return _present(election, prefix, user, 10)


def hadir_tps(election, prefix: str, user) -> dict[str, Value]:
    return _present(election, prefix, user, 13)


LAYERS: dict[str, Layer] = {layer.key: layer for layer in [
    Layer("chasil", gettext_lazy("C.Hasil masuk"), Action.VIEW_RESULTS,
          gettext_lazy("Bagian TPS yang C.Hasil saksinya sudah berisi angka."), SHARE, False,
          chasil_kelurahan, chasil_tps, needs_region_numbers=True),
    Layer("selisih", gettext_lazy("Selisih menurut dampak"), Action.VIEW_DISCREPANCIES,
          gettext_lazy("Jumlah dampak temuan rekap (suara terhadap garis 50 % + 1) di TPS dan kelurahan."),
          IMPACT, True, selisih_kelurahan, selisih_tps),
    Layer("kesiapan", gettext_lazy("Kesiapan saksi"), Action.VIEW_READINESS,
          gettext_lazy("Saksi tersertifikasi dibagi target (TPS × saksi per TPS)."), SHARE, False,
          kesiapan_kelurahan, None),
    Layer("hadir", gettext_lazy("Saksi hadir (hari H)"), Action.VIEW_FIELD,
          gettext_lazy("Bagian TPS yang saksinya sudah check-in."), SHARE, False, hadir_kelurahan, hadir_tps),
]}


def allowed_layers(user, code: str) -> list[Layer]:
    """The layers ``user`` may see at region ``code``, in menu order."""
    return [layer for layer in LAYERS.values() if layer.allowed(user, code)]


def sort_key(layer: Layer):
    """Worst first; kelurahan without data last; then by code."""
    def key(item: tuple[str, Value]):
        code, v = item
        if v.value is None:
            return (1, 0, code)
        return (0, -v.value if layer.worst_first_desc else v.value, code)
    return key
