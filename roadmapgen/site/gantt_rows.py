"""The Gantt timeline's row model: every goal, strategy and activity as a row, in the roadmap's one
order (engine/facts.py), with its dates, colour, progress (the status stage's), label and hover
text; the dependency edges between them; and the subsets of rows a goal's or a strategy's chart
shows. The figure drawn from these rows is gantt.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Iterator, Sequence

from roadmapgen.names import NOT_REPORTED, RAG_ICONS, RAG_LABELS, status_label
from roadmapgen.site.charts import LABEL_CHARS, _bold, _cut, _days, _iso, _lines, _pct, plotly_text
from roadmapgen.site.views import Views, built_once, unreported_phrase


@dataclass(frozen=True)
class GanttRow:
    """One row of the timeline: an item's dates, colour, progress and texts, or the check-in row."""

    key: str  # "goal:<id>" | "strategy:<id>" | "activity:<id>" | "checkins"
    kind: str
    id: str
    goal: str | None
    strategy: str | None
    owner: str | None
    rag: str | None
    label: str  # escaped, for the y axis
    path: str | None  # site path of the item's page
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive
    forecast_start: date | None = None
    forecast_end: date | None = None
    milestone: bool = False
    target: bool = False  # an activity with only a due date: a flag on that date, not a bar
    progress: float | None = None  # the status stage's; None: not reported
    critical: bool = False
    due: date | None = None  # strategies and goals: their due date (a diamond)
    hover: str = ""  # escaped, with <br>
    due_hover: str = ""
    title: str = ""  # plain text, as written
    baseline_start: date | None = None  # where the baseline had it (engine/baseline.py), drawn behind the bar
    baseline_end: date | None = None
    baseline_hover: str = ""

    @property
    def depth(self) -> int:
        """How deep the row nests, for its label's indent: goal (and check-ins) 0, strategy 1,
        activity 2 (1 when it belongs to no strategy)."""
        if self.kind == "strategy":
            return 1
        if self.kind == "activity":
            return 2 if self.strategy else 1
        return 0


