"""Read-only views of the computed roadmap, shaped for templates.

Templates only print what a view holds: every label, date, link target, colour and
reason is decided here (or in the engine), never in a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Callable

from roadmapgen.engine.facts import metric_standing
from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.engine.explain import Explainer
from roadmapgen.engine.quarters import QuarterReport
from roadmapgen.engine.smart import SmartCard
from roadmapgen.site.slip_views import SlipHistoryView, slip_history_view
from roadmapgen.engine.tracking import FILE, progress_follows
from roadmapgen.names import (  # noqa: F401  (re-exported)
    DEADLINE_OF, NOT_REPORTED, RAG_ICONS, RAG_LABELS, RAG_PALETTE, RAG_RANK, RAG_TEXT, RESOURCE_TYPES, STATUS_LABELS,
    plural,
    status_label,
)
from roadmapgen.quantities import fmt_date, places_of, quantity  # noqa: F401  (fmt_date: re-exported)
from roadmapgen.site.urls import SitePaths

# The names and colours live in one table (roadmapgen/names.py); they are re-exported here for
# templates' and themes' code that imported them from the views.
RAG_ORDER = RAG_RANK


def unreported_phrase(status) -> str | None:
    """How many activities under a strategy or goal have no progress reported, when any have."""
    if not status.unreported:
        return None
    return f"progress not reported for {status.unreported} of {status.activities} {plural('activity', status.activities)}"


def progress_text(value: float | None) -> str:
    """A progress as provenance prints it: "80%", or "not reported"."""
    return NOT_REPORTED if value is None else f"{value:g}%"


def fmt_number(value: float | None, unit: str | None = None, places: int = 2) -> str:
    """A figure with its unit as pages print it, or — when there is none."""
    return "—" if value is None else quantity(value, unit, places)


@dataclass(frozen=True)
class Link:
    """A link to an item's page: its title and site path."""

    title: str
    path: str  # a site path; templates make it relative with url()
    kind: str = ""
    id: str = ""


@dataclass(frozen=True)
class RagView:
    """A colour as a badge prints it: key, label, icon, reasons, and the computed colour when set by hand."""

    key: str
    label: str
    icon: str
    reasons: tuple[str, ...]
    manual: bool
    computed_label: str | None
    computed_reasons: tuple[str, ...] = ()

    @property
    def sort(self) -> int:
        """Worst first: the colour's rank in names.RAG_KEYS."""
        return RAG_ORDER.get(self.key, 9)


def rag_badge(key: str, reason: str | None = None) -> RagView:
    """The badge of a colour named outright (as in an update), with no computation behind it."""
    return RagView(key, RAG_LABELS[key], RAG_ICONS[key], (reason,) if reason else (), False, None)


def rag_view(status) -> RagView:
    """The badge of an engine Status."""
    computed = RAG_LABELS.get(status.computed) if status.manual and status.computed else None
    return RagView(status.rag, RAG_LABELS[status.rag], RAG_ICONS[status.rag], tuple(status.reasons), status.manual,
                   computed, tuple(getattr(status, "computed_reasons", ()) or ()))


@dataclass(frozen=True)
class Provenance:
    """Where a shown value came from: the file or an update."""

    field: str
    value: str
    source: str  # "the file" or the update's title
    path: str | None  # the update's page, if it came from one
    update: str | None = None  # the update's id, if it came from one


@dataclass(frozen=True)
class Note:
    """A note an update left on an item."""

    date: str
    text: str
    update: Link


QuarterSource = Callable[[], tuple[QuarterReport, ...]]  # the quarters' reports, made elsewhere


