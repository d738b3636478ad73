"""What a change does to the plan: two computed roadmaps compared item by item.

`roadmapgen diff BASE HEAD` computes both versions as of the same day and reports what moved:
items added and removed, planned and forecast ends moved (in working days), goals, strategies
and milestones whose due is now at risk, colours changed (with the new reasons), owners changed,
and whether the roadmap's critical path changed. The rules are in docs/history.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from roadmapgen.engine.capacity import week_label

KINDS = ("goal", "strategy", "activity")
CONDITIONS = ("new-red", "due-at-risk", "removed", "over-allocated", "critical-path", "any")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference, about one item."""

    what: str  # "added" | "removed" | "moved" | "due-at-risk" | "colour" | "owner" | "over-allocated" | "allocation-eased"
    kind: str
    id: str
    title: str
    text: str  # one sentence
    path: str | None = None  # its file in the head version (for annotations), if it still exists
    line: int = 1
    before: object = None
    after: object = None
    days: int | None = None  # working days later (+) or earlier (-), for "moved"


@dataclass(frozen=True)
class PlanDiff:
    base: str
    head: str
    today: date
    changes: tuple[Change, ...]
    critical_before: tuple[str, ...]
    critical_after: tuple[str, ...]
    triggered: frozenset[str] = field(default_factory=frozenset)  # the CONDITIONS this change meets

    @property
    def critical_changed(self) -> bool:
        return self.critical_before != self.critical_after

    def of(self, what: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.what == what)


def diff_plans(base, head, base_name: str, head_name: str) -> PlanDiff:
    """The changes from `base` to `head` (two ComputedRoadmaps computed as of the same day)."""
    changes: list[Change] = []
    for kind in KINDS:
        before, after = base.roadmap.items_of(kind), head.roadmap.items_of(kind)
        changes += [_added(head, kind, i) for i in after if i not in before]
        changes += [_removed(base, kind, i) for i in before if i not in after]
        for item_id in (i for i in after if i in before):
            changes += _compared(base, head, kind, item_id)
    changes += _allocations(base, head)
    triggered = _triggered(changes, base.schedule.critical_path != head.schedule.critical_path)
    return PlanDiff(base_name, head_name, head.today, tuple(changes), base.schedule.critical_path,
                    head.schedule.critical_path, triggered)


def _item(computed, kind: str, item_id: str):
    return computed.roadmap.items_of(kind)[item_id]


def _where(computed, kind: str, item_id: str, key: str) -> tuple[str, int]:
    item = _item(computed, kind, item_id)
    return item.source.path, item.source.at(key)[0]


def _added(head, kind: str, item_id: str) -> Change:
    item = _item(head, kind, item_id)
    path, line = _where(head, kind, item_id, "title")
    return Change("added", kind, item_id, item.title, f"{kind} `{item_id}` added", path, line)


def _removed(base, kind: str, item_id: str) -> Change:
    item = _item(base, kind, item_id)
    return Change("removed", kind, item_id, item.title, f"{kind} `{item_id}` removed")


def _compared(base, head, kind: str, item_id: str) -> list[Change]:
    found = _moves(base, head, kind, item_id)
    found += _at_risk(base, head, kind, item_id)
    found += _colour(base, head, kind, item_id)
    found += _owner(base, head, kind, item_id)
    return found


def _ends(computed, kind: str, item_id: str) -> tuple[date | None, date | None]:
    """(planned end, forecast end) of an item."""
    if kind == "activity":
        s = computed.schedule.activities[item_id]
        return s.end, s.forecast_end
    span = (computed.schedule.goals if kind == "goal" else computed.schedule.strategies).get(item_id)
    return (span.end, span.forecast_end) if span else (None, None)


def _moves(base, head, kind: str, item_id: str) -> list[Change]:
    (p0, f0), (p1, f1) = _ends(base, kind, item_id), _ends(head, kind, item_id)
    cal = head.schedule.calendar
    key = "forecast end" if f0 != f1 and f0 and f1 else "planned end"
    old, new = (f0, f1) if key == "forecast end" else (p0, p1)
    if old is None or new is None or old == new:
        return []
    days = _working_days(cal, old, new)
    path, line = _where(head, kind, item_id, "due" if kind != "activity" else "start")
    direction = "later" if days > 0 else "earlier"
    text = f"{kind} `{item_id}`: {key} {old} → {new} ({abs(days)} working days {direction})"
    return [Change("moved", kind, item_id, _item(head, kind, item_id).title, text, path, line, old, new, days)]


