"""Schedule stage: planned dates, forecast, slack and critical path of every activity.

The rules are written out, with worked examples, in docs/scheduling.md; this module is
their implementation. All arithmetic happens on working-day indexes (see
engine/calendar.py), so a 10,000-activity roadmap schedules in a few tens of milliseconds:

1. dependencies: known ids only, self-dependencies and cycles reported (`dependency-cycle`)
   and the edges inside a cycle dropped; Kahn's algorithm gives a topological order
   (iterative, so 10,000-deep chains are fine);
2. plan: in that order, each activity's start (pinned, after its dependencies, back from its
   due, or at its goal's or the roadmap's start) and end;
3. forecast: the same order again, with progress and status as of `today`;
4. backward pass: in reverse order, the latest forecast end that keeps every successor and
   the activity itself within its deadline; slack = that minus the forecast end;
5. critical path: the open activities whose slack is the least of their goal (of the
   roadmap, for the roadmap's path); spans of strategies and goals.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.tracking import Tracking
from roadmapgen.model import Activity, Roadmap

START_REASONS = ("pinned", "dependency", "goal-start", "roadmap-start", "due")
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
    deadline_of: str | None  # "strategy" | "goal"
    late_by: int  # working days forecast_end passes deadline, else 0
    driver: str | None  # the dependency whose end set its start, if any
    start_reason: str  # "pinned" | "dependency" | "goal-start" | "roadmap-start" | "due"


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


# -- dependencies ------------------------------------------------------------------------


def _where(activity: Activity, dep: str | None = None) -> tuple[int, int]:
    """The line and column of `depends_on` (of the entry naming `dep`, when known)."""
    if dep is not None and dep in activity.depends_on:
        return activity.source.at("depends_on", activity.depends_on.index(dep))
    return activity.source.at("depends_on")


def _dependencies(activities: Mapping[str, Activity], ids: list[str], diagnostics: Diagnostics) -> dict[str, list[str]]:
    """Each activity's known dependencies, sorted, without itself; self-dependencies reported."""
    deps: dict[str, list[str]] = {}
    for aid in ids:
        activity = activities[aid]
        known = sorted({d for d in activity.depends_on if d in activities})
        if aid in known:
            known.remove(aid)
            line, col = _where(activity, aid)
            diagnostics.error(
                activity.source.path, line, col, "dependency-cycle",
                f"dependency cycle: activity '{aid}' depends on itself ({aid} → {aid})",
                f"remove '{aid}' from its own depends_on ({activity.source.path}:{line})",
            )
        deps[aid] = known
    return deps


