"""Quarterly reviews computed from the data: for every quarter the roadmap spans up to today, how
it stood at the quarter's start and at its end (docs/rhythm.md).

The two states are the history stage's replay (`history.each_state_at`), judged with reasons: what a
build at the end of the day before the quarter (as it opened) and on its last day (or today, for
the quarter under way) would have shown, given today's files. A quarter's page reads only this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator, Mapping

from roadmapgen.engine.baseline import Slip, slip_days
from roadmapgen.engine.history import Today, each_state_at
from roadmapgen.engine.summary import executive_summary
from roadmapgen.model import Review, Roadmap

if TYPE_CHECKING:
    from roadmapgen.engine.pipeline import ComputedRoadmap
    from roadmapgen.engine.status import Status

MAX_QUARTERS = 40  # ten years of pages; a roadmap that starts earlier shows its last ten years


@dataclass(frozen=True, slots=True)
class Quarter:
    """A calendar quarter."""
    year: int
    number: int  # 1–4

    @property
    def key(self) -> str:
        """How files and links name it: '2026-q3'."""
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        """How pages and review files name it: '2026-Q3'."""
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        """Its first day."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Its last day."""
        following = self.next()
        return following.start - timedelta(days=1)

    def next(self) -> Quarter:
        """The quarter after it."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @staticmethod
    def of(day: date) -> Quarter:
        """The quarter holding `day`."""
        return Quarter(day.year, (day.month - 1) // 3 + 1)


def roadmap_start(computed: ComputedRoadmap) -> date | None:
    """Where the roadmap begins: roadmap.yml's `start`, else its earliest goal start or planned start."""
    roadmap = computed.roadmap
    dates = [roadmap.config.start] if roadmap.config.start else []
    if not dates:
        dates = [g.start for g in roadmap.goals.values() if g.start] + (
            [computed.schedule.start] if computed.schedule.start else [])
    return min(dates) if dates else None


