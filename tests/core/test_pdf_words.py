"""The written-out date forms every PDF uses (``core.formatting.long_day`` / ``long_when``)."""

import datetime

from kawaltps.core.formatting import long_day, long_when


def test_long_forms():
    assert long_day(datetime.date(2024, 11, 27)) == "27 November 2024"
    moment = datetime.datetime(2024, 11, 27, 0, 5, tzinfo=datetime.UTC)  # 07.05 in Jakarta
    assert long_when(moment) == "27 November 2024 07.05 WIB" and long_day(moment) == "27 November 2024"
    assert long_day(None) == "–"
