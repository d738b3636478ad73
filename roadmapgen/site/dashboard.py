"""The RAG dashboards: the home page's counts, goal cards and attention list, and the status table.

Everything here is read from the engine's StatusReport, Schedule and History through the
site views; templates only print it. The shapes are documented in docs/dashboards.md.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cached_property
from typing import Iterator

from roadmapgen.names import (
    PLURAL, JUDGED_KINDS, KIND_LABELS, KIND_PLURAL_LABELS, NOT_REPORTED, RAG_ICONS, RAG_KEYS, RAG_LABELS, plural,
    status_label,
)
from roadmapgen.site.charts import ChartView, burnup_chart, counts_chart, metric_chart
from roadmapgen.site.gantt_rows import Timeline
from roadmapgen.site.views import GoalView, Link, RagView, Views, fmt_date, rag_view

ATTENTION_SHOWN = 12  # items per attention list; the rest are counted, with links to the status page
ATTENTION_SPLIT_ABOVE = 2  # a list with more items than this may go on in the next column (AttentionList.splits)
REASON_CHARS = 90  # a reason on a card or in a list is cut to about this; the item's page has it in full
CLOSED = ("complete", "cancelled")


@dataclass(frozen=True)
class RagColumn:
    """A colour as a column or choice: key, label, icon."""

    key: str
    label: str
    icon: str


@dataclass(frozen=True)
class CountRow:
    """How many goals, strategies or activities have each colour."""

    kind: str  # "goal" | "strategy" | "activity"
    label: str
    counts: tuple[tuple[str, int], ...]  # (rag key, count) in RAG_KEYS order
    total: int


@dataclass(frozen=True)
class GoalCard:
    """A goal on the home dashboard: its view, first reason, metric lines and due date."""

    goal: GoalView
    reason: str | None  # the first reason for its colour, cut short (short_reason)
    more_reasons: int
    reasons_link: str | None  # "+2 more" or "in full" (the reason was cut), linking to the goal; None: all shown
    metric_line: str | None  # "€4.41 of €3.90 target"
    metric_expected_line: str | None  # "should be €4.36 today"
    metric_path_state: str | None  # "ahead" | "on" | "behind" (engine/facts.py: metric_standing), None: no path
    due_in: str  # "in 85 days" | "12 days ago"


@dataclass(frozen=True)
class AttentionItem:
    """An item in an attention list, with what is the matter."""

    link: Link
    kind_label: str
    rag: RagView
    detail: str
    when: str | None = None  # ISO date, when the item is about a date
    kind: str = ""  # "goal" | "strategy" | "activity"


@dataclass(frozen=True)
class MoreLink:
    """Items of one kind left out of an attention list, and the status table filtered to them."""

    label: str  # "48 activities"
    status_filter: str  # a query for the status page: "kind=activity&rag=red"


@dataclass(frozen=True)
class AttentionList:
    """One attention list of the home dashboard, cut to ATTENTION_SHOWN items."""

    key: str  # "red" | "overdue" | "blocked" | "due-soon"
    title: str
    empty: str
    items: tuple[AttentionItem, ...]
    more: int  # how many were left out
    status_filter: str  # a query for the status page ("rag=red" → status.html?rag=red) or ""
    total: int = 0  # how many items the list has in all (shown and left out)
    more_links: tuple[MoreLink, ...] = ()  # those left out, by kind (goals, strategies, activities)
    splits: bool = False  # long enough to go on in the next column of the layout, rather than leave a hole


@dataclass(frozen=True)
class Checkin:
    """The next stakeholder check-in."""

    date: str
    title: str
    days: int  # from today


@dataclass(frozen=True)
class StatusRow:
    """One row of the status table."""

    order: int
    kind: str
    kind_label: str
    depth: int
    link: Link
    rag: RagView
    owner: Link | None
    owner_id: str
    goal_id: str
    start: str
    end: str  # activity end or strategy/goal due
    forecast_end: str
    progress: float | None  # the status stage's; None: not reported
    critical: bool
    milestone: bool


def short_reason(reason: str) -> str:
    """A reason as a card or a list shows it: whole when short; else what is the matter, the clause
    before a colon (the names after it are on the item's page); else cut at a word, with "…"."""
    if len(reason) <= REASON_CHARS:
        return reason
    head, colon, _ = reason.partition(": ")
    if colon and len(head) <= REASON_CHARS:
        return f"{head}: …"
    cut = reason[:REASON_CHARS].rsplit(" ", 1)[0] if " " in reason[:REASON_CHARS] else reason[:REASON_CHARS]
    return cut.rstrip(" ,;:.") + "…"


def _reasons_link(reasons: tuple[str, ...]) -> str | None:
    if len(reasons) > 1:
        return f"+{len(reasons) - 1} more"
    return "in full" if reasons and short_reason(reasons[0]) != reasons[0] else None


def _days_phrase(days: int) -> str:
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day" + ("" if days == 1 else "s")
    return f"{-days} day" + ("" if days == -1 else "s") + " ago"


def _more_links(left_out: list[AttentionItem]) -> tuple[MoreLink, ...]:
    """The items left out of a list, counted by kind, each with the status table filtered to them as
    closely as its filters allow: by kind, and by colour when they all have the same."""
    links = []
    for kind in JUDGED_KINDS:
        items = [item for item in left_out if item.kind == kind]
        if items:
            colours = {item.rag.key for item in items}
            query = f"kind={kind}" + (f"&rag={colours.pop()}" if len(colours) == 1 else "")
            links.append(MoreLink(f"{len(items)} {plural(kind, len(items))}", query))
    return tuple(links)


def _by_date(pairs: list[tuple[date, AttentionItem]]) -> list[AttentionItem]:
    """The items, earliest date first (ties keep their order)."""
    return [item for _, item in sorted(pairs, key=lambda pair: pair[0])]


def _blocked_detail(tracked, status) -> str:
    """An activity's status label (blocked or paused), with the first reason for its colour that
    says more than that."""
    reason = next((r for r in status.reasons if r not in ("blocked", "paused")), None)
    return status_label(tracked.status) + (f": {short_reason(reason)}" if reason else "")


def _share(progress: float | None, what: str) -> str:
    """"40% done", or "progress not reported"."""
    return f"progress {NOT_REPORTED}" if progress is None else f"{progress:.0f}% {what}"


@dataclass(frozen=True)
class DashboardView:
    """The home dashboard and the status page as finished values (docs/dashboards.md)."""

    columns: tuple[RagColumn, ...]
    counts: tuple[CountRow, ...]
    counts_summary: str
    goal_cards: tuple[GoalCard, ...]
    attention: tuple[AttentionList, ...]
    next_checkin: Checkin | None
    checkin_phrase: str | None
    history_charts: tuple[ChartView, ...]
    metric_charts: tuple[tuple[GoalView, ChartView], ...]
    status_rows: tuple[StatusRow, ...]
    status_owners: tuple[Link, ...]
    status_goals: tuple[Link, ...]
    rag_options: tuple[RagColumn, ...]


class Dashboard:
    """Works out the dashboards' values from the views; `view()` gives them as a DashboardView."""

    def __init__(self, views: Views, timeline: Timeline | None = None):
        self.views = views
        self.computed = views.computed
        self.roadmap = views.roadmap
        self.today: date = views.computed.today
        self.rules = views.roadmap.config.status
        self.timeline = timeline or Timeline(views)

    def view(self) -> DashboardView:
        """Every value of the dashboards, computed now."""
        return DashboardView(**{f.name: getattr(self, f.name) for f in fields(DashboardView)})

    # -- counts ------------------------------------------------------------------------
    @cached_property
    def columns(self) -> tuple[RagColumn, ...]:
        """The colours, worst first."""
        return tuple(RagColumn(k, RAG_LABELS[k], RAG_ICONS[k]) for k in RAG_KEYS)

    @cached_property
    def counts(self) -> tuple[CountRow, ...]:
        """Goals, strategies and activities counted by colour."""
        rows = []
        for kind in JUDGED_KINDS:
            counts = self.computed.status.counts(kind)
            rows.append(CountRow(kind, KIND_PLURAL_LABELS[kind], tuple((k, counts.get(k, 0)) for k in RAG_KEYS),
                                 sum(counts.values())))
        return tuple(rows)

    @cached_property
    def counts_summary(self) -> str:
        """The counts in one sentence, for screen readers."""
        parts = []
        for row in self.counts:
            tally = ", ".join(f"{n} {RAG_LABELS[k].lower()}" for k, n in row.counts if n) or "none"
            parts.append(f"{row.label} ({row.total}): {tally}")
        return "; ".join(parts) + "."

    # -- goal cards ----------------------------------------------------------------------
    @cached_property
    def goal_cards(self) -> tuple[GoalCard, ...]:
        """A card per goal, in the roadmap's order."""
        cards = []
        for gid in self.computed.order.goals:
            goal = self.views.goals[gid]
            g = self.roadmap.goals[gid]
            reasons = goal.rag.reasons
            metric_line = expected_line = state = None
            if g.metric is not None and goal.metric is not None:
                m = goal.metric
                metric_line = f"{m.current} now · target {m.target} by {goal.due} (baseline {m.baseline})"
                if self.computed.status.metric_expected.get(gid) is not None:
                    expected_line = f"should be {m.expected} today"
                    state = m.standing
            cards.append(GoalCard(goal, short_reason(reasons[0]) if reasons else None, max(0, len(reasons) - 1),
                                  _reasons_link(reasons), metric_line, expected_line, state,
                                  _days_phrase((g.due - self.today).days)))
        return tuple(cards)

    # -- attention -----------------------------------------------------------------------
    def _item(self, kind: str, item_id: str, detail: str, when: date | None = None) -> AttentionItem:
        status = getattr(self.computed.status, PLURAL[kind])[item_id]
        return AttentionItem(self.views.link(kind, item_id), KIND_LABELS[kind], rag_view(status), detail,
                             when.isoformat() if when else None, kind)

    def _ordered(self, kind: str) -> tuple[str, ...]:
        """Item ids of a kind in the roadmap's outline order (goal → strategy → activity)."""
        return self.computed.order.of_kind(kind)

    def _list(self, key: str, title: str, empty: str, items: list[AttentionItem], status_filter: str) -> AttentionList:
        left_out = items[ATTENTION_SHOWN:]
        return AttentionList(key, title, empty, tuple(items[:ATTENTION_SHOWN]), len(left_out), status_filter,
                             len(items), _more_links(left_out), len(items) > ATTENTION_SPLIT_ABOVE)

    @cached_property
    def attention(self) -> tuple[AttentionList, ...]:
        """The home page's attention lists: red, overdue, blocked or paused, and due soon, of items not
        complete or cancelled; goals, then strategies, then activities (overdue and due soon sorted by
        date), each cut to ATTENTION_SHOWN items with the rest counted."""
        found = self._open_attention()
        days = self.rules.due_soon_days
        return (
            self._list("red", "Red items", "Nothing is red.", self._red_items(), "rag=red"),
            self._list("overdue", "Overdue", "Nothing is overdue.", _by_date(found["overdue"]), ""),
            self._list("blocked", "Blocked or paused", "Nothing is blocked or paused.",
                       [item for _, item in found["blocked"]], ""),
            self._list("due-soon", f"Due in the next {days} days", f"Nothing is due in the next {days} days.",
                       _by_date(found["due-soon"]), ""),
        )

    def _red_items(self) -> list[AttentionItem]:
        """Every red goal, strategy and activity, with the first reason for its colour, cut short."""
        s = self.computed.status
        red: list[AttentionItem] = []
        for kind, statuses in (("goal", s.goals), ("strategy", s.strategies), ("activity", s.activities)):
            for item_id in self._ordered(kind):
                status = statuses[item_id]
                if status.rag == "red":
                    red.append(self._item(kind, item_id, short_reason(status.reasons[0]) if status.reasons else "red"))
        return red

    def _open_attention(self) -> dict[str, list[tuple[date | None, AttentionItem]]]:
        """The open (not complete or cancelled) items that are overdue, blocked or due soon, by list
        key, each with its date; goals first, then strategies, then activities."""
        horizon = self.today + timedelta(days=self.rules.due_soon_days)
        found: dict[str, list[tuple[date | None, AttentionItem]]] = {"overdue": [], "blocked": [], "due-soon": []}
        for kind_items in (self._goal_attention(horizon), self._strategy_attention(horizon),
                           self._activity_attention(horizon)):
            for key, when, item in kind_items:
                found[key].append((when, item))
        return found

    def _goal_attention(self, horizon: date) -> Iterator[tuple[str, date | None, AttentionItem]]:
        """(list key, date, item) for each open goal that is overdue, due by `horizon` or paused."""
        for gid in self._ordered("goal"):
            g, status = self.roadmap.goals[gid], self.computed.status.goals[gid]
            if status.rag in CLOSED:
                continue
            if g.due < self.today:
                yield "overdue", g.due, self._item("goal", gid, f"was due {g.due}", g.due)
            elif g.due <= horizon:
                yield "due-soon", g.due, self._item("goal", gid, f"goal due {g.due} ({self._from_today(g.due)})", g.due)
            if self.computed.tracking.goals[gid].status == "paused":
                yield "blocked", None, self._item("goal", gid, "paused")

    def _strategy_attention(self, horizon: date) -> Iterator[tuple[str, date | None, AttentionItem]]:
        """(list key, date, item) for each open strategy that is overdue, due by `horizon` or paused."""
        for sid in self._ordered("strategy"):
            st, status = self.roadmap.strategies[sid], self.computed.status.strategies[sid]
            if status.rag in CLOSED:
                continue
            if st.due < self.today:
                yield "overdue", st.due, self._item("strategy", sid, f"was due {st.due}, "
                                                    f"{_share(status.progress, 'complete')}", st.due)
            elif st.due <= horizon:
                span = self.computed.schedule.strategies.get(sid)
                slips = span and span.forecast_end and span.forecast_end > st.due
                late = f", forecast {span.forecast_end}" if slips else ""
                yield "due-soon", st.due, self._item("strategy", sid, f"due {st.due} "
                                                     f"({self._from_today(st.due)}){late}", st.due)
            if self.computed.tracking.strategies[sid].status == "paused":
                yield "blocked", None, self._item("strategy", sid, "paused")

    def _activity_attention(self, horizon: date) -> Iterator[tuple[str, date | None, AttentionItem]]:
        """(list key, date, item) for each open activity that is overdue, ends by `horizon`, or is
        blocked or paused; in schedule order."""
        for aid in self.computed.order.activities:
            status = self.computed.status.activities[aid]
            if status.rag in CLOSED:
                continue
            sched = self.computed.schedule.activities[aid]
            tracked = self.computed.tracking.activities[aid]
            done = _share(status.progress, "done")
            when = sched.committed  # the date the status rules hold it to: its own due, else its planned end
            if when < self.today:
                what = "milestone was due" if sched.milestone else "was due" if sched.due else "was planned to end"
                yield "overdue", when, self._item("activity", aid, f"{what} {when}, {done}", when)
            elif when <= horizon:
                what = "milestone" if sched.milestone else "due" if sched.due else "planned to end"
                yield "due-soon", when, self._item("activity", aid, f"{what} {when} "
                                                   f"({self._from_today(when)}), {done}", when)
            if tracked.status in ("blocked", "paused"):
                yield "blocked", None, self._item("activity", aid, _blocked_detail(tracked, status))

    def _from_today(self, when: date) -> str:
        """How far `when` is from today: "in 3 days", "today" or "2 days ago"."""
        return _days_phrase((when - self.today).days)

    @cached_property
    def next_checkin(self) -> Checkin | None:
        """The next stakeholder check-in from today, if any."""
        upcoming = sorted((c for c in self.roadmap.config.checkins.stakeholder if c.date >= self.today), key=lambda c: c.date)
        if not upcoming:
            return None
        c = upcoming[0]
        return Checkin(c.date.isoformat(), c.title, (c.date - self.today).days)

    @cached_property
    def checkin_phrase(self) -> str | None:
        """How far away the next check-in is: "in 5 days"."""
        c = self.next_checkin
        return _days_phrase(c.days) if c else None

    # -- charts --------------------------------------------------------------------------
    @cached_property
    def history_charts(self) -> tuple[ChartView, ...]:
        """Colours over time and the burn-up, when there is history."""
        charts = (counts_chart(self.computed.history), burnup_chart(self.computed.history))
        return tuple(chart for chart in charts if chart is not None)

    @cached_property
    def metric_charts(self) -> tuple[tuple[GoalView, ChartView], ...]:
        """Each measured goal with its metric chart, in the roadmap's order."""
        out = []
        for gid in self.computed.order.goals:
            chart = metric_chart(self.computed, gid, height=260)
            if chart is not None:
                out.append((self.views.goals[gid], chart))
        return tuple(out)

    # -- the status table ----------------------------------------------------------------
    @cached_property
    def status_rows(self) -> tuple[StatusRow, ...]:
        """A row per goal, strategy and activity, in the timeline's order."""
        rows = []
        s, sched = self.computed.status, self.computed.schedule
        for order, row in enumerate(r for r in self.timeline.rows.values() if r.kind != "checkins"):
            kind, item_id = row.kind, row.id
            if kind == "goal":
                g = self.roadmap.goals[item_id]
                span = sched.goals.get(item_id)
                status, depth, owner = s.goals[item_id], 0, g.owner
                start, end = fmt_date(span.start if span else g.start), fmt_date(g.due)
                forecast = fmt_date(span.forecast_end if span else None)
            elif kind == "strategy":
                st = self.roadmap.strategies[item_id]
                span = sched.strategies.get(item_id)
                status, depth, owner = s.strategies[item_id], 1, st.owner
                start, end = fmt_date(span.start if span else st.start), fmt_date(st.due)
                forecast = fmt_date(span.forecast_end if span else None)
            else:
                a = self.roadmap.activities[item_id]
                sa = sched.activities[item_id]
                status, depth, owner = s.activities[item_id], 2 if a.strategy else 1, a.owner
                start, end, forecast = fmt_date(sa.start), fmt_date(sa.end), fmt_date(sa.forecast_end)
            rows.append(StatusRow(
                order=order, kind=kind, kind_label=KIND_LABELS[kind], depth=depth, link=self.views.link(kind, item_id),
                rag=rag_view(status), owner=self.views.link("person", owner), owner_id=owner or "",
                goal_id=row.goal or "", start=start, end=end, forecast_end=forecast, progress=status.progress,
                critical=row.critical, milestone=row.milestone,
            ))
        return tuple(rows)

    @cached_property
    def status_owners(self) -> tuple[Link, ...]:
        """The owners in the status table, by name: the choices of its owner filter."""
        owners = {row.owner_id for row in self.status_rows if row.owner_id}
        links = [self.views.link("person", o) for o in owners]
        return tuple(sorted((link for link in links if link), key=lambda link: link.title.lower()))

    @cached_property
    def status_goals(self) -> tuple[Link, ...]:
        """The goals: the choices of the status table's goal filter."""
        return tuple(self.views.link("goal", gid) for gid in self.computed.order.goals)

    @cached_property
    def rag_options(self) -> tuple[RagColumn, ...]:
        """The colours: the choices of the status table's colour filter."""
        return self.columns
