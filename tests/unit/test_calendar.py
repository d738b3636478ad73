"""WorkCalendar: working days, holidays and span arithmetic, checked by hand and by brute force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.model import CalendarConfig, Holiday
from tests.builders import d

# January 2026: Thursday 1, Friday 2, Monday 5, Monday 12, Monday 19, Monday 26.
MON, TUE, WED, THU, FRI, SAT, SUN = (d(f"2026-01-{n:02d}") for n in range(5, 12))


def calendar(*holidays: str, workdays: tuple[int, ...] = (0, 1, 2, 3, 4)) -> WorkCalendar:
    return WorkCalendar(CalendarConfig(workdays=workdays, holidays=tuple(Holiday(d(h), "Day off") for h in holidays)))


def test_weekdays_are_working_days_and_weekends_are_not():
    cal = calendar()
    assert [cal.is_working_day(x) for x in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [True] * 5 + [False] * 2
    assert cal.workdays_per_week == 5


def test_a_one_day_span_on_monday_ends_that_monday_and_five_days_end_on_friday():
    cal = calendar()
    assert cal.add_working_days(MON, 1) == MON
    assert cal.add_working_days(MON, 5) == FRI
    assert cal.add_working_days(MON, 6) == d("2026-01-12")
    assert cal.add_working_days(FRI, 2) == d("2026-01-12")


def test_a_span_starting_on_a_weekend_starts_on_monday():
    cal = calendar()
    assert cal.add_working_days(SAT, 1) == d("2026-01-12")
    assert cal.add_working_days(SUN, 0) == d("2026-01-12")
    assert cal.add_working_days(MON, 0) == MON
    with pytest.raises(ValueError):
        cal.add_working_days(MON, -1)


def test_holidays_are_skipped_and_named():
    cal = calendar("2026-01-07")
    assert not cal.is_working_day(WED)
    assert cal.holiday_name(WED) == "Day off"
    assert cal.holiday_name(THU) is None
    assert cal.add_working_days(MON, 5) == d("2026-01-12")
    assert cal.next_working_day(WED) == THU
    assert cal.previous_working_day(WED) == TUE
    assert cal.working_days_between(MON, FRI) == 4


def test_an_unnamed_holiday_is_called_holiday_and_weekend_holidays_change_nothing():
    cal = WorkCalendar(CalendarConfig(holidays=(Holiday(SAT), Holiday(SAT, "Twice"))))
    assert cal.holiday_name(SAT) == "Holiday"
    assert cal.add_working_days(MON, 6) == d("2026-01-12")
    assert cal.holidays == {SAT: "Holiday"}


def test_next_and_previous_working_day():
    cal = calendar()
    assert cal.next_working_day(MON) == MON
    assert cal.next_working_day(SAT) == d("2026-01-12")
    assert cal.previous_working_day(FRI) == FRI
    assert cal.previous_working_day(SUN) == FRI
    assert cal.working_day_after(FRI) == d("2026-01-12")
    assert cal.working_day_after(SAT) == d("2026-01-12")
    assert cal.shift(FRI, 1) == d("2026-01-12")
    assert cal.shift(MON, -1) == d("2026-01-02")
    assert cal.shift(SAT, 0) == d("2026-01-12")


def test_counting_and_offsets():
    cal = calendar()
    assert cal.working_days_between(MON, FRI) == 5
    assert cal.working_days_between(MON, SUN) == 5
    assert cal.working_days_between(SAT, SUN) == 0
    assert cal.working_days_between(FRI, MON) == 0
    assert cal.working_days_between(MON, MON) == 1
    assert cal.working_day_offset(MON, FRI) == 4
    assert cal.working_day_offset(FRI, MON) == -4
    assert cal.working_day_offset(FRI, d("2026-01-12")) == 1
    assert list(cal.working_days(THU, d("2026-01-12"))) == [THU, FRI, d("2026-01-12")]


def test_other_week_patterns():
    cal = calendar(workdays=(6, 0, 1, 2, 3))  # Sunday to Thursday
    assert cal.workdays_per_week == 5
    assert not cal.is_working_day(FRI) and not cal.is_working_day(SAT) and cal.is_working_day(SUN)
    assert cal.add_working_days(THU, 2) == SUN
    four = calendar(workdays=(0, 1, 2, 3))
    assert four.add_working_days(MON, 5) == d("2026-01-12")


def test_a_calendar_without_workdays_falls_back_to_monday_to_friday():
    for workdays in ((), (7, -1), (9,)):
        cal = calendar(workdays=workdays)
        assert cal.fallback
        assert cal.workdays == (0, 1, 2, 3, 4)
        assert cal.add_working_days(MON, 5) == FRI
    assert not calendar().fallback
    assert calendar(workdays=(0, 0, 2, 9)).workdays == (0, 2)


def test_long_ranges_are_arithmetic_not_loops():
    cal = calendar()
    start, end = date(2000, 1, 1), date(2399, 12, 31)  # 400 years: 20,871 weeks exactly
    assert cal.working_days_between(start, end) == 20871 * 5
    assert cal.add_working_days(date(2000, 1, 3), 20871 * 5) == date(2399, 12, 31)
    assert cal.next_working_day(date.max) == date.max  # 9999-12-31 is a Friday
    assert cal.shift(date.max, 10) == date.max  # clamped, never an OverflowError


def test_equal_configs_give_equal_calendars():
    assert calendar("2026-01-07") == calendar("2026-01-07")
    assert hash(calendar("2026-01-07")) == hash(calendar("2026-01-07"))
    assert calendar("2026-01-07") != calendar()


BASE = date(2026, 1, 1)


@settings(max_examples=150, deadline=None)
@given(
    workdays=st.sets(st.integers(0, 6), min_size=1),
    holidays=st.sets(st.integers(0, 90), max_size=20),
    a=st.integers(0, 60),
    span=st.integers(-10, 40),
    n=st.integers(0, 12),
)
def test_agrees_with_counting_day_by_day(workdays, holidays, a, span, n):
    cal = WorkCalendar(CalendarConfig(tuple(workdays), tuple(Holiday(BASE + timedelta(h)) for h in holidays)))
    days = [BASE + timedelta(i) for i in range(-30, 250)]
    work = [x for x in days if x.weekday() in workdays and (x - BASE).days not in holidays]
    first, other = BASE + timedelta(a), BASE + timedelta(a + span)
    following = [w for w in work if w >= first]
    assert cal.is_working_day(first) == (first in work)
    assert cal.next_working_day(first) == following[0]
    assert cal.previous_working_day(first) == [w for w in work if w <= first][-1]
    assert cal.add_working_days(first, n) == following[max(n - 1, 0)]
    assert cal.working_days_between(first, other) == sum(1 for w in work if first <= w <= other)
    assert cal.working_day_offset(first, other) == cal.index(other) - cal.index(first)
    start = following[0]
    assert cal.shift(start, cal.working_day_offset(start, cal.next_working_day(other))) == cal.next_working_day(other)
