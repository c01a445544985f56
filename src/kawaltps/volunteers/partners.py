"""Partner organisations (ormas): coordinators, volunteers brought, share of training and of TPS coverage.

TPS coverage credit (a decision; assignment to TPS is a later step): in each kelurahan the election
has ``TPS × SAKSI_PER_TPS`` saksi slots; the certified volunteers living there fill
``min(slots, certified)`` of them, and each ormas is credited with those filled slots in proportion
to its share of the kelurahan's certified volunteers. An ormas's coverage is its credited slots
divided by ``SAKSI_PER_TPS`` (in TPS), and its share is that over all the region's TPS. So surplus
saksi in a kelurahan that is already full earn nothing; only saksi who close a gap count.
"""

from collections import defaultdict

from django.db.models import Count, Q

from kawaltps.people.models import Organisation, Role, User
from kawaltps.regions.models import TPS

from .models import Volunteer
from .readiness import CERTIFIED, SAKSI_PER_TPS, TRAINED


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def partner_stats(prefix: str = "", election=None, per_tps: int | None = None) -> dict:
    """Per organisation (plus "no organisation") within region ``prefix``; totals for the region."""
    per_tps = SAKSI_PER_TPS if per_tps is None else per_tps
    vols = Volunteer.objects.filter(kelurahan__code__startswith=prefix)
    counts = {r["organisation_id"]: r for r in vols.values("organisation_id").annotate(
        registered=Count("id"), trained=Count("id", filter=Q(status__in=TRAINED)),
        certified=Count("id", filter=Q(status__in=CERTIFIED))).order_by()}
    credit: dict[int | None, float] = defaultdict(float)
    total_tps = 0
    if election is not None:
        tps = dict(TPS.objects.filter(election=election, code__startswith=prefix).values("kelurahan_id")
                   .annotate(n=Count("id")).order_by().values_list("kelurahan_id", "n"))
        total_tps = sum(tps.values())
        by_kel: dict[str, dict] = defaultdict(dict)
        for kel, org, n in (vols.filter(status__in=CERTIFIED).values("kelurahan_id", "organisation_id")
                            .annotate(n=Count("id")).order_by().values_list("kelurahan_id", "organisation_id", "n")):
            by_kel[kel][org] = n
        for kel, per_org in by_kel.items():
            certified = sum(per_org.values())
            filled = min(tps.get(kel, 0) * per_tps, certified)
            for org, n in per_org.items():
                credit[org] += filled * n / certified
    coordinators = defaultdict(list)
    for user in (User.objects.filter(role=Role.KOORDINATOR, organisation__isnull=False, is_active=True)
                 .filter(Q(region__isnull=True) | Q(region__code__startswith=prefix) if prefix else Q())
                 .select_related("region").order_by("first_name", "username")):
        coordinators[user.organisation_id].append(user)
    all_reg = sum(c["registered"] for c in counts.values()) or 0
    all_trained = sum(c["trained"] for c in counts.values()) or 0
    all_cert = sum(c["certified"] for c in counts.values()) or 0
    rows = []
    orgs = list(Organisation.objects.all())
    for org in [*orgs, None]:
        key = org.pk if org else None
        c = counts.get(key, {"registered": 0, "trained": 0, "certified": 0})
        if org is None and not c["registered"]:
            continue
        covered = credit.get(key, 0.0) / per_tps
        rows.append({
            "organisation": org, "name": org.name if org else "", "coordinators": coordinators.get(key, []),
            **{k: c[k] for k in ("registered", "trained", "certified")},
            # shares in percent
            "share_registered": _pct(c["registered"], all_reg), "share_trained": _pct(c["trained"], all_trained),
            "share_certified": _pct(c["certified"], all_cert),
            "tps_covered": round(covered, 1), "share_tps": _pct(covered, total_tps),
        })
    return {"rows": rows, "tps": total_tps, "registered": all_reg, "trained": all_trained, "certified": all_cert,
            "tps_covered": round(sum(credit.values()) / per_tps, 1), "saksi_per_tps": per_tps}
