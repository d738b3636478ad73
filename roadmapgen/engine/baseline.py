"""Baselines: the schedule as it was, and what slipped since (docs/baselines.md).

Everything downstream (the Gantt's baseline bars, slippage on pages and in quarterly reviews, the
"what changed" page) reads one value, `PlannedSchedule`: every item's start, end, owner and title
at some earlier time. `schedule_as_it_was` is the one place that produces it; today it reads the
file `baselines/<name>.yml` that `roadmap.yml`'s `baseline:` names (saved by `roadmapgen
baseline NAME`). A git ref or a past date can fill the same value later without any reader
changing.

A baseline file is input like any other: whatever it holds (not YAML, not a mapping, wrong
types, unknown items, a link out of the project, megabytes of text) becomes diagnostics with
file:line, never an exception.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from roadmapgen.content.frontmatter import FrontMatterError, parse_yaml
from roadmapgen.content.schema import to_date
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.links import describe, link_problem
from roadmapgen.model import Roadmap

if TYPE_CHECKING:
    from roadmapgen.engine.calendar import WorkCalendar
    from roadmapgen.engine.schedule import Schedule

FOLDER = "baselines"
MAX_BYTES = 20_000_000  # a baseline of 10,000 activities is about 1.5 MB
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
KINDS = ("goal", "strategy", "activity")
FORMAT = 1


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One item as the baseline had it."""

    kind: str
    id: str
    title: str
    start: date | None
    end: date | None
    owner: str | None


@dataclass(frozen=True)
class PlannedSchedule:
    """The schedule as it was: every item's dates and owner, and where that came from."""

    name: str  # "q4"
    saved: date | None  # the date it describes (the build's today when it was saved)
    source: str  # where it was read, e.g. "baselines/q4.yml"
    items: Mapping[tuple[str, str], PlannedItem]  # (kind, id) → the item


def valid_name(name: str) -> bool:
    """A baseline's name is a file name: letters, digits, '.', '_', '-', not starting with a dot."""
    return bool(NAME.fullmatch(name)) and ".." not in name


def baseline_path(project: Path, name: str) -> Path:
    """Where baseline `name` is saved: baselines/<name>.yml beside roadmap.yml."""
    return project / FOLDER / f"{name}.yml"


# -- the schedule as it is now, and saving it -----------------------------------------------------

def current_plan(roadmap: Roadmap, schedule: Schedule, name: str, today: date) -> PlannedSchedule:
    """The schedule as it stands: each activity's expected span (its forecast: the plan where
    nothing moved it), and each strategy's and goal's span over its activities."""
    items: dict[tuple[str, str], PlannedItem] = {}
    for goal in roadmap.goals.values():
        span = schedule.goals.get(goal.id)
        items[("goal", goal.id)] = PlannedItem("goal", goal.id, goal.title, span.start if span else goal.start,
                                               _span_end(span) or goal.due, goal.owner)
    for strategy in roadmap.strategies.values():
        span = schedule.strategies.get(strategy.id)
        items[("strategy", strategy.id)] = PlannedItem("strategy", strategy.id, strategy.title,
                                                       span.start if span else strategy.start,
                                                       _span_end(span) or strategy.due, strategy.owner)
    for activity in roadmap.activities.values():
        scheduled = schedule.activities.get(activity.id)
        start = scheduled.forecast_start if scheduled else activity.start
        end = scheduled.forecast_end if scheduled else activity.due
        items[("activity", activity.id)] = PlannedItem("activity", activity.id, activity.title, start, end,
                                                       activity.owner)
    return PlannedSchedule(name, today, f"{FOLDER}/{name}.yml", items)


def _span_end(span) -> date | None:
    if span is None:
        return None
    return span.forecast_end or span.end


