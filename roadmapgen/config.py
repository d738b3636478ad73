"""roadmap.yml: its schema, and reading it into a `Config` with diagnostics."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadmapgen.content.errors import report_validation_error
from roadmapgen.content.frontmatter import FrontMatterError, parse_yaml
from roadmapgen.content.schema import Day, Name, Text
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.links import describe, link_problem
from roadmapgen.model import (
    Cadence, CalendarConfig, Checkin, CheckinConfig, Config, Holiday, SmartRules, Source, StatusRules, ThemeConfig,
)

CONFIG_NAME = "roadmap.yml"
MAX_CONFIG_BYTES = 1_000_000
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HolidayEntry(_Section):
    date: Day
    name: Name | None = None


class CalendarSection(_Section):
    workdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    holidays: list[Union[Day, HolidayEntry]] = Field(default_factory=list)


class StatusSection(_Section):
    amber_behind: Annotated[float, Field(ge=0, le=100)] = 10
    red_behind: Annotated[float, Field(ge=0, le=100)] = 25
    red_late_days: Annotated[int, Field(ge=0, le=1000)] = 10
    due_soon_days: Annotated[int, Field(ge=0, le=1000)] = 14
    rollup: Literal["worst", "weighted"] = "worst"


class SmartSection(_Section):
    achievable_factor: Annotated[float, Field(gt=0, le=100, description=(
        "Flag a goal whose needed rate exceeds this many times the rate observed so far"))] = 2.0
    horizon_months: Annotated[int, Field(ge=1, le=600, description=(
        "A goal due further than this from the roadmap's start is not time-bound"))] = 36
    lint: bool = Field(True, description="Report SMART findings as check warnings (goal pages show the card either way)")


class CadenceSection(_Section):
    every: Literal["week", "month", "quarter"]
    weekday: Weekday | None = None


class CheckinEntry(_Section):
    date: Day
    title: Name


class CheckinsSection(_Section):
    standup: CadenceSection | None = None
    review: CadenceSection | None = CadenceSection(every="quarter")
    stakeholder: list[CheckinEntry] = Field(default_factory=list)


class ThemeSection(_Section):
    name: Literal["default"] = "default"
    custom_dir: Name | None = None


class MarkdownSection(_Section):
    html: bool = Field(False, description="Pass raw HTML in Markdown bodies through (off: it is escaped)")


class ConfigFile(_Section):
    title: Name = "Roadmap"
    description: Text | None = None
    base_url: Name = "/"
    today: Day | None = None
    start: Day | None = None
    calendar: CalendarSection = Field(default_factory=CalendarSection)
    status: StatusSection = Field(default_factory=StatusSection)
    smart: SmartSection = Field(default_factory=SmartSection)
    checkins: CheckinsSection = Field(default_factory=CheckinsSection)
    theme: ThemeSection = Field(default_factory=ThemeSection)
    markdown: MarkdownSection = Field(default_factory=MarkdownSection)
    git_history: bool = Field(True, description="Read the plan's history from git on every build: slips, "
                                                "milestone trends (false: those sections say it is off)")
    baseline: Union[Day, Name] | None = Field(None, description=(
        "The baseline to compare against: a name (baselines/<name>.yml, saved by `roadmapgen baseline NAME`), "
        "git:REF (the schedule as committed at a tag, branch or commit) or a date (as committed then)"))


def normalise_base_url(value: str) -> str:
    """'roadmap' → '/roadmap/'; absolute URLs keep their scheme and host."""
    value = value.strip() or "/"
    if "://" not in value and not value.startswith("/"):
        value = "/" + value
    return value if value.endswith("/") else value + "/"


def _to_config(front: ConfigFile, source: Source) -> Config:
    holidays = tuple(
        Holiday(h.date, h.name) if isinstance(h, HolidayEntry) else Holiday(h) for h in front.calendar.holidays
    )
    cadence = lambda c: Cadence(c.every, WEEKDAYS.index(c.weekday) if c.weekday else None) if c else None
    return Config(
        title=front.title,
        description=front.description,
        base_url=normalise_base_url(front.base_url),
        today=front.today,
        start=front.start,
        calendar=CalendarConfig(
            workdays=tuple(sorted({WEEKDAYS.index(day) for day in front.calendar.workdays})),
            holidays=tuple(sorted(holidays, key=lambda h: h.date)),
        ),
        status=StatusRules(**front.status.model_dump()),
        smart=SmartRules(**front.smart.model_dump()),
        checkins=CheckinConfig(
            standup=cadence(front.checkins.standup),
            review=cadence(front.checkins.review),
            stakeholder=tuple(sorted((Checkin(c.date, c.title) for c in front.checkins.stakeholder),
                                     key=lambda c: (c.date, c.title))),
        ),
        theme=ThemeConfig(front.theme.name, front.theme.custom_dir),
        markdown_html=front.markdown.html,
        git_history=front.git_history,
        source=source,
        baseline=front.baseline.isoformat() if isinstance(front.baseline, date) else front.baseline,
    )


def load_config(path: Path, diagnostics: Diagnostics) -> Config:
    """Read roadmap.yml. Problems become diagnostics; the defaults fill in what is unreadable."""
    return load_config_text(_read_config_text(path, diagnostics), diagnostics)


def load_config_text(text: str | None, diagnostics: Diagnostics) -> Config:
    """The settings of roadmap.yml's text (None: unreadable, the defaults); a past version from
    git comes here directly (versions.py)."""
    parsed = _parse_config(text, diagnostics) if text is not None else None
    if parsed is None:
        return Config()
    data, source = parsed
    try:
        front = ConfigFile.model_validate(data)
    except ValidationError as error:
        report_validation_error(error, ConfigFile, CONFIG_NAME, lambda loc: source.at(*loc), diagnostics)
        front = ConfigFile.model_validate(_drop_invalid(data, error))
    config = _to_config(front, source)
    _check_thresholds(config, source, diagnostics)
    return config


def _read_config_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """roadmap.yml as text with '\n' line ends, or None after reporting why it cannot be read."""
    name = CONFIG_NAME
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            diagnostics.error(name, 0, 0, "file-too-large", f"{name} is larger than {MAX_CONFIG_BYTES // 1000} kB",
                              "roadmap.yml holds a few dozen settings; check that it is the right file")
            return None
        data = path.read_bytes()
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        diagnostics.error(name, line, column, "not-utf8", f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x})",
                          "save the file as UTF-8 (editors offer it under 'encoding')")
    except OSError as error:
        diagnostics.error(name, 0, 0, "config-unreadable", f"cannot read {name}: {error.strerror or error}")
    return None


def _parse_config(text: str, diagnostics: Diagnostics) -> tuple[dict, Source] | None:
    """The settings as a mapping with the position of every key, or None after reporting why not."""
    name = CONFIG_NAME
    try:
        parsed = parse_yaml(text)
    except FrontMatterError as error:
        diagnostics.error(name, error.line, error.column, error.code, error.message, error.hint)
        return None
    for key, line, column in parsed.duplicates:
        diagnostics.error(name, line, column, "duplicate-key", f"'{'.'.join(map(str, key))}' is set twice",
                          "remove one of them: YAML keeps only the last")
    data = parsed.data if parsed.data is not None else {}
    if not isinstance(data, dict):
        diagnostics.error(name, 1, 1, "not-a-mapping", f"{name} must be a mapping of settings",
                          "write one 'name: value' per line, e.g. 'title: Our roadmap'")
        return None
    return data, Source(name, parsed.positions, 1)


def _drop_invalid(data: dict, error: ValidationError) -> dict:
    """The settings without the top-level sections that failed, so defaults apply to them."""
    bad = {problem["loc"][0] for problem in error.errors() if problem["loc"]}
    return {key: value for key, value in data.items() if key not in bad}


def _check_thresholds(config: Config, source: Source, diagnostics: Diagnostics) -> None:
    rules = config.status
    if rules.red_behind < rules.amber_behind:
        line, column = source.at("status", "red_behind")
        diagnostics.error(CONFIG_NAME, line, column, "invalid-value",
                          f"status.red_behind ({rules.red_behind:g}) is below status.amber_behind ({rules.amber_behind:g})",
                          "red must need more lag than amber: raise red_behind or lower amber_behind")


def default_today(config: Config, override: date | None) -> date:
    """The date status is computed at: --today, else roadmap.yml's `today`, else the build date."""
    return override or config.today or date.today()


