"""Election-day outcomes plug into the Bimtek effectiveness measures."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from kawaltps.analytics import bimtek
from kawaltps.fieldday import services

from .conftest import make_jpeg


def test_measures_count_on_time_checkins_checklist_and_evidence(tps, users):
    wib = ZoneInfo("Asia/Jakarta")
    services.check_in(users["saksi"], tps, at=datetime.datetime(2024, 11, 27, 6, 45, tzinfo=wib),
                      client_id=uuid.uuid4())
    services.answer_checklist(users["saksi"], tps, item_key="kotak_kosong", answer="ya", client_id=uuid.uuid4())
    services.report_incident(users["saksi"], tps, category_key="logistik", description="kurang",
                             occurred_at=datetime.datetime(2024, 11, 27, 8, tzinfo=wib), files=[make_jpeg()],
                             client_id=uuid.uuid4())
    services.report_incident(users["saksi"], tps, category_key="logistik", description="tanpa foto",
                             occurred_at=datetime.datetime(2024, 11, 27, 9, tzinfo=wib), client_id=uuid.uuid4())
    assert {"checkin_on_time", "checklist_complete", "incident_evidence"} <= set(bimtek.MEASURES)
    out = bimtek.effectiveness(tps.election, measures=["checkin_on_time", "checklist_complete", "incident_evidence"])
    assert out["checkin_on_time"]["observations"] == 1
    on_time = bimtek.MEASURES["checkin_on_time"][2](tps.election)
    assert on_time["hit"].to_list() == [1]
    complete = bimtek.MEASURES["checklist_complete"][2](tps.election)
    assert complete.height == 13 and complete["hit"].sum() == 1  # 13 required items, one answered
    assert sorted(bimtek.MEASURES["incident_evidence"][2](tps.election)["hit"].to_list()) == [0, 1]
    assert bimtek.MEASURES["incident_evidence"][2](tps.election, "3171").height == 0