class Views:
    """Builds and caches the view of each item; one instance per build."""

    def __init__(self, computed: ComputedRoadmap, paths: SitePaths, render_markdown: Callable[[str, bool], str],
                 quarters: QuarterSource | None = None):
        self.computed = computed
        self.roadmap = computed.roadmap
        self.paths = paths
        self._md = render_markdown
        self.quarter_reports = quarters  # the quarters' reports when made elsewhere (site/second_core.py)
        self._links: dict[tuple[str, str], Link] = {}
        # each item's view is built when first asked for (the live preview builds the pages of
        # the saved items first, which need only a few), and once
        self._activities: dict[str, ActivityView] = {}
        self._strategies: dict[str, StrategyView] = {}
        self._goals: dict[str, GoalView] = {}

    @cached_property
    def rhythm(self):
        """The rhythm's views: update changes, stale items, load, quarters, baseline (site/rhythm_views.py)."""
        from roadmapgen.site.rhythm_views import RhythmViews

        return RhythmViews(self)

    # links ---------------------------------------------------------------------------
    def link(self, kind: str, item_id: str | None) -> Link | None:
        """The link to an item (its id as title when it is unknown), or None without an id."""
        if not item_id:
            return None
        key = (kind, item_id)
        if key not in self._links:
            item = self.roadmap.items_of(kind).get(item_id)
            title = item.title if item is not None else item_id
            self._links[key] = Link(title, self.paths.item(kind, item_id), kind, item_id)
        return self._links[key]

    def resource_link(self, resource_id: str) -> Link | None:
        """The link to a person or tool assigned to an activity."""
        kind = "person" if resource_id in self.roadmap.people else "tool"
        return self.link(kind, resource_id)

    def body(self, item) -> str:
        """An item's Markdown body as HTML."""
        return self._md(item.body, True)

    @cached_property
    def explainer(self) -> Explainer:
        """Why each activity has its dates (engine/explain.py), naming activities by their titles."""
        return Explainer(self.computed, lambda aid: f"‘{self.roadmap.activities[aid].title}’")

    def why_dates(self, activity_id: str) -> tuple[str, ...]:
        """An activity's "Why this date" sentences, each a whole sentence."""
        e = self.explainer
        return tuple(f"It {x}." for x in e.dates(activity_id)) + tuple(f"{x}." for x in e.slack(activity_id))

    # provenance ----------------------------------------------------------------------
    def provenance(self, kind: str, item_id: str, values: dict[str, str],
                   origins: dict[str, str] | None = None) -> tuple[Provenance, ...]:
        """Where each shown value came from; `origins` names the tracked field a value follows
        when it is not its own (a done activity's progress follows its status)."""
        tracked = self.computed.tracking.of(kind, item_id)
        rows = []
        for name, shown in values.items():
            origin = tracked.sources.get((origins or {}).get(name, name), FILE)
            if origin == FILE:
                rows.append(Provenance(name, shown, "the file", None))
            else:
                update = self.roadmap.updates[origin]
                label = update.title if update.date.isoformat() in update.title else f"{update.title} ({update.date})"
                rows.append(Provenance(name, shown, label, self.paths.item("update", origin), origin))
        return tuple(rows)

    def notes(self, kind: str, item_id: str) -> tuple[Note, ...]:
        """The notes updates left on an item, newest first."""
        tracked = self.computed.tracking.of(kind, item_id)
        return tuple(Note(on.isoformat(), text, self.link("update", uid)) for on, uid, text in reversed(tracked.notes))

    # items ---------------------------------------------------------------------------
    @cached_property
    def dependents(self) -> dict[str, list[str]]:
        """activity id → the activities that depend on it."""
        result: dict[str, list[str]] = {}
        for activity in self.roadmap.activities.values():
            for dep in activity.depends_on:
                result.setdefault(dep, []).append(activity.id)
        return result

    @cached_property
    def owned(self) -> dict[str, list[Link]]:
        """person id → links to the goals, strategies and activities they own."""
        result: dict[str, list[Link]] = {}
        for kind in ("goal", "strategy", "activity"):
            for item in self.roadmap.items_of(kind).values():
                if item.owner:
                    result.setdefault(item.owner, []).append(self.link(kind, item.id))
        return result

    @cached_property
    def assigned(self) -> dict[str, dict[str, float]]:
        """resource id → {activity id: load}, activities in schedule order (the first listing counts)."""
        result: dict[str, dict[str, float]] = {}
        for activity_id in self.computed.order.activities:
            for assignment in self.roadmap.activities[activity_id].resources:
                result.setdefault(assignment.id, {}).setdefault(activity_id, assignment.load)
        return result

    def activity(self, activity_id: str) -> "ActivityView":
        """The view of one activity, built once."""
        return built_once(self._activities, activity_id, lambda: ActivityView.build(self, activity_id))

    def strategy(self, strategy_id: str) -> "StrategyView":
        """The view of one strategy, built once."""
        return built_once(self._strategies, strategy_id, lambda: StrategyView.build(self, strategy_id))

    def goal(self, goal_id: str) -> "GoalView":
        """The view of one goal, built once."""
        return built_once(self._goals, goal_id, lambda: GoalView.build(self, goal_id))

    @cached_property
    def strategy_order(self) -> tuple[str, ...]:
        """The strategies in the roadmap's order of goals and strategies."""
        ordered = [s for g in self.computed.order.goals for s in self.computed.order.strategies_of_goal.get(g, ())]
        placed = set(ordered)  # built once: a set per strategy made this quadratic
        return tuple(ordered + [s for s in self.roadmap.strategies if s not in placed])

    @cached_property
    def strategies(self) -> dict[str, "StrategyView"]:
        """Every strategy's view, in the roadmap's order of goals and strategies."""
        return {s: self.strategy(s) for s in self.strategy_order}

    @cached_property
    def goals(self) -> dict[str, "GoalView"]:
        """Every goal's view, in the roadmap's order of goals."""
        return {g: self.goal(g) for g in self.computed.order.goals}


