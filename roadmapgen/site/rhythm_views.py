"""Views of the roadmap's rhythm: what each update moved, stale items, the next meetings, load per
week, quarters, and the comparison with a baseline. Figures come from the engine (engine/rhythm.py,
capacity.py, quarters.py, baseline.py); here they are only worded and linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Iterator

from roadmapgen.engine.baseline import Slip
from roadmapgen.engine.capacity import ResourceLoad, Week, describe_weeks, week_label, week_of
from roadmapgen.engine.quarters import QuarterReport, headline, quarter_reports, quarter_states
from roadmapgen.engine.rhythm import Change, ItemChanges, update_changes, updates_of
from roadmapgen.names import KIND_LABELS, RAG_ICONS, RAG_LABELS, RESOURCE_TYPES
from roadmapgen.site.slip_views import SlipsView, slips_view
from roadmapgen.site.views import Link, RagView, fmt_date, fmt_number, rag_badge, rag_view

if TYPE_CHECKING:
    from roadmapgen.site.views import ReviewView, Views

FIELD_LABELS = {"progress": "Progress", "colour": "Colour", "metric": "Metric"}


# -- what updates moved ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChangeView:
    """One value before → after, as printed; colours also as badges."""

    field: str
    before: str
    after: str
    moved: bool
    before_badge: RagView | None = None
    after_badge: RagView | None = None


@dataclass(frozen=True)
class ItemChangeView:
    """What one update changed on one item."""

    item: Link
    changes: tuple[ChangeView, ...]
    note: str | None


@dataclass(frozen=True)
class ItemUpdateView:
    """One update in an item's update history, with what it changed on the item."""

    update: Link
    date: str
    changes: tuple[ChangeView, ...]
    note: str | None


@dataclass(frozen=True)
class StaleView:
    """A stale activity on the home page: the activity, its owner and why it is stale."""
    activity: Link
    owner: Link | None
    reason: str


@dataclass(frozen=True)
class RhythmView:
    """The home page's rhythm: the next meetings and the stale items."""

    next_standup: str | None
    next_review: str | None
    next_review_title: str | None
    stale: tuple[StaleView, ...]
    baseline: str | None  # the baseline's name, when one is compared against
    baseline_total: str | None  # "34 working days later in total"


@dataclass(frozen=True)
class SlipView:
    """An item's end before and after, and how far it moved, in working days and in words."""
    item: Link
    before: str
    after: str
    days: int
    words: str


def slip_words(days: int) -> str:
    """"12 working days later", "3 working days earlier", "no slip"."""
    if days == 0:
        return "no slip"
    unit = "working day" if abs(days) == 1 else "working days"
    return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}"


# -- load ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeekView:
    """One week of a person's load: booked, available, and the activities booking it."""
    label: str
    monday: str
    load: float
    available: float
    over: bool
    activities: tuple[tuple[Link, float], ...]


@dataclass(frozen=True)
class LoadView:
    """A person's or team's load per week, and the weeks they are over-allocated."""

    weeks: tuple[WeekView, ...]
    over: tuple[WeekView, ...]
    over_text: str | None  # "2026-W48 to 2026-W52"


@dataclass(frozen=True)
class HeatCell:
    """One cell of the load heatmap: the figure, its shade and whether it is over."""
    text: str  # the load in percent, "" for none
    level: str  # css class: "l0" … "l4", "over"
    over: bool


@dataclass(frozen=True)
class HeatRow:
    """One person's or team's row of the heatmap."""
    person: Link
    type_label: str
    capacity: float
    cells: tuple[HeatCell, ...]
    over_weeks: int


@dataclass(frozen=True)
class OverView:
    """One over-allocated person or team: the weeks, the worst of them and the activities."""
    person: Link
    type_label: str
    weeks: str
    count: int
    worst: str  # "320% booked of 100% available in 2026-W48"
    activities: tuple[Link, ...]
    past: bool  # all of its weeks are gone by


