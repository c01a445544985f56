"""Who is present where: the board per region and the TPS still without a saksi.

    present(tps)  = distinct saksi with a check-in at the TPS
    wanted        = deployment's saksi_per_tps for the election (DeploymentSettings)
    bucket(tps)   = "none" if present == 0, "all" if present >= wanted, else "some"
    region row    = per child region (kota → kecamatan → kelurahan → TPS): TPS count per bucket,
                    far check-ins, mandates refused by KPPS

One GROUP BY over TPS codes (present saksi per TPS in a subquery) and one over check-ins;
children are a prefix of the code (``regions.aggregation``), so a row is a sum of TPS of that prefix.
Uncovered TPS (``uncovered``)
carry their backups (name, phone) and their koordinator (the koordinator whose region is the
longest prefix of the TPS code), for the escalation and the one-tap dispatch.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr

from kawaltps.access import Action, may, scope_q
from kawaltps.deployment.models import Assignment
from kawaltps.deployment.services import settings_for as deployment_settings
from kawaltps.people.models import Role, User
from kawaltps.regions.models import TPS, Region

from .models import CheckIn

CHILD_WIDTH = {0: 2, 2: 4, 4: 6, 6: 10, 10: 13}
NONE, SOME, ALL = "none", "some", "all"


@dataclass
class Row:
    code: str
    name: str
    tps: int = 0
    counts: Counter = field(default_factory=Counter)
    far: int = 0
    refused: int = 0

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "tps": self.tps, "none": self.counts[NONE],
                "some": self.counts[SOME], "all": self.counts[ALL], "far": self.far, "mandate_refused": self.refused}


def presence(election, prefix: str = "") -> dict[str, dict]:
    """Per TPS code with any check-in: present saksi, far check-ins, mandate refused."""
    qs = CheckIn.objects.filter(election=election, tps_code__startswith=prefix).values("tps_code").annotate(
        n=Count("user", distinct=True), far=Count("id", filter=Q(far=True)),
        refused=Count("id", filter=Q(mandate_accepted=False)))
    return {r["tps_code"]: r for r in qs}


def _present(election):
    """Distinct saksi checked in at the outer TPS (a correlated subquery on (election, tps_code))."""
    per_tps = (CheckIn.objects.filter(election=election, tps_code=OuterRef("code")).order_by()
               .values("tps_code").annotate(n=Count("user", distinct=True)).values("n"))
    return Coalesce(Subquery(per_tps, output_field=IntegerField()), 0)


def board(election, region: str = "", user=None, *, width: int | None = None) -> dict:
    """The board below ``region`` ('' = the election's scope): one row per child region (or per
    region of code ``width``: 10 = kelurahan for the map), and the totals.

    Two GROUP BY queries on the code prefix ``Substr(code, 1, width)``: TPS per bucket (with each
    TPS's present saksi from ``_present``), and far / refused check-ins of the TPS in scope."""
    region = region.replace(".", "")
    width = width or CHILD_WIDTH.get(len(region), 13)
    wanted = deployment_settings(election).saksi_per_tps
    tps = TPS.objects.filter(election=election, code__startswith=region)
    if user is not None:
        tps = tps.filter(scope_q(user, Action.VIEW_FIELD))
    rows: dict[str, Row] = {}
    for r in (tps.annotate(key=Substr("code", 1, width), n=_present(election)).values("key").order_by("key")
              .annotate(tps=Count("id"), none=Count("id", filter=Q(n=0)),
                        all=Count("id", filter=Q(n__gte=max(wanted, 1))))):
        row = rows[r["key"]] = Row(r["key"], "", tps=r["tps"])
        row.counts.update({NONE: r["none"], ALL: r["all"], SOME: r["tps"] - r["none"] - r["all"]})
    checkins = CheckIn.objects.filter(election=election, tps_code__startswith=region)
    if user is not None:
        checkins = checkins.filter(scope_q(user, Action.VIEW_FIELD, "tps_code"))  # the same rule on the code
    for r in (checkins.annotate(key=Substr("tps_code", 1, width)).values("key").order_by()
              .annotate(far=Count("id", filter=Q(far=True)), refused=Count("id", filter=Q(mandate_accepted=False)))):
        if (row := rows.get(r["key"])) is not None:
            row.far, row.refused = r["far"], r["refused"]
    total = Row(region, "")
    for row in rows.values():
        total.tps += row.tps
        total.counts.update(row.counts)
        total.far += row.far
        total.refused += row.refused
    if width < 13:
        names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
        for key, row in rows.items():
            row.name = names.get(key, key)
    else:
        for key, row in rows.items():
            row.name = f"TPS {key[-3:]}"
    return {"region": region, "wanted": wanted, "total": total.as_dict(),
            "rows": [rows[k].as_dict() for k in sorted(rows)]}


def rollup(fine: dict, width: int) -> dict:
    """``fine`` (a board at a deeper width, e.g. kelurahan) summed up to codes of ``width`` (one pass
    over the few hundred fine rows instead of a second pass over every TPS)."""
    rows: dict[str, dict] = {}
    for r in fine["rows"]:
        key = r["code"][:width]
        row = rows.setdefault(key, {"code": key, "name": key, "tps": 0, "none": 0, "some": 0, "all": 0, "far": 0,
                                    "mandate_refused": 0})
        for k in ("tps", "none", "some", "all", "far", "mandate_refused"):
            row[k] += r[k]
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    for key, row in rows.items():
        row["name"] = names.get(key, key)
    return {**fine, "rows": [rows[k] for k in sorted(rows)]}


def map_rows(rows: list[dict]) -> list[dict]:
    """Kelurahan rows for ``volunteers.tilemap``: target = TPS, coverage = share with a saksi present."""
    return [{**r, "target": r["tps"], "coverage": (r["some"] + r["all"]) / r["tps"] if r["tps"] else 0}
            for r in rows]


def koordinator_for(code: str, koordinators: list) -> User | None:
    """The koordinator with the longest region prefix of ``code`` (the nearest one)."""
    best = None
    for k in koordinators:
        if k.region_id and code.startswith(k.region_id) and (best is None or len(k.region_id) > len(best.region_id)):
            best = k
    return best


def uncovered(election, region: str = "", user=None) -> list[dict]:
    """TPS below ``region`` (within ``user``'s scope) with no saksi checked in, with their backups
    (name; phone only for a user who may see personal data) and their koordinator."""
    present = set(presence(election, region))
    tps = TPS.objects.filter(election=election, code__startswith=region)
    if user is not None:
        tps = tps.filter(scope_q(user, Action.VIEW_FIELD))
    codes = [c for c in tps.order_by("code").values_list("code", flat=True) if c not in present]
    backups = defaultdict(list)
    for a in (Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                        kind=Assignment.Kind.BACKUP, tps_code__in=codes)
              .select_related("volunteer")):
        backups[a.tps_code].append(a)
    phones = user is None or may(user, Action.VIEW_PERSONAL_DATA, region or None)
    koords = list(User.objects.filter(role=Role.KOORDINATOR, is_active=True).exclude(region=None))
    out = []
    for code in codes:
        k = koordinator_for(code, koords)
        out.append({"code": code, "koordinator": k.get_username() if k else None,
                    "koordinator_id": k.pk if k else None,
                    "backups": [{"assignment": a.pk, "name": a.volunteer.name,
                                 "phone": a.volunteer.phone if phones else None} for a in backups[code]]})
    return out
