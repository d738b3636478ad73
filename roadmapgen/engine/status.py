"""The colour of every activity, strategy and goal as of a date, with the reasons for it.

Activities are judged on their own (state, dates, progress against the schedule); strategies
and goals roll up their children and add their own checks (forecast against due date, the
goal's metric against its path). A colour set by hand overrides the computed one, which is
kept beside it. The rules are documented, with examples, in docs/status.md.
"""

from __future__ import annotations

from collections import Counter
from copy import copy
from dataclasses import dataclass, field
from functools import cached_property, reduce
from itertools import compress
from operator import add
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple

from roadmapgen.engine.cadence import stale_since, staleness
from roadmapgen.engine.tracking import Tracked, Tracking, effective_progress
from roadmapgen.names import RAG_KEYS, plural
from roadmapgen.quantities import places_of, quantity
from roadmapgen.model import Goal, Roadmap, StatusRules

if TYPE_CHECKING:  # the engine's schedule stage; only its data is read here
    from roadmapgen.engine.calendar import WorkCalendar
    from roadmapgen.engine.schedule import Plan, Schedule, ScheduledActivity, Span

COLOURS = ("green", "amber", "red", "complete", "cancelled")
RANK = {"green": 0, "amber": 1, "red": 2}
NOTE = "note"  # a finding that explains but never colours
WEIGHTED_SHARE = 1 / 3  # share of the remaining work that turns a weighted roll-up amber or red
NAMES_SHOWN = 5  # a reason lists at most this many children by id, then "and N more"

_KIND_KEYS = {
    "goal": "goals", "goals": "goals",
    "strategy": "strategies", "strategies": "strategies",
    "activity": "activities", "activities": "activities",
}


@dataclass(frozen=True, slots=True)
class Status:
    rag: str  # "green" | "amber" | "red" | "complete" | "cancelled"
    reasons: tuple[str, ...]  # short plain sentences naming the items, dates and figures
    manual: bool  # set by hand (rag + rag_reason in the file or an update)
    computed: str | None  # when manual: what the engine would have said
    computed_reasons: tuple[str, ...] = ()
    expected_progress: float | None = None  # where progress should be today (work-weighted for roll-ups)
    # activities: effective progress, None when nobody reported it; strategies/goals: completion,
    # the share of their work reported done (None when no activity under them reported any)
    progress: float | None = None
    activities: int = 0  # strategies/goals: the activities counted in `progress` (not cancelled)
    unreported: int = 0  # strategies/goals: how many of those have no progress reported


@dataclass(frozen=True)
class StatusReport:
    today: date
    goals: Mapping[str, Status]
    strategies: Mapping[str, Status]
    activities: Mapping[str, Status]
    metric_expected: Mapping[str, float | None] = field(default_factory=dict)  # goal id → path value today
    done_days: float = 0.0  # the whole roadmap's work reported done, in weighted working days
    total_days: float = 0.0  # the whole roadmap's work, not cancelled (see `work_weight`)
    completion: float | None = None  # done_days / total_days in percent; None when nothing reported

    def counts(self, kind: str) -> dict[str, int]:
        """How many items of a kind ("goal(s)", "strategy/strategies", "activity/activities") have each colour."""
        result = dict.fromkeys(COLOURS, 0)
        for status in getattr(self, _KIND_KEYS[kind]).values():
            result[status.rag] = result.get(status.rag, 0) + 1
        return result


# (colour or NOTE, reason); a reason about one activity is a function that words it, called only
# when the reasons are wanted (formatting dates and figures is most of the cost of a colour)
Finding = tuple[str, "str | Callable[[], str]"]


@dataclass(frozen=True, slots=True)
class _Child:
    kind: str  # "activity" | "strategy"
    id: str
    rag: str
    remaining: float  # working days of work left
    title: str = ""  # how reasons name it: people read titles, not file names


@dataclass(frozen=True, slots=True)
class _Work:
    """Weighted working days of an activity (or a sum of them): total, done, expected by today."""

    total: float = 0.0
    done: float = 0.0
    expected: float = 0.0
    expected_total: float = 0.0  # the total of the activities that have an expected progress
    items: int = 0  # activities summed
    unreported: int = 0  # of those, how many have no progress reported

    def __add__(self, other: _Work) -> _Work:
        return _Work(self.total + other.total, self.done + other.done, self.expected + other.expected,
                     self.expected_total + other.expected_total, self.items + other.items,
                     self.unreported + other.unreported)

    @property
    def remaining(self) -> float:
        return self.total - self.done

    def progress(self) -> float | None:
        """The share of the work reported done; None when not one activity reported any."""
        if not self.total or self.unreported == self.items:
            return None
        return 100.0 * self.done / self.total

    def expected_progress(self) -> float | None:
        return 100.0 * self.expected / self.expected_total if self.expected_total else None


class _Judgement(NamedTuple):
    """One activity's judgement: its inputs, its draft (a fixed colour or None, the findings before
    the rule of the red dependency, its figures), the colour it shows before that rule, its work
    (None when cancelled), and, once that rule is applied, the red dependencies it names and its Status."""

    activity: object
    tracked: Tracked
    scheduled: ScheduledActivity | None
    draft: tuple
    shown: str
    work: _Work | None
    red: list[str] | None = None
    status: Status | None = None


class ActivityJudgements:
    """Each activity's judgement in the last `compute_status` given this memo, kept for the next
    one (a live preview holds one): an activity whose item, tracked state and schedule are the
    same objects or values, on the same date under the same settings, is not judged again, and
    keeps its `Status` while the dependencies it names as red are the same."""

    def __init__(self) -> None:
        self.on: tuple[date, object] | None = None  # (today, the settings) they were made for
        self.judged: dict[str, _Judgement] = {}

    def on_date(self, today: date, config: object) -> dict[str, _Judgement]:
        """The judgements made on `today` under `config`; none when either differs."""
        if self.on is None or self.on[0] != today or (self.on[1] is not config and self.on[1] != config):
            self.judged = {}
        self.on = (today, config)
        return self.judged


def compute_status(roadmap: Roadmap, tracking: Tracking, schedule: Schedule, today: date,
                   explain: bool = True, memo: ActivityJudgements | None = None) -> StatusReport:
    """Every item's colour as of `today`, from its tracked state and the schedule.

    With `explain=False` the reasons are left empty (the colours and figures are the same):
    history uses it to replay many dates cheaply. `memo` keeps the activities' judgements
    between calls (`ActivityJudgements`).
    """
    rules = roadmap.config.status
    last = memo.on_date(today, roadmap.config) if memo is not None and explain else {}
    activities, work, judged = _activity_statuses(roadmap, tracking, schedule, today, rules, explain, last)
    if memo is not None and explain:
        memo.judged = judged
    strategies, strategy_work = _strategy_statuses(roadmap, tracking, schedule, activities, work, rules, explain)
    goals, metric_expected = _goal_statuses(roadmap, tracking, schedule, today, activities, strategies,
                                            work, strategy_work, rules, explain)
    whole = _sum(work.values())
    return StatusReport(today=today, goals=goals, strategies=strategies, activities=activities,
                        metric_expected=metric_expected, done_days=whole.done, total_days=whole.total,
                        completion=whole.progress())


# ---------------------------------------------------------------------------------------------
# activities


def activity_progress(tracked: Tracked, scheduled: ScheduledActivity | None = None) -> float | None:
    """The effective progress of an activity in percent: 100 when done, None when nobody reported it."""
    return effective_progress(tracked, scheduled.milestone if scheduled is not None else False)


