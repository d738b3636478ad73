"""History stage: how the roadmap stood at past dates, replayed from its dated updates.

At each sample date the roadmap is tracked, forecast and judged as of that date, so a past
point shows what a build on that day would have shown, given today's files. The replay is
incremental and validates nothing again:

- the roadmap is planned once (engine/schedule.py `plan_roadmap`, the pipeline's own plan) and
  only forecast at each date; the colours and work done are counted by the status's history
  mode (engine/status.py `PointJudge`), equal to `compute_status` on a full schedule;
- the tracking moves forward from one sample date to the next by applying only the updates
  dated between them (an item whose file is dated after a sample date is rebuilt once, when the
  replay passes that date); only the items they touch are frozen again;
- the roadmap was validated once, by the validate stage; the diagnostics of a plan made here
  are dropped (or collected once into `diagnostics_sink`);
- the last point is today's, read from the status the pipeline has already computed;
- with a `cache`, every other point is looked up first in it, by a hash of its inputs (the
  roadmap's items and settings, the sample date, and the updates dated up to it): see
  `PointCache`. A point not found there is judged again from the last one worked out at its
  date, when the roadmap differs from that one's in a few items (`changed_items`,
  engine/status.py `PointJudge.again`): only what those items can move is judged again.

The metric series and paths feed the burn-up and metric charts.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Iterator, Mapping, NamedTuple

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.schedule import Plan, Schedule, plan_roadmap, schedule_roadmap
from roadmapgen.engine.status import (PointChanges, PointFigures, PointJudge, PointWork, StatusReport, compute_status,
                                      metric_start)
from roadmapgen.engine.tracking import Tracked, Tracking, _apply, _freeze, _from_file, updates_until
from roadmapgen.model import Goal, Roadmap, Update

MAX_POINTS = 60
CACHE_POINTS = 512  # points a PointCache keeps: several builds' worth of a large roadmap's history

MetricPoint = tuple[date, float]


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """The counts by colour and the work done at one past date."""

    date: date
    activities: Mapping[str, int]  # colour → how many activities had it
    strategies: Mapping[str, int]
    goals: Mapping[str, int]
    done_days: float  # weighted working days reported done (engine/status.py `work_weight`)
    total_days: float  # weighted working days of all activities that are not cancelled
    completion: float | None  # done_days / total_days in percent (the burn-up); None when nothing reported
    colours: Mapping[str, str] = field(default_factory=dict)  # "kind:id" → the colour each item showed (engine/rhythm.py)


@dataclass(frozen=True)
class History:
    """The roadmap's past: a point per sample date, and each goal's metric values and path."""

    today: date
    points: tuple[HistoryPoint, ...]  # oldest first; the last one is `today`
    metrics: Mapping[str, tuple[MetricPoint, ...]]  # goal id → its metric's values, oldest first
    metric_path: Mapping[str, tuple[MetricPoint, MetricPoint]]  # goal id → ((start, baseline), (due, target))


class Today(NamedTuple):
    """The pipeline's own tracking, schedule and status as of today: the replay's last point;
    and its plan, which the past points forecast again (when it holds on every date)."""

    tracking: Tracking
    schedule: Schedule
    status: StatusReport
    plan: Plan | None = None


class PointCache:
    """History points by the hash of their inputs, in memory, the most recently used kept; and
    the last work judged at each sample date (`PointWork`).

    Hold one across builds (as a live preview does) and a rebuild pays only for the points whose
    inputs changed: an update added today changes no past point's inputs; and a point whose inputs
    changed in a few items (a progress figure saved) is judged again from the last work at its
    date, for what those items can move. Nothing is written to disk: a build writes only its
    output folder. A cold build computes every point.
    """

    def __init__(self, size: int = CACHE_POINTS):
        self.size = size
        self._points: OrderedDict[str, HistoryPoint] = OrderedDict()
        self.hits = self.misses = 0
        self.works: dict[date, PointWork] = {}
        self.judged_again = 0  # points judged again from an earlier work, not afresh

    def get(self, key: str) -> HistoryPoint | None:
        """The point stored under `key`, if any."""
        point = self._points.get(key)
        if point is None:
            self.misses += 1
            return None
        self.hits += 1
        self._points.move_to_end(key)
        return point

    def put(self, key: str, point: HistoryPoint) -> None:
        """Store a point, dropping the least recently used beyond `size`."""
        self._points[key] = point
        self._points.move_to_end(key)
        while len(self._points) > self.size:
            self._points.popitem(last=False)

    def __len__(self) -> int:
        return len(self._points)

    def keep(self, works: Mapping[date, PointWork], dates: tuple[date, ...]) -> None:
        """Keep the works judged now, and the earlier ones at the other sample dates (each is
        judged again from its own roadmap)."""
        kept = self.works
        self.works = {when: works.get(when) or kept[when] for when in dates if when in works or when in kept}


def history(roadmap: Roadmap, today: date, diagnostics_sink: Diagnostics | None = None,
            max_points: int = MAX_POINTS, current: Today | None = None, cache: PointCache | None = None) -> History:
    """The roadmap's colours and completion at each update date up to `today`, and at `today`.

    `current` is the pipeline's own result as of today (computed here when not given); `cache`
    keeps points between builds. Diagnostics of the past schedules are dropped unless
    `diagnostics_sink` is given; then each distinct one is added to it once.
    """
    dates = sample_dates(roadmap, today, max_points)
    replay = Replay(roadmap)
    keys = PointKeys(roadmap) if cache is not None else None  # hashing every item pays only with a cache
    again = _Again(roadmap, cache) if cache is not None and diagnostics_sink is None else None
    judges = _Judges(roadmap, current.plan if current is not None else None, diagnostics_sink,
                     base=again.last_judge() if again is not None else None)
    points: list[HistoryPoint] = []
    works: dict[date, PointWork] = {}
    for when in dates:
        key = keys.at(when) if keys is not None else ""
        if when == today and current is not None and current.tracking.as_of == today:
            point = history_point(current.status, current.schedule)
        else:
            point = cache.get(key) if again is not None else None
            if point is None:
                judge = judges.on(when)
                work = again.work(judge, when) if again is not None else None
                works[when] = work = work or judge.work_at(replay.tracking(when), when)
                point = _point(work.figures)
        if cache is not None:
            cache.put(key, point)
        points.append(point)
    if again is not None:
        cache.keep(works, dates)
    schedule = current.schedule if current is not None else None
    return History(today=today, points=tuple(points), metrics=metric_series(roadmap, today),
                   metric_path=metric_paths(roadmap, schedule if schedule is not None else
                                            _schedule(roadmap, replay.tracking(today), today)))


def _schedule(roadmap: Roadmap, tracking: Tracking, when: date) -> Schedule:
    return schedule_roadmap(roadmap, tracking, when, Diagnostics())


class _Judges:
    """One `PointJudge` for every past date, on one plan: the pipeline's when given, else made
    once, on the first date a point is computed. A plan that depends on the date (no start
    written anywhere) is made again for each date. The plans' diagnostics are dropped, or each
    distinct one added to `sink` once. `base`, the last rebuild's judge, is rebased on the new
    roadmap where it can be (`PointJudge.rebased`), which costs a few items, not every one."""

    def __init__(self, roadmap: Roadmap, plan: Plan | None, sink: Diagnostics | None,
                 base: PointJudge | None = None):
        self.roadmap, self.plan, self.sink, self.base = roadmap, plan, sink, base
        self.judge: PointJudge | None = None  # made when a point is not in the cache

    def on(self, when: date) -> PointJudge:
        if self.plan is None or not self.plan.holds_on(when):
            diagnostics = Diagnostics()
            self.plan, self.judge = plan_roadmap(self.roadmap, when, diagnostics), None
            if self.sink is not None:
                seen = set(self.sink.items)
                self.sink.extend(d for d in diagnostics if d not in seen)
        if self.judge is None:
            self.judge = self._rebased() or PointJudge(self.roadmap, self.plan)
        return self.judge

    def _rebased(self) -> PointJudge | None:
        base = self.base
        if base is None or self.plan is None:
            return None
        items = changed_items(base.roadmap, self.roadmap)
        return base.rebased(self.roadmap, self.plan, items) if items is not None else None


class _Again:
    """Points judged again from the cache's last work at their date (`PointJudge.again`), when
    the roadmap differs from that work's in a few items: the changes, and a replay of only the
    items that changed, are found once for each earlier judge."""

    def __init__(self, roadmap: Roadmap, cache: PointCache):
        self.roadmap, self.cache = roadmap, cache
        self._since: dict[tuple[int, int], tuple[PointChanges, Replay] | None] = {}

    def last_judge(self) -> PointJudge | None:
        """The judge of the last rebuild's works, if it kept any."""
        return next((work.judge for work in self.cache.works.values()), None)

    def work(self, judge: PointJudge, when: date) -> PointWork | None:
        """The work at `when`, judged again; None when there is no earlier one to start from, or
        it differs too much."""
        earlier = self.cache.works.get(when)
        if earlier is None:
            return None
        pair = (id(earlier.judge), id(judge))  # both held while this history is made
        if pair not in self._since:
            self._since[pair] = self._changes(judge, earlier.judge)
        found = self._since[pair]
        if found is None:
            return None
        changes, replay = found
        self.cache.judged_again += 1
        return judge.again(earlier, changes, replay.tracking(when), when)

    def _changes(self, judge: PointJudge, earlier: PointJudge) -> tuple[PointChanges, Replay] | None:
        items = changed_items(earlier.roadmap, self.roadmap)
        changes = judge.changes_since(earlier, items) if items is not None else None
        if changes is None or 2 * len(changes.positions) > len(judge.ids):
            return None  # forecasting half the plan again costs about what judging afresh does
        return changes, Replay(self.roadmap, only=items)