def _kahn(ids: list[str], deps: Mapping[str, list[str]]) -> list[str]:
    """A topological order (dependencies first); nodes on or after a cycle are left out."""
    indegree = {aid: len(deps[aid]) for aid in ids}
    dependents: dict[str, list[str]] = {aid: [] for aid in ids}
    for aid in ids:
        for dep in deps[aid]:
            dependents[dep].append(aid)
    queue = deque(aid for aid in ids if indegree[aid] == 0)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in dependents[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order


def _strongly_connected(nodes: list[str], succ: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def _shortest_cycle(start: str, members: set[str], deps: Mapping[str, list[str]]) -> list[str]:
    """The shortest cycle through `start` inside one component: [start, …, start]."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    last = start
    while queue:
        node = queue.popleft()
        if start in deps[node]:
            last = node
            break
        for dep in deps[node]:
            if dep in members and dep not in parent:
                parent[dep] = node
                queue.append(dep)
    path = [last]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])  # type: ignore[arg-type]
    path.reverse()
    return path + [start]


def _break_cycles(activities: Mapping[str, Activity], ids: list[str], deps: dict[str, list[str]],
                  scheduled: set[str], diagnostics: Diagnostics) -> None:
    """Report each cycle once and drop the dependencies inside it."""
    rest = [aid for aid in ids if aid not in scheduled]
    inner = {aid: [d for d in deps[aid] if d not in scheduled] for aid in rest}
    for component in _strongly_connected(rest, inner):
        if len(component) < 2:
            continue
        members = set(component)
        first = min(component)
        cycle = _shortest_cycle(first, members, deps)
        steps = []
        for a, b in zip(cycle, cycle[1:]):
            line, _ = _where(activities[a], b)
            steps.append(f"'{a}' depends on '{b}' ({activities[a].source.path}:{line})")
        message = "dependency cycle: " + " → ".join(cycle)
        if len(members) > len(cycle) - 1:
            others = sorted(members - set(cycle))
            message += f" (and more cycles through {', '.join(others)})"
        line, col = _where(activities[first], cycle[1])
        diagnostics.error(
            activities[first].source.path, line, col, "dependency-cycle", message,
            "; ".join(steps) + "; remove one of these dependencies",
        )
        for aid in component:
            deps[aid] = [d for d in deps[aid] if d not in members]


# -- helpers ---------------------------------------------------------------------------


def _describe(day: date, calendar: WorkCalendar) -> str:
    holiday = calendar.holiday_name(day)
    return f"{_WEEKDAYS[day.weekday()]}, {holiday}" if holiday else _WEEKDAYS[day.weekday()]


def _remaining(duration: int, progress: float | None) -> int:
    """Working days of work left: at least 1 for an open activity that has any length."""
    done = min(max(progress or 0.0, 0.0), 100.0)
    left = math.ceil(round(duration * (100.0 - done) / 100.0, 6))
    return max(1, left) if duration > 0 else 0


def _earliest_date(roadmap: Roadmap, today: date) -> date:
    starts: Iterable[date | None] = (
        *(a.start for a in roadmap.activities.values()),
        *(g.start for g in roadmap.goals.values()),
        *(s.start for s in roadmap.strategies.values()),
    )
    known = [s for s in starts if s is not None]
    return min(known) if known else today


# -- the stage -------------------------------------------------------------------------


def schedule_roadmap(roadmap: Roadmap, tracking: Tracking | None, today: date, diagnostics: Diagnostics,
                     strict: bool = False) -> Schedule:
    """Plan, forecast and find the critical path of every activity (see docs/scheduling.md)."""
    cal = WorkCalendar(roadmap.config.calendar)
    activities = roadmap.activities
    ids = sorted(activities)

    deps = _dependencies(activities, ids, diagnostics)
    order = _kahn(ids, deps)
    if len(order) < len(ids):
        _break_cycles(activities, ids, deps, set(order), diagnostics)
        order = _kahn(ids, deps)

    # -- plan ----------------------------------------------------------------------------
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    length: dict[str, int] = {}
    milestone: dict[str, bool] = {}
    reason: dict[str, str] = {}
    driver: dict[str, str | None] = {}
    goal_of = {aid: roadmap.goal_of(activities[aid]) for aid in ids}
    fallback: list[date] = []  # the earliest date anywhere, computed once when needed

    for aid in order:
        a = activities[aid]
        path = a.source.path
        is_milestone = a.duration is not None and a.duration <= 0
        gap = 0 if is_milestone else 1
        dep_end, dep_driver = None, None
        for dep in deps[aid]:
            if dep_end is None or end[dep] > dep_end:
                dep_end, dep_driver = end[dep], dep
        drv = None
        if a.start is not None:
            s, why = cal.index(a.start), "pinned"
            moved = cal.day(s)
            if moved != a.start:
                line, col = a.source.at("start")
                diagnostics.warning(
                    path, line, col, "start-not-working-day",
                    f"activity '{aid}' starts on {a.start} ({_describe(a.start, cal)}), not a working day; "
                    f"it starts on {moved} instead",
                    "move `start` to a working day, or change calendar.workdays or calendar.holidays",
                )
            if dep_end is not None and s < dep_end + gap:
                line, col = a.source.at("start")
                report = diagnostics.error if strict else diagnostics.warning
                report(
                    path, line, col, "start-before-dependency",
                    f"activity '{aid}' starts on {moved}, before its dependency '{dep_driver}' ends on "
                    f"{cal.day(dep_end)}",
                    f"start it on or after {cal.day(dep_end + gap)}, or remove `start` so it follows "
                    f"'{dep_driver}' ({activities[dep_driver].source.path})",
                )
        elif dep_end is not None:
            s, why, drv = dep_end + gap, "dependency", dep_driver
        elif a.due is not None and a.duration is not None:
            s, why = cal.last_index(a.due) - max(a.duration - 1, 0), "due"
        else:
            goal = roadmap.goals.get(goal_of[aid] or "")
            if goal is not None and goal.start is not None:
                base, why = goal.start, "goal-start"
            elif roadmap.config.start is not None:
                base, why = roadmap.config.start, "roadmap-start"
            else:
                if not fallback:
                    fallback.append(_earliest_date(roadmap, today))
                base, why = fallback[0], "roadmap-start"
            s = cal.index(base)

        if a.duration is not None:
            n = max(a.duration, 0)
            e = s + max(n - 1, 0)
            if a.due is not None:
                last = cal.last_index(a.due)
                if not (e == last or (n == 0 and e == cal.index(a.due))):
                    line, col = a.source.at("due")
                    what = (f"milestone '{aid}' falls on {cal.day(e)}" if n == 0 else
                            f"activity '{aid}' takes {n} working days from {cal.day(s)}, ending on {cal.day(e)}")
                    fits = last - s + 1
                    hint = ("give either `duration` or `due`, not both"
                            + (f", or a duration of {fits} working days to end by {a.due}" if fits > 0 else ""))
                    diagnostics.error(path, line, col, "due-duration-mismatch",
                                      f"{what}, but its due is {a.due}", hint)
        elif a.due is not None:
            n = cal.last_index(a.due) - s + 1
            if n < 1:
                line, col = a.source.at("due")
                diagnostics.error(
                    path, line, col, "due-before-start",
                    f"activity '{aid}' is due {a.due} but cannot start before {cal.day(s)}"
                    + (f" (after its dependency '{drv}')" if drv else ""),
                    "move `due` later, or give a `duration` instead",
                )
                n = 1
            e = s + n - 1
        else:
            n, e = 1, s  # neither duration nor due: the validator reports it
        start[aid], end[aid], length[aid] = s, e, n
        milestone[aid], reason[aid], driver[aid] = n == 0, why, drv

    # -- forecast ------------------------------------------------------------------------
    today_i = cal.index(today)
    tracked = tracking.activities if tracking is not None else {}
    status: dict[str, str] = {}
    f_start: dict[str, int] = {}
    f_end: dict[str, int] = {}
    successors: dict[str, list[str]] = {aid: [] for aid in ids}  # forecast edges only
    for aid in order:
        a = activities[aid]
        t = tracked.get(aid)
        st = t.status if t is not None else a.status
        progress = t.progress if t is not None else a.progress
        status[aid] = st
        s, e, n = start[aid], end[aid], length[aid]
        if st in CLOSED:
            fs, fe = s, e
        elif n == 0 or not (st == "in-progress" or (progress or 0) > 0):
            gap = 0 if n == 0 else 1
            fs = max(s, today_i)
            for dep in deps[aid]:
                if status[dep] != "cancelled":
                    successors[dep].append(aid)
                    fs = max(fs, f_end[dep] + gap)
            fe = fs + max(n - 1, 0)
        else:  # under way: its start is history, its dependencies no longer hold it
            fs = min(s, today_i)
            fe = max(e, today_i + _remaining(n, progress) - 1)
        f_start[aid], f_end[aid] = fs, fe

    # -- deadlines, backward pass, slack -------------------------------------------------------
    deadline: dict[str, tuple[date, str] | None] = {}
    for aid in ids:
        a = activities[aid]
        strat = roadmap.strategies.get(a.strategy) if a.strategy else None
        goal = roadmap.goals.get(goal_of[aid] or "")
        found = None
        if strat is not None:
            found = (strat.due, "strategy")
        if goal is not None and (found is None or goal.due < found[0]):
            found = (goal.due, "goal")
        deadline[aid] = found
    project_end = max(f_end.values(), default=0)
    late_finish: dict[str, int] = {}
    for aid in reversed(order):
        due = deadline[aid]
        limit = cal.last_index(due[0]) if due else project_end
        for nxt in successors[aid]:
            limit = min(limit, late_finish[nxt] - length[nxt])
        late_finish[aid] = limit
    slack = {aid: late_finish[aid] - f_end[aid] for aid in ids}

    # -- critical path -------------------------------------------------------------------
    open_ids = [aid for aid in ids if status[aid] not in CLOSED]
    least: dict[str | None, int] = {}
    for aid in open_ids:
        g = goal_of[aid]
        least[g] = min(least.get(g, slack[aid]), slack[aid])
    critical = {aid for aid in open_ids if slack[aid] == least[goal_of[aid]]}

    def by_forecast(members: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(members, key=lambda x: (f_start[x], f_end[x], x)))

    critical_paths = {gid: by_forecast(aid for aid in critical if goal_of[aid] == gid) for gid in roadmap.goals}
    overall = min((slack[aid] for aid in open_ids), default=None)
    critical_path = by_forecast(aid for aid in open_ids if slack[aid] == overall)

    # -- results --------------------------------------------------------------------------
    schedule_order = tuple(sorted(ids, key=lambda x: (start[x], end[x], x)))
    result: dict[str, ScheduledActivity] = {}
    for aid in schedule_order:
        due = deadline[aid]
        late_by = max(0, f_end[aid] - cal.last_index(due[0])) if due and status[aid] != "cancelled" else 0
        result[aid] = ScheduledActivity(
            id=aid, start=cal.day(start[aid]), end=cal.day(end[aid]), duration=length[aid],
            milestone=milestone[aid], forecast_start=cal.day(f_start[aid]), forecast_end=cal.day(f_end[aid]),
            total_slack=slack[aid], critical=aid in critical,
            deadline=due[0] if due else None, deadline_of=due[1] if due else None, late_by=late_by,
            driver=driver[aid], start_reason=reason[aid],
        )

    def span(members: list[str], due: date | None) -> Span:
        if not members:
            return Span(None, None, None, 0)
        live = [m for m in members if status[m] != "cancelled"]
        fe = max((f_end[m] for m in live), default=None)
        late = max(0, fe - cal.last_index(due)) if fe is not None and due is not None else 0
        return Span(cal.day(min(start[m] for m in members)), cal.day(max(end[m] for m in members)),
                    cal.day(fe) if fe is not None else None, late)

    by_strategy: dict[str, list[str]] = {sid: [] for sid in roadmap.strategies}
    by_goal: dict[str, list[str]] = {gid: [] for gid in roadmap.goals}
    for aid in ids:
        sid = activities[aid].strategy
        if sid in by_strategy:
            by_strategy[sid].append(aid)
        if goal_of[aid] in by_goal:
            by_goal[goal_of[aid]].append(aid)  # type: ignore[index]
    strategies = {sid: span(by_strategy[sid], s.due) for sid, s in roadmap.strategies.items()}
    goals = {gid: span(by_goal[gid], g.due) for gid, g in roadmap.goals.items()}

    return Schedule(
        calendar=cal,
        activities=result,
        order=schedule_order,
        strategies=strategies,
        goals=goals,
        critical_paths=critical_paths,
        critical_path=critical_path,
        start=cal.day(min(start.values())) if ids else None,
        end=cal.day(max(max(end.values()), max(f_end.values()))) if ids else None,
    )