def built_once(views: dict, key: str, build: Callable[[], object]):
    """`views[key]`, built by `build()` the first time it is asked for (a view of one item)."""
    found = views.get(key)
    if found is None:
        found = views[key] = build()
    return found


@dataclass(frozen=True)
class ActivityView:
    """An activity with its dates, colour, progress, links and where its values came from."""

    id: str
    title: str
    path: str
    goal: Link | None
    strategy: Link | None
    owner: Link | None
    rag: RagView
    status: str
    status_label: str
    progress: float | None  # the effective progress (StatusReport); None: not reported
    expected_progress: float | None
    target_only: bool  # only a due date: no span, judged on that date
    start: str
    end: str
    forecast_end: str
    forecast_moved: bool
    duration: int
    milestone: bool
    slack: int
    critical: bool
    late_by: int
    deadline: str | None
    deadline_of: str | None
    depends_on: tuple[Link, ...]
    dependents: tuple[Link, ...]
    resources: tuple[tuple[Link, float], ...]
    tags: tuple[str, ...]
    provenance: tuple[Provenance, ...]
    notes: tuple[Note, ...]
    source_path: str
    body_html: str = field(repr=False, default="")
    why_dates: tuple[str, ...] = ()  # "Why this date": what set its start, end and forecast, and its slack
    slip_history: SlipHistoryView | None = None  # its ends across the git history (site/slip_views.py)
    updates: tuple = ()  # every update that named it, newest first (rhythm_views.ItemUpdateView)
    slip: object = None  # its slip against the baseline (rhythm_views.SlipView), None without one

    @staticmethod
    def build(views: Views, activity_id: str) -> "ActivityView":
        """The view of one activity."""
        a = views.roadmap.activities[activity_id]
        sched = views.computed.schedule.activities[activity_id]
        status = views.computed.status.activities[activity_id]
        tracked = views.computed.tracking.activities[activity_id]
        progress = status.progress
        return ActivityView(
            id=a.id, title=a.title, path=views.paths.item("activity", a.id),
            goal=views.link("goal", views.roadmap.goal_of(a)), strategy=views.link("strategy", a.strategy), owner=views.link("person", a.owner),
            rag=rag_view(status), status=tracked.status, status_label=status_label(tracked.status),
            progress=progress, expected_progress=status.expected_progress, target_only=sched.target_only,
            start=fmt_date(sched.start), end=fmt_date(sched.end), forecast_end=fmt_date(sched.forecast_end),
            forecast_moved=sched.forecast_end != sched.end, duration=sched.duration, milestone=sched.milestone,
            slack=sched.total_slack, critical=sched.critical, late_by=sched.late_by,
            deadline=fmt_date(sched.deadline) if sched.deadline else None, deadline_of=DEADLINE_OF.get(sched.deadline_of or "", sched.deadline_of),
            depends_on=tuple(views.link("activity", d) for d in a.depends_on if d in views.roadmap.activities),
            dependents=tuple(views.link("activity", d) for d in views.dependents.get(a.id, ())),
            resources=tuple((views.resource_link(r.id), r.load) for r in a.resources),
            tags=a.tags,
            provenance=views.provenance("activity", a.id, {"progress": progress_text(progress),
                                                       "status": status_label(tracked.status)},
                                    {"progress": progress_follows(tracked, progress) or "progress"}),
            notes=views.notes("activity", a.id), source_path=a.source.path, body_html=views.body(a),
            why_dates=views.why_dates(a.id), slip_history=slip_history_view(views.computed, "activity", a.id),
            updates=views.rhythm.item_updates("activity", a.id), slip=views.rhythm.slip_of("activity", a.id),
        )


