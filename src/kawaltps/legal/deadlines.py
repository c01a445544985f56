"""The two deadlines of a filing.

- **Bawaslu**: a violation is reported within 7 days of its becoming known (UU 10/2016 Pasal 134
  ayat (4); Perbawaslu 7/2022; ../shared/DOMAIN.md "Filing with Bawaslu"), counted in calendar
  days. One copy of that rule: :func:`kawaltps.fieldday.taxonomy.filing_deadline`, which incidents
  use too.
- **MK**: a petition on the result of a Pilkada is filed at most 3 working days after KPU
  (provinsi, or kabupaten/kota for a regent or mayor race) announced the result (UU 10/2016 Pasal
  157 ayat (5)). Counting starts the day after the announcement; Saturdays, Sundays and the dates of
  setting ``KAWALTPS_HOLIDAYS`` (national holidays and cuti bersama, ISO dates) are not working days.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from kawaltps.fieldday.taxonomy import FILING_DAYS, days_until, filing_deadline

MK_WORKING_DAYS = 3

__all__ = ["FILING_DAYS", "MK_WORKING_DAYS", "bawaslu_deadline", "days_until", "holidays", "is_working_day",
           "mk_deadline", "working_days_after"]


def bawaslu_deadline(known_on: datetime.date) -> datetime.date:
    """The last day to report to Bawaslu a violation known on ``known_on``."""
    return filing_deadline(known_on)


def holidays() -> frozenset[datetime.date]:
    """The dates of ``settings.KAWALTPS_HOLIDAYS`` (ISO strings or dates)."""
    out = set()
    for d in getattr(settings, "KAWALTPS_HOLIDAYS", ()) or ():
        out.add(d if isinstance(d, datetime.date) else datetime.date.fromisoformat(str(d).strip()))
    return frozenset(out)


def is_working_day(day: datetime.date, off: frozenset[datetime.date] | None = None) -> bool:
    return day.weekday() < 5 and day not in (holidays() if off is None else off)


def working_days_after(start: datetime.date, n: int, off: frozenset[datetime.date] | None = None) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    off = holidays() if off is None else off
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, off):
            counted += 1
    return day


def mk_deadline(announced_on: datetime.date) -> datetime.date:
    """The last day to file the petition with MK after KPU's announcement on ``announced_on``."""
    return working_days_after(announced_on, MK_WORKING_DAYS)
