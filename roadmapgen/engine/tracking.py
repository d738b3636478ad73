"""The state of each goal, strategy and activity as of a date, from its file and the updates.

A value written in an item's file is dated by the file's `updated` field (or undated); a
value in an update is dated by the update. The newest dated value wins, an undated file
value loses to any update, and each value remembers where it came from. As of a date before
a file's `updated`, the file's values were not written yet (this is what history replays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from roadmapgen.model import Roadmap, Update

TRACKED_FIELDS = ("progress", "status", "rag", "metric")
FILE = "file"


@dataclass(frozen=True, slots=True)
class Tracked:
    """The effective state of one item: each field's value and where it came from."""

    progress: float | None
    status: str
    rag: str | None
    rag_reason: str | None
    metric: float | None
    sources: Mapping[str, str] = field(default_factory=dict)  # field → "file" or an update id
    last_update: date | None = None
    notes: tuple[tuple[date, str, str], ...] = ()  # (date, update id, note), oldest first
    status_reported: bool = True  # False when `status` is only the default: nobody wrote it


def effective_progress(tracked: Tracked, milestone: bool = False) -> float | None:
    """An activity's progress in percent as far as anyone reported it; None when unknown.

    Done is 100 and a reported figure counts (within 0–100). A milestone has no partial
    progress, so one not done is at 0, and so is an activity reported as not started. Anything
    else nobody gave a figure for is unknown: never 0 by default (docs/status.md).
    """
    if tracked.status == "done":
        return 100.0
    if tracked.progress is not None:
        return min(max(tracked.progress, 0.0), 100.0)
    if milestone or (tracked.status == "not-started" and tracked.status_reported):
        return 0.0
    return None


@dataclass(frozen=True)
class Tracking:
    as_of: date
    goals: Mapping[str, Tracked]
    strategies: Mapping[str, Tracked]
    activities: Mapping[str, Tracked]

    def of(self, kind: str, item_id: str) -> Tracked:
        return {"goal": self.goals, "strategy": self.strategies, "activity": self.activities}[kind][item_id]


DEFAULT_STATUS = {"goal": "active", "strategy": "active", "activity": "not-started"}


def progress_follows(tracked: Tracked, progress: float | None) -> str | None:
    """The tracked field an activity's effective progress comes from: "progress" for a reported
    figure, "status" when its status decides it (done: 100; a milestone not done or reported as
    not started: 0), None when it is unknown. Pages and exports name its source from this."""
    if progress is None:
        return None
    if tracked.progress is not None and tracked.status != "done":
        return "progress"
    return "status"


def _from_file(item, metric: float | None, as_of: date) -> dict:
    """The file's values; a file dated (`updated`) after `as_of` was not written yet then,
    so its item starts from the defaults and only the updates up to `as_of` count."""
    if item.updated is not None and item.updated > as_of:
        state = {"progress": None, "status": DEFAULT_STATUS[item.kind], "rag": None, "rag_reason": None,
                 "metric": None}
        dated, reported = None, False
    else:
        state = {"progress": getattr(item, "progress", None), "status": item.status, "rag": item.rag,
                 "rag_reason": item.rag_reason, "metric": metric}
        dated, reported = item.updated, ("status",) in item.source.positions
    # filled in place, each part made by a C call: this runs for every item at every history date
    state["sources"] = _FROM_FILE.copy()
    state["dates"] = dict.fromkeys(TRACKED_FIELDS, dated)
    state["last_update"], state["notes"], state["status_reported"] = None, [], reported
    return state


_FROM_FILE = dict.fromkeys(TRACKED_FIELDS, FILE)


def updates_until(roadmap: Roadmap, as_of: date) -> list[Update]:
    """The updates dated on or before `as_of`, oldest first (ties by id, for stable output)."""
    return sorted((u for u in roadmap.updates.values() if u.date <= as_of), key=lambda u: (u.date, u.id))


def _apply(state: dict, update: Update, item) -> None:
    values = {"progress": item.progress, "status": item.status, "rag": item.rag, "metric": item.metric}
    for name, value in values.items():
        if value is None:
            continue
        file_date = state["dates"][name]
        if state["sources"][name] == FILE and file_date is not None and file_date > update.date:
            continue  # the file was edited after this update: its value is newer
        state[name] = value
        state["sources"][name] = update.id
        state["dates"][name] = update.date
        if name == "status":
            state["status_reported"] = True
        if name == "rag":
            state["rag_reason"] = item.rag_reason
    if item.status == "done" and item.progress is None and item.ref_kind == "activity":
        state["progress"] = 100.0
        state["sources"]["progress"] = update.id
    state["last_update"] = update.date
    if item.note:
        state["notes"].append((update.date, update.id, item.note))


def _freeze(state: dict) -> Tracked:
    return Tracked(state["progress"], state["status"], state["rag"], state["rag_reason"], state["metric"],
                   state["sources"].copy(), state["last_update"], tuple(state["notes"]), state["status_reported"])