@dataclass(frozen=True)
class StrategyView:
    """A strategy with its activities."""

    id: str
    title: str
    path: str
    goal: Link | None
    owner: Link | None
    rag: RagView
    status_label: str
    due: str
    start: str
    end: str
    forecast_end: str
    late_by: int
    progress: float | None  # completion (StatusReport); None when no activity under it reported progress
    unreported: str | None  # "progress not reported for 3 of 8 activities"
    activities: tuple[ActivityView, ...]
    tags: tuple[str, ...]
    notes: tuple[Note, ...]
    source_path: str
    body_html: str = field(repr=False, default="")
    slip_history: SlipHistoryView | None = None  # its ends across the git history (site/slip_views.py)
    updates: tuple = ()  # every update that named it, newest first (rhythm_views.ItemUpdateView)
    slip: object = None  # its slip against the baseline (rhythm_views.SlipView), None without one

    @staticmethod
    def build(views: Views, strategy_id: str) -> "StrategyView":
        """The view of one strategy."""
        s = views.roadmap.strategies[strategy_id]
        span = views.computed.schedule.strategies.get(strategy_id)
        status = views.computed.status.strategies[strategy_id]
        tracked = views.computed.tracking.strategies[strategy_id]
        return StrategyView(
            id=s.id, title=s.title, path=views.paths.item("strategy", s.id), goal=views.link("goal", s.goal),
            owner=views.link("person", s.owner), rag=rag_view(status),
            status_label=status_label(tracked.status), due=fmt_date(s.due),
            start=fmt_date(span.start if span else None), end=fmt_date(span.end if span else None),
            forecast_end=fmt_date(span.forecast_end if span else None), late_by=span.late_by if span else 0,
            progress=status.progress, unreported=unreported_phrase(status),
            activities=tuple(views.activity(a) for a in views.computed.order.activities_of_strategy.get(s.id, ())),
            tags=s.tags, notes=views.notes("strategy", s.id), source_path=s.source.path, body_html=views.body(s),
            slip_history=slip_history_view(views.computed, "strategy", s.id),
            updates=views.rhythm.item_updates("strategy", s.id), slip=views.rhythm.slip_of("strategy", s.id),
        )


@dataclass(frozen=True)
class MetricView:
    """A goal's metric as its page prints it: figures with units, and where it stands on its path."""

    name: str
    unit: str | None
    baseline: str
    target: str
    current: str
    expected: str
    direction: str
    percent: float | None  # share of the way from baseline to target, 0–100
    expected_percent: float | None
    source: Provenance | None
    standing: str | None = None  # "ahead" | "on" | "behind" its path (engine/facts.py); None: no path


def _share(value: float | None, baseline: float, target: float) -> float | None:
    if value is None or target == baseline:
        return None
    return max(0.0, min(100.0, 100.0 * (value - baseline) / (target - baseline)))


