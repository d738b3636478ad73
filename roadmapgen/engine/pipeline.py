"""The engine's stages in order: load → validate → schedule → status → history, timed.

`compute_roadmap` is the library entry point: everything a site, an export or another
tool needs about a roadmap, computed once as of one date.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, Mapping

from roadmapgen.config import default_today
from roadmapgen.engine.facts import ItemOrder, item_order
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import History, PointCache, Today, changed_items, history
from roadmapgen.engine.baseline import PlannedSchedule, schedule_as_it_was
from roadmapgen.engine.load import load
from roadmapgen.engine.rhythm import Rhythm, compute_rhythm
from roadmapgen.engine.schedule import Plan, Schedule, plan_roadmap, replan, schedule_roadmap
from roadmapgen.engine.slips import PlanHistory
from roadmapgen.engine.smart import SmartCard, report_smart, smart_cards
from roadmapgen.engine.status import ActivityJudgements, StatusReport, compute_status
from roadmapgen.engine.tracking import Tracking, track, track_again
from roadmapgen.engine.validate import check_schedule_range, validate
from roadmapgen.model import Roadmap


GC_THRESHOLD = (100_000, 50, 100)  # allocations before a young collection, and the two older ratios
HISTORY_BUDGET = 120_000  # activity-evaluations: history re-runs the engine at each sample date


def history_points(activities: int) -> int:
    """How many past dates history samples: 60 for ordinary roadmaps, fewer (at least 12)
    for huge ones, so that history's cost stays bounded by a few engine runs."""
    return max(12, min(60, HISTORY_BUDGET // max(1, activities)))


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely for the duration (thresholds restored after).

    A build allocates hundreds of thousands of long-lived objects that form no cycles (items,
    schedules, statuses, views); with the default thresholds Python scans them all again and again
    while they pile up, which cost nearly half of the history stage (bench/RESULTS.md).
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_THRESHOLD[0]), max(before[1], GC_THRESHOLD[1]), max(before[2], GC_THRESHOLD[2]))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class Timings:
    """Seconds spent in each stage, in the order they ran: wall-clock time, and the process's
    CPU time (the steadier figure on a machine shared with other work)."""

    stages: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu


@dataclass(frozen=True)
class ComputedRoadmap:
    """A roadmap with its schedule and status as of `today`: what pages and exports read."""

    roadmap: Roadmap
    today: date
    tracking: Tracking
    schedule: Schedule
    status: StatusReport
    history: History | None
    order: ItemOrder  # the one order items are listed in (engine/facts.py)
    rhythm: Rhythm | None = None  # stale items, next meetings, load per week, the baseline (engine/rhythm.py)
    smart: Mapping[str, SmartCard] = field(default_factory=dict)  # each goal's SMART card (engine/smart.py)
    plan_history: PlanHistory | None = None  # the plan across its git versions (engine/slips.py), when read


class Memory:
    """What one computation of a roadmap leaves for the next (a live preview holds one across
    saves): the history points (`PointCache`), today's tracking and plan, and the activities'
    judgements, so that a save that changes a few items tracks, plans and judges only those (and
    what they move) again (`track_again`, `replan`, `ActivityJudgements`). What it gives equals a
    computation afresh, diagnostics included (tests/unit/test_memory.py)."""

    def __init__(self) -> None:
        self.points = PointCache()
        self.judgements = ActivityJudgements()
        self._last: tuple[Roadmap, Tracking, Plan] | None = None

    def track_and_plan(self, roadmap: Roadmap, today: date, diagnostics: Diagnostics) -> tuple[Tracking, Plan]:
        """`track(roadmap, today)` and `plan_roadmap(roadmap, today, diagnostics)`, from the last ones
        when they were made on the same date, with the same settings and ids."""
        last = self._last
        if last is not None and last[1].as_of == today and (changed := changed_items(last[0], roadmap)) is not None:
            tracking, plan = track_again(last[1], roadmap, changed), replan(last[2], roadmap, today, diagnostics)
        else:
            tracking, plan = track(roadmap, today), plan_roadmap(roadmap, today, diagnostics)
        self._last = (roadmap, tracking, plan)
        return tracking, plan


def compute_roadmap(project: Path, diagnostics: Diagnostics, today: date | None = None,
                    with_history: bool = True, timings: Timings | None = None,
                    memory: Memory | None = None,
                    on_validated: Callable[[Roadmap], None] | None = None) -> ComputedRoadmap:
    """Load, validate, schedule and judge the roadmap in `project`; problems go to `diagnostics`.

    `memory` keeps what a computation can reuse between calls (a live preview holds one);
    `on_validated` is called with the validated roadmap before it is scheduled (a build starts
    rendering the Markdown bodies on another core then).
    """
    timings = timings or Timings()
    with fewer_collections():
        with timings.stage("load"):
            config, loaded = load(project, diagnostics)
        with timings.stage("validate"):
            roadmap = validate(config, loaded.items, loaded.seen, diagnostics)
            baseline = schedule_as_it_was(project, roadmap, diagnostics)
        if on_validated is not None:
            on_validated(roadmap)
        return compute_loaded(roadmap, diagnostics, today, with_history, timings, memory, baseline)


def compute_loaded(roadmap: Roadmap, diagnostics: Diagnostics, today: date | None = None,
                   with_history: bool = True, timings: Timings | None = None,
                   memory: Memory | None = None,
                   baseline: PlannedSchedule | None = None) -> ComputedRoadmap:
    """Schedule and judge an already validated roadmap, then replay its history; `baseline` is
    the schedule as it was, to compare against (engine/baseline.py)."""
    with fewer_collections():
        return _compute(roadmap, diagnostics, today, with_history, timings or Timings(), memory, baseline)


def _compute(roadmap: Roadmap, diagnostics: Diagnostics, today: date | None, with_history: bool,
             timings: Timings, memory: Memory | None,
             baseline: PlannedSchedule | None = None) -> ComputedRoadmap:
    today = default_today(roadmap.config, today)
    with timings.stage("schedule"):
        if memory is not None:
            tracking, plan = memory.track_and_plan(roadmap, today, diagnostics)
        else:
            tracking, plan = track(roadmap, today), plan_roadmap(roadmap, today, diagnostics)
        schedule = schedule_roadmap(roadmap, tracking, today, diagnostics, plan=plan)
        check_schedule_range(roadmap, schedule, diagnostics)
    with timings.stage("status"):
        status = compute_status(roadmap, tracking, schedule, today,
                                memo=memory.judgements if memory is not None else None)
        order = item_order(roadmap, schedule)
        smart = smart_cards(roadmap, tracking, schedule, today)
        if roadmap.config.smart.lint:
            report_smart(roadmap, smart, diagnostics)
    with timings.stage("history"):
        past = history(roadmap, today, max_points=history_points(len(roadmap.activities)),
                       current=Today(tracking, schedule, status, plan),
                       cache=memory.points if memory is not None else None) if with_history else None
    with timings.stage("rhythm"):
        rhythm = compute_rhythm(roadmap, tracking, schedule, today, baseline, diagnostics)
    return ComputedRoadmap(roadmap, today, tracking, schedule, status, past, order, rhythm, smart)
