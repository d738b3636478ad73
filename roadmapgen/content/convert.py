"""Turn validated front matter into the plain items of roadmapgen.model.

This is where what a user writes becomes what the engine reads: durations in working
days, titles from headings, resources defaulting to the owner, checks within one file.
"""

from __future__ import annotations

import re

from roadmapgen.content import schema as s
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.model import (
    Activity, Assignment, Config, DateRange, Goal, Metric, Person, Review, Source, Strategy, Tool, Update,
    UpdateItem,
)

HEADING_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
REF_KINDS = ("goal", "strategy", "activity")
UPDATE_KINDS = {"standup": "Stand-up", "checkin": "Check-in"}  # how the usual kinds are written in titles


def first_heading(body: str) -> str | None:
    match = HEADING_RE.search(body)
    return match.group(1).strip() if match else None


def _error(diagnostics: Diagnostics, source: Source, key: tuple, code: str, message: str, hint: str | None = None):
    line, column = source.at(*key)
    diagnostics.error(source.path, line, column, code, message, hint)


def _title(front, body: str, source: Source, diagnostics: Diagnostics, field: str = "title") -> str | None:
    title = getattr(front, field) or first_heading(body)
    if not title:
        _error(diagnostics, source, (), "missing-field", f"required field '{field}' is missing",
               f"add '{field}: ...' to the front matter, or start the body with a '# heading'")
    return title


def _check_rag(front, source: Source, diagnostics: Diagnostics, key: tuple = ()) -> bool:
    if front.rag and not front.rag_reason:
        _error(diagnostics, source, key + ("rag",), "missing-rag-reason",
               f"a manual rag ('{front.rag}') needs a rag_reason", "add 'rag_reason: ...' saying why")
        return False
    return True


def _check_order(start, end, source: Source, diagnostics: Diagnostics, names=("start", "due"), key=()) -> bool:
    if start and end and start > end:
        _error(diagnostics, source, key + (names[1],), "date-order",
               f"{names[1]} {end.isoformat()} is before {names[0]} {start.isoformat()}",
               f"{names[0]} must be on or before {names[1]}")
        return False
    return True


def _goal(item_id, front: s.GoalFront, body, source, config, diagnostics):
    title = _title(front, body, source, diagnostics)
    ok = _check_rag(front, source, diagnostics) & _check_order(front.start, front.due, source, diagnostics)
    metric = None
    if front.metric:
        m = front.metric
        direction = m.direction or ("increase" if m.target >= m.baseline else "decrease")
        if m.target == m.baseline:
            _error(diagnostics, source, ("metric", "target"), "invalid-value",
                   "metric.target equals metric.baseline: there is nothing to measure", "set the target you aim for")
            ok = False
        metric = Metric(m.name, m.unit, m.baseline, m.target, m.current, direction)
    if not (ok and title):
        return None
    return Goal(item_id, title, front.owner, front.start, front.due, metric, front.why, front.status, front.rag,
                front.rag_reason, tuple(front.tags), front.updated, body, source, order=front.order)


def _strategy(item_id, front: s.StrategyFront, body, source, config, diagnostics):
    title = _title(front, body, source, diagnostics)
    ok = _check_rag(front, source, diagnostics) & _check_order(front.start, front.due, source, diagnostics)
    if not (ok and title):
        return None
    return Strategy(item_id, title, front.goal, front.owner, front.start, front.due, front.status, front.rag,
                    front.rag_reason, tuple(front.tags), front.updated, body, source, order=front.order)


MAX_DURATION_DAYS = 5_000  # twenty years of working days: more is a typo


def working_days(duration: str, config: Config) -> int:
    digits = duration[:-1].lstrip("0") or "0"
    if len(digits) > 6:  # int() refuses very long numbers, and they are out of range anyway
        return MAX_DURATION_DAYS + 1
    number = int(digits)
    return number * len(config.calendar.workdays) if duration.endswith("w") else number