def _yaml_text(value: str) -> str:
    """A string as a double-quoted YAML scalar (titles hold colons, quotes, anything)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def to_yaml(plan: PlannedSchedule) -> str:
    """The baseline file's text: one line per item, grouped by kind."""
    lines = [f"# Baseline '{plan.name}', saved by `roadmapgen baseline {plan.name}`: every item's start and end",
             "# as scheduled that day. Compare against it with `baseline: " + plan.name + "` in roadmap.yml.",
             f"format: {FORMAT}", f"name: {_yaml_text(plan.name)}",
             f"saved: {plan.saved.isoformat() if plan.saved else 'null'}"]
    for kind in KINDS:
        entries = [item for (k, _), item in plan.items.items() if k == kind]
        lines.append(f"{kind}:" if entries else f"{kind}: {{}}")
        for item in entries:
            fields = [f"start: {item.start.isoformat() if item.start else 'null'}",
                      f"end: {item.end.isoformat() if item.end else 'null'}",
                      f"owner: {_yaml_text(item.owner) if item.owner else 'null'}",
                      f"title: {_yaml_text(item.title)}"]
            lines.append(f"  {_yaml_text(item.id)}: {{{', '.join(fields)}}}")
    return "\n".join(lines) + "\n"


class BaselineExists(Exception):
    """The baseline file is there already; `--force` replaces it."""


def save_baseline(project: Path, plan: PlannedSchedule, force: bool = False) -> Path:
    """Write `baselines/<name>.yml`; refuse to replace one unless `force`, and never write
    through a link. Returns the path written."""
    folder = project / FOLDER
    if folder.is_symlink():
        raise OSError(f"{FOLDER}/ is a symbolic link; roadmapgen does not write through links")
    folder.mkdir(exist_ok=True)
    target = baseline_path(project, plan.name)
    if target.is_symlink():
        raise OSError(f"{FOLDER}/{plan.name}.yml is a symbolic link; roadmapgen does not write through links")
    if target.exists() and not force:
        raise BaselineExists(f"{FOLDER}/{plan.name}.yml exists")
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    with os.fdopen(os.open(staged, flags, 0o644), "w", encoding="utf-8") as handle:
        handle.write(to_yaml(plan))
    if force:
        os.replace(staged, target)
    else:
        try:
            os.link(staged, target)  # fails if the file appeared meanwhile: nothing is overwritten
        finally:
            staged.unlink()
    return target


# -- reading a baseline file ----------------------------------------------------------------------

def schedule_as_it_was(project: Path | None, roadmap: Roadmap, diagnostics: Diagnostics) -> PlannedSchedule | None:
    """The schedule to compare against: the baseline `roadmap.yml` names, or None when it names
    none (or it cannot be read: then diagnostics say why)."""
    name = roadmap.config.baseline
    if not name or project is None:
        return None
    config = roadmap.config.source
    line, column = config.at("baseline")
    ref = git_reference(name)
    if ref is not None:
        return _from_git(project, name, ref, diagnostics, (config.path, line, column))
    if not valid_name(name):
        diagnostics.error(config.path, line, column, "baseline-name",
                          f"baseline '{name}' is not a valid baseline name",
                          "use letters, digits, '.', '_' or '-', as in `roadmapgen baseline q4`")
        return None
    path = baseline_path(project, name)
    shown = f"{FOLDER}/{name}.yml"
    text = _read(project, path, shown, diagnostics)
    if text is None:
        if not path.exists() and not path.is_symlink():
            diagnostics.error(config.path, line, column, "baseline-missing",
                              f"roadmap.yml compares against baseline '{name}', but {shown} does not exist",
                              f"save it with `roadmapgen baseline {name}`, or remove `baseline:` from roadmap.yml")
        return None
    return read_baseline(text, name, shown, roadmap, diagnostics)


def git_reference(name: str) -> str | None:
    """The git ref or date a baseline names (`git:v2026-q3`, `2026-09-30`), or None for a file's name."""
    if name.startswith("git:"):
        return name[4:].strip() or None
    return name if re.fullmatch(r"\d{4}-\d{2}-\d{2}", name) else None