def quarters_spanned(computed: ComputedRoadmap) -> tuple[Quarter, ...]:
    """Every quarter from the roadmap's start to today's, oldest first."""
    start = roadmap_start(computed)
    if start is None or start > computed.today or computed.today.year >= 9999:
        return ()
    start = max(start, date(computed.today.year - MAX_QUARTERS // 4, 1, 1))
    quarters = [Quarter.of(start)]
    last = Quarter.of(computed.today)
    while quarters[-1] != last:
        quarters.append(quarters[-1].next())
    return tuple(quarters[-MAX_QUARTERS:])


@dataclass(frozen=True, slots=True)
class GoalAtQuarter:
    """A goal's status and metric at a quarter's start and end."""
    id: str
    start: Status
    end: Status
    metric_start: float | None
    metric_end: float | None


@dataclass(frozen=True, slots=True)
class ColourChange:
    """An item whose colour at a quarter's end differs from its start."""
    kind: str
    id: str
    before: str
    after: str
    reasons: tuple[str, ...]  # why it has its colour at the end


@dataclass(frozen=True)
class QuarterReport:
    """One quarter, computed: how each goal stood, what was completed, slipped and started, what
    changed colour, and the review file of the quarter if there is one."""

    quarter: Quarter
    start: date  # the dates the two states are taken at: the day before the quarter, and its last day
    end: date
    current: bool  # the quarter under way: its end is today
    goals: tuple[GoalAtQuarter, ...]
    completed: tuple[str, ...]  # activity ids
    slipped: tuple[Slip, ...]  # activities whose forecast end moved later during the quarter, most first
    started: tuple[str, ...]
    changed: tuple[ColourChange, ...]
    review: Review | None
    baseline_slips: tuple[Slip, ...] = ()  # against the baseline, at the quarter's end
    summary: tuple[str, ...] = ()  # the executive summary as the quarter closed (engine/summary.py)

    @property
    def slipped_days(self) -> int:
        """The working days the slipped activities moved, in total."""
        return sum(s.days for s in self.slipped)

    @property
    def baseline_total(self) -> int:
        """The slip against the baseline, in total (later minus earlier)."""
        return sum(s.days for s in self.baseline_slips)


def quarter_reports(computed: ComputedRoadmap, states: Mapping[date, Today] | None = None) -> tuple[QuarterReport, ...]:
    """A report per quarter the roadmap spans up to today, oldest first; `states` are those of
    `quarter_states`, when already made."""
    quarters = quarters_spanned(computed)
    if not quarters:
        return ()
    bounds = _bounds(computed, quarters)
    states = states if states is not None else dict(quarter_states(computed))
    reviews = _reviews_by_quarter(computed.roadmap)
    return tuple(_report(computed, q, states[s], states[e], s, e, reviews.get(q.label))
                 for q, (s, e) in zip(quarters, bounds))


def quarter_states(computed: ComputedRoadmap) -> Iterator[tuple[date, Today]]:
    """The roadmap's state at each quarter's opening and close, one date at a time."""
    dates = [d for pair in _bounds(computed, quarters_spanned(computed)) for d in pair]
    return each_state_at(computed.roadmap, dates, Today(computed.tracking, computed.schedule, computed.status))


def _bounds(computed: ComputedRoadmap, quarters: tuple[Quarter, ...]) -> list[tuple[date, date]]:
    # a quarter opens as the day before it closed: one state per boundary, shared by two quarters
    return [(q.start - timedelta(days=1), min(q.end, computed.today)) for q in quarters]


def _reviews_by_quarter(roadmap: Roadmap) -> dict[str, Review]:
    found: dict[str, Review] = {}
    for review in sorted(roadmap.reviews.values(), key=lambda r: (r.date, r.id)):
        found.setdefault(review.quarter.upper(), review)
    return found


def _report(computed: ComputedRoadmap, quarter: Quarter, first: Today, last: Today, start: date, end: date,
            review: Review | None) -> QuarterReport:
    roadmap = computed.roadmap
    goals = tuple(GoalAtQuarter(gid, first.status.goals[gid], last.status.goals[gid],
                                first.tracking.goals[gid].metric, last.tracking.goals[gid].metric)
                  for gid in computed.order.goals)
    ordered = computed.order.activities
    before, after = first.status.activities, last.status.activities
    completed = tuple(a for a in ordered if after[a].rag == "complete" and before[a].rag != "complete")
    started = tuple(a for a in ordered if _begun(last.tracking.activities[a]) and not _begun(first.tracking.activities[a]))
    slipped = _slips(ordered, first, last, computed)
    changed = tuple(ColourChange(kind, item_id, old.rag, new.rag, new.reasons)
                    for kind, ids in (("goal", computed.order.goals), ("strategy", _strategy_order(computed)),
                                      ("activity", ordered))
                    for item_id in ids
                    for old, new in [(_of(first, kind, item_id), _of(last, kind, item_id))]
                    if old is not None and new is not None and old.rag != new.rag)
    return QuarterReport(quarter, start, end, end < quarter.end, goals, completed, slipped, started, changed, review,
                         _baseline_slips(computed, last), executive_summary(computed, last, end).sentences)


def _of(state: Today, kind: str, item_id: str):
    return {"goal": state.status.goals, "strategy": state.status.strategies,
            "activity": state.status.activities}[kind].get(item_id)


def _strategy_order(computed: ComputedRoadmap) -> tuple[str, ...]:
    order = [s for g in computed.order.goals for s in computed.order.strategies_of_goal.get(g, ())]
    return tuple(order + [s for s in computed.roadmap.strategies if s not in set(order)])


def _begun(tracked) -> bool:
    """Work on it had begun: reported under way, held up, or finished, or some progress reported."""
    return tracked.status in ("in-progress", "blocked", "paused", "done") or bool(tracked.progress)


def _slips(ordered: tuple[str, ...], first: Today, last: Today, computed: ComputedRoadmap) -> tuple[Slip, ...]:
    """Activities open at the quarter's start whose forecast end was later at its end, in working days."""
    calendar = computed.schedule.calendar
    slips = []
    for aid in ordered:
        if first.status.activities[aid].rag in ("complete", "cancelled"):
            continue
        if last.status.activities[aid].rag == "cancelled":
            continue
        old, new = first.schedule.activities.get(aid), last.schedule.activities.get(aid)
        if old is None or new is None or new.forecast_end <= old.forecast_end:
            continue
        slips.append(Slip("activity", aid, old.forecast_end, new.forecast_end,
                          slip_days(old.forecast_end, new.forecast_end, calendar)))
    return tuple(sorted(slips, key=lambda s: (-s.days, s.id)))


def _baseline_slips(computed: ComputedRoadmap, last: Today) -> tuple[Slip, ...]:
    """Activities that end later or earlier than in the baseline, as the quarter ended."""
    baseline = computed.rhythm.baseline if computed.rhythm else None
    if baseline is None:
        return ()
    calendar = computed.schedule.calendar
    slips = []
    for aid in computed.order.activities:
        planned = baseline.items.get(("activity", aid))
        scheduled = last.schedule.activities.get(aid)
        if planned is None or planned.end is None or scheduled is None:
            continue
        days = slip_days(planned.end, scheduled.forecast_end, calendar)
        if days:
            slips.append(Slip("activity", aid, planned.end, scheduled.forecast_end, days))
    return tuple(sorted(slips, key=lambda s: (-s.days, s.id)))


def headline(report: QuarterReport) -> Mapping[str, int]:
    """The figures the reviews index shows for a quarter."""
    return {"completed": len(report.completed), "slipped": len(report.slipped),
            "slipped_days": report.slipped_days, "started": len(report.started), "changed": len(report.changed)}