def changed_items(before: Roadmap, after: Roadmap) -> set[tuple[str, str]] | None:
    """The (kind, id) of every goal, strategy and activity whose tracked state or point inputs
    may differ between two versions of a roadmap: its fields but its prose (`_item_key`), or an
    update that names it (one added, removed or changed names it in either version). None when
    the settings or the ids differ."""
    if before.config is not after.config and before.config != after.config:
        return None
    found: set[tuple[str, str]] = set()
    for kind in _KINDS:
        old, new = before.items_of(kind), after.items_of(kind)
        if old.keys() != new.keys():
            return None
        found.update((kind, item_id) for item_id, item in new.items()
                     if item is not old[item_id] and _item_key(item) != _item_key(old[item_id]))
    for update_id in before.updates.keys() | after.updates.keys():
        old, new = before.updates.get(update_id), after.updates.get(update_id)
        if old is new or (old is not None and new is not None and _item_key(old) == _item_key(new)):
            continue
        found.update((entry.ref_kind, entry.ref) for update in (old, new) if update is not None
                     for entry in update.items)
    return found


def _point(figures: PointFigures) -> HistoryPoint:
    return HistoryPoint(date=figures.today, activities=figures.activities, strategies=figures.strategies,
                        goals=figures.goals, done_days=figures.done_days, total_days=figures.total_days,
                        completion=figures.completion, colours=MappingProxyType(figures.colours))