def _from_git(project: Path, name: str, ref: str, diagnostics: Diagnostics, where: tuple) -> PlannedSchedule | None:
    """The schedule as committed at a git ref, or at the end of a date: that version of the
    roadmap, scheduled as of its day (docs/history.md), with no file to keep by hand."""
    from roadmapgen.engine.schedule import schedule_roadmap
    from roadmapgen.engine.tracking import track
    from roadmapgen.versions import GitUnavailable, roadmap_at

    try:
        version, old, day = roadmap_at(project, ref)
    except GitUnavailable as error:
        diagnostics.error(*where, "baseline-git", f"baseline '{name}' cannot be read from git: {error}",
                          "commit the roadmap, name an existing tag, branch, commit or date, or save a baseline "
                          "file with `roadmapgen baseline NAME`")
        return None
    as_of = old.config.today or day
    schedule = schedule_roadmap(old, track(old, as_of), as_of, Diagnostics())
    plan = current_plan(old, schedule, name, as_of)
    return PlannedSchedule(name, as_of, f"git {version.short} ({version.day}, {version.subject})", plan.items)


def _read(project: Path, path: Path, shown: str, diagnostics: Diagnostics) -> str | None:
    if not path.exists() and not path.is_symlink():
        return None
    for part in (path.parent, path):
        if part.is_symlink():
            problem = link_problem(part, project.resolve())
            if problem:
                code, message = describe(problem, "file" if part == path else "folder", "the project")
                diagnostics.error(shown, 1, 1, code, message, "copy the baseline into baselines/ as a plain file")
                return None
    try:
        if not path.is_file():
            diagnostics.error(shown, 1, 1, "unreadable", "this is not a regular file",
                              "a baseline is a YAML file written by `roadmapgen baseline`")
            return None
        if path.stat().st_size > MAX_BYTES:
            diagnostics.error(shown, 1, 1, "file-too-large", f"the baseline is larger than {MAX_BYTES // 1_000_000} MB",
                              "save it again with `roadmapgen baseline NAME --force`")
            return None
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        diagnostics.error(shown, 1, 1, "not-utf8", "the baseline is not UTF-8 text",
                          "save it again with `roadmapgen baseline NAME --force`")
    except OSError as error:
        diagnostics.error(shown, 1, 1, "unreadable", f"cannot read the baseline: {error.strerror or error}")
    return None


def read_baseline(text: str, name: str, shown: str, roadmap: Roadmap | None,
                  diagnostics: Diagnostics) -> PlannedSchedule | None:
    """A baseline file's text as a `PlannedSchedule`; each entry that cannot be read is a
    diagnostic with its line, and the others are kept."""
    try:
        parsed = parse_yaml(text)
    except FrontMatterError as error:
        diagnostics.error(shown, error.line or 1, error.column or 1, error.code, error.message, error.hint)
        return None
    data = parsed.data
    if not isinstance(data, dict):
        diagnostics.error(shown, 1, 1, "baseline-invalid", "a baseline must be a mapping with goal:, strategy: "
                          "and activity: sections", "save it again with `roadmapgen baseline NAME --force`")
        return None

    def at(*keys) -> tuple[int, int]:
        path = tuple(keys)
        while path:
            if path in parsed.positions:
                return parsed.positions[path]
            path = path[:-1]
        return (1, 1)

    def problem(keys: tuple, message: str) -> None:
        line, column = at(*keys)
        diagnostics.warning(shown, line, column, "baseline-invalid", message,
                            "fix the entry, or save the baseline again with `roadmapgen baseline NAME --force`")

    saved = _date(data.get("saved"))
    items: dict[tuple[str, str], PlannedItem] = {}
    for kind in KINDS:
        section = data.get(kind) or {}
        if not isinstance(section, dict):
            problem((kind,), f"'{kind}' must map each {kind} id to its start and end")
            continue
        for item_id, entry in section.items():
            item = _entry(kind, item_id, entry, problem)
            if item is not None:
                items[(kind, item.id)] = item
    return PlannedSchedule(name, saved, shown, items)