@dataclass(frozen=True)
class ResourcesView:
    """The resources page: the heatmap (a table: every cell holds its figure) and the over-allocations."""

    weeks: tuple[str, ...]  # ISO week labels, the columns
    months: tuple[tuple[str, int], ...]  # (month label, how many week columns it spans)
    rows: tuple[HeatRow, ...]
    over: tuple[OverView, ...]
    tools: tuple[tuple[Link, int], ...]  # each tool and how many activities use it
    today_week: str


def _level(week: Week) -> str:
    if week.over:
        return "over"
    if week.available <= 0:
        return "l0"
    share = week.load / week.available
    return "l1" if share < 0.5 else "l2" if share < 0.8 else "l3"


# -- quarters and baselines ------------------------------------------------------------------------

@dataclass(frozen=True)
class GoalQuarterView:
    """A goal at a quarter's start and end: colour and metric."""
    goal: Link
    start: RagView
    end: RagView
    metric_start: str
    metric_end: str
    metric_name: str | None


@dataclass(frozen=True)
class ColourChangeView:
    """An item whose colour changed during a quarter, with the reasons for its new one."""
    item: Link
    kind_label: str
    before: RagView
    after: RagView


@dataclass(frozen=True)
class QuarterView:
    """A quarter's page: computed from the data, with its review file's decisions and notes."""

    key: str
    label: str
    title: str
    path: str
    start: str
    end: str
    current: bool
    goals: tuple[GoalQuarterView, ...]
    completed: tuple[Link, ...]
    slipped: tuple[SlipView, ...]
    slipped_total: str
    started: tuple[Link, ...]
    changed: tuple[ColourChangeView, ...]
    review: ReviewView | None
    baseline: str | None
    baseline_slips: tuple[SlipView, ...]
    baseline_total: str | None
    figures: tuple[tuple[str, str], ...]  # the headline: (label, value)
    summary: tuple[str, ...] = ()  # the executive summary as it closed (engine/summary.py)
    git_slips: SlipsView | None = None  # what slipped in the quarter, by the commits made in it (docs/history.md)


@dataclass(frozen=True)
class MovedView:
    """An item whose dates moved since the baseline: its span then and now, and its slip."""
    item: Link
    kind_label: str
    before: str
    now: str
    slip: str


@dataclass(frozen=True)
class ReownedView:
    """An item whose owner changed since the baseline."""
    item: Link
    kind_label: str
    before: str
    now: str


@dataclass(frozen=True)
class ChangesView:
    """Between the baseline and now: the items added, removed, moved and re-owned."""

    name: str
    saved: str
    source: str
    added: tuple[tuple[Link, str], ...]  # (item, kind label)
    removed: tuple[tuple[str, str, str], ...]  # (title, kind label, id)
    moved: tuple[MovedView, ...]
    reowned: tuple[ReownedView, ...]
    slipped: tuple[SlipView, ...]
    total: str
    total_days: int