def _working_days(cal, a: date, b: date) -> int:
    """Working days from `a` to `b`: positive when `b` is later."""
    return cal.index(b) - cal.index(a) if b >= a else -(cal.index(a) - cal.index(b))


def _late_by(computed, kind: str, item_id: str) -> int:
    if kind == "activity":
        s = computed.schedule.activities[item_id]
        return s.late_by if s.milestone or s.target_only or s.deadline_of == "own" else 0
    span = (computed.schedule.goals if kind == "goal" else computed.schedule.strategies).get(item_id)
    return span.late_by if span else 0


def _at_risk(base, head, kind: str, item_id: str) -> list[Change]:
    """A goal's, strategy's or dated activity's due that the forecast now passes and did not before."""
    before, after = _late_by(base, kind, item_id), _late_by(head, kind, item_id)
    if after <= 0 or before > 0:
        return []
    item = _item(head, kind, item_id)
    due = getattr(item, "due", None)
    path, line = _where(head, kind, item_id, "due")
    text = f"{kind} `{item_id}` is now forecast {after} working days past its due {due}"
    return [Change("due-at-risk", kind, item_id, item.title, text, path, line, 0, after, after)]


def _status(computed, kind: str, item_id: str):
    return {"goal": computed.status.goals, "strategy": computed.status.strategies,
            "activity": computed.status.activities}[kind][item_id]


def _colour(base, head, kind: str, item_id: str) -> list[Change]:
    s0, s1 = _status(base, kind, item_id), _status(head, kind, item_id)
    if s0.rag == s1.rag:
        return []
    path, line = _where(head, kind, item_id, "title")
    reasons = "; ".join(s1.reasons)
    text = f"{kind} `{item_id}`: {s0.rag} → {s1.rag}" + (f" ({reasons})" if reasons else "")
    return [Change("colour", kind, item_id, _item(head, kind, item_id).title, text, path, line, s0.rag, s1.rag)]


def _owner(base, head, kind: str, item_id: str) -> list[Change]:
    o0, o1 = _item(base, kind, item_id).owner, _item(head, kind, item_id).owner
    if o0 == o1:
        return []
    path, line = _where(head, kind, item_id, "owner")
    text = f"{kind} `{item_id}`: owner {o0 or 'none'} → {o1 or 'none'}"
    return [Change("owner", kind, item_id, _item(head, kind, item_id).title, text, path, line, o0, o1)]


def _over_weeks(computed) -> dict[str, set[date]]:
    """Each person's or team's over-allocated weeks (their Mondays), from today's week on."""
    rhythm = getattr(computed, "rhythm", None)
    if rhythm is None:
        return {}
    this_week = computed.today - timedelta(days=computed.today.weekday())
    return {load.id: {w.monday for w in load.over_weeks if w.monday >= this_week}
            for load in rhythm.capacity.over_allocated()}


def _allocations(base, head) -> list[Change]:
    """People and teams over-allocated in weeks they were not before (created), or no longer (removed)."""
    was, now = _over_weeks(base), _over_weeks(head)
    found = []
    for rid in sorted(set(was) | set(now)):
        created, removed = now.get(rid, set()) - was.get(rid, set()), was.get(rid, set()) - now.get(rid, set())
        person = head.roadmap.people.get(rid) or base.roadmap.people.get(rid)
        name = person.name if person else rid
        for what, weeks, verb in (("over-allocated", created, "now"), ("allocation-eased", removed, "no longer")):
            if weeks:
                path, line = (person.source.path, person.source.at("capacity")[0]) if rid in head.roadmap.people \
                    else (None, 1)
                text = f"{name} is {verb} over-allocated in {_weeks(weeks)}"
                labels = [week_label(m) for m in sorted(weeks)]
                before, after = (None, labels) if what == "over-allocated" else (labels, None)
                found.append(Change(what, "person", rid, name, text, path, line, before, after))
    return found


