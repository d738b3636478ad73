"""SMART lint: each goal judged against Specific, Measurable, Achievable, Relevant, Time-bound.

The rules, their codes and their fixes are in docs/smart.md. A letter is met, not met, or not
judged (None) when the data to judge it is missing for a reason that another letter already
reports: unknown is not a failure (a goal with no metric is not "unachievable", it is
unmeasurable). The card on the goal page and the `check` warnings are both made from the one
`SmartCard` per goal computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import metric_series
from roadmapgen.engine.schedule import Schedule
from roadmapgen.engine.status import metric_start
from roadmapgen.engine.tracking import Tracking
from roadmapgen.model import Goal, Roadmap

LETTERS = (("S", "Specific"), ("M", "Measurable"), ("A", "Achievable"), ("R", "Relevant"), ("T", "Time-bound"))

# Words that say "more" without saying of what: a title made of them names no outcome.
VAGUE = frozenset({
    "things", "thing", "stuff", "lot", "lots", "various", "misc", "miscellaneous", "etc", "general",
    "everything", "somehow", "better", "improve", "improvements", "improvement", "more", "good",
    "great", "a", "an", "the", "of", "in", "on", "and", "to", "for", "our", "we", "it", "make", "do",
})
MIN_TITLE_WORDS = 3
_WORD = re.compile(r"[\w%$€£-]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Finding:
    """One SMART requirement a goal misses: a stable code, what is wrong, how to fix it, and
    the front-matter key it concerns (for the diagnostic's line)."""

    code: str
    message: str
    fix: str
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Letter:
    letter: str  # "S", "M", "A", "R", "T"
    name: str  # "Specific", …
    met: bool | None  # None: not judged (the data it needs is missing; another letter says why)
    reason: str  # one sentence: why it is met, not met, or not judged
    findings: tuple[Finding, ...] = ()

    @property
    def state(self) -> str:
        """"met", "not met" or "not judged": what the goal page says."""
        return "not judged" if self.met is None else ("met" if self.met else "not met")


@dataclass(frozen=True, slots=True)
class SmartCard:
    goal: str
    letters: tuple[Letter, ...]

    @property
    def met(self) -> int:
        return sum(1 for letter in self.letters if letter.met)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for letter in self.letters for f in letter.findings)


def smart_cards(roadmap: Roadmap, tracking: Tracking, schedule: Schedule, today: date) -> Mapping[str, SmartCard]:
    """The SMART card of every goal, by id."""
    series = metric_series(roadmap, today)
    served = _served_goals(roadmap)
    factor = roadmap.config.smart.achievable_factor
    return {gid: SmartCard(gid, (
        _specific(roadmap, goal),
        _measurable(goal, tracking, series.get(gid, ())),
        _achievable(roadmap, goal, schedule, series.get(gid, ()), today, factor),
        _relevant(goal, served.get(gid, 0)),
        _time_bound(roadmap, goal, schedule),
    )) for gid, goal in roadmap.goals.items()}


def report_smart(roadmap: Roadmap, cards: Mapping[str, SmartCard], diagnostics: Diagnostics) -> None:
    """Every finding of every card as a `check` warning on the goal's file and line."""
    for gid, card in cards.items():
        goal = roadmap.goals[gid]
        for finding in card.findings:
            line, col = goal.source.at(*(finding.key.split(".") if finding.key else ()))
            diagnostics.warning(goal.source.path, line, col, finding.code, finding.message, finding.fix)


def _letter(index: int, findings: list[Finding], met_reason: str, judged: bool = True) -> Letter:
    letter, name = LETTERS[index]
    if not judged:
        return Letter(letter, name, None, met_reason)
    if findings:
        return Letter(letter, name, False, "; ".join(_short(f.message) for f in findings), tuple(findings))
    return Letter(letter, name, True, met_reason)


def _short(message: str) -> str:
    """A finding's message as the card says it: without "goal 'x' is not specific: "."""
    rest = message.split("' ", 1)[-1] if message.startswith("goal '") else message
    return rest.split(": ", 1)[-1] if rest.startswith("is not") else rest


# -- S ----------------------------------------------------------------------------------


def _specific(roadmap: Roadmap, goal: Goal) -> Letter:
    found = []
    if goal.owner is None:
        found.append(Finding("smart-no-owner", f"goal '{goal.id}' is not specific: it has no owner",
                             "add `owner:` with the id of the person or team accountable for it", "title"))
    if not _names_an_outcome(goal.title):
        found.append(Finding("smart-vague-title",
                             f"goal '{goal.id}' is not specific: its title \"{goal.title}\" names no outcome",
                             "say what changes and for whom, e.g. \"Cut late deliveries in the north region\"",
                             "title"))
    owner = roadmap.people.get(goal.owner or "")
    return _letter(0, found, f"owned by {owner.name if owner else goal.owner}; the title names an outcome")


def _names_an_outcome(title: str) -> bool:
    """At least MIN_TITLE_WORDS words, and at least two that are not filler or vague."""
    words = [w.lower() for w in _WORD.findall(title)]
    return len(words) >= MIN_TITLE_WORDS and sum(1 for w in words if w not in VAGUE) >= 2


# -- M ----------------------------------------------------------------------------------


