"""Working days: which dates count, and arithmetic on them in O(log holidays) per call.

Every working day has an *index*: the number of working days before it since 0001-01-01.
Indexes turn working-day arithmetic into integer arithmetic: the working day after `d`
is `day(index(d) + 1)`, a span of `n` working days starting at `d` ends on
`day(index(d) + n - 1)`, and the working days from `a` to `b` number
`index(b) - index(a)`.

The index is computed, never looked up: the week pattern repeats every 7 days, so the
pattern days before a date are `weeks * workdays_per_week + (pattern days earlier in its
week)`; the holidays that fall on pattern days are kept as a sorted list and subtracted
with a binary search. The inverse (`day`) adds back the holidays skipped, with a second
binary search.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from typing import Iterator

from roadmapgen.model import CalendarConfig

DEFAULT_WORKDAYS = (0, 1, 2, 3, 4)
_MIN_ORDINAL = date.min.toordinal()  # 1, a Monday
_MAX_ORDINAL = date.max.toordinal()
DAYS_KEPT = 100_000  # days remembered by index (more than 300 years of working days)


class WorkCalendar:
    """The working days of a roadmap: `CalendarConfig.workdays` (Monday is 0) minus its holidays.

    A config with no valid workday is invalid (the config loader reports it); the calendar
    then falls back to Monday–Friday and sets `fallback` so nothing downstream divides by zero.
    """

    __slots__ = ("workdays", "fallback", "_k", "_prefix", "_slots", "_holiday_ordinals",
                 "_holiday_gaps", "_holiday_names", "_days")

    def __init__(self, config: CalendarConfig | None = None) -> None:
        config = config or CalendarConfig()
        days = sorted({int(w) for w in config.workdays if isinstance(w, int) and 0 <= w <= 6})
        self.fallback = not days
        self.workdays: tuple[int, ...] = tuple(days) if days else DEFAULT_WORKDAYS
        self._k = len(self.workdays)
        # _prefix[r]: pattern days earlier in the week than weekday r (0..7)
        self._prefix = tuple(sum(1 for w in self.workdays if w < r) for r in range(8))
        self._slots = self.workdays  # weekday of the j-th pattern day of a week
        names: dict[date, str] = {}
        for holiday in config.holidays:
            names.setdefault(holiday.date, holiday.name or "Holiday")
        self._holiday_names = names
        ordinals = sorted({d.toordinal() for d in names if d.weekday() in self.workdays})
        self._holiday_ordinals = ordinals
        # the j-th excluded pattern index minus j: how many working days come before it
        self._holiday_gaps = [self._pattern_index(o) - j for j, o in enumerate(ordinals)]
        self._days: dict[int, date] = {}  # index → day, as found: a schedule asks for the same days again and again

    def __repr__(self) -> str:
        return f"WorkCalendar(workdays={self.workdays!r}, holidays={len(self._holiday_names)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return self.workdays == other.workdays and self._holiday_names == other._holiday_names

    def __hash__(self) -> int:
        return hash((self.workdays, tuple(sorted(self._holiday_names))))

    # -- the index ---------------------------------------------------------------------

    def _pattern_index(self, ordinal: int) -> int:
        """Pattern days (workdays, holidays included) with an ordinal below `ordinal`."""
        weeks, weekday = divmod(ordinal - 1, 7)
        return weeks * self._k + self._prefix[weekday]

    def index(self, d: date) -> int:
        """The index of the first working day on or after `d` (= working days before `d`)."""
        ordinal = d.toordinal()
        return self._pattern_index(ordinal) - bisect_left(self._holiday_ordinals, ordinal)

    def last_index(self, d: date) -> int:
        """The index of the last working day on or before `d`."""
        ordinal = d.toordinal() + 1
        return self._pattern_index(ordinal) - bisect_left(self._holiday_ordinals, ordinal) - 1

    def day(self, i: int) -> date:
        """The working day with index `i` (clamped to the dates Python can represent)."""
        found = self._days.get(i)
        if found is None:
            if len(self._days) >= DAYS_KEPT:
                self._days.clear()
            found = self._days[i] = self._day(i)
        return found

    def _day(self, i: int) -> date:
        p = i + bisect_right(self._holiday_gaps, i)
        weeks, j = divmod(p, self._k)
        ordinal = weeks * 7 + self._slots[j] + 1
        if ordinal < _MIN_ORDINAL:
            return date.min
        if ordinal > _MAX_ORDINAL:
            return date.max
        return date.fromordinal(ordinal)

    # -- questions about one date ---------------------------------------------------------

    @property
    def workdays_per_week(self) -> int:
        return self._k

    def is_working_day(self, d: date) -> bool:
        return d.weekday() in self.workdays and d not in self._holiday_names

    def holiday_name(self, d: date) -> str | None:
        """The holiday's name ("Holiday" when unnamed), or None when `d` is no holiday."""
        return self._holiday_names.get(d)

    @property
    def holidays(self) -> dict[date, str]:
        """Every configured holiday (including those on non-working weekdays), by date."""
        return dict(sorted(self._holiday_names.items()))

    def next_working_day(self, d: date) -> date:
        """`d` if it is a working day, otherwise the first working day after it."""
        return self.day(self.index(d))

    def previous_working_day(self, d: date) -> date:
        """`d` if it is a working day, otherwise the last working day before it."""
        return self.day(self.last_index(d))

    def working_day_after(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.day(self.last_index(d) + 1)

    # -- spans --------------------------------------------------------------------------

    def shift(self, d: date, n: int) -> date:
        """The working day `n` working days after `next_working_day(d)` (n may be negative)."""
        return self.day(self.index(d) + n)

    def add_working_days(self, start: date, n: int) -> date:
        """The last day of a span of `n` working days that starts on `start`, both included.

        A span starting on a non-working day starts on the next working day. `n == 1` ends on
        that first working day; `n == 0` (a milestone) is that day too.
        """
        if n < 0:
            raise ValueError(f"a span cannot have {n} working days")
        return self.day(self.index(start) + max(n - 1, 0))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days from `a` to `b`, both included; 0 when `b` is before `a`."""
        if b < a:
            return 0
        return self.last_index(b) - self.index(a) + 1

    def working_day_offset(self, a: date, b: date) -> int:
        """Working days to move from `a` to `b`: `index(b) - index(a)`, negative if `b` < `a`.

        For two working days this is `n` such that `shift(a, n) == b`.
        """
        return self.index(b) - self.index(a)

    def working_days(self, a: date, b: date) -> Iterator[date]:
        """Each working day from `a` to `b`, both included."""
        first, last = self.index(a), self.last_index(b)
        for i in range(first, last + 1):
            yield self.day(i)