def work_weight(scheduled: ScheduledActivity | None) -> float:
    """What an activity weighs in completion: its working days; a milestone or an item with
    only a target date (no span) weighs one working day, so that reaching it counts."""
    if scheduled is None or scheduled.target_only or scheduled.duration <= 0:
        return 1.0
    return float(scheduled.duration)


def expected_progress(scheduled: ScheduledActivity, today: date, calendar: WorkCalendar) -> float | None:
    """Where an activity's progress should be today: the share of its working days already past.

    The working days from its start up to yesterday count as past (today is still in progress);
    a milestone is expected at 0 before its date (its own due, when it has one) and at 100 on
    and after it. An item with only a target date has no path: None.
    """
    if scheduled.target_only:
        return None
    if scheduled.milestone or scheduled.duration <= 0:
        return 100.0 if today >= scheduled.committed else 0.0
    if today <= scheduled.start:
        return 0.0
    if today > scheduled.end:
        return 100.0
    elapsed = calendar.working_days_between(scheduled.start, today - timedelta(days=1))
    return min(100.0, 100.0 * elapsed / scheduled.duration)


def _activity_statuses(roadmap, tracking, schedule, today, rules, explain, last: Mapping[str, _Judgement]):
    """Each activity's Status and work, and its judgement (`ActivityJudgements`); `last` holds the
    last call's on this date under these settings, reused where the inputs are the same."""
    judged: dict[str, _Judgement] = {}
    again: set[str] = set()  # judged again: its inputs differ from the last call's
    shown: dict[str, str] = {}  # the colour each activity shows before the dependency rule
    work: dict[str, _Work] = {}
    standup = roadmap.config.checkins.standup
    for activity in roadmap.activities.values():
        tracked = tracking.activities[activity.id]
        scheduled = schedule.activities.get(activity.id)
        kept = last.get(activity.id)
        if kept is None or kept.activity is not activity or kept.tracked is not tracked or kept.scheduled != scheduled:
            kept = _Judgement(activity, tracked, scheduled, *_activity_draft(activity, tracked, scheduled, today, rules,
                                                                             standup, schedule.calendar))
            again.add(activity.id)
        judged[activity.id] = kept
        shown[activity.id] = kept.shown
        if kept.work is not None:
            work[activity.id] = kept.work
    statuses: dict[str, Status] = {}
    for activity in roadmap.activities.values():
        kept = judged[activity.id]
        fixed, findings, figures = kept.draft
        # a red dependency makes its dependants amber; this rule never makes red, so one pass will do
        red = [roadmap.activities[dep].title for dep in activity.depends_on if shown.get(dep) == "red"] \
            if fixed is None else []
        if activity.id in again or kept.red != red:
            if red:
                findings = (*findings, ("amber", lambda red=red: f"depends on {_names(red)}, "
                                                                f"{'which is' if len(red) == 1 else 'which are'} red"))
            kept = kept._replace(red=red, status=_finish(fixed, list(findings), figures, kept.tracked, explain))
        statuses[activity.id] = kept.status
        judged[activity.id] = kept
    return statuses, work, judged


def _activity_draft(activity, tracked: Tracked, scheduled: ScheduledActivity | None, today: date,
                    rules: StatusRules, standup, calendar: WorkCalendar) -> tuple:
    """(the draft: a fixed colour or None, the findings before the rule of the red dependency, the
    figures; the colour it shows before that rule; its work, None when cancelled)."""
    progress = activity_progress(tracked, scheduled)
    expected = expected_progress(scheduled, today, calendar) if scheduled else None
    fixed, findings = _activity_findings(tracked, scheduled, progress, expected, today, rules)
    stale = staleness(standup, activity, tracked, scheduled, today) if fixed is None else None
    if stale is not None:  # a missed stand-up is a fact (engine/rhythm.py)
        findings.append(("amber", stale.reason))
    work = _activity_work(scheduled, progress, expected) if tracked.status != "cancelled" else None
    return (fixed, tuple(findings), (expected, progress)), fixed or tracked.rag or _worst_colour(findings), work


def _activity_findings(tracked: Tracked, scheduled: ScheduledActivity | None,
                       progress: float | None, expected: float | None, today: date,
                       rules: StatusRules) -> tuple[str | None, list[Finding]]:
    """(a fixed colour "complete"/"cancelled" or None, the rules that fired)."""
    if tracked.status == "done":
        return "complete", [(NOTE, "done")]
    if tracked.status == "cancelled":
        return "cancelled", [(NOTE, "cancelled")]
    findings: list[Finding] = []
    if tracked.status in ("blocked", "paused"):
        findings.append(("red", tracked.status))
    if scheduled is None:
        findings.append((NOTE, "not scheduled, so not judged against dates"))
        return None, findings
    findings += _date_findings(scheduled, progress, expected, today, rules)
    findings += _late_findings(scheduled, today, rules)
    if not any(colour in RANK for colour, _ in findings):
        findings.append(("green", lambda: _on_track(scheduled, progress, expected, today)))
    if progress is None and not scheduled.target_only and today >= scheduled.start:
        findings.append((NOTE, lambda: _unreported(tracked, scheduled)))  # only once it could have begun
    return None, findings


def _date_findings(scheduled: ScheduledActivity, progress: float | None, expected: float | None, today: date,
                   rules: StatusRules) -> list[Finding]:
    """The facts of the calendar: a date passed (its own due, else its planned end), a target date
    near, or reported progress behind the straight path from its planned start to its end."""
    what, due = "milestone " if scheduled.milestone else "", scheduled.due
    if due is not None and today > due:
        return [("red", lambda: f"{what}due {due}, not done" + _done_part(progress, scheduled))]
    if due is None and today > scheduled.end:
        if scheduled.milestone:
            return [("red", lambda: f"milestone planned for {scheduled.end}, not done")]
        return [("red", lambda: f"planned to end {scheduled.end}, {_progress_words(progress)}")]
    if scheduled.target_only:
        left = (scheduled.end - today).days
        if left <= rules.due_soon_days:
            return [("amber", lambda: f"due {scheduled.end} ({_in_days(left)}), not done"
                                      + _done_part(progress, scheduled))]
        return []
    if progress is None or expected is None or scheduled.milestone:
        return []  # nothing reported to hold against a path; a milestone is held to its date alone
    behind = expected - progress
    colour = "red" if behind >= rules.red_behind else "amber" if behind >= rules.amber_behind else None
    if colour is None:
        return []
    return [(colour, lambda: f"{_pct(progress)}% done, {_pct(expected)}% expected by {today} "
                             f"({_pct(behind)} points behind)")]


def _late_findings(scheduled: ScheduledActivity, today: date, rules: StatusRules) -> list[Finding]:
    """The forecast passes a deadline, amber up to `red_late_days` working days, then red; an own
    due already passed is said by the date rule."""
    if scheduled.late_by <= 0:
        return []
    if scheduled.deadline_of == "own" and scheduled.deadline is not None and today > scheduled.deadline:
        return []
    colour = "red" if scheduled.late_by > rules.red_late_days else "amber"
    return [(colour, lambda: _late(scheduled))]


def _late(scheduled: ScheduledActivity) -> str:
    if scheduled.deadline_of == "own":
        whose = "its due date"
    else:
        whose = f"its {scheduled.deadline_of}'s deadline" if scheduled.deadline_of else "its deadline"
    driver = " (its dependencies push it)" if scheduled.forecast_assumed and scheduled.driver else ""
    return (f"forecast to end {scheduled.forecast_end}, {_days(scheduled.late_by)} after "
            f"{whose} {scheduled.deadline}{driver}")


