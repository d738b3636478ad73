"""The roadmap's rhythm: when stand-ups and reviews fall, which items have gone stale, and what
each update moved.

Stale is a fact (docs/status.md): with `checkins.standup` set, an activity in progress whose
last update is older than one stand-up period plus `GRACE_DAYS` is amber, with the reason
"no update since 2026-05-04 (3 stand-ups missed)". The status stage asks `staleness` for it, at
today and at every date history replays, so the colour trend follows the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator, Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.baseline import Comparison, PlannedSchedule, compare, current_plan
from roadmapgen.engine.capacity import Capacity, compute_capacity, report_over_allocation
from roadmapgen.engine.tracking import Tracked, effective_progress
from roadmapgen.model import Activity, Cadence, Roadmap, Update

if TYPE_CHECKING:
    from roadmapgen.engine.calendar import WorkCalendar
    from roadmapgen.engine.history import History
    from roadmapgen.engine.schedule import Schedule, ScheduledActivity
    from roadmapgen.engine.tracking import Tracking

GRACE_DAYS = 3  # calendar days an update may come after its stand-up before the item is stale
STALE_CODE = "stale-update"
MAX_OCCURRENCES = 10_000  # a cadence counted over centuries stops here (a roadmap dated 1900)


# -- the calendar of a cadence --------------------------------------------------------------------

def _quarter_start(day: date) -> date:
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
    return _quarter_start(day)


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


@dataclass(frozen=True, slots=True)
class StaleItem:
    """A stale activity and what makes it stale."""
    id: str
    stale: Stale


def stale_items(roadmap: Roadmap, tracking: Tracking, schedule: Schedule, today: date) -> tuple[StaleItem, ...]:
    """Every stale activity, longest silent first (ties in the roadmap's order)."""
    cadence = roadmap.config.checkins.standup
    found = []
    for activity in roadmap.activities.values():
        stale = staleness(cadence, activity, tracking.activities[activity.id],
                          schedule.activities.get(activity.id), today)
        if stale is not None:
            found.append(StaleItem(activity.id, stale))
    found.sort(key=lambda item: item.stale.since)
    return tuple(found)


def report_stale(roadmap: Roadmap, stale: tuple[StaleItem, ...], diagnostics: Diagnostics) -> None:
    """A `stale-update` warning per stale activity, at its `status` in its file."""
    for item in stale:
        activity = roadmap.activities[item.id]
        line, column = activity.source.at("status")
        diagnostics.warning(activity.source.path, line, column, STALE_CODE,
                            f"‘{activity.title}’ is in progress with {item.stale.reason()}",
                            "report on it in the next stand-up update (progress, status or a note), "
                            "or set its status to paused or done")


# -- the next meetings ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NextMeetings:
    """The next stand-up and the next quarterly review, as of today (None: no rhythm set)."""

    standup: date | None
    review: date | None
    review_title: str | None  # the review file's title when one is dated ahead, else None


def next_meetings(roadmap: Roadmap, today: date, calendar: WorkCalendar) -> NextMeetings:
    """The next stand-up (its cadence's next day on or after today, moved to a working day) and
    the next review: a review file dated today or later, else the review cadence's next meeting."""
    checkins = roadmap.config.checkins
    standup = _working(calendar, next_occurrence(checkins.standup, today)) if checkins.standup else None
    ahead = sorted((r for r in roadmap.reviews.values() if r.date >= today), key=lambda r: (r.date, r.id))
    if ahead:
        return NextMeetings(standup, ahead[0].date, ahead[0].title)
    review = _working(calendar, next_occurrence(checkins.review, today)) if checkins.review else None
    return NextMeetings(standup, review, None)


def _working(calendar: WorkCalendar, day: date | None) -> date | None:
    return calendar.next_working_day(day) if day is not None else None


# -- what each update moved -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Change:
    """One value an update moved on one item: before → after. Values are None when unknown."""

    field: str  # "progress" | "colour" | "metric"
    before: float | str | None
    after: float | str | None


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """What one update changed on one item."""

    kind: str
    id: str
    changes: tuple[Change, ...]
    note: str | None


def update_changes(roadmap: Roadmap, today: date, history: History | None,
                   schedule_of: Mapping[str, ScheduledActivity] | None = None) -> dict[str, tuple[ItemChanges, ...]]:
    """Per update dated up to `today`: for each item it names, progress, colour and metric before
    and after it.

    Progress and metric are the tracked values just before the update's day and at its end, from
    the history stage's replay (`history.Replay`); the colour is the one history recorded at the
    previous sample date and at the update's date (None where history did not sample them, which
    only happens on very large roadmaps). Several updates on one day share the day's after-values.
    """
    from roadmapgen.engine.history import Replay

    updates = sorted((u for u in roadmap.updates.values() if u.date <= today), key=lambda u: (u.date, u.id))
    colours = _colours_by_date(history)
    replay = Replay(roadmap)
    result: dict[str, tuple[ItemChanges, ...]] = {}
    days = sorted({u.date for u in updates})
    if not days:
        return result
    before = replay.tracking(days[0] - timedelta(days=1) if days[0] > date.min else days[0])
    sampled = sorted(colours)
    by_day: dict[date, list[Update]] = {}
    for update in updates:
        by_day.setdefault(update.date, []).append(update)
    milestones = {aid for aid, s in (schedule_of or {}).items() if s.milestone}
    for day in days:
        after = replay.tracking(day)
        colour_before = colours.get(_previous(sampled, day))
        colour_after = colours.get(day)
        for update in by_day[day]:
            result[update.id] = tuple(_item_changes(entry, before, after, colour_before, colour_after, milestones)
                                      for entry in update.items
                                      if entry.ref in roadmap.items_of(entry.ref_kind))
        before = after
    return result


def _colours_by_date(history: History | None) -> dict[date, Mapping[str, str]]:
    if history is None:
        return {}
    return {point.date: point.colours for point in history.points if point.colours}


def _previous(sampled: list[date], day: date) -> date | None:
    earlier = [d for d in sampled if d < day]
    return earlier[-1] if earlier else None


def _item_changes(entry, before: Tracking, after: Tracking, colour_before, colour_after,
                  milestones: set[str]) -> ItemChanges:
    old, new = before.of(entry.ref_kind, entry.ref), after.of(entry.ref_kind, entry.ref)
    key = f"{entry.ref_kind}:{entry.ref}"
    changes = []
    if entry.ref_kind == "activity":
        milestone = entry.ref in milestones
        changes.append(Change("progress", effective_progress(old, milestone), effective_progress(new, milestone)))
    else:
        changes.append(Change("progress", old.progress, new.progress))
    changes.append(Change("colour", colour_before.get(key) if colour_before else None,
                          colour_after.get(key) if colour_after else None))
    if entry.ref_kind == "goal":
        changes.append(Change("metric", old.metric, new.metric))
    return ItemChanges(entry.ref_kind, entry.ref, tuple(changes), entry.note)


def updates_of(roadmap: Roadmap) -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, id) → the ids of every update that names the item, oldest first."""
    result: dict[tuple[str, str], list[str]] = {}
    for update in sorted(roadmap.updates.values(), key=lambda u: (u.date, u.id)):
        for entry in update.items:
            ids = result.setdefault((entry.ref_kind, entry.ref), [])
            if not ids or ids[-1] != update.id:
                ids.append(update.id)
    return {key: tuple(ids) for key, ids in result.items()}


# -- the rhythm of a computed roadmap -------------------------------------------------------------

@dataclass(frozen=True)
class Rhythm:
    """What the rhythm, resources and baseline say as of today: read by `check` and every page."""

    stale: tuple[StaleItem, ...]
    next: NextMeetings
    capacity: Capacity
    baseline: PlannedSchedule | None  # the schedule as it was (None: roadmap.yml names none)
    comparison: Comparison | None  # now against `baseline`


def compute_rhythm(roadmap: Roadmap, tracking: Tracking, schedule: Schedule, today: date,
                   baseline: PlannedSchedule | None, diagnostics: Diagnostics) -> Rhythm:
    """Stale items, the next meetings, load per week and the comparison with the baseline; the
    stale items and over-allocations become warnings."""
    stale = stale_items(roadmap, tracking, schedule, today)
    report_stale(roadmap, stale, diagnostics)
    capacity = compute_capacity(roadmap, schedule, tracking)
    report_over_allocation(roadmap, capacity, today, diagnostics)
    comparison = None
    if baseline is not None:
        now = current_plan(roadmap, schedule, baseline.name, today)
        comparison = compare(baseline, now, schedule.calendar)
    return Rhythm(stale, next_meetings(roadmap, today, schedule.calendar), capacity, baseline, comparison)