class RhythmViews:
    """Builds the rhythm's views from the computed roadmap; one per build (`Views.rhythm`)."""

    def __init__(self, views: Views):
        self.views = views
        self.computed = views.computed
        self.roadmap = views.roadmap
        self.rhythm = views.computed.rhythm
        self._quarter_states = None  # the quarters' states, when `warm_up` made them

    # updates ---------------------------------------------------------------------------------
    @cached_property
    def _changes(self):
        return update_changes(self.roadmap, self.computed.today, self.computed.history,
                              self.computed.schedule.activities)

    @cached_property
    def _updates_of(self):
        return updates_of(self.roadmap)

    def _unit(self, kind: str, item_id: str) -> str | None:
        goal = self.roadmap.goals.get(item_id) if kind == "goal" else None
        return goal.metric.unit if goal is not None and goal.metric else None

    def _change(self, change: Change, unit: str | None) -> ChangeView | None:
        if change.field == "colour":
            if change.before is None and change.after is None:
                return None
            before = RAG_LABELS.get(change.before, "—") if change.before else "—"
            after = RAG_LABELS.get(change.after, "—") if change.after else "—"
            return ChangeView("Colour", before, after, change.before != change.after,
                              rag_badge(change.before) if change.before else None,
                              rag_badge(change.after) if change.after else None)
        if change.before is None and change.after is None:
            return None
        if change.field == "progress":
            show = lambda v: "not reported" if v is None else f"{v:g}%"  # noqa: E731
        else:
            show = lambda v: fmt_number(v, unit)  # noqa: E731
        return ChangeView(FIELD_LABELS[change.field], show(change.before), show(change.after),
                          change.before != change.after)

    def _change_views(self, kind: str, item_id: str, changes) -> tuple[ChangeView, ...]:
        unit = self._unit(kind, item_id)
        return tuple(v for v in (self._change(c, unit) for c in changes) if v is not None)

    def update_changes(self, update_id: str) -> tuple[ItemChangeView, ...]:
        """What an update changed, item by item (nothing for an update dated after today)."""
        return tuple(ItemChangeView(self.views.link(c.kind, c.id), self._change_views(c.kind, c.id, c.changes), c.note)
                     for c in self._changes.get(update_id, ()))

    def item_updates(self, kind: str, item_id: str) -> tuple[ItemUpdateView, ...]:
        """Every update that names an item, newest first, with what it changed on it."""
        rows = []
        for update_id in reversed(self._updates_of.get((kind, item_id), ())):
            update = self.roadmap.updates[update_id]
            entry = self._last_entry.get((update_id, kind, item_id))
            changes = self._change_views(kind, item_id, entry.changes) if entry else ()
            notes = self._notes.get((update_id, kind, item_id), ())
            rows.append(ItemUpdateView(self.views.link("update", update_id), fmt_date(update.date), changes,
                                       " ".join(notes) or None))
        return tuple(rows)

    # An update may name thousands of items: what it says of one is looked up, not searched for.
    @cached_property
    def _last_entry(self) -> dict[tuple[str, str, str], ItemChanges]:
        found = {}
        for update_id, entries in self._changes.items():
            for entry in entries:
                found[(update_id, entry.kind, entry.id)] = entry  # the last one counts
        return found

    @cached_property
    def _notes(self) -> dict[tuple[str, str, str], list[str]]:
        found: dict[tuple[str, str, str], list[str]] = {}
        for update_id, update in self.roadmap.updates.items():
            for entry in update.items:
                if entry.note:
                    found.setdefault((update_id, entry.ref_kind, entry.ref), []).append(entry.note)
        return found

    # home --------------------------------------------------------------------------------------
    @cached_property
    def home(self) -> RhythmView | None:
        """The home page's rhythm view (None when the roadmap was computed without one)."""
        if self.rhythm is None:
            return None
        stale = tuple(StaleView(self.views.link("activity", s.id),
                                self.views.link("person", self.roadmap.activities[s.id].owner), s.stale.reason())
                      for s in self.rhythm.stale)
        comparison = self.rhythm.comparison
        return RhythmView(
            next_standup=fmt_date(self.rhythm.next.standup) if self.rhythm.next.standup else None,
            next_review=fmt_date(self.rhythm.next.review) if self.rhythm.next.review else None,
            next_review_title=self.rhythm.next.review_title, stale=stale,
            baseline=comparison.baseline.name if comparison else None,
            baseline_total=f"{slip_words(comparison.total())} in total" if comparison else None)

    # slippage ----------------------------------------------------------------------------------
    def _slip_view(self, slip: Slip) -> SlipView:
        return SlipView(self.views.link(slip.kind, slip.id), fmt_date(slip.before), fmt_date(slip.after), slip.days,
                        slip_words(slip.days))

    def slip_of(self, kind: str, item_id: str) -> SlipView | None:
        """An item's slip against the baseline (None without a baseline, or when it is not in it)."""
        comparison = self.rhythm.comparison if self.rhythm else None
        slip = comparison.slips.get((kind, item_id)) if comparison else None
        return self._slip_view(slip) if slip is not None else None

    @cached_property
    def changes(self) -> ChangesView | None:
        """The "what changed" page's view (None without a baseline)."""
        comparison = self.rhythm.comparison if self.rhythm else None
        if comparison is None:
            return None
        baseline = comparison.baseline
        planned = lambda key: baseline.items[key]  # noqa: E731
        now = comparison.now.items

        def span(item) -> str:
            return f"{fmt_date(item.start)} → {fmt_date(item.end)}"

        def owner(person_id: str | None) -> str:
            if not person_id:
                return "nobody"
            person = self.roadmap.people.get(person_id)
            return person.name if person else person_id

        moved = tuple(MovedView(self.views.link(k, i), KIND_LABELS[k], span(planned((k, i))), span(now[(k, i)]),
                                slip_words(comparison.slips[(k, i)].days) if (k, i) in comparison.slips else "—")
                      for k, i in comparison.moved)
        return ChangesView(
            name=baseline.name, saved=fmt_date(baseline.saved), source=baseline.source,
            added=tuple((self.views.link(k, i), KIND_LABELS[k]) for k, i in comparison.added),
            removed=tuple((item.title, KIND_LABELS[item.kind], item.id) for item in comparison.removed),
            moved=moved,
            reowned=tuple(ReownedView(self.views.link(k, i), KIND_LABELS[k], owner(before), owner(after))
                          for (k, i), before, after in comparison.reowned),
            slipped=tuple(self._slip_view(s) for s in comparison.slipped("activity")),
            total=slip_words(comparison.total()), total_days=comparison.total())

    # load --------------------------------------------------------------------------------------
    def _week_view(self, week: Week) -> WeekView:
        return WeekView(week.label, week.monday.isoformat(), round(week.load, 1), round(week.available, 1), week.over,
                        tuple((self.views.link("activity", aid), round(load, 1)) for aid, load in week.activities))

    def load_of(self, person_id: str) -> LoadView | None:
        """A person's or team's load per week (None when it books nothing)."""
        load = self.rhythm.capacity.resources.get(person_id) if self.rhythm else None
        if load is None:
            return None
        weeks = tuple(self._week_view(w) for w in load.weeks)
        return LoadView(weeks, tuple(w for w in weeks if w.over),
                        describe_weeks(load.over_weeks) if load.over_weeks else None)

    @cached_property
    def resources(self) -> ResourcesView:
        """The resources page's view: the heatmap, the over-allocations and the tools."""
        capacity = self.rhythm.capacity
        mondays = capacity.weeks()
        rows = []
        for person_id, load in capacity.resources.items():
            if not load.weeks:
                continue
            rows.append(self._heat_row(person_id, load, mondays))
        overs = tuple(self._over_view(load) for load in capacity.over_allocated())
        used = {}
        for activity in self.roadmap.activities.values():
            for assignment in activity.resources:
                if assignment.id in self.roadmap.tools:
                    used[assignment.id] = used.get(assignment.id, 0) + 1
        tools = tuple((self.views.link("tool", t), used.get(t, 0)) for t in self.roadmap.tools)
        return ResourcesView(tuple(week_label(m) for m in mondays), _months(mondays), tuple(rows), overs, tools,
                             week_label(week_of(self.computed.today)))

    def _heat_row(self, person_id: str, load: ResourceLoad, mondays: tuple[date, ...]) -> HeatRow:
        person = self.roadmap.people[person_id]
        by_week = {w.monday: w for w in load.weeks}
        cells = []
        for monday in mondays:
            week = by_week.get(monday)
            cells.append(HeatCell("", "l0", False) if week is None else
                         HeatCell(f"{week.load:.0f}", _level(week), week.over))
        return HeatRow(self.views.link("person", person_id), RESOURCE_TYPES.get(person.type, person.type),
                       person.capacity, tuple(cells), len(load.over_weeks))

    def _over_view(self, load: ResourceLoad) -> OverView:
        person = self.roadmap.people[load.id]
        over = load.over_weeks
        worst = max(over, key=lambda w: w.load - w.available)
        ids = list(dict.fromkeys(aid for w in over for aid, _ in w.activities))
        this_week = week_of(self.computed.today)
        return OverView(self.views.link("person", load.id), RESOURCE_TYPES.get(person.type, person.type),
                        describe_weeks(over), len(over),
                        f"{worst.load:.0f}% booked of {worst.available:.0f}% available in {worst.label}",
                        tuple(self.views.link("activity", aid) for aid in ids),
                        all(w.monday < this_week for w in over))

    # quarters ----------------------------------------------------------------------------------
    def warm_up(self) -> Iterator[None]:
        """Make the quarters' states one date at a time, yielding after each (see PageSet.warm_up)."""
        if self._quarter_states is None and self.views.quarter_reports is None:
            states = {}
            for when, state in quarter_states(self.computed):
                states[when] = state
                yield
            self._quarter_states = states

    @cached_property
    def quarters(self) -> tuple[QuarterView, ...]:
        """Every quarter's view, newest first."""
        made_elsewhere = self.views.quarter_reports
        reports = made_elsewhere() if made_elsewhere else quarter_reports(self.computed, self._quarter_states)
        return tuple(self._quarter_view(report) for report in reversed(reports))

    def quarter_path(self, key: str) -> str:
        """The site path of a quarter's page."""
        return self.views.paths.quarter(key)

    def _quarter_view(self, report: QuarterReport) -> QuarterView:
        from roadmapgen.site.views import ReviewView

        link = self.views.link
        goals = []
        for g in report.goals:
            goal = self.roadmap.goals[g.id]
            unit = goal.metric.unit if goal.metric else None
            goals.append(GoalQuarterView(link("goal", g.id), rag_view(g.start), rag_view(g.end),
                                         fmt_number(g.metric_start, unit), fmt_number(g.metric_end, unit),
                                         goal.metric.name if goal.metric else None))
        changed = tuple(ColourChangeView(link(c.kind, c.id), KIND_LABELS[c.kind], rag_badge(c.before),
                                         RagView(c.after, RAG_LABELS[c.after], RAG_ICONS[c.after], c.reasons, False, None))
                        for c in report.changed)
        baseline = self.rhythm.baseline.name if self.rhythm and self.rhythm.baseline else None
        figures = headline(report)
        shown = (("Completed", str(figures["completed"])), ("Started", str(figures["started"])),
                 ("Slipped", f"{figures['slipped']} ({slip_words(figures['slipped_days'])})"),
                 ("Changed colour", str(figures["changed"])))
        review = ReviewView.build(self.views, report.review.id) if report.review else None
        return QuarterView(
            key=report.quarter.key, label=report.quarter.label,
            title=f"{report.quarter.label}" + (" (to date)" if report.current else ""),
            path=self.quarter_path(report.quarter.key), start=fmt_date(report.quarter.start), end=fmt_date(report.end),
            current=report.current, goals=tuple(goals),
            completed=tuple(link("activity", a) for a in report.completed),
            slipped=tuple(self._slip_view(s) for s in report.slipped), slipped_total=slip_words(report.slipped_days),
            started=tuple(link("activity", a) for a in report.started), changed=changed, review=review,
            baseline=baseline, baseline_slips=tuple(self._slip_view(s) for s in report.baseline_slips),
            baseline_total=slip_words(report.baseline_total) if baseline else None, figures=shown,
            summary=report.summary,
            git_slips=slips_view(self.views.computed, link, report.quarter.start, report.end))


def _months(mondays: tuple[date, ...]) -> tuple[tuple[str, int], ...]:
    """The month headers over the week columns: each week belongs to the month of its Monday."""
    months: list[list] = []
    for monday in mondays:
        label = monday.strftime("%b %Y")
        if months and months[-1][0] == label:
            months[-1][1] += 1
        else:
            months.append([label, 1])
    return tuple((label, span) for label, span in months)