def _on_track(scheduled, progress, expected, today) -> str:
    if scheduled.target_only:
        return f"no start date: judged on its due date {scheduled.end}"
    if scheduled.milestone and scheduled.due is not None:
        return f"milestone due {scheduled.due}, forecast {scheduled.forecast_end}"
    if scheduled.milestone:
        if scheduled.forecast_end > scheduled.end and scheduled.deadline:
            whose = "it is due" if scheduled.deadline_of == "own" else f"its {scheduled.deadline_of} is due"
            return (f"milestone planned for {scheduled.end}, now forecast {scheduled.forecast_end}: still "
                    f"{_days(scheduled.total_slack)} before {whose} ({scheduled.deadline})")
        return f"milestone planned for {scheduled.end}"
    if today < scheduled.start and not progress:
        return f"not started, starts {scheduled.start}"
    if progress is None or expected is None:
        return f"planned {scheduled.start} to {scheduled.end}"
    return f"on track: {_pct(progress)}% done, {_pct(expected)}% expected by {today}"


def _unreported(tracked: Tracked, scheduled: ScheduledActivity) -> str:
    """What is not known, and what the verdict rests on instead."""
    since = f" (last update {tracked.last_update})" if tracked.last_update else ""
    if scheduled.forecast_assumed:
        return f"no progress reported{since}: judged on its dates, forecast to keep to its plan"
    return f"no progress reported{since}: judged on its dates"


def _activity_work(scheduled, progress, expected) -> _Work:
    total = work_weight(scheduled)
    done = total * (progress or 0.0) / 100.0  # unknown progress adds no reported work
    unreported = 1 if progress is None else 0
    if expected is None:
        return _Work(total, done, items=1, unreported=unreported)
    return _Work(total, done, total * expected / 100.0, total, 1, unreported)


# ---------------------------------------------------------------------------------------------
# strategies and goals


def _strategy_statuses(roadmap, tracking, schedule, activities, work, rules, explain):
    children: dict[str, list[str]] = {sid: [] for sid in roadmap.strategies}
    for activity in roadmap.activities.values():
        if activity.strategy in children:
            children[activity.strategy].append(activity.id)
    statuses: dict[str, Status] = {}
    strategy_work: dict[str, _Work] = {}
    for strategy in roadmap.strategies.values():
        ids = children[strategy.id]
        total = _sum(work[aid] for aid in ids if aid in work)
        kids = [_Child("activity", aid, activities[aid].rag, _remaining(activities[aid], work.get(aid)),
                       roadmap.activities[aid].title) for aid in ids]
        late = _span_findings(schedule.strategies.get(strategy.id), strategy.due, rules)
        statuses[strategy.id] = _rolled_up(tracking.strategies[strategy.id], kids, late, [], total, rules, explain)
        if statuses[strategy.id].rag != "cancelled":
            strategy_work[strategy.id] = total
    return statuses, strategy_work


def _goal_statuses(roadmap, tracking, schedule, today, activities, strategies, work, strategy_work, rules, explain):
    kids: dict[str, list[_Child]] = {gid: [] for gid in roadmap.goals}
    totals: dict[str, _Work] = {gid: _Work() for gid in roadmap.goals}
    for strategy in roadmap.strategies.values():
        if strategy.goal in kids:
            status = strategies[strategy.id]
            total = strategy_work.get(strategy.id, _Work())
            remaining = 0.0 if status.rag == "complete" else max(total.remaining, 0.0)
            kids[strategy.goal].append(_Child("strategy", strategy.id, status.rag, remaining, strategy.title))
            totals[strategy.goal] = totals[strategy.goal] + total
    for activity in roadmap.activities.values():
        if activity.strategy in roadmap.strategies or activity.goal not in kids:
            continue
        status = activities[activity.id]
        kids[activity.goal].append(_Child("activity", activity.id, status.rag,
                                          _remaining(status, work.get(activity.id)), activity.title))
        totals[activity.goal] = totals[activity.goal] + work.get(activity.id, _Work())
    statuses: dict[str, Status] = {}
    expected: dict[str, float | None] = {}
    for goal in roadmap.goals.values():
        tracked = tracking.goals[goal.id]
        span = schedule.goals.get(goal.id)
        start = metric_start(roadmap, goal, span)
        expected[goal.id] = metric_expected(goal, start, today)
        late = _span_findings(span, goal.due, rules)
        judged = _metric_findings(goal, tracked, start, today, rules)
        unmeasured = goal.metric.name if goal.metric and tracked.metric is None else None
        statuses[goal.id] = _rolled_up(tracked, kids[goal.id], late, judged, totals[goal.id], rules, explain,
                                       unmeasured)
    return statuses, expected


def _rolled_up(tracked: Tracked, kids: list[_Child], late: list[Finding], metric: list[Finding],
               work: _Work, rules: StatusRules, explain: bool, unmeasured: str | None = None) -> Status:
    """A strategy's or goal's status from its own state, its children, its forecast and its metric.

    `unmeasured` names a goal's metric that has no current value: finished work alone does not
    show that the goal is met."""
    base = (work.expected_progress(), work.progress(), work.items, work.unreported)
    if tracked.status == "done":
        return _finish("complete", [(NOTE, "done")], base, tracked, explain)
    if tracked.status == "cancelled":
        return _finish("cancelled", [(NOTE, "cancelled")], base, tracked, explain)
    findings: list[Finding] = [("red", "paused")] if tracked.status == "paused" else []
    complete, rollup = _rollup(kids, rules)
    # once the work is finished a late forecast no longer matters; the metric still does
    findings += rollup + ([] if complete else late) + metric
    if complete and unmeasured:
        findings.append(("amber", f"all its work is done, but {unmeasured} has no current value to show "
                                  "that the target is met"))
    if complete and not any(colour in RANK for colour, _ in findings):
        return _finish("complete", findings, base, tracked, explain)
    return _finish(None, findings, base, tracked, explain)


def _rollup(kids: list[_Child], rules: StatusRules) -> tuple[bool, list[Finding]]:
    """(all children complete, the findings of the roll-up) in the mode of `rules.rollup`."""
    live = [k for k in kids if k.rag != "cancelled"]
    if not live:
        if kids:
            return False, [(NOTE, f"{_every(kids)} is cancelled ({_tally(kids)})")]
        return False, [(NOTE, "nothing planned under it yet")]
    open_ = [k for k in live if k.rag != "complete"]
    if not open_:
        return True, [(NOTE, f"{_every(kids)} is complete or cancelled ({_tally(kids)})")]
    if rules.rollup == "weighted":
        total = sum(k.remaining for k in open_)
        if total > 0:
            return False, _weighted(live, open_, total)
        return False, _worst(live) + [(NOTE, "no remaining work to weigh, so the worst child counts")]
    return False, _worst(live)


def _worst(live: list[_Child]) -> list[Finding]:
    findings: list[Finding] = []
    for colour in ("red", "amber"):
        for kind in ("strategy", "activity"):
            of_kind = [k for k in live if k.kind == kind]
            hit = [k.title or k.id for k in of_kind if k.rag == colour]
            if hit:
                verb = "is" if len(hit) == 1 else "are"
                findings.append((colour, f"{len(hit)} of {_count(len(of_kind), kind)} {verb} {colour}: "
                                         f"{_names(hit)}"))
    if not findings:
        findings.append(("green", _tally(live)))
    return findings


