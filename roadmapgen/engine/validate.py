"""Validate stage: check the references between items and assemble the `Roadmap`.

Each reference is checked against every id the load stage saw, so a file with its own
errors does not also make every file that mentions it fail.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Iterable, Mapping

from roadmapgen.content.schema import LAST_YEAR
from roadmapgen.diagnostics import Diagnostics, did_you_mean
from roadmapgen.model import PLURAL, Config, Roadmap, Source, Update

if TYPE_CHECKING:
    from roadmapgen.engine.schedule import Schedule

REF_KINDS = ("goal", "strategy", "activity")
LAST_DAY = date(LAST_YEAR, 12, 31)


class _References:
    def __init__(self, seen: Mapping[str, Mapping[str, str]], diagnostics: Diagnostics):
        self.seen = seen
        self.diagnostics = diagnostics

    def check(self, source: Source, key: tuple, value: str | None, kinds: Iterable[str], what: str) -> bool:
        """Whether `value` is an id of one of `kinds`; reports an unknown-ref when it is not."""
        if value is None:
            return True
        kinds = tuple(kinds)
        seen = self.seen
        for kind in kinds:
            if value in seen[kind]:
                return True
        line, column = source.at(*key)
        label = " or ".join(kinds)
        other = next((kind for kind in self.seen if kind not in kinds and value in self.seen[kind]), None)
        if other is not None:  # an id of another kind: say what it is rather than offer to create it
            wanted = ", ".join(kinds[:-1]) + (" or " if len(kinds) > 1 else "") + kinds[-1]
            self.diagnostics.error(source.path, line, column, "unknown-ref",
                                   f"{what} '{value}' is {_a(other)}, not {_a(wanted)}",
                                   f"write the id of {_a(wanted)} here ({self.seen[other][value]} is the {other})")
            return False
        candidates = [known for kind in kinds for known in self.seen[kind]]
        match = did_you_mean(value, candidates)
        message = f"{what} '{value}' is not {_a(label)}" + (f" (did you mean '{match}'?)" if match else "")
        create = f"create content/{_folder(kinds[0])}/{value}.md"
        hint = f"write '{match}', or {create}" if match else f"{create}, or use an existing id"
        self.diagnostics.error(source.path, line, column, "unknown-ref", message, hint)
        return False


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _folder(kind: str) -> str:
    return PLURAL[kind]


def _check_goals(items, refs: _References) -> None:
    for goal in items["goal"].values():
        refs.check(goal.source, ("owner",), goal.owner, ["person"], "owner")


def _check_strategies(items, refs: _References) -> None:
    for strategy in items["strategy"].values():
        refs.check(strategy.source, ("goal",), strategy.goal, ["goal"], "goal")
        refs.check(strategy.source, ("owner",), strategy.owner, ["person"], "owner")


def _check_activities(items, refs: _References) -> None:
    for activity in items["activity"].values():
        src = activity.source
        refs.check(src, ("strategy",), activity.strategy, ["strategy"], "strategy")
        refs.check(src, ("goal",), activity.goal, ["goal"], "goal")
        refs.check(src, ("owner",), activity.owner, ["person"], "owner")
        for index, dep in enumerate(activity.depends_on):
            refs.check(src, ("depends_on", index), dep, ["activity"], "dependency")
        if ("resources",) not in src.positions:
            continue  # the default resource is the owner, already checked
        for index, assignment in enumerate(activity.resources):
            refs.check(src, ("resources", index), assignment.id, ["person", "tool"], "resource")


def _resolve_update(update: Update, refs: _References, diagnostics: Diagnostics) -> Update:
    refs.check(update.source, ("author",), update.author, ["person"], "author")
    items = []
    for item in update.items:
        key = ("items", item.index, "ref")
        kinds = [item.ref_kind] if item.ref_kind else [k for k in REF_KINDS if item.ref in refs.seen[k]]
        if len(kinds) > 1:
            line, column = update.source.at(*key)
            diagnostics.error(update.source.path, line, column, "ambiguous-ref",
                              f"'{item.ref}' is the id of {' and '.join(_a(kind) for kind in kinds)}",
                              f"write '{kinds[0]}:{item.ref}' to say which one")
            continue
        if not kinds or not refs.check(update.source, key, item.ref, kinds, "ref"):
            if not kinds:
                refs.check(update.source, key, item.ref, REF_KINDS, "ref")
            continue
        if item.metric is not None and kinds[0] != "goal":
            line, column = update.source.at("items", item.index, "metric")
            diagnostics.warning(update.source.path, line, column, "metric-not-goal",
                                f"'metric' is set for {kinds[0]} '{item.ref}', but only goals have a metric",
                                "move the value to an item whose ref is the goal")
        items.append(dataclasses.replace(item, ref_kind=kinds[0]))
    return dataclasses.replace(update, items=tuple(items))


def _check_reviews(items, refs: _References) -> None:
    for review in items["review"].values():
        for index, person in enumerate(review.attendees):
            refs.check(review.source, ("attendees", index), person, ["person"], "attendee")


def _check_dates(items, diagnostics: Diagnostics) -> None:
    goals = items["goal"]
    for strategy in items["strategy"].values():
        goal = goals.get(strategy.goal)
        if goal and strategy.due > goal.due:
            line, column = strategy.source.at("due")
            diagnostics.warning(strategy.source.path, line, column, "due-after-goal",
                                f"due {strategy.due} is after its goal '{goal.id}' is due ({goal.due})",
                                "bring the milestone forward or move the goal's due date")


def validate(config: Config, items: Mapping[str, Mapping[str, object]], seen: Mapping[str, Mapping[str, str]],
             diagnostics: Diagnostics) -> Roadmap:
    """The roadmap of all loaded items, after reporting every reference that leads nowhere."""
    refs = _References(seen, diagnostics)
    _check_goals(items, refs)
    _check_strategies(items, refs)
    _check_activities(items, refs)
    _check_reviews(items, refs)
    _check_dates(items, diagnostics)
    updates = {uid: _resolve_update(u, refs, diagnostics) for uid, u in items["update"].items()}
    return assemble(config, items, updates)


def resolve_update(update: Update, seen: Mapping[str, Mapping[str, str]]) -> Update:
    """An update as `validate` resolves it against the ids `seen`, its problems not reported."""
    quiet = Diagnostics()  # a past version's problems are that version's (versions.py)
    return _resolve_update(update, _References(seen, quiet), quiet)


def assemble(config: Config, items: Mapping[str, Mapping[str, object]], updates: Mapping[str, Update]) -> Roadmap:
    """The roadmap of `items`, its `updates` already resolved, every dict in its stable order."""
    return Roadmap(
        config=config,
        goals=_sorted(items["goal"]),
        strategies=_sorted(items["strategy"]),
        activities=_sorted(items["activity"]),
        people=_sorted(items["person"]),
        tools=_sorted(items["tool"]),
        updates=dict(sorted(updates.items(), key=lambda kv: (kv[1].date, kv[0]))),
        reviews=dict(sorted(items["review"].items(), key=lambda kv: (kv[1].date, kv[0]))),
    )


def _sorted(items: Mapping[str, object]) -> dict[str, object]:
    return dict(sorted(items.items()))



def check_schedule_range(roadmap: Roadmap, schedule: Schedule, diagnostics: Diagnostics) -> None:
    """Refuse a schedule that runs past the last day a roadmap can use, so that a roadmap that
    passes `check` never makes a later stage (a chart's padding, an arrow's end) compute a date
    Python cannot hold. Reported at the activities that cross that day, not at those after them."""
    late = [s for s in schedule.activities.values() if max(s.end, s.forecast_end) > LAST_DAY]
    crossing = [s for s in late if min(s.start, s.forecast_start) <= LAST_DAY] or late[:1]
    for scheduled in crossing:
        activity = roadmap.activities[scheduled.id]
        field = "duration" if activity.duration is not None else "due"
        line, column = activity.source.at(field)
        diagnostics.error(activity.source.path, line, column, "out-of-range",
                          f"activity '{activity.id}' would end on {max(scheduled.end, scheduled.forecast_end)}, after "
                          f"{LAST_DAY}, the last day a roadmap can use",
                          "shorten it or the activities it depends on, or check calendar.workdays and the dates")
