"""The deadlines: 7 calendar days to Bawaslu (the one rule shared with incidents), 3 working days to MK."""

import datetime

from kawaltps.fieldday import taxonomy
from kawaltps.legal import deadlines

D = datetime.date


def test_bawaslu_seven_calendar_days_weekends_counted():
    assert deadlines.bawaslu_deadline(D(2024, 11, 27)) == D(2024, 12, 4)
    assert deadlines.bawaslu_deadline(D(2024, 11, 29)) == D(2024, 12, 6)  # a Friday: Sat/Sun count
    assert deadlines.bawaslu_deadline(D(2024, 12, 28)) == D(2025, 1, 4)  # over the year's end
    # one rule for incidents and reports
    assert deadlines.bawaslu_deadline(D(2024, 11, 27)) == taxonomy.filing_deadline(D(2024, 11, 27))


def test_days_until_counts_down_to_zero_then_negative():
    deadline = D(2024, 12, 4)
    assert taxonomy.days_until(deadline, D(2024, 11, 27)) == 7
    assert taxonomy.days_until(deadline, D(2024, 12, 4)) == 0
    assert taxonomy.days_until(deadline, D(2024, 12, 6)) == -2
    assert taxonomy.days_until(None) is None


def test_mk_three_working_days_skip_the_weekend(settings):
    settings.KAWALTPS_HOLIDAYS = []
    assert deadlines.mk_deadline(D(2024, 12, 4)) == D(2024, 12, 9)  # Wed → Thu, Fri, Mon
    assert deadlines.mk_deadline(D(2024, 12, 6)) == D(2024, 12, 11)  # Fri → Mon, Tue, Wed
    assert deadlines.mk_deadline(D(2024, 12, 8)) == D(2024, 12, 11)  # announced on a Sunday


def test_mk_deadline_skips_listed_holidays(settings):
    settings.KAWALTPS_HOLIDAYS = []
    assert deadlines.mk_deadline(D(2024, 12, 20)) == D(2024, 12, 25)  # Mon 23, Tue 24, Wed 25
    settings.KAWALTPS_HOLIDAYS = ["2024-12-25", "2024-12-26"]  # Natal, cuti bersama
    assert deadlines.mk_deadline(D(2024, 12, 20)) == D(2024, 12, 27)  # Mon 23, Tue 24, Fri 27
    # a weekend and two holidays: Tue 24 → Fri 27, Mon 30, Tue 31 (1 January not listed here)
    assert deadlines.mk_deadline(D(2024, 12, 24)) == D(2024, 12, 31)
    settings.KAWALTPS_HOLIDAYS = ["2024-12-25", "2024-12-26", "2024-12-30", "2025-01-01"]  # Fri 27, Tue 31, Thu 2
    assert deadlines.mk_deadline(D(2024, 12, 24)) == D(2025, 1, 2)
    assert not deadlines.is_working_day(D(2024, 12, 25)) and deadlines.is_working_day(D(2024, 12, 24))


def test_the_default_setting_lists_christmas():
    assert D(2024, 12, 25) in deadlines.holidays()
