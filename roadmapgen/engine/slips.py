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
from roadmapgen.engine.schedule import Plan, forecast, plan_roadmap, replan
from roadmapgen.engine.tracking import ActivityStates, effective_progress, track
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


def plan_history(versions: Iterable[tuple[Version, Roadmap]], incremental: bool = True) -> PlanHistory:
    """Every item's history over `versions` (oldest first), each scheduled as of its own day (its
    roadmap.yml's `today` when it sets one, else its commit's day). Each version reuses the work
    of the one before where its items are the same objects (`_Dater`, `_Record`);
    `incremental=False` computes every version in full, as the tests do to compare."""
    if incremental:
        record, dater = _Record(), _Dater()
        for version, roadmap in versions:
            moved, gone = dater.changes(roadmap, _as_of(roadmap, version))
            record.add(version, dater.plan.calendar, moved, gone)
        return record.history()
    return _full_history(versions)


def _as_of(roadmap: Roadmap, version: Version) -> date:
    return roadmap.config.today or version.day  # a version that pins its status date is judged then


def _full_history(versions: Iterable[tuple[Version, Roadmap]]) -> PlanHistory:
    """`plan_history` with every version scheduled in full and every item compared at each."""
    seen: list[Version] = []
    first: dict[tuple[str, str], tuple[Version, date | None, date | None]] = {}
    last: dict[tuple[str, str], tuple[date | None, date | None]] = {}
    changes: dict[tuple[str, str], list[EndChange]] = {}
    trend: dict[tuple[str, str], list[tuple[date, date]]] = {}
    for version, roadmap in versions:
        seen.append(version)
        cal = WorkCalendar(roadmap.config.calendar)
        for key, (start, end, f_end) in _dates(roadmap, _as_of(roadmap, version)):
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
    statuses = [tracking.activities[aid].status for aid in plan.order]
    progresses = [effective_progress(tracking.activities[aid], roadmap.activities[aid].is_milestone)
                  for aid in plan.order]
    _, ends = forecast(plan.positions, statuses, progresses, plan.calendar.index(as_of))
    day = plan.calendar.day
    for key, indexes in _index_dates(roadmap, plan, statuses, ends):
        yield key, tuple(None if i is None else day(i) for i in indexes)


def _index_dates(roadmap: Roadmap, plan: Plan, statuses: list[str], ends: list[int],
                 groups: _Groups | None = None) -> Iterable[tuple[tuple[str, str], tuple]]:
    """`_dates` in working-day indexes, given each activity's status and forecast end (in `plan.order`)."""
    pos = plan.positions
    for n, aid in enumerate(plan.order):
        yield ("activity", aid), (pos.start[n], pos.end[n], ends[n])
    groups = groups or _Groups(roadmap, plan, statuses)
    for key in groups.keys:
        yield key, groups.span(key, pos, ends)


class _Groups:
    """The strategies and goals of one version, each with its activities' positions in the plan's
    order (all of them, and those not cancelled), so that its span is a few calls of min and max."""

    def __init__(self, roadmap: Roadmap, plan: Plan, statuses: list[str]):
        self.keys = [("strategy", sid) for sid in roadmap.strategies] + [("goal", gid) for gid in roadmap.goals]
        self.members: dict[tuple[str, str], list[int]] = {key: [] for key in self.keys}
        self.of: list[list[tuple[str, str]]] = []  # position → the groups of that activity
        for n, aid in enumerate(plan.order):
            mine = [key for key in (("strategy", roadmap.activities[aid].strategy), ("goal", plan.goal_of[aid]))
                    if key in self.members]
            for key in mine:
                self.members[key].append(n)
            self.of.append(mine)
        self.live = {key: [n for n in members if statuses[n] != "cancelled"] for key, members in self.members.items()}

    def span(self, key: tuple[str, str], pos, ends: list[int]) -> tuple:
        """(earliest planned start, latest planned end, latest forecast end of those not cancelled)."""
        members, live = self.members[key], self.live[key]
        if not members:
            return None, None, None
        return (min(map(pos.start.__getitem__, members)), max(map(pos.end.__getitem__, members)),
                max(map(ends.__getitem__, live)) if live else None)