def _weighted(live: list[_Child], open_: list[_Child], total: float) -> list[Finding]:
    red = [k for k in open_ if k.rag == "red"]
    poor = [k for k in open_ if k.rag in ("red", "amber")]
    red_share = sum(k.remaining for k in red) / total
    poor_share = sum(k.remaining for k in poor) / total
    noun = _plural_noun(live)
    if red_share >= WEIGHTED_SHARE:
        return [("red", _share_sentence(f"red {noun} hold", red, red_share, total))]
    if poor_share >= WEIGHTED_SHARE:
        return [("amber", _share_sentence(f"amber or red {noun} hold", poor, poor_share, total))]
    findings: list[Finding] = [("green", _tally(live))]
    if poor:
        findings.append((NOTE, _share_sentence(f"amber or red {noun} hold only", poor, poor_share, total)))
    return findings


def _share_sentence(lead: str, kids: list[_Child], share: float, total: float) -> str:
    part = sum(k.remaining for k in kids)
    return (f"{lead} {_pct(100 * share)}% of the remaining work ({_num(part)} of {_days(total)}): "
            f"{_names([k.title or k.id for k in kids])}")


def _remaining(status: Status, work: _Work | None) -> float:
    if work is None or status.rag in ("complete", "cancelled"):
        return 0.0
    return max(work.remaining, 0.0)


def _span_findings(span: Span | None, due: date, rules: StatusRules) -> list[Finding]:
    if span is None or span.late_by <= 0:
        return []
    colour = "red" if span.late_by > rules.red_late_days else "amber"
    return [(colour, f"forecast to end {span.forecast_end}, {_days(span.late_by)} after its due date {due}")]


# ---------------------------------------------------------------------------------------------
# the goal's metric


def metric_start(roadmap: Roadmap, goal: Goal, span: Span | None = None) -> date | None:
    """Where a goal's metric path begins: the goal's start, else the roadmap's, else its first activity's."""
    return goal.start or roadmap.config.start or (span.start if span else None)


def metric_expected(goal: Goal, start: date | None, today: date) -> float | None:
    """The metric's value on the straight path from baseline at `start` to target at the due date."""
    metric = goal.metric
    if metric is None or start is None:
        return None
    length = (goal.due - start).days
    if length <= 0:
        share = 1.0 if today >= goal.due else 0.0
    else:
        share = min(max((today - start).days / length, 0.0), 1.0)
    return metric.baseline + (metric.target - metric.baseline) * share


def metric_shortfall(goal: Goal, current: float, expected: float) -> float | None:
    """How far `current` is behind `expected`, in percent of the whole change (negative: ahead)."""
    metric = goal.metric
    change = abs(metric.target - metric.baseline)
    if change == 0:
        return None
    sign = 1.0 if metric.direction == "increase" else -1.0
    return 100.0 * sign * (expected - current) / change


def _metric_findings(goal: Goal, tracked: Tracked, start: date | None, today: date,
                     rules: StatusRules) -> list[Finding]:
    metric = goal.metric
    if metric is None:
        return []
    name, current = metric.name, tracked.metric
    if current is None:
        return [(NOTE, f"{name} has no current value yet")]
    expected = metric_expected(goal, start, today)
    if expected is None:
        return [(NOTE, f"{name} is {_value(current, metric.unit)}; the goal has no start date to draw a path from")]
    shortfall = metric_shortfall(goal, current, expected)
    if shortfall is None:
        return [(NOTE, f"{name} is {_value(current, metric.unit)}; its target equals its baseline, "
                       f"so there is no path to judge it against")]
    precision = places_of(metric.baseline, metric.target, current)
    said = (f"{name} is {_value(current, metric.unit)}, {_value(expected, metric.unit, precision)} expected by {today}")
    colour = "red" if shortfall >= rules.red_behind else "amber" if shortfall >= rules.amber_behind else None
    if colour is None:
        return [(NOTE, f"{said}: on the path")]
    return [(colour, f"{said}: {_pct(shortfall)}% of the change from {_value(metric.baseline, metric.unit)} "
                     f"to {_value(metric.target, metric.unit)} behind the path")]


# ---------------------------------------------------------------------------------------------
# verdicts


def _finish(fixed: str | None, findings: list[Finding], figures: tuple, tracked: Tracked,
            explain: bool = True) -> Status:
    """The Status for an item's findings; a colour set by hand overrides all but complete/cancelled.

    `figures` is (expected progress, progress[, activities counted, of those unreported]).
    """
    rag = fixed or _worst_colour(findings)
    reasons = _reasons(findings, rag) if explain else ()
    if fixed or tracked.rag is None:
        return Status(rag, reasons, False, None, (), *figures)
    return Status(tracked.rag, (_manual_reason(tracked),) if explain else (), True, rag, reasons, *figures)


def _worst_colour(findings: list[Finding]) -> str:
    worst = "green"
    for colour, _ in findings:
        if colour == "red":
            return "red"
        if colour == "amber":
            worst = "amber"
    return worst


def _reasons(findings: list[Finding], rag: str) -> tuple[str, ...]:
    """The findings' reasons, worst first, then notes; green ones only when the verdict is green."""
    levels = ("red", "amber", "green", NOTE) if rag in ("green", "complete", "cancelled") else ("red", "amber", NOTE)
    return tuple(reason if isinstance(reason, str) else reason()
                 for level in levels for colour, reason in findings if colour == level)


def _manual_reason(tracked: Tracked) -> str:
    if tracked.rag_reason:
        return tracked.rag_reason
    source = tracked.sources.get("rag", "file")
    return f"set to {tracked.rag} by hand" + ("" if source == "file" else f" in update {source}")


def _sum(works: Iterable[_Work]) -> _Work:
    """`_Work() + work + work …`, added in the same order (so the same floats), without a `_Work`
    per step."""
    total = done = expected = expected_total = 0.0
    items = unreported = 0
    for work in works:
        total, done, expected = total + work.total, done + work.done, expected + work.expected
        expected_total, items, unreported = (expected_total + work.expected_total, items + work.items,
                                             unreported + work.unreported)
    return _Work(total, done, expected, expected_total, items, unreported)


# ---------------------------------------------------------------------------------------------
# wording


def _tally(kids: list[_Child]) -> str:
    """'5 activities: 3 green, 2 complete' (per kind, joined with '; ')."""
    parts = []
    for kind in ("strategy", "activity"):
        of_kind = [k for k in kids if k.kind == kind]
        if of_kind:
            counts = [f"{sum(1 for k in of_kind if k.rag == c)} {c}" for c in RAG_KEYS
                      if any(k.rag == c for k in of_kind)]
            parts.append(f"{_count(len(of_kind), kind)}: {', '.join(counts)}")
    return "; ".join(parts)


def _every(kids: list[_Child]) -> str:
    kinds = [kind for kind in ("strategy", "activity") if any(k.kind == kind for k in kids)]
    return "every " + " and ".join(kinds)


def _plural_noun(kids: list[_Child]) -> str:
    kinds = {k.kind for k in kids}
    return plural(kinds.pop()) if len(kinds) == 1 else "items"


def _count(n: int, kind: str) -> str:
    return f"{n} {plural(kind, n)}"


def _names(titles: list[str]) -> str:
    """'‘A’, ‘B’ and 3 more': quoted, since titles may hold commas."""
    quoted = [f"‘{title}’" for title in titles[:NAMES_SHOWN]]
    more = f" and {len(titles) - NAMES_SHOWN} more" if len(titles) > NAMES_SHOWN else ""
    return ", ".join(quoted) + more


