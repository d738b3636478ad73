"""`roadmapgen new KIND TITLE`: one new content file, with the front matter its kind needs.

The file passes `check` as written: required fields are filled (dates from the roadmap's today,
the parent from --goal/--strategy), and optional ones are shown as comments to fill in. `new
update` lists this week's business from the computed roadmap: every activity in progress, and
every open goal, strategy and activity due within `status.due_soon_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.model import PLURAL
from roadmapgen.publish.files import slugify, write_new, yaml_value

NEW_KINDS = ("goal", "strategy", "activity", "person", "tool", "update", "review")
CLOSED = ("complete", "cancelled")  # colours of items that need no more reporting


class NewError(Exception):
    """What stops `new` from writing, and what to do."""


@dataclass(frozen=True)
class NewFile:
    """The file `new` writes, and for an update how many items it lists."""

    path: Path  # where it goes, under content/
    text: str
    items: int = 0  # for an update: how many items it lists


def _front(lines: list[str], body: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def _pick(kind: str, given: str | None, known, option: str) -> str:
    """A parent id given on the command line, checked against the roadmap."""
    if given is None:
        choices = ", ".join(list(known)[:10]) or f"none yet: create a {kind} first"
        raise NewError(f"give the {kind} it serves with {option} ID ({PLURAL[kind]}: {choices})")
    if given not in known:
        raise NewError(f"there is no {kind} '{given}'; {option} takes the id of one in content/{PLURAL[kind]}/")
    return given


def _owner(owner: str | None, computed: ComputedRoadmap) -> str:
    if owner is None:
        return "# owner: person-id            # who is accountable (a file in content/people/)"
    if owner not in computed.roadmap.people:
        raise NewError(f"there is no person '{owner}'; --owner takes the id of a file in content/people/")
    return f"owner: {owner}"


def goal_file(title: str, today: date, owner: str) -> list[str]:
    """A goal's front matter: due in a year, the metric and why as comments."""
    return [f"title: {yaml_value(title)}", owner, f"start: {today.isoformat()}",
            f"due: {date(today.year + 1, today.month, min(today.day, 28)).isoformat()}   # when it must be met",
            "status: active",
            "# metric:                       # how success is counted",
            "#   name: On-time deliveries",
            "#   unit: \"%\"",
            "#   baseline: 91",
            "#   target: 97",
            "# why: Why this goal matters",
            "tags: []"]


def strategy_file(title: str, today: date, owner: str, goal: str, goal_due: date) -> list[str]:
    """A strategy's front matter: due in six months, or with its goal if that is sooner."""
    due = min(today + timedelta(days=182), goal_due)  # not after its goal's (a due-after-goal warning)
    return [f"title: {yaml_value(title)}", f"goal: {goal}", owner, f"start: {min(today, due).isoformat()}",
            f"due: {due.isoformat()}   # the milestone date", "status: active", "tags: []"]


def activity_file(title: str, owner: str, parent: tuple[str, str]) -> list[str]:
    """An activity's front matter: two weeks long, under its strategy or goal."""
    return [f"title: {yaml_value(title)}", f"{parent[0]}: {parent[1]}", owner,
            "duration: 2w                   # working days (10d) or weeks (2w); 0d is a milestone",
            "# start: YYYY-MM-DD            # else it starts after depends_on, or with its strategy",
            "# due: YYYY-MM-DD              # a deadline it is judged against",
            "depends_on: []                 # activity ids that must finish first",
            "status: not-started            # not-started | in-progress | done | blocked | paused | cancelled",
            "# progress: 0",
            "resources: []                  # person or tool ids, or {id: ..., load: 50}",
            "tags: []"]


def person_file(title: str) -> list[str]:
    """A person's front matter."""
    return [f"name: {yaml_value(title)}", "# role: Product manager", "# team: Product",
            "# email: name@example.com", "capacity: 100                  # percent of a full-time week"]


def tool_file(title: str) -> list[str]:
    """A tool's front matter."""
    return [f"name: {yaml_value(title)}", "# kind: SaaS", "# cost: €1,200 a month", "# notes: Who to ask for access"]


def review_file(title: str, today: date) -> list[str]:
    """A quarterly review's front matter, for the quarter `today` is in."""
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return [f"title: {yaml_value(title)}", f"quarter: {quarter}", f"date: {today.isoformat()}",
            "attendees: []                  # person ids", "decisions: []"]


def due_soon_or_in_progress(computed: ComputedRoadmap) -> list[tuple[str, str]]:
    """(kind, id) of every open item due by today + status.due_soon_days, and every activity in
    progress, in the roadmap's order: what this week's update should report on."""
    horizon = computed.today + timedelta(days=computed.roadmap.config.status.due_soon_days)
    found = []
    for kind, statuses in (("goal", computed.status.goals), ("strategy", computed.status.strategies),
                           ("activity", computed.status.activities)):
        items = computed.roadmap.items_of(kind)
        for item_id in computed.order.of_kind(kind):
            if statuses[item_id].rag in CLOSED:
                continue
            due = _due(computed, kind, item_id, items[item_id])
            in_progress = kind == "activity" and computed.tracking.activities[item_id].status == "in-progress"
            if in_progress or (due is not None and due <= horizon):
                found.append((kind, item_id))
    return found