# -- the incremental replay --------------------------------------------------------------------

_KINDS = ("goal", "strategy", "activity")


class Replay:
    """The roadmap's tracking at increasing dates, each from the one before and the updates between.

    Equal, at every date, to `tracking.track(roadmap, date)` (tests/unit/test_history.py checks it);
    with `only`, the (kind, id) of some items, it tracks those alone (each item's state comes from
    its own file and the updates that name it).
    """

    def __init__(self, roadmap: Roadmap, only: set[tuple[str, str]] | None = None):
        self.roadmap = roadmap
        self.updates = sorted(roadmap.updates.values(), key=lambda u: (u.date, u.id))
        self._next = 0  # index of the first update not applied yet
        self.as_of: date | None = None
        self._items = {kind: roadmap.items_of(kind) if only is None else
                       {item_id: item for item_id, item in roadmap.items_of(kind).items() if (kind, item_id) in only}
                       for kind in _KINDS}
        self._states: dict[str, dict[str, dict]] = {}
        self._frozen: dict[str, dict[str, Tracked]] = {}
        self._unwritten: set[tuple[str, str]] = set()  # items whose file is dated after `as_of`

    def tracking(self, as_of: date) -> Tracking:
        """The tracking as of `as_of`, which may not be earlier than the last date asked for."""
        if self.as_of is None:
            self._start(as_of)
        elif as_of < self.as_of:
            raise ValueError(f"the replay is at {self.as_of}; it cannot go back to {as_of}")
        else:
            self._advance(as_of)
        return Tracking(as_of=as_of, goals=dict(self._frozen["goal"]),
                        strategies=dict(self._frozen["strategy"]), activities=dict(self._frozen["activity"]))

    def _start(self, as_of: date) -> None:
        self.as_of = as_of
        for kind in _KINDS:
            self._states[kind] = {item_id: self._file_state(item, as_of) for item_id, item in self._items[kind].items()}
        self._unwritten = {(kind, item_id) for kind in _KINDS for item_id, item in self._items[kind].items()
                           if item.updated is not None and item.updated > as_of}
        for update in self._take_until(as_of):
            self._apply(update)
        self._frozen = {kind: {item_id: _freeze(state) for item_id, state in self._states[kind].items()}
                        for kind in _KINDS}

    def _advance(self, as_of: date) -> None:
        touched: set[tuple[str, str]] = set()
        written = {(kind, item_id) for kind, item_id in self._unwritten
                   if self._items[kind][item_id].updated <= as_of}
        for update in self._take_until(as_of):
            touched |= self._apply(update)
        for kind, item_id in written:  # its file now counts: rebuild it from the file and its updates
            self._states[kind][item_id] = self._file_state(self._items[kind][item_id], as_of)
            for update in self.updates[:self._next]:
                self._apply(update, only=(kind, item_id))
        self._unwritten -= written
        self.as_of = as_of
        for kind, item_id in touched | written:
            self._frozen[kind][item_id] = _freeze(self._states[kind][item_id])

    def _take_until(self, as_of: date) -> list[Update]:
        start = self._next
        while self._next < len(self.updates) and self.updates[self._next].date <= as_of:
            self._next += 1
        return self.updates[start:self._next]

    def _file_state(self, item, as_of: date) -> dict:
        metric = item.metric.current if item.kind == "goal" and item.metric else None
        return _from_file(item, metric, as_of)

    def _apply(self, update: Update, only: tuple[str, str] | None = None) -> set[tuple[str, str]]:
        touched = set()
        for entry in update.items:
            key = (entry.ref_kind, entry.ref)
            if only is not None and key != only:
                continue
            state = self._states.get(entry.ref_kind, {}).get(entry.ref)
            if state is not None:
                _apply(state, update, entry)
                touched.add(key)
        return touched