def _weeks(mondays: set[date]) -> str:
    labels = [week_label(m) for m in sorted(mondays)]
    shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
    return f"{len(labels)} week{'s' if len(labels) != 1 else ''} ({shown})"


def _triggered(changes: list[Change], critical_changed: bool) -> frozenset[str]:
    found = set()
    if any(c.what == "colour" and c.after == "red" for c in changes):
        found.add("new-red")
    if any(c.what == "due-at-risk" for c in changes):
        found.add("due-at-risk")
    if any(c.what == "removed" for c in changes):
        found.add("removed")
    if any(c.what == "over-allocated" for c in changes):
        found.add("over-allocated")
    if critical_changed:
        found.add("critical-path")
    if changes or critical_changed:
        found.add("any")
    return frozenset(found)


# -- formats ---------------------------------------------------------------------------------

SECTIONS = (("added", "Added"), ("removed", "Removed"), ("moved", "Dates moved"),
            ("due-at-risk", "Due dates now at risk"), ("colour", "Colours changed"), ("owner", "Owners changed"),
            ("over-allocated", "Over-allocations created"), ("allocation-eased", "Over-allocations removed"))


def as_text(d: PlanDiff) -> str:
    lines = [f"Plan changes from {d.base} to {d.head} (as of {d.today}):"]
    if not d.changes and not d.critical_changed:
        return lines[0] + " none."
    for what, heading in SECTIONS:
        found = d.of(what)
        if found:
            lines.append(f"{heading} ({len(found)}):")
            lines += [f"  - {c.text}" for c in found]
    if d.critical_changed:
        lines.append("Critical path changed: " + _path(d.critical_before) + " → " + _path(d.critical_after))
    return "\n".join(lines)


def as_markdown(d: PlanDiff) -> str:
    head = f"### Plan changes: `{d.base}` → `{d.head}` (as of {d.today})"
    if not d.changes and not d.critical_changed:
        return head + "\n\nNo change to the plan."
    out = [head, "", "| change | count |", "|---|---|"]
    out += [f"| {heading} | {len(d.of(what))} |" for what, heading in SECTIONS if d.of(what)]
    for what, heading in SECTIONS:
        found = d.of(what)
        if found:
            out += ["", f"**{heading}**", ""] + [f"- {_md(c.text)}" for c in found]
    if d.critical_changed:
        out += ["", f"**Critical path changed:** {_md(_path(d.critical_before))} → {_md(_path(d.critical_after))}"]
    return "\n".join(out)


def as_json(d: PlanDiff) -> dict:
    return {
        "version": 1, "base": d.base, "head": d.head, "today": d.today.isoformat(),
        "changes": [{"what": c.what, "kind": c.kind, "id": c.id, "title": c.title, "text": c.text, "path": c.path,
                     "line": c.line, "before": _plain(c.before), "after": _plain(c.after), "working_days": c.days}
                    for c in d.changes],
        "critical_path": {"changed": d.critical_changed, "before": list(d.critical_before),
                          "after": list(d.critical_after)},
        "triggered": sorted(d.triggered),
    }


def as_github(d: PlanDiff) -> str:
    """Workflow commands: a notice (a warning for risks and new reds) on each changed item's line."""
    from roadmapgen.diagnostics import _gh_escape_data, _gh_escape_property

    out = []
    for c in d.changes:
        if c.path is None:
            continue
        level = "warning" if c.what in ("due-at-risk", "over-allocated") or (c.what == "colour" and c.after == "red") \
            else "notice"
        out.append(f"::{level} file={_gh_escape_property(c.path)},line={c.line},"
                   f"title={_gh_escape_property('plan: ' + c.what)}::{_gh_escape_data(c.text)}")
    removed = [c for c in d.changes if c.path is None]
    summary = as_text(d) if removed or d.critical_changed or not out else ""
    return "\n".join(out + ([summary] if summary else []))


def _path(ids: tuple[str, ...]) -> str:
    return " → ".join(ids) if ids else "(none)"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
