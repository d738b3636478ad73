"""Slip history: how each item's dates moved over the roadmap's committed versions.

Given every version of the roadmap (a commit and the roadmap as committed then, oldest first),
each is scheduled as of its commit's day, and for every goal, strategy and activity this records
its dates as first committed, every change of its planned or forecast end (with the commit, its
date, author and message), and how many of those were slips (the forecast end moved later) and
by how many working days in all. The milestone trend analysis (the forecast date of each
milestone at each report date) is the same record read per milestone. docs/history.md has the
rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.schedule import forecast, plan_roadmap
from roadmapgen.engine.tracking import effective_progress, track
from roadmapgen.model import Roadmap

KINDS = ("goal", "strategy", "activity")


@dataclass(frozen=True, slots=True)
class Version:
    """A commit, as the history shows it."""

    sha: str
    day: date
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:9]


@dataclass(frozen=True, slots=True)
class EndChange:
    """One version that moved an item's planned or forecast end."""

    version: Version
    planned_before: date | None
    planned_after: date | None
    forecast_before: date | None
    forecast_after: date | None
    days: int  # working days the forecast end moved: + later (a slip), - earlier


@dataclass(frozen=True, slots=True)
class ItemHistory:
    kind: str
    id: str
    first: Version  # the version it first appears in
    first_start: date | None
    first_end: date | None
    changes: tuple[EndChange, ...]
    trend: tuple[tuple[date, date], ...]  # (report date, forecast end) at every version it is in

    @property
    def slips(self) -> int:
        return sum(1 for c in self.changes if c.days > 0)

    @property
    def slipped_days(self) -> int:
        return sum(c.days for c in self.changes if c.days > 0)


@dataclass(frozen=True)
class PlanHistory:
    """The plan across its committed versions; `unavailable` says in one line why there is none."""

    versions: tuple[Version, ...] = ()
    items: Mapping[tuple[str, str], ItemHistory] = field(default_factory=dict)
    unavailable: str | None = None

    def of(self, kind: str, item_id: str) -> ItemHistory | None:
        return self.items.get((kind, item_id))

    def slipped(self, since: date | None = None, until: date | None = None) -> list[ItemHistory]:
        """Items that slipped (between two dates, when given), the most working days first."""
        found = [h for h in self.items.values() if slipped_days(h, since, until) > 0]
        return sorted(found, key=lambda h: (-slipped_days(h, since, until), h.kind, h.id))


def slip_changes(h: ItemHistory, since: date | None = None, until: date | None = None) -> list[EndChange]:
    """The changes that moved an item later, made between `since` and `until` (inclusive)."""
    return [c for c in h.changes
            if c.days > 0 and (since is None or c.version.day >= since) and (until is None or c.version.day <= until)]


def slipped_days(h: ItemHistory, since: date | None = None, until: date | None = None) -> int:
    """The working days an item slipped by the versions made between `since` and `until` (inclusive)."""
    return sum(c.days for c in slip_changes(h, since, until))


def unavailable(reason: str) -> PlanHistory:
    return PlanHistory(unavailable=reason)


def plan_history(versions: Iterable[tuple[Version, Roadmap]]) -> PlanHistory:
    """Every item's history over `versions` (oldest first), each scheduled as of its own day (its
    roadmap.yml's `today` when it sets one, else its commit's day)."""
    seen: list[Version] = []
    first: dict[tuple[str, str], tuple[Version, date | None, date | None]] = {}
    last: dict[tuple[str, str], tuple[date | None, date | None]] = {}
    changes: dict[tuple[str, str], list[EndChange]] = {}
    trend: dict[tuple[str, str], list[tuple[date, date]]] = {}
    for version, roadmap in versions:
        seen.append(version)
        as_of = roadmap.config.today or version.day  # a version that pins its status date is judged then
        cal = WorkCalendar(roadmap.config.calendar)
        for key, (start, end, f_end) in _dates(roadmap, as_of):
            if key not in first:
                first[key] = (version, start, end)
            elif last[key] != (end, f_end):
                (p0, f0) = last[key]
                moved = _working_days(cal, f0, f_end)
                changes.setdefault(key, []).append(EndChange(version, p0, end, f0, f_end, moved))
            last[key] = (end, f_end)
            if f_end is not None:
                trend.setdefault(key, []).append((version.day, f_end))
    items = {key: ItemHistory(key[0], key[1], v, start, end, tuple(changes.get(key, ())), tuple(trend.get(key, ())))
             for key, (v, start, end) in first.items()}
    return PlanHistory(tuple(seen), items)


def _dates(roadmap: Roadmap, as_of: date) -> Iterable[tuple[tuple[str, str], tuple]]:
    """(kind, id) → (planned start, planned end, forecast end) of every item of one version: its
    plan and the one forecast rule (engine/schedule.py), without the rest of a full schedule
    (slack, critical path, a ScheduledActivity per item), which a past version does not need."""
    plan = plan_roadmap(roadmap, as_of, Diagnostics())
    tracking = track(roadmap, as_of)
    order, cal = plan.order, plan.calendar
    statuses = [tracking.activities[aid].status for aid in order]
    progresses = [effective_progress(tracking.activities[aid], roadmap.activities[aid].is_milestone) for aid in order]
    _, ends = forecast(plan.positions, statuses, progresses, cal.index(as_of))
    members: dict[tuple[str, str], list[tuple[int, int, int | None]]] = {}
    for n, aid in enumerate(order):
        live_end = None if statuses[n] == "cancelled" else ends[n]
        yield ("activity", aid), (cal.day(plan.start[aid]), cal.day(plan.end[aid]), cal.day(ends[n]))
        span = (plan.start[aid], plan.end[aid], live_end)
        strategy = roadmap.activities[aid].strategy
        if strategy in roadmap.strategies:
            members.setdefault(("strategy", strategy), []).append(span)
        goal = plan.goal_of[aid]
        if goal in roadmap.goals:
            members.setdefault(("goal", goal), []).append(span)
    for kind, items in (("strategy", roadmap.strategies), ("goal", roadmap.goals)):
        for item_id in items:
            spans = members.get((kind, item_id))
            if not spans:
                yield (kind, item_id), (None, None, None)
                continue
            live = [e for _, _, e in spans if e is not None]
            yield (kind, item_id), (cal.day(min(s for s, _, _ in spans)), cal.day(max(e for _, e, _ in spans)),
                                    cal.day(max(live)) if live else None)


def _working_days(cal: WorkCalendar, a: date | None, b: date | None) -> int:
    if a is None or b is None:
        return 0
    return cal.index(b) - cal.index(a)