def track(roadmap: Roadmap, as_of: date) -> Tracking:
    """Each item's effective progress, status, manual colour and metric as of `as_of`."""
    states = {
        "goal": {g.id: _from_file(g, g.metric.current if g.metric else None, as_of) for g in roadmap.goals.values()},
        "strategy": {s.id: _from_file(s, None, as_of) for s in roadmap.strategies.values()},
        "activity": {a.id: _from_file(a, None, as_of) for a in roadmap.activities.values()},
    }
    _apply_updates(states, roadmap, as_of)
    return Tracking(
        as_of=as_of,
        goals={k: _freeze(v) for k, v in states["goal"].items()},
        strategies={k: _freeze(v) for k, v in states["strategy"].items()},
        activities={k: _freeze(v) for k, v in states["activity"].items()},
    )


def _apply_updates(states: dict[str, dict[str, dict]], roadmap: Roadmap, as_of: date) -> None:
    for update in updates_until(roadmap, as_of):
        for item in update.items:
            state = states.get(item.ref_kind, {}).get(item.ref)
            if state is not None:
                _apply(state, update, item)


def track_again(last: Tracking, roadmap: Roadmap, changed: set[tuple[str, str]]) -> Tracking:
    """`track(roadmap, last.as_of)`, made from `last`, the tracking of another version of the
    roadmap on the same date with the same items: only the `changed` (kind, id) are tracked again
    (those whose fields, or an update naming them, differ: `history.changed_items`)."""
    as_of, items = last.as_of, {"goal": roadmap.goals, "strategy": roadmap.strategies, "activity": roadmap.activities}
    states = {kind: {} for kind in items}
    for kind, item_id in changed:
        item = items[kind][item_id]
        states[kind][item_id] = _from_file(item, item.metric.current if kind == "goal" and item.metric else None, as_of)
    _apply_updates(states, roadmap, as_of)
    fresh = {kind: {item_id: _freeze(state) for item_id, state in kind_states.items()}
             for kind, kind_states in states.items()}
    return Tracking(as_of, *(_merged(getattr(last, plural), fresh[kind], items[kind])
                             for kind, plural in (("goal", "goals"), ("strategy", "strategies"),
                                                  ("activity", "activities"))))


def _merged(last: Mapping[str, Tracked], fresh: dict[str, Tracked], order: Mapping[str, object]) -> dict[str, Tracked]:
    """The fresh states over the last ones, in the roadmap's order (a file moved to another folder moves its item)."""
    if not fresh:
        return dict(zip(order, map(last.__getitem__, order)))
    return {item_id: fresh.get(item_id) or last[item_id] for item_id in order}


class ActivityStates:
    """Each activity's status and effective progress as of a date, equal to `track`'s, kept from
    one version of a roadmap to the next: an activity is tracked again only when its item, whether
    its file was written by then, or the updates that reach it differ (the plan's history asks at
    every commit, and a commit changes an activity or two)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple] = {}  # id → (activity, file written, (update, item) pairs, state)
        self._as_of: date | None = None
        self._updates: list[Update] = []  # the updates dated by then, and the pairs they give each activity
        self._reaching: dict[str, tuple] = {}
        self._found: dict[str, tuple[str, float | None]] = {}

    def of(self, roadmap: Roadmap, as_of: date) -> dict[str, tuple[str, float | None]]:
        """Activity id → (status, effective progress) as of `as_of`."""
        updates = updates_until(roadmap, as_of)
        same_ids = roadmap.activities.keys() == self._found.keys()
        if updates != self._updates or not same_ids:
            self._updates, self._reaching = updates, _activity_updates(updates, roadmap.activities)
        elif as_of == self._as_of:  # the same day and updates: only an activity whose item changed
            for aid, activity in roadmap.activities.items():
                if self._known[aid][0] is not activity:
                    self._found[aid] = self._state(aid, activity, as_of)
            return dict(self._found)
        self._as_of = as_of
        self._found = {aid: self._state(aid, activity, as_of) for aid, activity in roadmap.activities.items()}
        return dict(self._found)

    def _state(self, aid: str, activity, as_of: date) -> tuple[str, float | None]:
        written = activity.updated is None or activity.updated <= as_of
        pairs = self._reaching.get(aid, ())
        known = self._known.get(aid)
        # pairs compare by identity first: the same resolved updates are the same objects
        if known is None or known[0] is not activity or known[1] != written or known[2] != pairs:
            known = self._known[aid] = (activity, written, pairs, _activity_state(activity, pairs, as_of))
        return known[3]


def _activity_updates(updates: list[Update], activities: Mapping[str, object]) -> dict[str, tuple]:
    """The (update, item) pairs of `updates` that reach each activity, in the order `track` applies them."""
    found: dict[str, list] = {}
    for update in updates:
        for item in update.items:
            if item.ref_kind == "activity" and item.ref in activities:
                found.setdefault(item.ref, []).append((update, item))
    return {aid: tuple(pairs) for aid, pairs in found.items()}


def _activity_state(activity, pairs: tuple, as_of: date) -> tuple[str, float | None]:
    state = _from_file(activity, None, as_of)
    for update, item in pairs:
        _apply(state, update, item)
    tracked = _freeze(state)
    return tracked.status, effective_progress(tracked, activity.is_milestone)