# -- the inputs of a point -----------------------------------------------------------------------

# what a point (counts by colour, completion) does not depend on: prose, names and where it was written
_SKIPPED = ("body", "source", "title", "tags", "why", "name", "role", "email", "notes", "cost", "author")


def _fields(item) -> tuple:
    values = tuple(getattr(item, f.name) for f in fields(item) if f.name not in _SKIPPED)
    source = getattr(item, "source", None)
    if source is None:
        return values
    # whether a status was written, not only the default, decides a not-started activity's progress
    return (*values, ("status",) in source.positions)


KEYS_KEPT = 200_000  # items whose part of a point's key is remembered (a few roadmaps' worth)
_item_keys: dict[int, tuple[object, bytes]] = {}


def _item_key(item) -> bytes:
    """What a point reads of an item, as bytes to hash; remembered per item object, since the
    loader hands a long-running process the same (frozen) object for a file that did not change."""
    kept = _item_keys.get(id(item))
    if kept is not None and kept[0] is item:
        return kept[1]
    key = repr(_fields(item)).encode()
    if len(_item_keys) >= KEYS_KEPT:
        _item_keys.clear()
    _item_keys[id(item)] = (item, key)  # the item is kept too, so its id cannot be reused meanwhile
    return key


class PointKeys:
    """The hash of each point's inputs: the roadmap's items and settings (not their prose, nor
    its updates), the sample date, and every update dated up to it."""

    def __init__(self, roadmap: Roadmap):
        base = hashlib.sha256(b"roadmapgen history point v1\n")
        base.update(repr(roadmap.config).encode())
        for kind in ("goal", "strategy", "activity", "person", "tool"):
            for item in roadmap.items_of(kind).values():
                base.update(_item_key(item))
        self._running = base
        self._updates = sorted(roadmap.updates.values(), key=lambda u: (u.date, u.id))
        self._next = 0

    def at(self, when: date) -> str:
        """The key of the point at `when` (dates asked in increasing order)."""
        while self._next < len(self._updates) and self._updates[self._next].date <= when:
            self._running.update(repr(_fields(self._updates[self._next])).encode())
            self._next += 1
        digest = self._running.copy()
        digest.update(when.isoformat().encode())
        return digest.hexdigest()


