"""Demo step: a morning of election day at two TPS (a few rows, so the demo stays quick).

The demo saksi checks in on time with the mandate accepted; ``saksi-pinangranti`` checks in far
from the TPS position and reports that the ballot box was opened against procedure (a PSU
trigger, with its deadline). The board at /hari-h/papan/ then shows 2 TPS covered of 14,835.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from kawaltps.people.models import User
from kawaltps.regions.models import TPS

from . import services
from .models import CheckIn

NS = uuid.UUID("5d1f2c70-2b9a-4c39-9d6e-1b1e0f2a2024")  # client ids derived from it: a re-run adds nothing


def populate(ctx) -> list[str]:
    election = ctx.election
    if CheckIn.objects.filter(election=election).exists():
        return [f"Hari H: {CheckIn.objects.filter(election=election).count()} check-in (sudah ada)"]
    wib = ZoneInfo("Asia/Jakarta")
    day = lambda h, m: datetime.datetime.combine(election.date, datetime.time(h, m), tzinfo=wib)  # noqa: E731
    lines = []
    for username, when, far in (("saksi", day(6, 40), False), ("saksi-pinangranti", day(7, 12), True)):
        user = User.objects.filter(username=username).first()
        code = getattr(user, "tps_code", "")
        tps = TPS.objects.select_related("election").filter(election=election, code=code).first()
        if user is None or tps is None:
            continue
        lat, lon = tps.latitude, tps.longitude
        if lat is not None and far:
            lat += 0.02  # about 2.2 km north
        cid = lambda key, u=username: uuid.uuid5(NS, f"{u}-{key}")  # noqa: E731
        services.check_in(user, tps, at=when, lat=lat, lon=lon, mandate_accepted=True, client_id=cid("in"))
        services.record_turnout(user, tps, at=day(9, 0), voters=tps.dpt // 4, slot="09:00", client_id=cid("t9"))
        services.answer_checklist(user, tps, item_key="kotak_kosong", answer="ya" if not far else "tidak",
                                  at=day(7, 5), client_id=cid("kk"))
        if far:
            services.report_incident(user, tps, category_key="kotak_dibuka", occurred_at=day(11, 30),
                                     description="Kotak suara dibuka ketua KPPS sebelum penghitungan tanpa "
                                                 "disaksikan saksi dan Pengawas TPS.", client_id=cid("inc"))
        lines.append(f"Hari H: {username} check-in di TPS {tps.code}")
    return lines or ["Hari H: belum ada saksi dengan TPS."]
