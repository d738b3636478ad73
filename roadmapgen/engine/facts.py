"""Rules every reader of a computed roadmap shares, decided once here rather than by each page,
chart or export: the order items are listed in, and where a goal's metric stands against its path.

The effective progress of an activity, and the completion of a strategy or goal, are the
status stage's: `StatusReport.<kind>[id].progress` (None: nobody reported one). Pages, the
Gantt, the dashboards and roadmap.json read them from there and never work them out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Mapping

from roadmapgen.engine.status import metric_shortfall
from roadmapgen.model import Goal, Roadmap, StatusRules

if TYPE_CHECKING:
    from roadmapgen.engine.schedule import Schedule


@dataclass(frozen=True)
class ItemOrder:
    """The one order goals, strategies and activities are listed in, on every page and chart.

    Goals and, within a goal, strategies by their `order` (lowest first); those without one follow,
    by when their work starts (else their own start, else their due date), then due date, then id.
    Activities within a strategy or a goal likewise: by `order`, then the rest in schedule order;
    `activities` (every activity) is in schedule order. `outline` is every
    goal, strategy and activity as the timeline and the status table show them: a goal, its
    strategies each with its activities, then the goal's own activities; activities of no known
    goal last.
    """

    goals: tuple[str, ...]
    strategies_of_goal: Mapping[str, tuple[str, ...]]
    activities_of_strategy: Mapping[str, tuple[str, ...]]
    activities_of_goal: Mapping[str, tuple[str, ...]]  # activities that serve a goal directly
    activities: tuple[str, ...]  # every activity, in schedule order
    outline: tuple[tuple[str, str], ...]  # (kind, id)

    def of_kind(self, kind: str) -> tuple[str, ...]:
        """The ids of one kind ("goal", "strategy" or "activity") in outline order."""
        return tuple(item_id for k, item_id in self.outline if k == kind)


def _when(span, item) -> tuple[int, int, date, date, str]:
    start = span.start if span is not None and span.start else item.start or item.due
    return (*_by_order(item), start, item.due, item.id)


def _by_order(item) -> tuple[int, int]:
    """Items with an `order` first, lowest first; the rest after, keeping their order (a stable sort)."""
    return (0, item.order) if item.order is not None else (1, 0)


def item_order(roadmap: Roadmap, schedule: Schedule) -> ItemOrder:
    """The order of every goal, strategy and activity of a scheduled roadmap."""
    goals = tuple(g.id for g in sorted(roadmap.goals.values(), key=lambda g: _when(schedule.goals.get(g.id), g)))
    grouped: dict[str, list] = {}
    for s in roadmap.strategies.values():
        grouped.setdefault(s.goal, []).append(s)
    strategies = {gid: tuple(s.id for s in sorted(items, key=lambda s: _when(schedule.strategies.get(s.id), s)))
                  for gid, items in grouped.items()}
    of_strategy: dict[str, list[str]] = {}
    of_goal: dict[str, list[str]] = {}
    for activity_id in schedule.order:
        activity = roadmap.activities[activity_id]
        of_strategy.setdefault(activity.strategy or "", []).append(activity_id)
        if activity.goal:
            of_goal.setdefault(activity.goal, []).append(activity_id)
    of_strategy = {k: _sorted_activities(roadmap, v) for k, v in of_strategy.items()}
    of_goal = {k: _sorted_activities(roadmap, v) for k, v in of_goal.items()}
    outline = _outline(goals, strategies, of_strategy, of_goal, schedule.order)
    return ItemOrder(goals, strategies, of_strategy, of_goal, tuple(schedule.order), outline)


def _sorted_activities(roadmap: Roadmap, ids: list[str]) -> tuple[str, ...]:
    return tuple(sorted(ids, key=lambda aid: _by_order(roadmap.activities[aid])))


def _outline(goals, strategies, of_strategy, of_goal, order) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    placed: set[str] = set()
    for gid in goals:
        out.append(("goal", gid))
        for sid in strategies.get(gid, ()):
            out.append(("strategy", sid))
            for aid in of_strategy.get(sid, ()):
                out.append(("activity", aid))
                placed.add(aid)
        for aid in of_goal.get(gid, ()):
            if aid not in placed:
                out.append(("activity", aid))
                placed.add(aid)
    out.extend(("activity", aid) for aid in order if aid not in placed)
    return tuple(out)


def metric_standing(goal: Goal, current: float | None, expected: float | None, rules: StatusRules) -> str | None:
    """Where a goal's metric stands against its path today: "ahead", "on" (behind by less than
    the amber threshold, as status judges it) or "behind"; None when it cannot be judged."""
    if goal.metric is None or current is None or expected is None:
        return None
    shortfall = metric_shortfall(goal, current, expected)
    if shortfall is None:
        return None
    return "ahead" if shortfall <= 0 else "on" if shortfall < rules.amber_behind else "behind"