class _Dater:
    """The items whose dates moved at each version, found from the last version's work: the plan
    is made again only downstream of the activities a commit changed (schedule.replan), an
    activity is tracked again only when its inputs changed (tracking.ActivityStates), and only
    the positions whose dates moved, and their strategies and goals, are looked at again. Only
    the forecast runs over every activity, as the date it is made at moves with each commit."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.states = ActivityStates()
        self.groups: _Groups | None = None
        self.statuses: list[str] = []
        self.ends: list[int] = []
        self.current: dict[tuple[str, str], tuple[tuple, tuple]] = {}  # key → (indexes, dates), last version

    def changes(self, roadmap: Roadmap, as_of: date) -> tuple[list[tuple[tuple[str, str], tuple]], list]:
        """The items whose dates differ from the last version's (new ones too), in `_dates`' order,
        with their dates; and the items gone since."""
        previous = self.plan
        plan = self.plan = replan(previous, roadmap, as_of) if previous else plan_roadmap(roadmap, as_of, Diagnostics())
        states = self.states.of(roadmap, as_of)
        statuses = [states[aid][0] for aid in plan.order]
        progresses = [states[aid][1] for aid in plan.order]
        _, ends = forecast(plan.positions, statuses, progresses, plan.calendar.index(as_of))
        if previous is not None and plan.order is previous.order and _same_groups(previous, plan):
            found, gone = self._moved(previous, plan, statuses, ends), []
        else:  # other activities, strategies, goals or settings: every item looked at
            self.groups = _Groups(roadmap, plan, statuses)
            found = list(_index_dates(roadmap, plan, statuses, ends, self.groups))
            gone = self._gone(found)
            if previous is not None and plan.calendar != previous.calendar:
                self.current = {}  # the same indexes are other dates now
        self.statuses, self.ends = statuses, ends
        return self._as_dates(found, plan.calendar), gone

    def _moved(self, previous: Plan, plan: Plan, statuses: list[str], ends: list[int]) -> list:
        """The positions whose planned or forecast dates moved, and their strategies' and goals' spans."""
        pos, before = plan.positions, previous.positions
        moved = set()
        if pos is not before:
            moved.update(n for n, (a, b, c, d) in enumerate(zip(pos.start, before.start, pos.end, before.end))
                         if a != b or c != d)
        if ends != self.ends:
            moved.update(n for n, (a, b) in enumerate(zip(ends, self.ends)) if a != b)
        groups = {key for n in moved for key in self.groups.of[n]}
        if _cancelled(statuses) != _cancelled(self.statuses):  # which forecast ends count for a span
            self.groups = _Groups(plan.roadmap, plan, statuses)
            groups = self.groups.keys
        order = plan.order
        return ([(("activity", order[n]), (pos.start[n], pos.end[n], ends[n])) for n in sorted(moved)]
                + [(key, self.groups.span(key, pos, ends)) for key in self.groups.keys if key in groups])

    def _gone(self, found: list) -> list:
        """The items of the last version not in `found` (every item of this one), forgotten."""
        present = {key for key, _ in found}
        gone = [key for key in self.current if key not in present]
        for key in gone:
            del self.current[key]  # back later, it is new again: its dates are recorded whatever they are
        return gone

    def _as_dates(self, found: list, calendar: WorkCalendar) -> list:
        """`found` in dates, without the items whose indexes are those of the last version."""
        moved, day, current = [], calendar.day, self.current
        for key, indexes in found:
            known = current.get(key)
            if known is not None and known[0] == indexes:
                continue
            current[key] = (indexes, tuple(None if i is None else day(i) for i in indexes))
            moved.append((key, current[key][1]))
        return moved


def _cancelled(statuses: list[str]) -> set[int]:
    return {n for n, status in enumerate(statuses) if status == "cancelled"}


def _same_groups(previous: Plan, plan: Plan) -> bool:
    """Whether every activity serves the same strategy and goal as in `previous` (same order:
    `replan` kept the activities, strategies and goals, so only changed activities may differ)."""
    before, after = previous.roadmap.activities, plan.roadmap.activities
    return all(before[aid].strategy == a.strategy and previous.goal_of[aid] == plan.goal_of[aid]
               for aid, a in after.items() if before[aid] is not a)


class _Record:
    """The history being recorded from the items whose dates moved at each version; the trend
    of each item is kept as the versions where its forecast end changed, and spelled out at the end."""

    def __init__(self) -> None:
        self.versions: list[Version] = []
        self.first: dict[tuple[str, str], tuple[Version, date | None, date | None]] = {}
        self.last: dict[tuple[str, str], tuple[date | None, date | None]] = {}
        self.changes: dict[tuple[str, str], list[EndChange]] = {}
        self.segments: dict[tuple[str, str], list[tuple[int, date | None]]] = {}  # from version n on: forecast end

    def add(self, version: Version, cal: WorkCalendar, moved: list, gone: list) -> None:
        """One version: the items whose dates moved (or are new), and those gone."""
        n = len(self.versions)
        self.versions.append(version)
        for key, (start, end, f_end) in moved:
            if key not in self.first:
                self.first[key] = (version, start, end)
            elif self.last[key] != (end, f_end):
                (p0, f0) = self.last[key]
                self.changes.setdefault(key, []).append(EndChange(version, p0, end, f0, f_end,
                                                                  _working_days(cal, f0, f_end)))
            self.last[key] = (end, f_end)
            self.segments.setdefault(key, []).append((n, f_end))
        for key in gone:
            self.segments[key].append((n, None))  # not in this version: no trend point

    def history(self) -> PlanHistory:
        days = [v.day for v in self.versions]
        items = {key: ItemHistory(key[0], key[1], v, start, end, tuple(self.changes.get(key, ())),
                                  self._trend(key, days))
                 for key, (v, start, end) in self.first.items()}
        return PlanHistory(tuple(self.versions), items)

    def _trend(self, key: tuple[str, str], days: list[date]) -> tuple[tuple[date, date], ...]:
        segments = self.segments[key]
        points: list[tuple[date, date]] = []
        for (n, f_end), (until, _) in zip(segments, segments[1:] + [(len(days), None)]):
            if f_end is not None:
                points.extend([(days[k], f_end) for k in range(n, until)])
        return tuple(points)


def _working_days(cal: WorkCalendar, a: date | None, b: date | None) -> int:
    if a is None or b is None:
        return 0
    return cal.index(b) - cal.index(a)