def _progress_words(progress: float | None) -> str:
    return "no progress reported" if progress is None else f"{_pct(progress)}% done"


def _done_part(progress: float | None, scheduled: ScheduledActivity) -> str:
    """', 40% done' where a partial figure was reported; nothing for a milestone or an unknown."""
    return f", {_pct(progress)}% done" if progress and not scheduled.milestone else ""


def _in_days(days: int) -> str:
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


def _days(n: float) -> str:
    return f"{_num(n)} working day" + ("" if n == 1 else "s")


def _pct(value: float | None) -> str:
    return _num(value if value is not None else 0.0, places=1)


def _num(value: float, places: int = 2) -> str:
    text = f"{value:,.{places}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def _value(value: float, unit: str | None, places: int = 2) -> str:
    return quantity(value, unit, places)


# ---------------------------------------------------------------------------------------------
# history mode: the same rules, for the colours and the work done only


@dataclass(frozen=True, slots=True)
class PointFigures:
    """How many items of each kind have each colour, and the work reported done, at one date."""

    today: date
    activities: dict[str, int]
    strategies: dict[str, int]
    goals: dict[str, int]
    done_days: float
    total_days: float
    completion: float | None
    colours: Mapping[str, str] = field(default_factory=dict)  # "kind:id" → its colour (the rhythm's before → after)


_COLOUR_OF = ("green", "amber", "red")  # by RANK
_COLOUR_SET = frozenset(COLOURS)


