"""Schedule stage: planned dates, forecast, slack and critical path of every activity.

The rules are written out, with worked examples, in docs/scheduling.md; this module is
their implementation. All arithmetic happens on working-day indexes (see
engine/calendar.py), so a 10,000-activity roadmap schedules in about a tenth of a second.
`plan_roadmap` runs passes 1 and 2 (and finds each deadline), which no progress or date changes,
into a `Plan`; `schedule_roadmap` forecasts a plan (made for it when not given) with the passes
3 to 5 over one `_Run`, the working state. History forecasts one plan at every past date
(`forecast`, pass 3 on positions, shared by both):

1. `_order`: known dependencies only; self-dependencies and cycles reported
   (`dependency-cycle`) and the edges inside a cycle dropped; then a topological order
   (engine/cycles.py: iterative, so 10,000-deep chains are fine);
2. `_forward_pass`: in that order, each activity's start (pinned, after its dependencies,
   back from its due, or at its goal's or the roadmap's start) and end; an activity with only
   a `due` is a target date, with no span;
3. `_forecast_pass`: the same order again, with progress and status as of `today`; where no
   progress was reported, the forecast assumes the plan holds unless a dependency pushes it;
4. `_backward_pass`: in reverse order, the latest forecast end that keeps every successor
   and the activity itself within its deadline (its own due, its strategy's, its goal's);
   slack = that minus the forecast end;
5. `_mark_critical` and `_critical_paths`: the chain that drives each goal's end (the
   roadmap's, for the roadmap's path): from its latest forecast end, back through the
   dependency that sets each start; `_spans` of strategies and goals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Iterable, Mapping, NamedTuple

from roadmapgen.diagnostics import Diagnostic, Diagnostics
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.cycles import break_cycles, topological_order
from roadmapgen.engine.tracking import Tracking, effective_progress
from roadmapgen.model import Activity, Roadmap

START_REASONS = ("pinned", "dependency", "goal-start", "roadmap-start", "due", "target")
CLOSED = ("done", "cancelled")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class ScheduledActivity:
    id: str
    start: date  # planned, inclusive; a milestone has start == end == its date
    end: date
    duration: int  # working days (0: milestone)
    milestone: bool
    forecast_start: date
    forecast_end: date
    total_slack: int  # working days, negative when late
    critical: bool
    deadline: date | None
    deadline_of: str | None  # "own" (its due) | "strategy" | "goal"
    late_by: int  # working days forecast_end passes deadline, else 0
    driver: str | None  # the dependency whose end set its start, if any
    start_reason: str  # "pinned" | "dependency" | "goal-start" | "roadmap-start" | "due" | "target"
    forecast_assumed: bool = False  # no progress reported: the forecast assumes the plan holds
    due: date | None = None  # its own `due`, when it has one
    forecast_driver: str | None = None  # the live dependency whose forecast end sets its forecast start

    @property
    def committed(self) -> date:
        """The date it is held to: its own due, else its planned end."""
        return self.due or self.end

    @property
    def target_only(self) -> bool:
        """Only a due date is known: no start, duration or dependency, so no span to judge against."""
        return self.start_reason == "target"


@dataclass(frozen=True, slots=True)
class Span:
    """A strategy's or goal's extent over its activities."""

    start: date | None
    end: date | None
    forecast_end: date | None
    late_by: int  # working days its latest forecast end passes its due


@dataclass(frozen=True)
class Schedule:
    calendar: WorkCalendar
    activities: Mapping[str, ScheduledActivity]  # in schedule order
    order: tuple[str, ...]  # by (start, end, id)
    strategies: Mapping[str, Span]
    goals: Mapping[str, Span]
    critical_paths: Mapping[str, tuple[str, ...]]  # goal id → ordered activity ids
    critical_path: tuple[str, ...]  # the whole roadmap
    start: date | None  # the earliest planned start
    end: date | None  # the latest planned or forecast end


# -- the stage -------------------------------------------------------------------------


def schedule_roadmap(roadmap: Roadmap, tracking: Tracking | None, today: date, diagnostics: Diagnostics,
                     plan: Plan | None = None) -> Schedule:
    """Plan, forecast and find the critical path of every activity (see docs/scheduling.md).

    `plan` is `plan_roadmap`'s result for this roadmap, when already made (its diagnostics were
    reported then); it is made here when missing or made for another date it depends on.
    """
    if plan is None or not plan.holds_on(today):
        plan = plan_roadmap(roadmap, today, diagnostics)
    run = _Run.from_plan(plan, today, diagnostics)
    _forecast_pass(run, tracking)
    _backward_pass(run)
    _mark_critical(run)
    return _result(run)


def plan_roadmap(roadmap: Roadmap, today: date, diagnostics: Diagnostics) -> Plan:
    """The passes of the schedule that no progress or status changes: order, plan and deadlines."""
    run = _Run.begin(roadmap, today, diagnostics)
    _order(run)
    _forward_pass(run)
    run.deadline = {aid: _deadline(run, aid) for aid in run.ids}
    return Plan(roadmap, run.cal, run.ids, run.goal_of, run.deps, run.order, run.start, run.end, run.length,
                run.reason, run.driver, run.deadline, today if run.starts_today else None, run.cycles, run.notes)


def replan(previous: Plan, roadmap: Roadmap, today: date, diagnostics: Diagnostics | None = None) -> Plan:
    """`plan_roadmap(roadmap, today, diagnostics)` made from `previous`, the plan of another
    version of the roadmap, when only activities changed and none of their dependencies: the
    order stays, and only the changed activities, those that depend on them, and those after them
    whose dependencies' ends they move, are planned again. Otherwise planned in full. The
    diagnostics (dropped when `diagnostics` is None) are the same either way: an activity not
    planned again says again what it said in `previous` (`Plan.notes`)."""
    sink = diagnostics if diagnostics is not None else Diagnostics()
    changed = _changed_activities(previous, roadmap)
    if changed is None:
        return plan_roadmap(roadmap, today, sink)
    run = _Run(roadmap, previous.calendar, today, Diagnostics(), previous.ids, dict(previous.goal_of),
               deps=previous.deps, order=previous.order, start=dict(previous.start), end=dict(previous.end),
               length=dict(previous.length), reason=dict(previous.reason), driver=dict(previous.driver),
               deadline=dict(previous.deadline), notes=dict(previous.notes))
    for aid in changed:
        run.goal_of[aid] = roadmap.goal_of(roadmap.activities[aid])
        run.deadline[aid] = _deadline(run, aid)
    moved = _plan_downstream(run, changed, min(previous.positions.at[aid] for aid in changed)) if changed else set()
    plan = Plan(roadmap, run.cal, run.ids, run.goal_of, run.deps, run.order, run.start, run.end, run.length,
                run.reason, run.driver, run.deadline, notes=run.notes)
    plan.__dict__["positions"] = _moved_positions(previous.positions, run, moved)  # cached_property's slot
    if diagnostics is not None:
        for notes in plan.notes.values():
            diagnostics.extend(notes)
    return plan


def _changed_activities(previous: Plan, roadmap: Roadmap) -> list[str] | None:
    """The activities of `roadmap` that are not `previous`'s own objects, when only they changed
    and their known dependencies did not; None when the plan must be made in full: other settings,
    goals or strategies, another set of activities, a dependency changed, or a start that falls
    back to the earliest date written anywhere (which any activity's start may move)."""
    before = previous.roadmap
    if (previous.as_of is not None or previous.cycles
            or (roadmap.config is not before.config and roadmap.config != before.config)
            or roadmap.config.start is None or roadmap.activities.keys() != before.activities.keys()
            or not same_items(before.goals, roadmap.goals) or not same_items(before.strategies, roadmap.strategies)):
        return None
    old = before.activities
    changed = [aid for aid, a in roadmap.activities.items() if old[aid] is not a]
    for aid in changed:
        depends_on = roadmap.activities[aid].depends_on
        if aid in depends_on or sorted({d for d in depends_on if d in roadmap.activities}) != previous.deps[aid]:
            return None  # a dependency changed, or one on itself (reported when ordering, which is not done again)
    return changed


def _moved_positions(positions: _Positions, run: _Run, moved: set[str]) -> _Positions:
    """The positions of a plan in the same order as `positions`', with the `moved` activities' new dates."""
    if not moved:
        return positions
    start, end, length = positions.start[:], positions.end[:], positions.length[:]
    for aid in moved:
        i = positions.at[aid]
        start[i], end[i], length[i] = run.start[aid], run.end[aid], run.length[aid]
    return positions._replace(start=start, end=end, length=length)


def same_items(before: Mapping[str, object], after: Mapping[str, object]) -> bool:
    """Whether two versions of a roadmap hold the very same items (the loader's, for files that did not change)."""
    return before.keys() == after.keys() and all(after[k] is item for k, item in before.items())


def _plan_downstream(run: _Run, changed: list[str], first: int) -> set[str]:
    """Plan again, in order from position `first`, the changed activities, those that depend on
    one (their diagnostics name it), and those a dependency's new end reaches; the activities
    whose start, end or length moved."""
    again, followed, moved = set(changed), set(changed), set()  # followed: its dependents are planned again
    for aid in run.order[first:]:
        if aid not in again and not any(d in followed for d in run.deps[aid]):
            continue
        before = (run.start[aid], run.end[aid], run.length[aid])
        _plan_activity(run, aid)
        if run.end[aid] != before[1]:
            followed.add(aid)
        if (run.start[aid], run.end[aid], run.length[aid]) != before:
            moved.add(aid)
    return moved


@dataclass(frozen=True, eq=False)
class Plan:
    """The date-independent passes of a schedule, made once and forecast at any date.

    History forecasts one plan at each of its sample dates instead of planning again. Only a
    roadmap with no start written anywhere has a plan that depends on the date (its work starts
    today): `as_of` is then that date, and the plan holds on no other.
    """

    roadmap: Roadmap
    calendar: WorkCalendar
    ids: list[str]  # sorted
    goal_of: dict[str, str | None]
    deps: dict[str, list[str]]  # known, acyclic
    order: list[str]  # topological
    start: dict[str, int]  # working-day indexes
    end: dict[str, int]
    length: dict[str, int]
    reason: dict[str, str]
    driver: dict[str, str | None]
    deadline: dict[str, tuple[date, str] | None]
    as_of: date | None = None
    cycles: bool = False  # dependency cycles were broken to order it (`replan` then plans in full)
    notes: Mapping[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # what planning each activity reported

    def holds_on(self, today: date) -> bool:
        return self.as_of is None or self.as_of == today

    @cached_property
    def positions(self) -> _Positions:
        """The plan by position in topological order, for the lean forecast."""
        return _positions(self.order, self.start, self.end, self.length, self.deps)


class _Positions(NamedTuple):
    at: dict[str, int]  # activity id → its position in topological order
    start: list[int]
    end: list[int]
    length: list[int]
    deps: list[list[int]]


def _positions(order: list[str], start: dict[str, int], end: dict[str, int], length: dict[str, int],
               deps: dict[str, list[str]]) -> _Positions:
    at = {aid: i for i, aid in enumerate(order)}
    return _Positions(at, [start[a] for a in order], [end[a] for a in order], [length[a] for a in order],
                      [[at[d] for d in deps[a]] for a in order])


@dataclass(slots=True)
class _Run:
    """The working state of one scheduling run; every day in it is a working-day index."""

    roadmap: Roadmap
    cal: WorkCalendar
    today: date
    diagnostics: Diagnostics
    ids: list[str]  # sorted
    goal_of: dict[str, str | None]
    deps: dict[str, list[str]] = field(default_factory=dict)  # known, acyclic once ordered
    order: list[str] = field(default_factory=list)  # topological
    start: dict[str, int] = field(default_factory=dict)
    end: dict[str, int] = field(default_factory=dict)
    length: dict[str, int] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)
    driver: dict[str, str | None] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    assumed: set[str] = field(default_factory=set)
    f_start: dict[str, int] = field(default_factory=dict)
    f_end: dict[str, int] = field(default_factory=dict)
    successors: dict[str, list[str]] = field(default_factory=dict)  # forecast edges only
    deadline: dict[str, tuple[date, str] | None] = field(default_factory=dict)
    slack: dict[str, int] = field(default_factory=dict)
    critical: set[str] = field(default_factory=set)
    fallback: date | None = None  # the earliest date anywhere, computed once when needed
    starts_today: bool = False  # no start written anywhere: the fallback is today
    positions: _Positions | None = None  # the plan by topological position, for the forecast
    cycles: bool = False  # dependency cycles were found and broken
    notes: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # activity id → what planning it reported

    @classmethod
    def begin(cls, roadmap: Roadmap, today: date, diagnostics: Diagnostics) -> _Run:
        ids = sorted(roadmap.activities)
        goal_of = {aid: roadmap.goal_of(roadmap.activities[aid]) for aid in ids}
        return cls(roadmap, WorkCalendar(roadmap.config.calendar), today, diagnostics, ids, goal_of)

    @classmethod
    def from_plan(cls, plan: Plan, today: date, diagnostics: Diagnostics) -> _Run:
        """A run whose order and plan are `plan`'s (shared, never changed by the later passes)."""
        return cls(plan.roadmap, plan.calendar, today, diagnostics, plan.ids, plan.goal_of, deps=plan.deps,
                   order=plan.order, start=plan.start, end=plan.end, length=plan.length, reason=plan.reason,
                   driver=plan.driver, deadline=plan.deadline, positions=plan.positions)


# -- 1. order --------------------------------------------------------------------------


def _order(run: _Run) -> None:
    """Known dependencies and a topological order of every activity; cycles reported and broken."""
    run.deps = _known_dependencies(run)
    run.order = topological_order(run.ids, run.deps)
    if len(run.order) < len(run.ids):
        run.cycles = True
        for cycle, members in break_cycles(run.ids, run.deps, set(run.order)):
            _report_cycle(run, cycle, members)
        run.order = topological_order(run.ids, run.deps)


def _known_dependencies(run: _Run) -> dict[str, list[str]]:
    """Each activity's known dependencies, sorted, without itself; self-dependencies reported."""
    activities = run.roadmap.activities
    deps: dict[str, list[str]] = {}
    for aid in run.ids:
        known = sorted({d for d in activities[aid].depends_on if d in activities})
        if aid in known:
            known.remove(aid)
            _report_self_dependency(run, aid)
            run.notes[aid] = (run.diagnostics.items[-1],)
        deps[aid] = known
    return deps


def _where(activity: Activity, dep: str | None = None) -> tuple[int, int]:
    """The line and column of `depends_on` (of the entry naming `dep`, when known)."""
    if dep is not None and dep in activity.depends_on:
        return activity.source.at("depends_on", activity.depends_on.index(dep))
    return activity.source.at("depends_on")


def _report_self_dependency(run: _Run, aid: str) -> None:
    activity = run.roadmap.activities[aid]
    path, (line, col) = activity.source.path, _where(activity, aid)
    run.diagnostics.error(
        path, line, col, "dependency-cycle",
        f"dependency cycle: activity '{aid}' depends on itself ({aid} → {aid})",
        f"remove '{aid}' from its own depends_on ({path}:{line})",
    )


def _report_cycle(run: _Run, cycle: list[str], members: set[str]) -> None:
    """One error per knot of cycles, on its first member's entry for the next one."""
    first = run.roadmap.activities[cycle[0]]
    message = "dependency cycle: " + " → ".join(cycle)
    if len(members) > len(cycle) - 1:
        message += f" (and more cycles through {', '.join(sorted(members - set(cycle)))})"
    line, col = _where(first, cycle[1])
    run.diagnostics.error(first.source.path, line, col, "dependency-cycle", message,
                          "; ".join(_cycle_steps(run, cycle)) + "; remove one of these dependencies")


def _cycle_steps(run: _Run, cycle: list[str]) -> list[str]:
    """Each edge of `cycle`, with the file and line that declares it."""
    activities = run.roadmap.activities
    return [f"'{a}' depends on '{b}' ({activities[a].source.path}:{_where(activities[a], b)[0]})"
            for a, b in zip(cycle, cycle[1:])]


# -- 2. plan ---------------------------------------------------------------------------


def _forward_pass(run: _Run) -> None:
    """Plan every activity in dependency order: its start, why, its length and end."""
    for aid in run.order:
        _plan_activity(run, aid)


def _plan_activity(run: _Run, aid: str) -> None:
    """Plan one activity, its dependencies planned: its start, why, its length and end."""
    reported = len(run.diagnostics)
    s, why, drv = _planned_start(run, aid)
    n, e = (0, s) if why == "target" else _planned_length(run, aid, s)
    run.start[aid], run.end[aid], run.length[aid] = s, e, n
    run.reason[aid], run.driver[aid] = why, drv
    _keep_notes(run, aid, reported)


def _keep_notes(run: _Run, aid: str, reported: int) -> None:
    """Keep what planning `aid` reported since `reported` diagnostics (its self-dependency, found
    when ordering, stays first), so that a plan made again from this one can say it again."""
    own = tuple(run.diagnostics.items[reported:])
    earlier = tuple(d for d in run.notes.get(aid, ()) if d.code == "dependency-cycle")
    if own or earlier:
        run.notes[aid] = earlier + own
    else:
        run.notes.pop(aid, None)


def _planned_start(run: _Run, aid: str) -> tuple[int, str, str | None]:
    """The start of `aid` by the first rule that applies, the rule, and the driving dependency."""
    a = run.roadmap.activities[aid]
    dep_end, dep_driver = _latest_dependency(run, aid)
    if a.start is not None:
        return _pinned_start(run, aid, dep_end, dep_driver), "pinned", None
    if dep_end is not None:
        return dep_end + _gap(a.duration), "dependency", dep_driver
    if a.due is not None and a.duration is not None:
        return run.cal.last_index(a.due) - max(a.duration - 1, 0), "due", None
    if a.due is not None:
        return run.cal.last_index(a.due), "target", None
    base, why = _default_start(run, aid)
    return run.cal.index(base), why, None


def _gap(duration: int | None) -> int:
    """Days between a dependency's end and the start: a milestone falls on that end itself."""
    return 0 if duration is not None and duration <= 0 else 1


def _latest_dependency(run: _Run, aid: str) -> tuple[int | None, str | None]:
    """The latest planned end among the dependencies, and whose (ties: the smallest id)."""
    dep_end, dep_driver = None, None
    for dep in run.deps[aid]:
        if dep_end is None or run.end[dep] > dep_end:
            dep_end, dep_driver = run.end[dep], dep
    return dep_end, dep_driver


def _pinned_start(run: _Run, aid: str, dep_end: int | None, dep_driver: str | None) -> int:
    """The pinned start on a working day; warns when it had to move or comes before a dependency."""
    a = run.roadmap.activities[aid]
    s = run.cal.index(a.start)  # type: ignore[arg-type]
    moved = run.cal.day(s)
    if moved != a.start:
        _warn_not_working_day(run, aid, moved)
    gap = _gap(a.duration)
    if dep_end is not None and s < dep_end + gap:
        _report_start_before_dependency(run, aid, moved, dep_end + gap, dep_driver)  # type: ignore[arg-type]
    return s


def _warn_not_working_day(run: _Run, aid: str, moved: date) -> None:
    a = run.roadmap.activities[aid]
    line, col = a.source.at("start")
    run.diagnostics.warning(
        a.source.path, line, col, "start-not-working-day",
        f"activity '{aid}' starts on {a.start} ({_describe(a.start, run.cal)}), not a working day; "  # type: ignore[arg-type]
        f"it starts on {moved} instead",
        "move `start` to a working day, or change calendar.workdays or calendar.holidays",
    )


def _describe(day: date, calendar: WorkCalendar) -> str:
    """The weekday of `day`, with the holiday's name when it is one."""
    holiday = calendar.holiday_name(day)
    return f"{_WEEKDAYS[day.weekday()]}, {holiday}" if holiday else _WEEKDAYS[day.weekday()]



def _report_start_before_dependency(run: _Run, aid: str, moved: date, allowed: int, dep_driver: str) -> None:
    """A warning (`--strict` fails on it, as on every warning): the pin is kept, the plan says it is too early."""
    a = run.roadmap.activities[aid]
    line, col = a.source.at("start")
    run.diagnostics.warning(
        a.source.path, line, col, "start-before-dependency",
        f"activity '{aid}' starts on {moved}, before its dependency '{dep_driver}' ends on "
        f"{run.cal.day(run.end[dep_driver])}",
        f"start it on or after {run.cal.day(allowed)}, or remove `start` so it follows "
        f"'{dep_driver}' ({run.roadmap.activities[dep_driver].source.path})",
    )


def _default_start(run: _Run, aid: str) -> tuple[date, str]:
    """Rule 4: the goal's start, else the roadmap's, else the earliest start written anywhere."""
    goal = run.roadmap.goals.get(run.goal_of[aid] or "")
    if goal is not None and goal.start is not None:
        return goal.start, "goal-start"
    if run.roadmap.config.start is not None:
        return run.roadmap.config.start, "roadmap-start"
    if run.fallback is None:
        earliest = _earliest_date(run.roadmap)  # scans the whole roadmap: once at most
        run.fallback, run.starts_today = earliest or run.today, earliest is None
    return run.fallback, "roadmap-start"


def _earliest_date(roadmap: Roadmap) -> date | None:
    """The earliest start written on any activity, goal or strategy; None if there is none."""
    starts: Iterable[date | None] = (
        *(a.start for a in roadmap.activities.values()),
        *(g.start for g in roadmap.goals.values()),
        *(s.start for s in roadmap.strategies.values()),
    )
    known = [s for s in starts if s is not None]
    return min(known) if known else None



def _planned_length(run: _Run, aid: str, s: int) -> tuple[int, int]:
    """The length and end of `aid` starting at `s`.

    With a `duration`, a `due` is a deadline the status stage judges the forecast against, not
    a second length; with only dependencies and a `due`, the span runs to the due (one day
    when the dependencies already end after it: the item is then late, not invalid).
    """
    a = run.roadmap.activities[aid]
    if a.duration is not None:
        n = max(a.duration, 0)
        return n, s + max(n - 1, 0)
    if a.due is not None:
        n = max(run.cal.last_index(a.due) - s + 1, 1)
        return n, s + n - 1
    return 1, s  # neither duration nor due: the validator reports it


# -- 3. forecast -----------------------------------------------------------------------


def _forecast_pass(run: _Run, tracking: Tracking | None) -> None:
    """Forecast every activity in dependency order, with its status and progress as of today."""
    order = run.order  # topological
    tracked = tracking.activities if tracking is not None else {}
    statuses, progresses = [], []
    for aid in order:
        a, t = run.roadmap.activities[aid], tracked.get(aid)
        statuses.append(t.status if t is not None else a.status)
        progresses.append(effective_progress(t, a.is_milestone) if t is not None else a.progress)
    positions = run.positions or _positions(order, run.start, run.end, run.length, run.deps)
    lengths = positions.length
    f_start, f_end = forecast(positions, statuses, progresses, run.cal.index(run.today))
    run.status, run.f_start, run.f_end = dict(zip(order, statuses)), dict(zip(order, f_start)), dict(zip(order, f_end))
    run.successors = {aid: [] for aid in run.ids}
    for aid, status, progress, n in zip(order, statuses, progresses, lengths):
        if status in CLOSED:
            continue
        if n > 0 and progress is None:
            run.assumed.add(aid)  # nobody said how far it got: it keeps to its plan
        if not (n > 0 and _under_way(status, progress)):
            # the backward pass follows only the edges that push: those of items still waiting
            for dep in run.deps[aid]:
                if run.status[dep] != "cancelled":
                    run.successors[dep].append(aid)


def _under_way(status: str, progress: float | None) -> bool:
    return status == "in-progress" or (progress or 0) > 0


def forecast(plan: _Positions, statuses: list[str], progresses: list[float | None],
             today_i: int) -> tuple[list[int], list[int]]:
    """The forecast start and end (working-day indexes) of every activity, by position in
    topological order, given each one's status and effective progress (the table in section 5).

    Closed work keeps its plan. Work under way started where it did; it ends when its remaining
    work is done, or as planned when nobody said how far it got. Work still waiting starts no
    earlier than its live dependencies' forecast ends, nor than today (unless nobody reported
    anything: then it keeps to its plan unless a dependency pushes it); an open item never ends
    before today.
    """
    starts, ends, lengths, deps = plan.start, plan.end, plan.length, plan.deps
    f_start, f_end = starts[:], ends[:]
    left: dict[tuple[int, float], int] = {}  # (length, progress) → working days left: few distinct pairs
    # conditionals rather than min() and max(): this runs for every activity at every history date
    for i, (status, progress, n) in enumerate(zip(statuses, progresses, lengths)):
        if status == "done" or status == "cancelled":
            continue
        start = starts[i]
        if n > 0 and (status == "in-progress" or (progress or 0) > 0):
            if today_i < start:
                f_start[i] = today_i
            if progress is None:
                end = today_i
            else:
                days = left.get((n, progress))
                if days is None:
                    days = left[n, progress] = _remaining(n, progress)
                end = today_i + days - 1
            if end > ends[i]:
                f_end[i] = end
            continue
        gap = 0 if n == 0 else 1
        fs = start if n > 0 and progress is None or start >= today_i else today_i
        for j in deps[i]:
            if f_end[j] + gap > fs and statuses[j] != "cancelled":
                fs = f_end[j] + gap
        end = fs + n - 1 if n > 0 else fs
        f_start[i], f_end[i] = fs, end if end > today_i else today_i
    return f_start, f_end


def _remaining(duration: int, progress: float | None) -> int:
    """Working days of work left: at least 1 for an open activity that has any length."""
    done = min(max(progress or 0.0, 0.0), 100.0)
    left = math.ceil(round(duration * (100.0 - done) / 100.0, 6))
    return max(1, left) if duration > 0 else 0


# -- 4. deadlines and slack ------------------------------------------------------------


def _backward_pass(run: _Run) -> None:
    """In reverse order, the latest end that keeps every successor and the deadline; then slack."""
    project_end = max(run.f_end.values(), default=0)
    late_finish: dict[str, int] = {}
    for aid in reversed(run.order):
        due = run.deadline[aid]
        limit = run.cal.last_index(due[0]) if due else project_end
        for nxt in run.successors[aid]:
            limit = min(limit, late_finish[nxt] - run.length[nxt])
        late_finish[aid] = limit
    run.slack = {aid: late_finish[aid] - run.f_end[aid] for aid in run.ids}


def _deadline(run: _Run, aid: str) -> tuple[date, str] | None:
    """The earliest of its own due, its strategy's and its goal's, and whose (the nearest on a tie)."""
    a = run.roadmap.activities[aid]
    strat = run.roadmap.strategies.get(a.strategy) if a.strategy else None
    goal = run.roadmap.goals.get(run.goal_of[aid] or "")
    found = (a.due, "own") if a.due is not None else None
    for due, whose in ((strat.due if strat else None, "strategy"), (goal.due if goal else None, "goal")):
        if due is not None and (found is None or due < found[0]):
            found = (due, whose)
    return found


# -- 5. critical paths -----------------------------------------------------------------


def _open_ids(run: _Run) -> list[str]:
    return [aid for aid in run.ids if run.status[aid] not in CLOSED]


def _mark_critical(run: _Run) -> None:
    """Critical: the open activities on the chain that drives their goal's end."""
    by_goal: dict[str | None, list[str]] = {}
    for aid in _open_ids(run):
        by_goal.setdefault(run.goal_of[aid], []).append(aid)
    run.critical = {aid for members in by_goal.values()
                    for aid in _driving_chain(run, members, same_goal=True)}


def _critical_paths(run: _Run) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Each goal's critical path, and the roadmap's: the chain that drives the roadmap's end."""
    paths = {gid: _by_forecast(run, (aid for aid in run.critical if run.goal_of[aid] == gid))
             for gid in run.roadmap.goals}
    return paths, _by_forecast(run, _driving_chain(run, _open_ids(run), same_goal=False))


def _driving_chain(run: _Run, members: list[str], *, same_goal: bool) -> set[str]:
    """The open activities among `members` with the latest forecast end, and, walking back from
    each, the dependency that drives it, as long as that one is open (and, with `same_goal`, of
    the same goal)."""
    last = max((run.f_end[aid] for aid in members), default=None)
    chain: set[str] = set()
    for aid in members:
        step: str | None = aid if run.f_end[aid] == last else None
        while step is not None and step not in chain:
            chain.add(step)
            step = _driving_dependency(run, step)
            if step is not None and (run.status[step] in CLOSED
                                     or (same_goal and run.goal_of[step] != run.goal_of[aid])):
                step = None
    return chain


def _driving_dependency(run: _Run, aid: str) -> str | None:
    """The dependency whose forecast end sets the forecast start of `aid` (the latest; ties: the
    smallest id), or None when its start is its plan's own, today, or history (it is under way)."""
    gap = 0 if run.length[aid] == 0 else 1
    binding = [dep for dep in run.deps[aid]
               if run.f_end[dep] + gap == run.f_start[aid] and aid in run.successors[dep]]
    return min(binding, key=lambda dep: (-run.f_end[dep], dep), default=None)


def _by_forecast(run: _Run, members: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(members, key=lambda x: (run.f_start[x], run.f_end[x], x)))


# -- results ---------------------------------------------------------------------------


def _result(run: _Run) -> Schedule:
    """The finished schedule, in dates, its activities ordered by (start, end, id)."""
    cal, ids, start, end = run.cal, run.ids, run.start, run.end
    order = tuple(sorted(ids, key=lambda x: (start[x], end[x], x)))
    critical_paths, critical_path = _critical_paths(run)
    strategies, goals = _spans(run)
    return Schedule(
        calendar=cal, activities=_scheduled_activities(run, order), order=order,
        strategies=strategies, goals=goals, critical_paths=critical_paths, critical_path=critical_path,
        start=cal.day(min(start.values())) if ids else None,
        end=cal.day(max(max(end.values()), max(run.f_end.values()))) if ids else None,
    )


def _scheduled_activities(run: _Run, order: tuple[str, ...]) -> dict[str, ScheduledActivity]:
    """Each activity's `ScheduledActivity`, in `order` (one loop with its lookups made once: it
    runs for every activity of every build)."""
    day, last_index, activities = run.cal.day, run.cal.last_index, run.roadmap.activities
    start, end, length, f_start, f_end = run.start, run.end, run.length, run.f_start, run.f_end
    deadline, status, slack, critical, assumed = run.deadline, run.status, run.slack, run.critical, run.assumed
    driver, reason = run.driver, run.reason
    result = {}
    for aid in order:
        due, activity = deadline[aid], activities[aid]
        late_by = max(0, f_end[aid] - last_index(due[0])) if due and status[aid] != "cancelled" else 0
        result[aid] = ScheduledActivity(
            aid, day(start[aid]), day(end[aid]), length[aid], activity.is_milestone, day(f_start[aid]),
            day(f_end[aid]), slack[aid], aid in critical, due[0] if due else None, due[1] if due else None,
            late_by, driver[aid], reason[aid], aid in assumed, activity.due, _driving_dependency(run, aid))
    return result


def _spans(run: _Run) -> tuple[dict[str, Span], dict[str, Span]]:
    """Every strategy's and every goal's span over its activities."""
    by_strategy, by_goal = _members(run)
    strategies = {sid: _span(run, by_strategy[sid], s.due) for sid, s in run.roadmap.strategies.items()}
    goals = {gid: _span(run, by_goal[gid], g.due) for gid, g in run.roadmap.goals.items()}
    return strategies, goals


def _members(run: _Run) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The activities of each strategy and of each goal, sorted by id."""
    by_strategy: dict[str, list[str]] = {sid: [] for sid in run.roadmap.strategies}
    by_goal: dict[str, list[str]] = {gid: [] for gid in run.roadmap.goals}
    for aid in run.ids:
        sid = run.roadmap.activities[aid].strategy
        if sid in by_strategy:
            by_strategy[sid].append(aid)
        if run.goal_of[aid] in by_goal:
            by_goal[run.goal_of[aid]].append(aid)  # type: ignore[index]
    return by_strategy, by_goal


def _span(run: _Run, members: list[str], due: date | None) -> Span:
    """Planned extent over all members; forecast end and lateness over those not cancelled."""
    if not members:
        return Span(None, None, None, 0)
    live = [m for m in members if run.status[m] != "cancelled"]
    fe = max((run.f_end[m] for m in live), default=None)
    late = max(0, fe - run.cal.last_index(due)) if fe is not None and due is not None else 0
    return Span(run.cal.day(min(run.start[m] for m in members)), run.cal.day(max(run.end[m] for m in members)),
                run.cal.day(fe) if fe is not None else None, late)
