"""The calendar of a cadence (when stand-ups and reviews fall) and the stale rule.

Stale is a fact (docs/status.md): with `checkins.standup` set, an activity in progress whose last
update is older than one stand-up period plus `GRACE_DAYS` is amber, with the reason "no update
since 2026-05-04 (3 stand-ups missed)". The status stage asks `staleness` for it at today, and
history's judge asks `stale_since` at every date it replays, so the colour trend follows the same
rule. It stands apart from engine/rhythm.py, which reads history, so that the status stage can
use it without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator

from roadmapgen.engine.tracking import Tracked
from roadmapgen.model import Activity, Cadence

if TYPE_CHECKING:
    from roadmapgen.engine.schedule import ScheduledActivity

GRACE_DAYS = 3  # calendar days an update may come after its stand-up before the item is stale
STALE_CODE = "stale-update"
MAX_OCCURRENCES = 10_000  # a cadence counted over centuries stops here (a roadmap dated 1900)


# -- the calendar of a cadence --------------------------------------------------------------------

def quarter_start(day: date) -> date:
    """The first day of the calendar quarter holding `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _period_start(cadence: Cadence, day: date) -> date:
    """The first day of the period (week, month or quarter) holding `day`."""
    if cadence.every == "week":
        return day - timedelta(days=day.weekday())
    if cadence.every == "month":
        return date(day.year, day.month, 1)
    return quarter_start(day)


def _next_period(cadence: Cadence, start: date) -> date:
    if cadence.every == "week":
        return start + timedelta(days=7)
    return _add_months(start, 1 if cadence.every == "month" else 3)


def _occurrence_in(cadence: Cadence, period: date) -> date:
    """The day a period's meeting falls on: its `weekday` (Monday when a week's is not given),
    or for a month or quarter, the first such weekday in it (its first day when none is given)."""
    if cadence.weekday is None:
        return period
    return period + timedelta(days=(cadence.weekday - period.weekday()) % 7)


def occurrences(cadence: Cadence, after: date, until: date) -> Iterator[date]:
    """The meetings of a cadence strictly after `after` and on or before `until`, oldest first."""
    try:
        period = _period_start(cadence, after)
        for _ in range(MAX_OCCURRENCES):
            day = _occurrence_in(cadence, period)
            if day > until:
                return
            if day > after:
                yield day
            period = _next_period(cadence, period)
    except (OverflowError, ValueError):  # the calendar's ends (years 1 and 9999): no meeting beyond them
        return


def next_occurrence(cadence: Cadence, today: date) -> date | None:
    """The next meeting of a cadence on or after `today` (None at the ends of the calendar)."""
    try:
        return next(occurrences(cadence, today - timedelta(days=1), date.max - timedelta(days=100)), None)
    except (OverflowError, ValueError):
        return None


def _one_period_later(cadence: Cadence, day: date) -> date:
    if cadence.every == "week":
        return day + timedelta(days=7)
    months = 1 if cadence.every == "month" else 3
    moved = _add_months(date(day.year, day.month, 1), months)
    return moved + timedelta(days=day.day - 1) if day.day <= 28 else moved + timedelta(days=27)


# -- stale items ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Stale:
    """An activity in progress that missed stand-ups: since when nothing was reported, and how many."""

    since: date
    missed: int
    started: bool = False  # `since` is its planned start: no update or dated file ever spoke of it

    def reason(self) -> str:
        """The amber reason: "no update since 2026-05-04 (3 stand-ups missed)"."""
        noun = "stand-up" if self.missed == 1 else "stand-ups"
        since = f"it started on {self.since}" if self.started else str(self.since)
        return f"no update since {since} ({self.missed} {noun} missed)"


def last_reported(activity: Activity, tracked: Tracked, today: date) -> date | None:
    """The last day anyone reported on an activity: its newest update, or its file's `updated`."""
    dates = [d for d in (tracked.last_update, activity.updated) if d is not None and d <= today]
    return max(dates) if dates else None


def staleness(cadence: Cadence | None, activity: Activity, tracked: Tracked, scheduled: ScheduledActivity | None,
              today: date) -> Stale | None:
    """Whether an activity in progress has gone without an update for longer than one stand-up
    period plus `GRACE_DAYS`; None when it has not, or when no stand-up rhythm is set."""
    if scheduled is None:
        return stale_since(cadence, activity, tracked, None, True, today)
    return stale_since(cadence, activity, tracked, scheduled.start, scheduled.target_only, today)


def stale_since(cadence: Cadence | None, activity: Activity, tracked: Tracked, start: date | None,
                target_only: bool, today: date) -> Stale | None:
    """`staleness` from the planned start alone (history's points judge without a ScheduledActivity)."""
    if cadence is None or tracked.status != "in-progress":
        return None
    since = last_reported(activity, tracked, today)
    started = since is None
    if started:
        if start is None or target_only or start > today:
            return None
        since = start
    try:
        if today <= _one_period_later(cadence, since) + timedelta(days=GRACE_DAYS):
            return None
    except (OverflowError, ValueError):  # the calendar's last years: nothing can be overdue yet
        return None
    missed = sum(1 for _ in occurrences(cadence, since, today))
    return Stale(since, missed, started) if missed else None