class Timeline:
    """The Gantt rows of the whole roadmap, built once per build; charts are subsets of them."""

    def __init__(self, views: Views):
        self.views = views
        self.computed = views.computed
        self.roadmap = views.roadmap
        self._rows: dict[str, GanttRow] = {}

    # -- rows --------------------------------------------------------------------------
    def person_name(self, person_id: str | None) -> str | None:
        """A person's name, their id when unknown, or None."""
        if not person_id:
            return None
        person = self.roadmap.people.get(person_id)
        return person.name if person else person_id

    @cached_property
    def goal_order(self) -> tuple[str, ...]:
        """The goals in the roadmap's order."""
        return self.computed.order.goals

    @cached_property
    def rows(self) -> dict[str, GanttRow]:
        """Every row, keyed, in the roadmap's outline order (ItemOrder.outline): a goal, its strategies
        with their activities, then its activities that belong to no strategy; activities of no
        known goal last."""
        return {key: self.row(key) for key in self.outline}

    @cached_property
    def outline(self) -> tuple[str, ...]:
        """The keys of every row, in order."""
        return tuple(f"{kind}:{item_id}" for kind, item_id in self.computed.order.outline)

    def row(self, key: str) -> GanttRow:
        """One row, built once (a chart of a few rows builds only those: the live preview's first pages)."""
        return built_once(self._rows, key, lambda: self._with_baseline(self._build_row(key)))

    def _build_row(self, key: str) -> GanttRow:
        kind, _, item_id = key.partition(":")
        return {"goal": self._goal_row, "strategy": self._strategy_row, "activity": self._activity_row}[kind](item_id)

    def _with_baseline(self, row: GanttRow) -> GanttRow:
        """The row with the baseline's dates of its item when the baseline holds it, and its slip in the hover."""
        rhythm = self.computed.rhythm
        comparison = rhythm.comparison if rhythm else None
        if comparison is None:
            return row
        from dataclasses import replace

        planned = comparison.baseline.items.get((row.kind, row.id))
        if planned is None or planned.start is None or planned.end is None:
            return row
        name = plotly_text(comparison.baseline.name)
        slip = comparison.slips.get((row.kind, row.id))
        moved = f" · {slip.words}" if slip is not None else ""
        return replace(row, baseline_start=planned.start, baseline_end=planned.end,
                       baseline_hover="<br>".join((_bold(row.title),
                                                   _lines(f"Baseline {name}: {planned.start} → {planned.end}{moved}"))))

    def _reasons(self, status) -> str:
        return "; ".join(status.reasons) if status.reasons else ""

    def _rag_line(self, status) -> str:
        text = f"{RAG_ICONS[status.rag]} {RAG_LABELS[status.rag]}"
        return text + (" (set by hand)" if status.manual else "")

    def _goal_row(self, gid: str) -> GanttRow:
        g = self.roadmap.goals[gid]
        span = self.computed.schedule.goals.get(gid)
        status = self.computed.status.goals[gid]
        owner = self.person_name(g.owner)
        start = span.start if span and span.start else g.start
        end = max(d for d in (span.end if span else None, span.forecast_end if span else None, start) if d) \
            if start else None
        hover = "<br>".join(filter(None, (
            _bold(g.title),
            _lines(f"Goal · owner {owner or '—'}"),
            _lines(f"Work {_iso(start) or '—'} → {_iso(end) or '—'} · due {g.due}"
                   + (f" · forecast {span.forecast_end}" if span and span.forecast_end else "")),
            _lines(_completion_words(status)),
            _lines(f"Colour: {self._rag_line(status)}"),
            _lines(f"Why: {self._reasons(status)}") if status.reasons else "",
        )))
        return GanttRow(
            key=f"goal:{gid}", kind="goal", id=gid, goal=gid, strategy=None, owner=g.owner, rag=status.rag,
            label=f"<b>{RAG_ICONS[status.rag]} {plotly_text(_cut(g.title))}</b>",
            path=self.views.paths.item("goal", gid), start=start, end=end, progress=status.progress,
            due=g.due, hover=hover, title=g.title,
            due_hover="<br>".join((_bold(g.title), _lines(f"Goal due {g.due}"))),
        )

    def _strategy_row(self, sid: str) -> GanttRow:
        s = self.roadmap.strategies[sid]
        span = self.computed.schedule.strategies.get(sid)
        status = self.computed.status.strategies[sid]
        owner = self.person_name(s.owner)
        start, end = (span.start, span.end) if span and span.start else (None, None)
        if end and span.forecast_end and span.forecast_end > end:
            end = span.forecast_end
        late = f" · {_days(span.late_by)} late" if span and span.late_by else ""
        hover = "<br>".join(filter(None, (
            _bold(s.title),
            _lines(f"Strategy · owner {owner or '—'}"),
            _lines(f"Work {_iso(start) or '—'} → {_iso(end) or '—'} · due {s.due}{late}"),
            _lines(_completion_words(status)),
            _lines(f"Colour: {self._rag_line(status)}"),
            _lines(f"Why: {self._reasons(status)}") if status.reasons else "",
        )))
        forecast = span.forecast_end if span else None
        due_line = f"Strategy due {s.due}" + (f" · forecast end {forecast}" if forecast else "") + late
        return GanttRow(
            key=f"strategy:{sid}", kind="strategy", id=sid, goal=s.goal, strategy=sid, owner=s.owner, rag=status.rag,
            label=f"{RAG_ICONS[status.rag]} {plotly_text(_cut(s.title))}",
            path=self.views.paths.item("strategy", sid), start=start, end=end, progress=status.progress,
            due=s.due, hover=hover, title=s.title, due_hover="<br>".join((_bold(s.title), _lines(due_line))),
        )

    def _activity_row(self, aid: str) -> GanttRow:
        a = self.roadmap.activities[aid]
        sched = self.computed.schedule.activities[aid]
        status = self.computed.status.activities[aid]
        tracked = self.computed.tracking.activities[aid]
        progress = status.progress
        star = " ★" if sched.critical else ""
        return GanttRow(
            key=f"activity:{aid}", kind="activity", id=aid, goal=self.roadmap.goal_of(a), strategy=a.strategy,
            owner=a.owner, rag=status.rag,
            label=f"{RAG_ICONS[status.rag]} {plotly_text(_cut(a.title, LABEL_CHARS - 4))}{star}",
            path=self.views.paths.item("activity", aid), start=sched.start, end=sched.end,
            forecast_start=sched.forecast_start, forecast_end=sched.forecast_end, milestone=sched.milestone,
            target=sched.target_only, progress=progress, critical=sched.critical, hover=self._activity_hover(a, sched, status, tracked, progress),
            title=a.title,
        )

    def _activity_hover(self, a, sched, status, tracked, progress: float | None) -> str:
        """An activity bar's hover text: owner, dates, progress, colour and why, critical path."""
        expected = f" (expected {_pct(status.expected_progress)})" if status.expected_progress is not None else ""
        critical = f"★ Critical path (slack {_days(sched.total_slack)})" if sched.critical else ""
        return "<br>".join(filter(None, (
            _bold(a.title),
            _lines(f"Activity · owner {self.person_name(a.owner) or '—'}"),
            "<br>".join(_lines(part) for part in _activity_when(sched).split("<br>")),
            _lines(f"Progress {_progress(progress)}{expected} · {status_label(tracked.status)}"),
            _lines(self._driver_line(sched)),
            _lines(f"Colour: {self._rag_line(status)}"),
            _lines(f"Why: {self._reasons(status)}") if status.reasons else "",
            _lines(critical),
        )))

    def _driver_line(self, sched) -> str:
        """The dependency that sets its start: the forecast's when one pushes it, else the plan's."""
        driver = sched.forecast_driver or (sched.driver if sched.start_reason == "dependency" else None)
        if driver is None:
            return ""
        title = self.roadmap.activities[driver].title
        return f"Follows: {title}" + (" (pushed by its forecast)" if sched.forecast_driver else "")

    @cached_property
    def edges(self) -> tuple[tuple[str, str], ...]:
        """Every dependency edge (predecessor, successor) between known activities, once."""
        seen: dict[tuple[str, str], None] = {}
        for aid in self.computed.order.activities:
            for dep in self.roadmap.activities[aid].depends_on:
                if dep in self.roadmap.activities and dep != aid:
                    seen[(dep, aid)] = None
        return tuple(seen)

    @cached_property
    def _edges_into(self) -> dict[str, list[tuple[int, str]]]:
        """successor → [(position in `edges`, predecessor)], so that a chart's edges are found
        from its own rows rather than by scanning every edge of the roadmap for every chart."""
        into: dict[str, list[tuple[int, str]]] = {}
        for position, (pred, succ) in enumerate(self.edges):
            into.setdefault(succ, []).append((position, pred))
        return into

    def edges_among(self, rows: Sequence[GanttRow]) -> list[tuple[str, str]]:
        """The edges whose two activities are both among `rows`, in the order of `edges`."""
        ids = {row.id for row in rows if row.kind == "activity"}
        found = [(position, pred, succ) for succ in ids for position, pred in self._edges_into.get(succ, ())
                 if pred in ids]
        return [(pred, succ) for _, pred, succ in sorted(found)]

    def shown_by(self, rows: Sequence[GanttRow]) -> Iterator[str]:
        """"kind:id" of every item whose values the rows show: the rows' items, their owners (by name
        in the hover) and the dependencies an activity's reasons name."""
        activities = self.roadmap.activities
        for row in rows:
            if row.kind == "checkins":
                continue
            yield row.key
            if row.owner:
                yield f"person:{row.owner}"
            if row.kind == "activity":
                yield from (f"activity:{dep}" for dep in activities[row.id].depends_on if dep in activities)

    @cached_property
    def checkins(self) -> tuple[tuple[date, str], ...]:
        """The stakeholder check-ins: (date, title)."""
        return tuple((c.date, c.title) for c in self.roadmap.config.checkins.stakeholder)

    # -- subsets -----------------------------------------------------------------------
    @cached_property
    def _groups(self) -> dict[tuple[str, str], list[str]]:
        groups: dict[tuple[str, str], list[str]] = {}
        roadmap = self.roadmap
        for kind, item_id in self.computed.order.outline:  # the rows' own goal and strategy, without the rows
            if kind == "goal":
                goal, strategy = item_id, None
            elif kind == "strategy":
                goal, strategy = roadmap.strategies[item_id].goal, item_id
            else:
                goal, strategy = roadmap.goal_of(roadmap.activities[item_id]), roadmap.activities[item_id].strategy
            key = f"{kind}:{item_id}"
            if goal:
                groups.setdefault(("goal", goal), []).append(key)
            if strategy:
                groups.setdefault(("strategy", strategy), []).append(key)
        return groups

    def keys_of_goal(self, gid: str) -> list[str]:
        """The rows of one goal: the goal, its strategies with their activities, its own activities."""
        return self._groups.get(("goal", gid), [])

    def keys_of_strategy(self, sid: str) -> list[str]:
        """The rows of one strategy: the strategy and its activities."""
        return self._groups.get(("strategy", sid), [])