def sample_dates(roadmap: Roadmap, today: date, max_points: int = MAX_POINTS) -> tuple[date, ...]:
    """Every distinct update date up to `today`, and `today`, thinned evenly to `max_points`.

    Thinning keeps the first and the last date and spaces the others evenly by position.
    """
    dates = sorted({u.date for u in updates_until(roadmap, today)} | {today})
    if len(dates) <= max_points:
        return tuple(dates)
    if max_points <= 1:
        return (today,)
    last = len(dates) - 1
    picks = sorted({round(i * last / (max_points - 1)) for i in range(max_points)})
    return tuple(dates[i] for i in picks)


def history_point(report: StatusReport, schedule: Schedule) -> HistoryPoint:
    """The counts by colour and the work reported done of one status report (its own figures:
    completion is computed once, by the status stage)."""
    return HistoryPoint(date=report.today, activities=report.counts("activity"),
                        strategies=report.counts("strategy"), goals=report.counts("goal"),
                        done_days=report.done_days, total_days=report.total_days, completion=report.completion,
                        colours=MappingProxyType(item_colours(report)))


def item_colours(report: StatusReport) -> dict[str, str]:
    """"kind:id" → colour of every goal, strategy and activity in a status report."""
    return {f"{kind}:{item_id}": status.rag
            for kind, statuses in (("goal", report.goals), ("strategy", report.strategies),
                                   ("activity", report.activities))
            for item_id, status in statuses.items()}


def each_state_at(roadmap: Roadmap, dates: list[date], current: Today | None = None) -> Iterator[tuple[date, Today]]:
    """The tracking, schedule and status (with reasons) at each of `dates`, one date at a time,
    oldest first (a live preview may stop between two), replayed with `Replay` as history does;
    `current`, the pipeline's own result, stands for its own date."""
    replay = Replay(roadmap)
    plan = current.plan if current is not None else None
    for when in sorted(set(dates)):
        if current is not None and current.tracking.as_of == when:
            yield when, current
            continue
        tracking = replay.tracking(when)
        if plan is None or not plan.holds_on(when):  # planned once, forecast at each date, as history does
            plan = plan_roadmap(roadmap, when, Diagnostics())
        schedule = schedule_roadmap(roadmap, tracking, when, Diagnostics(), plan=plan)
        yield when, Today(tracking, schedule, compute_status(roadmap, tracking, schedule, when))


def metric_series(roadmap: Roadmap, today: date) -> dict[str, tuple[MetricPoint, ...]]:
    """Each goal's metric value after every update up to `today` that moved it, with its file value.

    The rules are tracking's: the file's value sits at the file's `updated` date (updates
    before it are the values of their own dates), or, when undated, before every update (at
    the goal's or roadmap's start). One point per date: the last value of the day.
    """
    moves: dict[str, list[tuple[date, float]]] = {gid: [] for gid, g in roadmap.goals.items() if g.metric}
    for update in updates_until(roadmap, today):
        for item in update.items:
            if item.ref_kind == "goal" and item.ref in moves and item.metric is not None:
                moves[item.ref].append((update.date, item.metric))
    return {gid: _series(roadmap, roadmap.goals[gid], changes) for gid, changes in moves.items()}


def _series(roadmap: Roadmap, goal: Goal, changes: list[tuple[date, float]]) -> tuple[MetricPoint, ...]:
    file_value, file_date = goal.metric.current, goal.updated
    by_date: dict[date, float] = {}
    if file_value is not None:
        first = [when for when in (goal.start, roadmap.config.start) if when is not None]
        first += [changes[0][0]] if changes else []
        when = file_date or (min(first) if first else None)
        if when is not None:
            by_date[when] = file_value
    for when, value in changes:  # oldest first; on the file's own date the update wins
        by_date[when] = value
    return tuple(sorted(by_date.items()))


def metric_paths(roadmap: Roadmap, schedule: Schedule | None) -> dict[str, tuple[MetricPoint, MetricPoint]]:
    """Each measured goal's straight path: (start, baseline) to (due, target), when it has a start."""
    paths = {}
    for goal in roadmap.goals.values():
        span = schedule.goals.get(goal.id) if schedule else None
        start = metric_start(roadmap, goal, span)
        if goal.metric is not None and start is not None:
            paths[goal.id] = ((start, goal.metric.baseline), (goal.due, goal.metric.target))
    return paths