@dataclass(frozen=True)
class GoalView:
    """A goal with its metric, strategies, own activities and critical path."""

    id: str
    title: str
    path: str
    owner: Link | None
    rag: RagView
    status_label: str
    start: str
    due: str
    forecast_end: str
    late_by: int
    why: str | None
    metric: MetricView | None
    progress: float | None  # completion (StatusReport); None when no activity under it reported progress
    unreported: str | None  # "progress not reported for 3 of 8 activities"
    strategies: tuple[StrategyView, ...]
    activities: tuple[ActivityView, ...]  # directly under the goal
    critical_path: tuple[Link, ...]
    tags: tuple[str, ...]
    notes: tuple[Note, ...]
    source_path: str
    body_html: str = field(repr=False, default="")
    smart: SmartCard | None = None  # each SMART letter met, not met or not judged, with its reason
    slip_history: SlipHistoryView | None = None  # its ends across the git history (site/slip_views.py)
    updates: tuple = ()  # every update that named it, newest first (rhythm_views.ItemUpdateView)
    slip: object = None  # its slip against the baseline (rhythm_views.SlipView), None without one

    @staticmethod
    def build(views: Views, goal_id: str) -> "GoalView":
        """The view of one goal."""
        g = views.roadmap.goals[goal_id]
        span = views.computed.schedule.goals.get(goal_id)
        status = views.computed.status.goals[goal_id]
        tracked = views.computed.tracking.goals[goal_id]
        return GoalView(
            id=g.id, title=g.title, path=views.paths.item("goal", g.id), owner=views.link("person", g.owner),
            rag=rag_view(status), status_label=status_label(tracked.status),
            start=fmt_date(g.start), due=fmt_date(g.due),
            forecast_end=fmt_date(span.forecast_end if span else None), late_by=span.late_by if span else 0,
            why=g.why, metric=_metric_view(views, g, tracked), progress=status.progress,
            unreported=unreported_phrase(status),
            strategies=tuple(views.strategy(s) for s in views.computed.order.strategies_of_goal.get(g.id, ())),
            activities=tuple(views.activity(a) for a in views.computed.order.activities_of_goal.get(g.id, ())),
            critical_path=tuple(views.link("activity", a) for a in views.computed.schedule.critical_paths.get(g.id, ())),
            tags=g.tags, notes=views.notes("goal", g.id), source_path=g.source.path, body_html=views.body(g),
            smart=views.computed.smart.get(g.id), slip_history=slip_history_view(views.computed, "goal", g.id),
            updates=views.rhythm.item_updates("goal", g.id), slip=views.rhythm.slip_of("goal", g.id),
        )


def _metric_view(views: Views, goal, tracked) -> MetricView | None:
    m = goal.metric
    if m is None:
        return None
    expected = views.computed.status.metric_expected.get(goal.id)
    provenance = views.provenance("goal", goal.id, {"metric": fmt_number(tracked.metric, m.unit)})
    return MetricView(
        name=m.name, unit=m.unit, baseline=fmt_number(m.baseline, m.unit), target=fmt_number(m.target, m.unit),
        current=fmt_number(tracked.metric, m.unit), expected=fmt_number(expected, m.unit, places_of(m.baseline, m.target, tracked.metric)),
        direction=m.direction,
        percent=_share(tracked.metric, m.baseline, m.target), expected_percent=_share(expected, m.baseline, m.target),
        source=provenance[0] if tracked.metric is not None else None,
        standing=metric_standing(goal, tracked.metric, expected, views.roadmap.config.status),
    )


@dataclass(frozen=True)
class PersonView:
    """A person with what they own and the activities they work on."""

    id: str
    name: str
    path: str
    role: str | None
    team: str | None
    email: str | None
    capacity: float
    time_off: tuple[tuple[str, str, str | None], ...]
    owns: tuple[Link, ...]
    works_on: tuple[tuple[ActivityView, float], ...]
    source_path: str
    body_html: str = field(repr=False, default="")
    type_label: str = "Person"  # what it is: Person, Team or Organisation (names.RESOURCE_TYPES)
    load: object = None  # load per week against capacity (rhythm_views.LoadView)

    @staticmethod
    def build(views: Views, person_id: str) -> "PersonView":
        """The view of one person."""
        p = views.roadmap.people[person_id]
        loads = views.assigned.get(p.id, {})
        return PersonView(
            id=p.id, name=p.name, path=views.paths.item("person", p.id), role=p.role, team=p.team, email=p.email,
            capacity=p.capacity,
            time_off=tuple((fmt_date(t.start), fmt_date(t.end), t.note) for t in p.time_off),
            owns=tuple(views.owned.get(p.id, ())),
            works_on=tuple((views.activity(a), load) for a, load in loads.items()),
            source_path=p.source.path, body_html=views.body(p),
            type_label=RESOURCE_TYPES.get(p.type, p.type), load=views.rhythm.load_of(p.id),
        )