def _progress(value: float | None) -> str:
    return NOT_REPORTED if value is None else _pct(value)


def _completion_words(status) -> str:
    """'Completion 40% (expected 55%) · progress not reported for 3 of 8 activities'."""
    text = f"Completion {_progress(status.progress)}"
    if status.expected_progress is not None:
        text += f" (expected {_pct(status.expected_progress)})"
    if status.unreported and status.progress is not None:
        text += f" · {unreported_phrase(status)}"
    return text


def _activity_when(sched) -> str:
    """An activity's dates for its hover: the plan, the forecast when it differs (on a second line,
    after a <br>), and how far past its deadline it ends."""
    if sched.target_only:
        when = f"Target date {sched.end} (no start or duration given)"
        if sched.forecast_end != sched.end:
            when += f" · forecast {sched.forecast_end}"
    elif sched.milestone:
        when = f"Milestone {sched.end}"
        if sched.forecast_end != sched.end:
            when += f" · forecast {sched.forecast_end}"
    else:
        when = f"{sched.start} → {sched.end} ({_days(sched.duration)})"
        if sched.forecast_end != sched.end or sched.forecast_start != sched.start:
            when += f"<br>Forecast {sched.forecast_start} → {sched.forecast_end}"
    if sched.late_by:
        whose = "due date" if sched.deadline_of == "own" else f"{sched.deadline_of or ''} deadline"
        when += f" · {_days(sched.late_by)} after its {whose} {sched.deadline}"
    return when