def resolve_custom_dir(project: Path, config: Config, diagnostics: Diagnostics) -> Path | None:
    """The user's theme overrides folder (`theme.custom_dir`), which must be inside the project:
    a roadmap from someone else must not be able to publish or render files from elsewhere."""
    custom_dir = config.theme.custom_dir
    if not custom_dir:
        return None
    line, column = config.source.at("theme", "custom_dir")
    given = Path(custom_dir).expanduser()
    resolved = (given if given.is_absolute() else project / given).resolve()
    if not resolved.is_relative_to(project.resolve()):
        diagnostics.error(config.source.path, line, column, "path-outside-project",
                          f"theme.custom_dir '{custom_dir}' points outside the project",
                          "copy the theme folder into the project and name it relative to roadmap.yml")
        return None
    if not resolved.is_dir():
        diagnostics.error(config.source.path, line, column, "missing-folder",
                          f"theme.custom_dir '{custom_dir}' is not a folder", "create it or fix the path")
        return None
    check_theme_files(project, resolved, diagnostics)
    return resolved


def check_theme_files(project: Path, folder: Path, diagnostics: Diagnostics) -> None:
    """Report each file of a user's theme folder that must not be published or rendered: a link
    out of the folder (say, to /proc/self/environ or a key), a link loop, a folder that cannot
    be read, or something that is not a regular file (a named pipe would hang the build)."""
    project = project.resolve()

    def place(path: Path) -> str:
        return path.relative_to(project).as_posix() if path.is_relative_to(project) else path.as_posix()

    def unreadable(error: OSError) -> None:
        diagnostics.error(place(Path(error.filename)), 0, 0, "unreadable", f"cannot read this folder: {error.strerror}",
                          "make it readable, or remove it from the theme folder")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            what = "folder" if name in dirnames else "file"
            problem = link_problem(path, folder) if path.is_symlink() else None
            if problem:
                code, message = describe(problem, what, f"the theme folder {place(folder)}/")
                diagnostics.error(place(path), 0, 0, code, message,
                                  "copy what it links to into the theme folder: every file of a theme is published "
                                  "or rendered")
            elif what == "file" and not path.is_file():
                diagnostics.error(place(path), 0, 0, "unreadable", "this is not a regular file",
                                  "a theme holds plain files only: remove it")
