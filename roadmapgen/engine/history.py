"""How the roadmap stood at past dates, replayed from its dated updates.

At each sample date the engine runs again as of that date (tracking → schedule → status), so a
past point shows exactly what a build on that day would have shown, given today's files. The
metric series and paths feed the burn-up and metric charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.schedule import Schedule, schedule_roadmap
from roadmapgen.engine.status import StatusReport, compute_status, metric_start
from roadmapgen.engine.tracking import track, updates_until
from roadmapgen.model import Goal, Roadmap

MAX_POINTS = 60

MetricPoint = tuple[date, float]


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    date: date
    activities: Mapping[str, int]  # colour → how many activities had it
    strategies: Mapping[str, int]
    goals: Mapping[str, int]
    done_days: float  # weighted working days reported done (engine/status.py `work_weight`)
    total_days: float  # weighted working days of all activities that are not cancelled
    completion: float | None  # done_days / total_days in percent (the burn-up); None when nothing reported


@dataclass(frozen=True)
class History:
    today: date
    points: tuple[HistoryPoint, ...]  # oldest first; the last one is `today`
    metrics: Mapping[str, tuple[MetricPoint, ...]]  # goal id → its metric's values, oldest first
    metric_path: Mapping[str, tuple[MetricPoint, MetricPoint]]  # goal id → ((start, baseline), (due, target))


def history(roadmap: Roadmap, today: date, diagnostics_sink: Diagnostics | None = None,
            max_points: int = MAX_POINTS) -> History:
    """The roadmap's colours and completion at each update date up to `today`, and at `today`.

    Diagnostics of the past schedules are dropped unless `diagnostics_sink` is given; then
    each distinct one is added to it once.
    """
    points: list[HistoryPoint] = []
    schedule: Schedule | None = None
    for when in sample_dates(roadmap, today, max_points):
        tracking = track(roadmap, when)
        diagnostics = Diagnostics()
        schedule = schedule_roadmap(roadmap, tracking, when, diagnostics)
        report = compute_status(roadmap, tracking, schedule, when, explain=False)
        points.append(history_point(report, schedule))
        if diagnostics_sink is not None:
            seen = set(diagnostics_sink.items)
            diagnostics_sink.extend(d for d in diagnostics if d not in seen)
    return History(today=today, points=tuple(points), metrics=metric_series(roadmap, today),
                   metric_path=metric_paths(roadmap, schedule))


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
                        done_days=report.done_days, total_days=report.total_days, completion=report.completion)


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