@dataclass(frozen=True)
class ToolView:
    """A tool with the activities that use it."""

    id: str
    name: str
    path: str
    tool_kind: str | None
    cost: str | None
    notes: str | None
    used_by: tuple[tuple[ActivityView, float], ...]
    source_path: str
    body_html: str = field(repr=False, default="")

    @staticmethod
    def build(views: Views, tool_id: str) -> "ToolView":
        """The view of one tool."""
        t = views.roadmap.tools[tool_id]
        used = [(views.activity(a), load) for a, load in views.assigned.get(t.id, {}).items()]
        return ToolView(id=t.id, name=t.name, path=views.paths.item("tool", t.id), tool_kind=t.tool_kind, cost=t.cost,
                        notes=t.notes, used_by=tuple(used), source_path=t.source.path, body_html=views.body(t))


@dataclass(frozen=True)
class UpdateItemView:
    """One item of an update: what it reported about a goal, strategy or activity."""

    item: Link
    progress: str | None
    status: str | None
    rag: str | None
    rag_label: str | None
    rag_reason: str | None
    metric: str | None
    note: str | None
    badge: RagView | None = None  # the colour set by this item, with its icon and label


@dataclass(frozen=True)
class UpdateView:
    """A dated update with its items."""

    id: str
    title: str
    path: str
    date: str
    week: str  # ISO week, e.g. 2026-W47
    author: Link | None
    kind: str
    items: tuple[UpdateItemView, ...]
    future: bool
    source_path: str
    body_html: str = field(repr=False, default="")
    changes: tuple = ()  # what it moved, item by item, before → after (rhythm_views.ItemChangeView)

    @staticmethod
    def build(views: Views, update_id: str) -> "UpdateView":
        """The view of one update."""
        u = views.roadmap.updates[update_id]
        items = []
        for it in u.items:
            unit = None
            if it.ref_kind == "goal" and views.roadmap.goals.get(it.ref) and views.roadmap.goals[it.ref].metric:
                unit = views.roadmap.goals[it.ref].metric.unit
            items.append(UpdateItemView(
                item=views.link(it.ref_kind, it.ref),
                progress=f"{it.progress:g}%" if it.progress is not None else None,
                status=status_label(it.status) if it.status else None,
                rag=it.rag, rag_label=RAG_LABELS.get(it.rag) if it.rag else None, rag_reason=it.rag_reason,
                metric=fmt_number(it.metric, unit) if it.metric is not None else None, note=it.note,
                badge=rag_badge(it.rag) if it.rag else None))
        year, week, _ = u.date.isocalendar()
        return UpdateView(id=u.id, title=u.title, path=views.paths.item("update", u.id), date=fmt_date(u.date),
                          week=f"{year}-W{week:02d}", author=views.link("person", u.author), kind=u.update_kind,
                          items=tuple(items), future=u.date > views.computed.today, source_path=u.source.path,
                          body_html=views.body(u), changes=views.rhythm.update_changes(u.id))


@dataclass(frozen=True)
class ReviewView:
    """A quarterly review with its attendees and decisions."""

    id: str
    title: str
    path: str
    quarter: str
    date: str
    attendees: tuple[Link, ...]
    decisions: tuple[str, ...]
    source_path: str
    body_html: str = field(repr=False, default="")

    @staticmethod
    def build(views: Views, review_id: str) -> "ReviewView":
        """The view of one review."""
        r = views.roadmap.reviews[review_id]
        return ReviewView(id=r.id, title=r.title, path=views.paths.item("review", r.id), quarter=r.quarter,
                          date=fmt_date(r.date), attendees=tuple(views.link("person", p) for p in r.attendees),
                          decisions=r.decisions, source_path=r.source.path, body_html=views.body(r))