def _activity(item_id, front: s.ActivityFront, body, source, config, diagnostics):
    title = _title(front, body, source, diagnostics)
    ok = _check_rag(front, source, diagnostics) & _check_order(front.start, front.due, source, diagnostics)
    if bool(front.strategy) == bool(front.goal):
        code = "conflicting-fields" if front.strategy else "missing-field"
        message = ("an activity belongs to a strategy or a goal, not both" if front.strategy
                   else "an activity needs 'strategy' (or 'goal' when it serves a goal directly)")
        _error(diagnostics, source, ("goal",) if front.goal else (), code, message,
               "keep exactly one of 'strategy: <id>' and 'goal: <id>'")
        ok = False
    if front.due is None and front.duration is None:
        _error(diagnostics, source, (), "missing-field", "an activity needs 'due' or 'duration'",
               "add 'duration: 5d' (working days), 'duration: 2w' (weeks), 'duration: 0d' (a milestone) or 'due'")
        ok = False
    duration = working_days(front.duration, config) if front.duration else None
    if duration is not None and duration > MAX_DURATION_DAYS:
        _error(diagnostics, source, ("duration",), "out-of-range",
               f"'duration' is {front.duration}, but must be at most {MAX_DURATION_DAYS} working days",
               "split long work into several activities, or check for a typo")
        ok = False
    resources = tuple(Assignment(r) if isinstance(r, str) else Assignment(r.id, r.load) for r in front.resources)
    if not resources and front.owner:
        resources = (Assignment(front.owner),)
    if not (ok and title):
        return None
    progress = front.progress
    if progress is None and front.status == "done":
        progress = 100.0
    return Activity(item_id, title, front.strategy, front.goal, front.owner, front.start, front.due, duration,
                    tuple(dict.fromkeys(front.depends_on)), progress, front.status, resources, front.rag,
                    front.rag_reason, tuple(front.tags), front.updated, body, source, order=front.order)


PERSON_MAX_CAPACITY = 200  # percent of a full-time week


def _person(item_id, front: s.PersonFront, body, source, config, diagnostics):
    name = _title(front, body, source, diagnostics, field="name")
    ok = True
    for index, off in enumerate(front.time_off):
        ok &= _check_order(off.start, off.end, source, diagnostics, names=("from", "to"), key=("time_off", index))
    if front.type == "person" and front.capacity > PERSON_MAX_CAPACITY:
        line, column = source.at("capacity")
        diagnostics.error(source.path, line, column, "out-of-range",
                          f"'capacity' is {front.capacity:g}, more than a person's {PERSON_MAX_CAPACITY}%",
                          "for a team or an organisation, add `type: team` or `type: organisation`")
        ok = False
    if not (ok and name):
        return None
    time_off = tuple(DateRange(off.start, off.end, off.note) for off in front.time_off)
    return Person(item_id, name, front.role, front.team, front.email, front.capacity, time_off, body, source,
                  type=front.type)


def _tool(item_id, front: s.ToolFront, body, source, config, diagnostics):
    name = _title(front, body, source, diagnostics, field="name")
    if not name:
        return None
    return Tool(item_id, name, front.kind, front.cost, front.notes, body, source)


def _update(item_id, front: s.UpdateFront, body, source, config, diagnostics):
    ok = True
    items = []
    for index, entry in enumerate(front.items):
        ok &= _check_rag(entry, source, diagnostics, key=("items", index))
        kind, _, ref = entry.ref.partition(":") if ":" in entry.ref else ("", "", entry.ref)
        if kind and kind not in REF_KINDS:
            _error(diagnostics, source, ("items", index, "ref"), "invalid-value",
                   f"'{entry.ref}' names an unknown type '{kind}'", "write 'goal:ID', 'strategy:ID' or 'activity:ID'")
            ok = False
        items.append(UpdateItem(kind, ref, entry.progress, entry.status, entry.rag, entry.rag_reason, entry.metric,
                                entry.note, index))
    if not ok:
        return None
    kind = UPDATE_KINDS.get(front.kind, front.kind.replace("-", " ").capitalize())
    title = front.title or first_heading(body) or f"{kind} {front.date.isoformat()}"
    return Update(item_id, title, front.date, front.author, front.kind, tuple(items), body, source)


def _review(item_id, front: s.ReviewFront, body, source, config, diagnostics):
    title = front.title or first_heading(body) or f"{front.quarter} review"
    return Review(item_id, title, front.quarter, front.date, tuple(front.attendees), tuple(front.decisions), body,
                  source)


_CONVERTERS = {
    "goal": _goal,
    "strategy": _strategy,
    "activity": _activity,
    "person": _person,
    "tool": _tool,
    "update": _update,
    "review": _review,
}


def to_item(kind: str, item_id: str, front, body: str, source: Source, config: Config, diagnostics: Diagnostics):
    """The model item for one file's validated front matter, or None after reporting why not."""
    return _CONVERTERS[kind](item_id, front, body, source, config, diagnostics)