def _measurable(goal: Goal, tracking: Tracking, series: tuple) -> Letter:
    metric = goal.metric
    if metric is None:
        return _letter(1, [Finding("smart-no-metric", f"goal '{goal.id}' is not measurable: it has no metric",
                                   "add `metric:` with name, unit, baseline and target", "title")], "")
    found = []
    if not metric.unit:
        found.append(Finding("smart-metric-no-unit", f"goal '{goal.id}' is not measurable: its metric has no unit",
                             "add `metric.unit` (e.g. %, days, EUR)", "metric"))
    tracked = tracking.goals.get(goal.id)
    if (tracked is None or tracked.metric is None) and not series:
        found.append(Finding("smart-metric-no-current",
                             f"goal '{goal.id}' is not measurable yet: no current value of {metric.name}",
                             "set `metric.current`, or report `metric:` for the goal in an update", "metric"))
    return _letter(1, found, f"{metric.name} from {_n(metric.baseline)} to {_n(metric.target)}"
                   + (f" {metric.unit}" if metric.unit else "") + ", with a current value")


# -- A ----------------------------------------------------------------------------------


def _achievable(roadmap: Roadmap, goal: Goal, schedule: Schedule, series: tuple, today: date,
                factor: float) -> Letter:
    """The rate still needed to reach the target by the due date, against the rate observed
    between the first and the latest reported values; judged only with two reported values."""
    metric = goal.metric
    if metric is None:
        return _letter(2, [], "not judged: the goal has no metric", judged=False)
    start = metric_start(roadmap, goal, schedule.goals.get(goal.id))
    points = _observed(series, start, metric.baseline)
    if len(points) < 2 or points[-1][0] <= points[0][0]:
        return _letter(2, [], "not judged: fewer than two reported values of the metric over time", judged=False)
    (first_day, first), (last_day, last) = points[0], points[-1]
    sign = 1 if metric.direction == "increase" else -1
    left = sign * (metric.target - last)
    if left <= 0:
        return _letter(2, [], f"the target is reached ({_n(last)} on {last_day})")
    days_left = (goal.due - max(today, last_day)).days
    observed = sign * (last - first) / (last_day - first_day).days * 30
    if days_left <= 0:
        return _letter(2, [Finding("smart-not-achievable",
                                   f"goal '{goal.id}' is due {goal.due} and {_n(left)} short of its target",
                                   "move `due`, or lower the target with a decision in a review", "due")], "")
    needed = left / days_left * 30
    if observed <= 0 or needed > factor * observed:
        unit = f" {metric.unit}" if metric.unit else ""
        observed_words = f"{_n(observed)}{unit} a month so far" if observed > 0 else "no progress so far"
        return _letter(2, [Finding(
            "smart-not-achievable",
            f"goal '{goal.id}' needs {_n(needed)}{unit} a month to reach {_n(metric.target)}{unit} "
            f"by {goal.due}, against {observed_words}",
            f"plan the work that makes up the difference, or move `due` or the target "
            f"(flagged past {_n(factor)}× the observed rate: smart.achievable_factor)", "metric")], "")
    unit = f" {metric.unit}" if metric.unit else ""
    return _letter(2, [], f"needs {_n(needed)}{unit} a month; {_n(observed)}{unit} a month observed so far")


def _observed(series: tuple, start: date | None, baseline: float) -> list[tuple[date, float]]:
    """The reported values, after the baseline at the metric's start when that comes first."""
    points = [(when, value) for when, value in series]
    if start is not None and (not points or start < points[0][0]):
        points.insert(0, (start, baseline))
    return points


# -- R ----------------------------------------------------------------------------------


def _served_goals(roadmap: Roadmap) -> dict[str, int]:
    """How many strategies and activities serve each goal."""
    served: dict[str, int] = {}
    for strategy in roadmap.strategies.values():
        served[strategy.goal] = served.get(strategy.goal, 0) + 1
    for activity in roadmap.activities.values():
        gid = roadmap.goal_of(activity)
        if gid is not None:
            served[gid] = served.get(gid, 0) + 1
    return served


def _relevant(goal: Goal, served: int) -> Letter:
    found = []
    if not (goal.why or "").strip():
        found.append(Finding("smart-no-why", f"goal '{goal.id}' is not shown to be relevant: it has no `why`",
                             "add `why:` with the reason it matters to the organisation", "title"))
    if served == 0:
        found.append(Finding("smart-unserved", f"goal '{goal.id}' has no strategy or activity serving it",
                             "add a strategy with `goal: " + goal.id + "`, or an activity with `goal: " + goal.id + "`",
                             "title"))
    return _letter(3, found, f"says why it matters; {served} strategies and activities serve it")


# -- T ----------------------------------------------------------------------------------


def _time_bound(roadmap: Roadmap, goal: Goal, schedule: Schedule) -> Letter:
    found = []
    start = goal.start or roadmap.config.start or schedule.start
    horizon = roadmap.config.smart.horizon_months
    if start is not None and goal.due <= start:
        found.append(Finding("smart-due-before-start", f"goal '{goal.id}' is due {goal.due}, not after its start {start}",
                             "move `due` after `start`", "due"))
    elif start is not None and _months_between(start, goal.due) > horizon:
        found.append(Finding("smart-beyond-horizon",
                             f"goal '{goal.id}' is due {goal.due}, more than {horizon} months after the roadmap starts "
                             f"({start})", "set a nearer due date with an intermediate goal, or raise "
                             "smart.horizon_months in roadmap.yml", "due"))
    return _letter(4, found, f"due {goal.due}" + (f", {_months_between(start, goal.due)} months after {start}"
                                                  if start else ""))


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _n(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