def _due(computed: ComputedRoadmap, kind: str, item_id: str, item) -> date | None:
    if kind != "activity":
        return item.due
    return item.due or computed.schedule.activities[item_id].end


def _ref(computed: ComputedRoadmap, kind: str, item_id: str) -> str:
    """The update's reference: the plain id, or 'kind:id' when another kind has the same id."""
    clashes = sum(item_id in computed.roadmap.items_of(other) for other in ("goal", "strategy", "activity"))
    return f"{kind}:{item_id}" if clashes > 1 else item_id


def update_file(title: str, computed: ComputedRoadmap, author: str) -> tuple[list[str], int]:
    """An update's front matter, listing what is in progress or due soon; and how many items."""
    lines = [f"title: {yaml_value(title)}", f"date: {computed.today.isoformat()}",
             author, "kind: standup"]
    items = due_soon_or_in_progress(computed)
    if not items:
        return lines + ["items: []                      # nothing is in progress or due soon"], 0
    lines.append("items:                         # in progress or due soon; set what changed, remove the rest")
    for kind, item_id in items:
        item = computed.roadmap.items_of(kind)[item_id]
        lines.append(f"  - ref: {_ref(computed, kind, item_id)}    # {_comment(item.title)}")
        progress = _progress(computed, kind, item_id)
        if progress is not None:
            lines.append(f"    progress: {yaml_value(float(progress))}")
        lines.append("    # note: What changed this week")
    return lines, len(items)


def _progress(computed: ComputedRoadmap, kind: str, item_id: str) -> float | None:
    """An activity's effective progress today (restating it changes nothing until edited)."""
    if kind != "activity":
        return None
    return computed.status.activities[item_id].progress


def _comment(text: str) -> str:
    return " ".join(text.split())[:80]


BODIES = {
    "goal": "Why this goal matters, how it is measured, and what is out of scope.\n",
    "strategy": "How this strategy moves its goal, and what it will not do.\n",
    "activity": "What will be done, by whom, and what done looks like.\n",
    "person": "What they own, and how to reach them.\n",
    "tool": "What it is used for, and who administers it.\n",
    "update": "**Wins.**\n\n**Blockers.**\n\n**Next.**\n",
    "review": "## Results\n\n## What we learned\n\n## Next quarter\n",
}


def new_file(project: Path, computed: ComputedRoadmap, kind: str, title: str, *, owner: str | None = None,
             goal: str | None = None, strategy: str | None = None) -> NewFile:
    """The file `new` writes for `kind` and `title` (not yet written)."""
    title = " ".join(title.split())
    if not title:
        raise NewError("give a title, e.g. roadmapgen new activity \"Pilot parcel lockers\"")
    item_id = slugify(title)
    if kind in ("update", "review") and not item_id.startswith(computed.today.isoformat()):
        item_id = slugify(f"{computed.today.isoformat()} {title}")
    owner_line = _owner(owner, computed) if kind in ("goal", "strategy", "activity", "update") else ""
    if kind == "update":
        owner_line = owner_line.replace("owner:", "author:", 1).replace("who is accountable", "who writes it")
    items = 0
    if kind == "goal":
        lines = goal_file(title, computed.today, owner_line)
    elif kind == "strategy":
        goal_id = _pick("goal", goal, computed.roadmap.goals, "--goal")
        lines = strategy_file(title, computed.today, owner_line, goal_id, computed.roadmap.goals[goal_id].due)
    elif kind == "activity":
        if strategy is not None or goal is None:
            parent = ("strategy", _pick("strategy", strategy, computed.roadmap.strategies, "--strategy"))
        else:
            parent = ("goal", _pick("goal", goal, computed.roadmap.goals, "--goal"))
        lines = activity_file(title, owner_line, parent)
    elif kind == "person":
        lines = person_file(title)
    elif kind == "tool":
        lines = tool_file(title)
    elif kind == "update":
        lines, items = update_file(title, computed, owner_line)
    else:
        lines = review_file(title, computed.today)
    lines = [line for line in lines if line]
    path = project / "content" / PLURAL[kind] / f"{item_id}.md"
    return NewFile(path, _front(lines, BODIES[kind]), items)


def write_new_file(project: Path, new: NewFile, today: date | None = None) -> None:
    """Write the file, after checking that `check` will accept it as written."""
    from roadmapgen.publish.project import problems_with

    errors = [p for p in problems_with(project, {new.path: new.text}, today) if p.severity.value == "error"]
    if errors:
        raise NewError("the new file would not pass check, so it was not written:\n" +
                       "\n".join(problem.as_text() for problem in errors))
    write_new(new.path, new.text, project)