def _entry(kind: str, item_id, entry, problem) -> PlannedItem | None:
    where = (kind, item_id)
    if not isinstance(item_id, str) or not item_id:
        problem(where, f"a {kind} id must be text")
        return None
    if not isinstance(entry, dict):
        problem(where, f"{kind} '{item_id}' must be a mapping with start and end")
        return None
    dates = {}
    for key in ("start", "end"):
        value = entry.get(key)
        dates[key] = _date(value)
        if value is not None and dates[key] is None:
            problem(where + (key,), f"{kind} '{item_id}': {key} '{value}' is not a date (YYYY-MM-DD)")
            return None
    owner, title = entry.get("owner"), entry.get("title")
    if owner is not None and not isinstance(owner, str):
        problem(where + ("owner",), f"{kind} '{item_id}': owner must be a person's id")
        owner = None
    if title is not None and not isinstance(title, str):
        title = None
    return PlannedItem(kind, item_id, title or item_id, dates["start"], dates["end"], owner)


def _date(value) -> date | None:
    if value is None:
        return None
    try:
        return to_date(value)
    except (ValueError, TypeError):
        return None


# -- comparing ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Slip:
    """How far an item's end moved against the baseline, in working days (positive: later)."""

    kind: str
    id: str
    before: date
    after: date
    days: int

    @property
    def words(self) -> str:
        """"12 working days later", "3 working days earlier", "on its baseline"."""
        if self.days == 0:
            return "on its baseline"
        unit = "working day" if abs(self.days) == 1 else "working days"
        return f"{abs(self.days)} {unit} {'later' if self.days > 0 else 'earlier'}"


def slip_days(before: date, after: date, calendar: WorkCalendar) -> int:
    """Working days from `before` to `after`: positive when `after` is later."""
    if after >= before:
        return calendar.working_days_between(before, after) - (1 if calendar.is_working_day(before) else 0)
    return -slip_days(after, before, calendar)


@dataclass(frozen=True)
class Comparison:
    """The schedule now against the schedule as it was."""

    baseline: PlannedSchedule
    slips: Mapping[tuple[str, str], Slip]  # every item in both with both ends known (0 when unmoved)
    added: tuple[tuple[str, str], ...]  # in the roadmap, not in the baseline
    removed: tuple[PlannedItem, ...]  # in the baseline, not in the roadmap any more
    moved: tuple[tuple[str, str], ...]  # start or end differ
    reowned: tuple[tuple[tuple[str, str], str | None, str | None], ...]  # (key, owner before, owner now)
    now: PlannedSchedule | None = None  # the schedule it was compared with

    def total(self, kind: str = "activity") -> int:
        """The sum of the slips of one kind, in working days (later minus earlier)."""
        return sum(s.days for (k, _), s in self.slips.items() if k == kind)

    def slipped(self, kind: str = "activity") -> tuple[Slip, ...]:
        """The items of a kind that end later or earlier than in the baseline, worst first."""
        return tuple(sorted((s for (k, _), s in self.slips.items() if k == kind and s.days),
                            key=lambda s: (-s.days, s.id)))


def compare(baseline: PlannedSchedule, now: PlannedSchedule, calendar: WorkCalendar) -> Comparison:
    """What moved between two schedules: slips, and the items added, removed, moved and re-owned."""
    slips: dict[tuple[str, str], Slip] = {}
    moved, reowned = [], []
    for key, item in now.items.items():
        old = baseline.items.get(key)
        if old is None:
            continue
        if old.end is not None and item.end is not None:
            slips[key] = Slip(key[0], key[1], old.end, item.end, slip_days(old.end, item.end, calendar))
        if (old.start, old.end) != (item.start, item.end):
            moved.append(key)
        if old.owner != item.owner:
            reowned.append((key, old.owner, item.owner))
    added = tuple(key for key in now.items if key not in baseline.items)
    removed = tuple(item for key, item in baseline.items.items() if key not in now.items)
    return Comparison(baseline, slips, added, removed, tuple(moved), tuple(reowned), now)