class PointJudge:
    """The colours and work done of a roadmap at any date, from one plan: history's points, judged
    without a `Status`, a reason or a `ScheduledActivity` per item.

    It applies this module's rules (an activity's state, dates, progress and deadline, the rule
    of the red dependency, the roll-ups, spans and metric of strategies and goals) to the plan
    forecast at the date, and gives exactly the counts and figures of `compute_status` on a full
    schedule (tests/unit/test_history.py compares them at every date of random roadmaps). What no
    date changes is worked out once, here; items are numbered by their position in the roadmap.

    `work_at` keeps what it worked out (`PointWork`); `again` judges the same date of a roadmap
    that differs from that work's in a few items (`changes_since`) from it, judging again only
    what those items can move (tests/site/test_history_incremental.py compares it with `work_at`).
    """

    def __init__(self, roadmap: Roadmap, plan: Plan):
        self.roadmap, self.plan, self.rules = roadmap, plan, roadmap.config.status
        activities = self.activities = list(roadmap.activities.values())
        self.ids = [a.id for a in activities]
        index = {aid: i for i, aid in enumerate(self.ids)}
        self.in_order = [index[aid] for aid in plan.order]  # roadmap position of each topological one
        self.milestones = [a.is_milestone for a in activities]
        self.statics = [self._static(a) for a in activities]
        self.weights = [s[-1] for s in self.statics]
        self.depends = [(i, deps) for i, deps in
                        enumerate(tuple(index[d] for d in a.depends_on if d in index) for a in activities) if deps]
        strategy_slot = {sid: n for n, sid in enumerate(roadmap.strategies)}
        goal_slot = {gid: n for n, gid in enumerate(roadmap.goals)}
        self.strategy_members: list[list[tuple[int, int]]] = [[] for _ in roadmap.strategies]
        for i, a in enumerate(activities):  # (position in the roadmap, in the plan), in the roadmap's order
            if a.strategy in strategy_slot:
                self.strategy_members[strategy_slot[a.strategy]].append((i, plan.positions.at[a.id]))
        self.goal_members: list[list[tuple[int, int]]] = [[] for _ in roadmap.goals]  # the goal's span
        self.goal_kids: list[list[int]] = [[] for _ in roadmap.goals]
        for i, a in enumerate(activities):
            if plan.goal_of[a.id] in goal_slot:
                self.goal_members[goal_slot[plan.goal_of[a.id]]].append((i, plan.positions.at[a.id]))
            if a.strategy not in strategy_slot and a.goal in goal_slot:
                self.goal_kids[goal_slot[a.goal]].append(i)
        self.strategies_of_goal: list[list[int]] = [[] for _ in roadmap.goals]
        for n, strategy in enumerate(roadmap.strategies.values()):
            if strategy.goal in goal_slot:
                self.strategies_of_goal[goal_slot[strategy.goal]].append(n)
        cal = plan.calendar
        self.strategy_due = [cal.last_index(s.due) for s in roadmap.strategies.values()]
        self.goal_due = [cal.last_index(g.due) for g in roadmap.goals.values()]
        self.metric_starts = self._metric_starts()
        self.strategy_ids, self.goal_ids = list(roadmap.strategies), list(roadmap.goals)
        self.goals = list(roadmap.goals.values())
        self._last_progress: tuple[list[Tracked], list[float | None]] | None = None  # (tracked, progress)
        self.keys = {"activity": [f"activity:{aid}" for aid in self.ids],
                     "strategy": [f"strategy:{sid}" for sid in roadmap.strategies],
                     "goal": [f"goal:{gid}" for gid in roadmap.goals]}

    def rebased(self, roadmap: Roadmap, plan: Plan, items: set[tuple[str, str]]) -> PointJudge | None:
        """`PointJudge(roadmap, plan)`, made from this judge when `roadmap` is another version of
        its roadmap that differs in `items` (`history.changed_items`) and `plan` was made from its
        plan by `schedule.replan` (the same order): only the changed activities, and those whose
        plan moved, are looked at again. None when more differs (the settings, the ids, a goal or a
        strategy, a changed activity's dependencies, home or kind): then a judge is made afresh."""
        from roadmapgen.engine.schedule import same_items

        mine, index = self.roadmap, self._index
        changed = sorted(index[aid] for kind, aid in items if kind == "activity" and aid in index)
        if (plan.order is not self.plan.order or plan.calendar is not self.plan.calendar
                or (roadmap.config is not mine.config and roadmap.config != mine.config)
                or not same_items(mine.goals, roadmap.goals) or not same_items(mine.strategies, roadmap.strategies)
                or roadmap.activities.keys() != mine.activities.keys()
                or any(not _same_place(self.activities[i], roadmap.activities[self.ids[i]]) for i in changed)):
            return None
        judge = copy(self)
        judge.roadmap, judge.plan, judge._last_progress = roadmap, plan, None
        judge.activities = list(map(roadmap.activities.__getitem__, self.ids))
        before, after = self.plan.positions, plan.positions
        moved = {self.in_order[p] for p in (*_differ(after.start, before.start), *_differ(after.end, before.end),
                                            *_differ(after.length, before.length))}
        statics, weights = judge.statics, judge.weights = self.statics[:], self.weights[:]
        for i in moved.union(changed):
            statics[i] = judge._static(judge.activities[i])
            weights[i] = statics[i][-1]
        if moved:  # a metric's path begins at its work's start only when no start is written (replan plans those afresh)
            judge.metric_starts = judge._metric_starts()
        return judge

    @cached_property
    def _index(self) -> dict[str, int]:
        return {aid: i for i, aid in enumerate(self.ids)}

    def _static(self, activity) -> tuple:
        """(position in the plan, start, end, its index, length, milestone, target only, due, the
        date it is held to, the index of its deadline, its weight in completion)."""
        plan, cal, aid = self.plan, self.plan.calendar, activity.id
        start, end, length = plan.start[aid], plan.end[aid], plan.length[aid]
        target_only, deadline = plan.reason[aid] == "target", plan.deadline[aid]
        return (plan.positions.at[aid], cal.day(start), cal.day(end), start, length, activity.is_milestone,
                target_only, activity.due, activity.due or cal.day(end),
                cal.last_index(deadline[0]) if deadline else None,
                1.0 if target_only or length <= 0 else float(length))

    def _metric_starts(self) -> list[date | None]:
        """Where each goal's metric path begins (`metric_start`, its span's planned start known)."""
        from roadmapgen.engine.schedule import Span

        cal, starts = self.plan.calendar, self.plan.positions.start
        spans = [Span(cal.day(min(starts[p] for _, p in members)) if members else None, None, None, 0)
                 for members in self.goal_members]
        return [metric_start(self.roadmap, goal, span) for goal, span in zip(self.roadmap.goals.values(), spans)]

    def at(self, tracking: Tracking, today: date) -> PointFigures:
        """The figures of `compute_status` as of `today`, given the tracking as of `today`."""
        return self.work_at(tracking, today).figures

    def work_at(self, tracking: Tracking, today: date) -> PointWork:
        """`at`'s figures, with what they were worked out from."""
        from roadmapgen.engine.schedule import forecast

        tracked = list(map(tracking.activities.__getitem__, self.ids))  # lookups in C: 10,000s a point
        statuses = [t.status for t in tracked]
        progress = self._progress(tracked)
        in_order = self.in_order
        _, ends = forecast(self.plan.positions, list(map(statuses.__getitem__, in_order)),
                           list(map(progress.__getitem__, in_order)), self.plan.calendar.index(today))
        count = len(tracked)
        own, judged = [""] * count, [False] * count
        self._own_colours(range(count), tracked, progress, ends, today, own, judged)
        colours = own[:]
        for i, deps in self.depends:
            if judged[i] and any(own[d] == "red" for d in deps):
                colours[i] = "amber"  # never red, and red is what it reads: one pass will do
        done = [w * (p or 0.0) / 100.0 for w, p in zip(self.weights, progress)]
        strategy_tracked = [tracking.strategies[sid] for sid in self.strategy_ids]
        strategies = [self._strategy(n, t, statuses, colours, done, ends) for n, t in enumerate(strategy_tracked)]
        goal_tracked = [tracking.goals[gid] for gid in self.goal_ids]
        strategy_colours, strategy_left = [c for c, _ in strategies], [left for _, left in strategies]
        goals = [self._goal(n, t, today, statuses, colours, done, ends, strategy_colours, strategy_left)
                 for n, t in enumerate(goal_tracked)]
        each = {**dict(zip(self.keys["activity"], colours)), **dict(zip(self.keys["strategy"], strategy_colours)),
                **dict(zip(self.keys["goal"], goals))}
        figures = self._figures(today, statuses, progress, done, _tally_colours(colours),
                                _tally_colours(strategy_colours), _tally_colours(goals), each)
        return PointWork(self, figures, tracked, statuses, progress, ends, own, judged, colours, done,
                         strategy_tracked, strategy_colours, strategy_left, goal_tracked, goals)

    def _progress(self, tracked: list[Tracked]) -> list[float | None]:
        """Each activity's effective progress; the last point's where its tracked state is the same
        object (history's replay keeps an item's state until an update reaches it)."""
        last = self._last_progress
        if last is None:
            progress = [effective_progress(t, m) for t, m in zip(tracked, self.milestones)]
        else:
            progress = [p if t is before else effective_progress(t, m)
                        for t, m, before, p in zip(tracked, self.milestones, *last)]
        self._last_progress = (tracked, progress)
        return progress

    def _figures(self, today, statuses, progress, done, activities, strategies, goals, each) -> PointFigures:
        live = [status != "cancelled" for status in statuses]
        # added one by one in the roadmap's order, as compute_status does (not `sum`, which may
        # compensate); reduce and compress keep the loop in C: this runs at every point of a save
        total, finished = reduce(add, compress(self.weights, live), 0.0), reduce(add, compress(done, live), 0.0)
        items, unreported = live.count(True), list(compress(progress, live)).count(None)
        completion = None if not total or unreported == items else 100.0 * finished / total
        return PointFigures(today, activities, strategies, goals, finished, total, completion, each)

    def _own_colours(self, which: Iterable[int], tracked, progress, ends, today, own: list[str],
                     judged: list[bool]) -> None:
        """Each activity's colour by its own findings, into `own`, for the activities `which`;
        `judged`: green by the rules, so that the rule of the red dependency may make it amber."""
        rules = self.rules
        due_soon, red_behind, amber_behind, red_late = (rules.due_soon_days, rules.red_behind, rules.amber_behind,
                                                        rules.red_late_days)
        yesterday = self.plan.calendar.last_index(today - timedelta(days=1))
        standup, statics = self.roadmap.config.checkins.standup, self.statics
        for i in which:
            t, p, s = tracked[i], progress[i], statics[i]
            status = t.status
            if status == "done" or status == "cancelled":
                own[i], judged[i] = "complete" if status == "done" else "cancelled", False
                continue
            position, start, end, start_index, length, milestone, target_only, due, committed, deadline, _ = s
            rank = 2 if status == "blocked" or status == "paused" else 0
            if due is not None and today > due:
                rank = 2
            elif due is None and today > end:
                rank = 2
            elif target_only:
                if rank < 1 and (end - today).days <= due_soon:
                    rank = 1
            elif p is not None and not milestone:
                if length <= 0:
                    expected = 100.0 if today >= committed else 0.0
                elif today <= start:
                    expected = 0.0
                elif today > end:
                    expected = 100.0
                else:
                    expected = min(100.0, 100.0 * (yesterday - start_index + 1) / length)
                behind = expected - p
                if behind >= red_behind:
                    rank = 2
                elif behind >= amber_behind and rank < 1:
                    rank = 1
            if deadline is not None and rank < 2:  # (an own due already passed is red by the date rule)
                late_by = ends[position] - deadline
                if late_by > 0:
                    rank = 2 if late_by > red_late else 1
            if rank < 1 and standup is not None and \
                    stale_since(standup, self.activities[i], t, start, target_only, today) is not None:
                rank = 1  # a missed stand-up is a fact (engine/rhythm.py), as in compute_status
            if t.rag is not None:
                own[i], judged[i] = t.rag, False
            else:
                own[i], judged[i] = _COLOUR_OF[rank], rank == 0

    def _strategy(self, n: int, tracked: Tracked, statuses, colours, done, ends) -> tuple[str, float]:
        """The colour of the strategy in slot `n`, and its work left (weighted working days)."""
        weighted, weights = self.rules.rollup == "weighted", self.weights
        kids, last, total, finished = [], None, 0.0, 0.0
        for k, position in self.strategy_members[n]:
            colour = colours[k]
            if statuses[k] == "cancelled":
                kids.append((colour, 0.0))
                continue
            if last is None or ends[position] > last:
                last = ends[position]
            if weighted:
                w, d = weights[k], done[k]
                total, finished = total + w, finished + d
                kids.append((colour, 0.0 if colour == "complete" or colour == "cancelled" or d >= w else w - d))
            else:
                kids.append((colour, 0.0))  # the worst colour rolls up: work left is not weighed
        colour = _rolled_colour(tracked, kids, self._late(last, self.strategy_due[n]), 0, False, self.rules)
        return colour, 0.0 if colour == "cancelled" else total - finished

    def _goal(self, n: int, tracked: Tracked, today, statuses, colours, done, ends, strategies,
              strategy_left) -> str:
        """The colour of the goal in slot `n`."""
        weighted, weights = self.rules.rollup == "weighted", self.weights
        kids = [(strategies[m], 0.0 if strategies[m] == "complete" else max(strategy_left[m], 0.0))
                for m in self.strategies_of_goal[n]]
        for k in self.goal_kids[n]:  # activities that serve it directly
            colour, w, d = colours[k], weights[k], done[k]
            left = 0.0 if not weighted or statuses[k] == "cancelled" or colour in ("complete", "cancelled") \
                else max(w - d, 0.0)
            kids.append((colour, left))
        last = None
        for k, position in self.goal_members[n]:  # its span: every activity under it, not cancelled
            if statuses[k] != "cancelled" and (last is None or ends[position] > last):
                last = ends[position]
        goal = self.goals[n]
        metric = _metric_rank(goal, tracked, self.metric_starts[n], today, self.rules)
        unmeasured = goal.metric is not None and tracked.metric is None
        return _rolled_colour(tracked, kids, self._late(last, self.goal_due[n]), metric, unmeasured, self.rules)

    def _late(self, last: int | None, due: int) -> int:
        """The rank a span's lateness adds: its latest live forecast end against its due."""
        late_by = last - due if last is not None else 0
        return 0 if late_by <= 0 else 2 if late_by > self.rules.red_late_days else 1

    # -- judging a date again, after a few items changed ------------------------------------------

    def changes_since(self, previous: PointJudge, items: Iterable[tuple[str, str]]) -> PointChanges | None:
        """What differs for a point between `previous`'s roadmap and this one, given `items`, the
        (kind, id) of every item whose tracked state or fields may differ: the activities, strategies
        and goals to judge again (those, and those whose plan moved) and the plan's positions to
        forecast again (theirs and every one after them). None when more differs than `again`
        follows: the items, their order, a dependency, a membership, the rules or the plan's order."""
        if not self._same_shape(previous):
            return None
        items = set(items)
        plan, before = self.plan.positions, previous.plan.positions
        activities = {i for i, aid in enumerate(self.ids) if ("activity", aid) in items}
        activities.update(_differ(self.statics, previous.statics))
        activities.update(self.in_order[p] for p in (*_differ(plan.start, before.start), *_differ(plan.end, before.end),
                                                     *_differ(plan.length, before.length)))
        strategies = {n for n, sid in enumerate(self.strategy_ids) if ("strategy", sid) in items}
        strategies.update(_differ(self.strategy_due, previous.strategy_due))
        goals = {n for n, gid in enumerate(self.goal_ids) if ("goal", gid) in items}
        goals.update(_differ(self.goal_due, previous.goal_due))
        goals.update(_differ(self.metric_starts, previous.metric_starts))
        return PointChanges(sorted(activities), sorted(strategies), sorted(goals),
                            self._downstream(self.statics[i][0] for i in activities))

    def _same_shape(self, previous: PointJudge) -> bool:
        """Whether everything but the items' own figures and dates is the same as `previous`'s."""
        mine, theirs = self.roadmap, previous.roadmap
        return (self.ids == previous.ids and self.in_order == previous.in_order and self.depends == previous.depends
                and list(mine.strategies) == list(theirs.strategies) and list(mine.goals) == list(theirs.goals)
                and self.strategy_members == previous.strategy_members and self.goal_members == previous.goal_members
                and self.goal_kids == previous.goal_kids and self.strategies_of_goal == previous.strategies_of_goal
                and self.plan.positions.deps == previous.plan.positions.deps
                and (mine.config is theirs.config or mine.config == theirs.config))

    def _downstream(self, positions: Iterable[int]) -> list[int]:
        """These positions in the plan and every one that depends on them, however far, in order."""
        after: dict[int, list[int]] = {}
        for p, deps in enumerate(self.plan.positions.deps):
            for d in deps:
                after.setdefault(d, []).append(p)
        found, waiting = set(), list(positions)
        while waiting:
            p = waiting.pop()
            if p not in found:
                found.add(p)
                waiting.extend(after.get(p, ()))
        return sorted(found)

    def again(self, work: PointWork, changes: PointChanges, tracking: Tracking, today: date) -> PointWork:
        """The work of `work_at(full tracking, today)`, from `work` (the same date, of a roadmap
        from which this one differs by `changes`); `tracking` need hold only the changed items."""
        ids = self.ids
        tracked, statuses, progress, done = work.tracked[:], work.statuses[:], work.progress[:], work.done[:]
        for i in changes.activities:
            t = tracked[i] = tracking.activities.get(ids[i], tracked[i])  # moved by its plan alone: as it was
            statuses[i], progress[i] = t.status, effective_progress(t, self.milestones[i])
            done[i] = self.weights[i] * (progress[i] or 0.0) / 100.0
        ends, judge = work.ends, set(changes.activities)
        if changes.positions:
            ends = ends[:]
            for p, end in zip(changes.positions, self._forecast_again(changes.positions, ends, statuses, progress,
                                                                      today)):
                if end != ends[p]:
                    ends[p] = end
                    judge.add(self.in_order[p])
        own, judged, colours = work.own[:], work.judged[:], work.colours[:]
        self._own_colours(sorted(judge), tracked, progress, ends, today, own, judged)
        recolour = set(judge)  # and those whose red dependency came or went
        for i in judge:
            if (own[i] == "red") != (work.own[i] == "red"):
                recolour.update(self._dependants.get(i, ()))
        for i in recolour:
            deps = self._deps_of.get(i, ())
            colours[i] = "amber" if judged[i] and any(own[d] == "red" for d in deps) else own[i]
        return self._roll_up_again(work, changes, tracking, today, (tracked, statuses, progress, ends, own, judged,
                                                                    colours, done), sorted(recolour))

    def _roll_up_again(self, work, changes, tracking, today, activities, recolour) -> PointWork:
        """`again`'s strategies, goals and figures, the activities judged (`recolour`: those whose
        colour may have moved; every activity whose inputs or end moved is among them)."""
        tracked, statuses, progress, ends, own, judged, colours, done = activities
        strategy_of, goals_of = self._slots_of
        strategy_tracked, strategy_colours, strategy_left = (work.strategy_tracked[:], work.strategy_colours[:],
                                                             work.strategy_left[:])
        for n in changes.strategies:
            strategy_tracked[n] = tracking.strategies.get(self.strategy_ids[n], strategy_tracked[n])
        strategies = set(changes.strategies) | {strategy_of[i] for i in recolour if strategy_of[i] is not None}
        for n in strategies:
            strategy_colours[n], strategy_left[n] = self._strategy(n, strategy_tracked[n], statuses, colours, done,
                                                                   ends)
        goal_tracked, goal_colours = work.goal_tracked[:], work.goal_colours[:]
        for n in changes.goals:
            goal_tracked[n] = tracking.goals.get(self.goal_ids[n], goal_tracked[n])
        goals = set(changes.goals) | {g for n in strategies for g in self._goal_of_strategy[n]}
        goals.update(g for i in recolour for g in goals_of[i])
        for n in goals:
            goal_colours[n] = self._goal(n, goal_tracked[n], today, statuses, colours, done, ends, strategy_colours,
                                         strategy_left)
        figures, each = work.figures, dict(work.figures.colours)
        for kind, slots, new in (("activity", recolour, colours), ("strategy", strategies, strategy_colours),
                                 ("goal", goals, goal_colours)):
            keys = self.keys[kind]
            for n in slots:
                each[keys[n]] = new[n]
        figures = self._figures(today, statuses, progress, done,
                                _tally_again(figures.activities, work.colours, colours, recolour),
                                _tally_again(figures.strategies, work.strategy_colours, strategy_colours, strategies),
                                _tally_again(figures.goals, work.goal_colours, goal_colours, goals), each)
        return PointWork(self, figures, tracked, statuses, progress, ends, own, judged, colours, done,
                         strategy_tracked, strategy_colours, strategy_left, goal_tracked, goal_colours)

    def _forecast_again(self, positions: list[int], ends: list[int], statuses, progress, today: date) -> list[int]:
        """The forecast ends at `positions` (every one after a changed one included), the ends
        elsewhere being `ends`: the one forecast rule (schedule.py `forecast`) run on these
        positions alone, each dependency outside them passed as closed work, which keeps its end."""
        from roadmapgen.engine.schedule import forecast

        plan, in_order = self.plan.positions, self.in_order
        local = {p: n for n, p in enumerate(positions)}
        outside = sorted({d for p in positions for d in plan.deps[p] if d not in local})
        first = len(outside)
        at = {p: n for n, p in enumerate(outside)} | {p: first + n for n, p in enumerate(positions)}
        part = plan._replace(at={}, start=[ends[d] for d in outside] + [plan.start[p] for p in positions],
                             end=[ends[d] for d in outside] + [plan.end[p] for p in positions],
                             length=[0] * first + [plan.length[p] for p in positions],
                             deps=[[]] * first + [[at[d] for d in plan.deps[p]] for p in positions])
        closed = ["cancelled" if statuses[in_order[d]] == "cancelled" else "done" for d in outside]
        _, f_end = forecast(part, closed + [statuses[in_order[p]] for p in positions],
                            [None] * first + [progress[in_order[p]] for p in positions],
                            self.plan.calendar.index(today))
        return f_end[first:]

    @cached_property
    def _deps_of(self) -> dict[int, tuple[int, ...]]:
        return dict(self.depends)

    @cached_property
    def _dependants(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for i, deps in self.depends:
            for d in deps:
                found.setdefault(d, []).append(i)
        return found

    @cached_property
    def _slots_of(self) -> tuple[list[int | None], list[set[int]]]:
        """Each activity's strategy slot (None outside one), and the goal slots it counts in."""
        strategy_of: list[int | None] = [None] * len(self.ids)
        for n, members in enumerate(self.strategy_members):
            for k, _ in members:
                strategy_of[k] = n
        goals_of: list[set[int]] = [set() for _ in self.ids]
        for n, (members, kids) in enumerate(zip(self.goal_members, self.goal_kids)):
            for k, _ in members:
                goals_of[k].add(n)
            for k in kids:
                goals_of[k].add(n)
        return strategy_of, goals_of

    @cached_property
    def _goal_of_strategy(self) -> list[list[int]]:
        found: list[list[int]] = [[] for _ in self.strategy_members]
        for g, strategies in enumerate(self.strategies_of_goal):
            for n in strategies:
                found[n].append(g)
        return found


@dataclass(frozen=True, slots=True)
class PointChanges:
    """What `PointJudge.again` judges again (`PointJudge.changes_since`): activities, strategies and
    goals by their position in the roadmap, and the positions in the plan to forecast again."""

    activities: list[int]
    strategies: list[int]
    goals: list[int]
    positions: list[int]


@dataclass(frozen=True, slots=True, eq=False)
class PointWork:
    """What `PointJudge` worked out at one date: the figures, and what they came from, by the
    item's position in the roadmap (`ends`: the forecast ends, by position in the plan)."""

    judge: PointJudge
    figures: PointFigures
    tracked: list[Tracked]
    statuses: list[str]
    progress: list[float | None]
    ends: list[int]
    own: list[str]  # each activity's colour by its own findings, before the rule of the red dependency
    judged: list[bool]  # green by the rules: the rule of the red dependency may make it amber
    colours: list[str]
    done: list[float]
    strategy_tracked: list[Tracked]
    strategy_colours: list[str]
    strategy_left: list[float]
    goal_tracked: list[Tracked]
    goal_colours: list[str]




def _same_place(before, after) -> bool:
    """Whether an activity keeps what a judge's shape is made of: its dependencies, its home and its kind."""
    return (before.depends_on == after.depends_on and before.strategy == after.strategy and before.goal == after.goal
            and before.is_milestone == after.is_milestone)


def _differ(mine: list, theirs: list) -> list[int]:
    """The positions at which two lists of the same length differ."""
    return [] if mine == theirs else [n for n, (a, b) in enumerate(zip(mine, theirs)) if a != b]


def _tally_again(counts: dict[str, int], before: list[str], after: list[str], changed: Iterable[int]) -> dict[str, int]:
    """`_tally_colours(after)`, from `counts`, the tally of `before`, which differs from `after` only
    at `changed` (a colour outside COLOURS is tallied again, so that the keys keep their order)."""
    result = dict(counts)
    for n in changed:
        old, new = before[n], after[n]
        if old != new:
            if old not in _COLOUR_SET or new not in _COLOUR_SET:
                return _tally_colours(after)
            result[old] -= 1
            result[new] += 1
    return result


def _metric_rank(goal: Goal, tracked: Tracked, start: date | None, today: date, rules: StatusRules) -> int:
    """The rank `_metric_findings` gives a goal's metric (0 when it says only a note)."""
    if goal.metric is None or tracked.metric is None:
        return 0
    expected = metric_expected(goal, start, today)
    shortfall = metric_shortfall(goal, tracked.metric, expected) if expected is not None else None
    if shortfall is None:
        return 0
    return 2 if shortfall >= rules.red_behind else 1 if shortfall >= rules.amber_behind else 0


def _rolled_colour(tracked: Tracked, kids: list[tuple[str, float]], late: int, metric: int, unmeasured: bool,
                   rules: StatusRules) -> str:
    """`_rolled_up`'s colour, from each child's colour and remaining work."""
    if tracked.status == "done":
        return "complete"
    if tracked.status == "cancelled":
        return "cancelled"
    rank = 2 if tracked.status == "paused" else -1  # -1: no finding has a colour
    live = [kid for kid in kids if kid[0] != "cancelled"]
    open_ = [kid for kid in live if kid[0] != "complete"]
    complete = bool(live) and not open_
    if open_:
        rank = max(rank, _rollup_rank(live, open_, rules))
    if not complete:
        rank = max(rank, late if late else -1)
    rank = max(rank, metric if metric else -1)
    if complete and unmeasured:
        rank = max(rank, 1)
    if complete and rank < 1:
        return "complete"
    return tracked.rag or _COLOUR_OF[max(rank, 0)]


def _rollup_rank(live: list[tuple[str, float]], open_: list[tuple[str, float]], rules: StatusRules) -> int:
    if rules.rollup == "weighted":
        total = sum(left for _, left in open_)
        if total > 0:
            if sum(left for colour, left in open_ if colour == "red") / total >= WEIGHTED_SHARE:
                return 2
            return 1 if sum(left for colour, left in open_ if colour in ("red", "amber")) / total >= WEIGHTED_SHARE else 0
    colours = {colour for colour, _ in live}
    return 2 if "red" in colours else 1 if "amber" in colours else 0


def _tally_colours(colours: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(COLOURS, 0)
    for colour, n in Counter(colours).items():  # counted in C; other colours after, as first met
        counts[colour] = counts.get(colour, 0) + n
    return counts
