"""The roadmap's rhythm: which items have gone stale, the next stand-up and review, load per
week, the baseline, and what each update moved.

When stand-ups and reviews fall, and the stale rule itself (which the status stage applies), are
engine/cadence.py's; this module gathers what they mean for today's roadmap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.baseline import Comparison, PlannedSchedule, compare, current_plan
from roadmapgen.engine.cadence import (  # noqa: F401  (re-exported: the rhythm's public names)
    GRACE_DAYS, STALE_CODE, Stale, last_reported, next_occurrence, occurrences, stale_since, staleness,
)
from roadmapgen.engine.capacity import Capacity, compute_capacity, report_over_allocation
from roadmapgen.engine.tracking import effective_progress
from roadmapgen.model import Roadmap, Update

if TYPE_CHECKING:
    from roadmapgen.engine.calendar import WorkCalendar
    from roadmapgen.engine.history import History
    from roadmapgen.engine.schedule import Schedule, ScheduledActivity
    from roadmapgen.engine.tracking import Tracking

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
