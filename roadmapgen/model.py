"""The roadmap as plain, typed data: what the loader produces and every later stage reads.

Items are frozen: a stage that computes something returns a new structure keyed by id
(see engine/schedule.py and engine/status.py) instead of changing the items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal, Mapping

from roadmapgen.names import KINDS, PLURAL, SINGULAR  # noqa: F401  (KINDS, PLURAL: re-exported)

Rag = Literal["green", "amber", "red"]
GoalStatus = Literal["planned", "active", "done", "paused", "cancelled"]
ActivityStatus = Literal["not-started", "in-progress", "done", "blocked", "paused", "cancelled"]
Direction = Literal["increase", "decrease"]

FOLDERS = SINGULAR  # folder under content/ → kind (the kinds are named in names.py)
# Ids are file names on the site too (`<plural>/<id>.html`): an id must not be a name the site
# writes beside the items (a section's `index.html`, see site/urls.py), nor too long for a file.
RESERVED_IDS = frozenset({"index"})
MAX_ID_LENGTH = 200

_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item was written: the file, and the line and column of each front-matter key.

    `positions` maps a key path such as ("owner",) or ("items", 2, "ref") to (line, column).
    """

    path: str
    positions: Mapping[tuple, tuple[int, int]] = field(default_factory=lambda: _EMPTY)
    line: int = 1  # the first line of the front matter

    def at(self, *keys: object) -> tuple[int, int]:
        """The position of a key path, or of its nearest written parent, or of the file."""
        path = tuple(keys)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (self.line, 1)


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str | None
    baseline: float
    target: float
    current: float | None
    direction: Direction


@dataclass(frozen=True, slots=True)
class Assignment:
    """A resource (person or tool) working on an activity at `load` percent."""

    id: str
    load: float = 100.0


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    title: str
    owner: str | None
    start: date | None
    due: date
    metric: Metric | None
    why: str | None
    status: GoalStatus
    rag: Rag | None
    rag_reason: str | None
    tags: tuple[str, ...]
    updated: date | None
    body: str
    source: Source
    kind: str = "goal"
    order: int | None = None  # where it is listed among its siblings (engine/facts.py ItemOrder)


@dataclass(frozen=True, slots=True)
class Strategy:
    id: str
    title: str
    goal: str
    owner: str | None
    start: date | None
    due: date
    status: GoalStatus
    rag: Rag | None
    rag_reason: str | None
    tags: tuple[str, ...]
    updated: date | None
    body: str
    source: Source
    kind: str = "strategy"
    order: int | None = None  # where it is listed among its siblings (engine/facts.py ItemOrder)


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    title: str
    strategy: str | None
    goal: str | None  # exactly one of strategy/goal is set in the file; see `goal_id` on the roadmap
    owner: str | None
    start: date | None
    due: date | None
    duration: int | None  # working days; 0 is a milestone
    depends_on: tuple[str, ...]
    progress: float | None
    status: ActivityStatus
    resources: tuple[Assignment, ...]
    rag: Rag | None
    rag_reason: str | None
    tags: tuple[str, ...]
    updated: date | None
    body: str
    source: Source
    kind: str = "activity"
    order: int | None = None  # where it is listed among its siblings (engine/facts.py ItemOrder)

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: str | None
    team: str | None
    email: str | None
    capacity: float
    time_off: tuple[DateRange, ...]
    body: str
    source: Source
    kind: str = "person"
    type: str = "person"  # "person" | "team" | "organisation": who or what delivers the work (RESOURCE_TYPES)

    @property
    def title(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Tool:
    id: str
    name: str
    tool_kind: str | None
    cost: str | None
    notes: str | None
    body: str
    source: Source
    kind: str = "tool"

    @property
    def title(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class UpdateItem:
    """One item moved by an update. `ref_kind` is goal, strategy or activity."""

    ref_kind: str
    ref: str
    progress: float | None
    status: str | None
    rag: Rag | None
    rag_reason: str | None
    metric: float | None
    note: str | None
    index: int  # position in the update's `items` list, for error locations


@dataclass(frozen=True, slots=True)
class Update:
    id: str
    title: str
    date: date
    author: str | None
    update_kind: str
    items: tuple[UpdateItem, ...]
    body: str
    source: Source
    kind: str = "update"


@dataclass(frozen=True, slots=True)
class Review:
    id: str
    title: str
    quarter: str
    date: date
    attendees: tuple[str, ...]
    decisions: tuple[str, ...]
    body: str
    source: Source
    kind: str = "review"


@dataclass(frozen=True, slots=True)
class Holiday:
    date: date
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarConfig:
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday is 0, as in date.weekday()
    holidays: tuple[Holiday, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusRules:
    amber_behind: float = 10.0
    red_behind: float = 25.0
    red_late_days: int = 10
    due_soon_days: int = 14
    rollup: Literal["worst", "weighted"] = "worst"


@dataclass(frozen=True, slots=True)
class SmartRules:
    """SMART lint's thresholds (engine/smart.py, docs/smart.md)."""

    achievable_factor: float = 2.0  # flag a goal needing more than this × the rate observed so far
    horizon_months: int = 36  # a due date further than this from the roadmap's start is not time-bound
    lint: bool = True  # report findings as `check` warnings (the cards are shown either way)


@dataclass(frozen=True, slots=True)
class Checkin:
    date: date
    title: str


@dataclass(frozen=True, slots=True)
class Cadence:
    every: Literal["week", "month", "quarter"]
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class CheckinConfig:
    standup: Cadence | None = None  # set: activities in progress go stale without updates (engine/rhythm.py)
    review: Cadence | None = Cadence("quarter")
    stakeholder: tuple[Checkin, ...] = ()


@dataclass(frozen=True, slots=True)
class ThemeConfig:
    name: str = "default"
    custom_dir: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    title: str = "Roadmap"
    description: str | None = None
    base_url: str = "/"
    today: date | None = None
    start: date | None = None
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    status: StatusRules = field(default_factory=StatusRules)
    smart: SmartRules = field(default_factory=SmartRules)
    checkins: CheckinConfig = field(default_factory=CheckinConfig)
    theme: ThemeConfig = field(default_factory=ThemeConfig)
    markdown_html: bool = False
    source: Source = field(default_factory=lambda: Source("roadmap.yml"))
    baseline: str | None = None  # the baseline to compare against: baselines/<name>.yml (engine/baseline.py)
    git_history: bool = True  # read the plan's history from git on every build (docs/history.md)


@dataclass(frozen=True)
class Roadmap:
    """Everything the content says, with references checked. Dicts are in a stable order."""

    config: Config
    goals: Mapping[str, Goal]
    strategies: Mapping[str, Strategy]
    activities: Mapping[str, Activity]
    people: Mapping[str, Person]
    tools: Mapping[str, Tool]
    updates: Mapping[str, Update]
    reviews: Mapping[str, Review]

    def goal_of(self, activity: Activity) -> str | None:
        """The goal an activity serves, directly or through its strategy."""
        if activity.goal:
            return activity.goal
        strategy = self.strategies.get(activity.strategy or "")
        return strategy.goal if strategy else None

    def items_of(self, kind: str) -> Mapping[str, object]:
        return getattr(self, PLURAL[kind])

    def counts(self) -> dict[str, int]:
        return {folder: len(getattr(self, folder)) for folder in FOLDERS}
