"""The front matter of each content type, as pydantic models.

These models check types, required fields, allowed values and ranges, and export JSON
Schema for editors (`roadmapgen schema`). They describe what a user writes; the loader
turns a valid one into the plain items of roadmapgen.model.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from roadmapgen.model import MAX_ID_LENGTH

SLUG = r"^[a-z0-9][a-z0-9-]*$"
DURATION = r"^[0-9]+[dw]$"
QUARTER = r"^[0-9]{4}-Q[1-4]$"


FIRST_YEAR, LAST_YEAR = 1900, 2999  # beyond these, date arithmetic (padding, forecasts) could overflow


def to_date(value: object) -> date:
    """A YAML date or an ISO string as a date within the years a roadmap can use; a ValueError
    with a useful message for anything else (front matter, roadmap.yml and --today alike)."""
    return _in_range(_parse_date(value))


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"'{text}' is not a real date") from None
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")


def _in_range(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the date {day.isoformat()} is outside the years {FIRST_YEAR}–{LAST_YEAR} a roadmap can use")
    return day


def _to_number(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            raise ValueError("expected a number") from None
    return value


Day = Annotated[date, BeforeValidator(to_date)]
Number = Annotated[float, BeforeValidator(_to_number), Field(allow_inf_nan=False)]
Percent = Annotated[float, BeforeValidator(_to_number), Field(ge=0, le=100)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH)]
Rag = Literal["green", "amber", "red"]
GoalStatus = Literal["planned", "active", "done", "paused", "cancelled"]
ActivityStatus = Literal["not-started", "in-progress", "done", "blocked", "paused", "cancelled"]
UpdateStatus = Literal["planned", "active", "not-started", "in-progress", "done", "blocked", "paused", "cancelled"]


class _Front(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Tracked(_Front):
    """Fields shared by goals, strategies and activities."""

    title: Name | None = Field(None, description="Falls back to the body's first '# heading'")
    owner: Id | None = Field(None, description="The id of the accountable person")
    rag: Rag | None = Field(None, description="Manual colour; needs rag_reason")
    rag_reason: Text | None = Field(None, description="Why the manual colour")
    tags: list[Name] = Field(default_factory=list)
    updated: Day | None = Field(None, description="The date the values in this file were last set")
    order: Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000)] | None = Field(
        None, description="Where it is listed among its siblings: lowest first; items without one follow")


class MetricFront(_Front):
    name: Name
    unit: Name | None = None
    baseline: Number
    target: Number
    current: Number | None = None
    direction: Literal["increase", "decrease"] | None = Field(
        None, description="Defaults to increase when target > baseline, else decrease")


class GoalFront(_Tracked):
    start: Day | None = None
    due: Day = Field(description="Time-bound: when the goal must be met")
    metric: MetricFront | None = Field(None, description="Measurable: how success is counted")
    why: Text | None = Field(None, description="Relevant: why the goal matters")
    status: GoalStatus = "active"


class StrategyFront(_Tracked):
    goal: Id
    start: Day | None = None
    due: Day = Field(description="The milestone date")
    status: GoalStatus = "active"


class ResourceFront(_Front):
    id: Id
    load: Percent = 100.0


class ActivityFront(_Tracked):
    strategy: Id | None = None
    goal: Id | None = None
    start: Day | None = None
    due: Day | None = None
    duration: Annotated[str, StringConstraints(pattern=DURATION)] | None = Field(
        None, description="Working days (5d) or weeks (3w); 0d is a milestone")
    depends_on: list[Id] = Field(default_factory=list, description="Finish-to-start predecessors (activity ids)")
    progress: Percent | None = None
    status: ActivityStatus = "not-started"
    resources: list[Union[Id, ResourceFront]] = Field(default_factory=list)


class TimeOffFront(_Front):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: Day = Field(alias="from")
    end: Day = Field(alias="to")
    note: Text | None = None


class PersonFront(_Front):
    name: Name | None = None
    role: Name | None = None
    team: Name | None = None
    email: Name | None = None
    type: Literal["person", "team", "organisation"] = Field(
        "person", description="Who delivers the work: a person, a team or an organisation")
    capacity: Annotated[float, BeforeValidator(_to_number), Field(
        ge=0, le=100_000, description="Percent of one full-time week: at most 200 for a person; a team "
                                      "of four is 400")] = 100.0
    time_off: list[TimeOffFront] = Field(default_factory=list)


class ToolFront(_Front):
    name: Name | None = None
    kind: Name | None = None
    cost: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, (int, float)) else v)] | None = None
    notes: Text | None = None


class UpdateItemFront(_Front):
    ref: Id = Field(description="A goal, strategy or activity id (prefix with 'goal:' etc. if ambiguous)")
    progress: Percent | None = None
    status: UpdateStatus | None = None
    rag: Rag | None = None
    rag_reason: Text | None = None
    metric: Number | None = Field(None, description="A goal's current metric value")
    note: Text | None = None


class UpdateFront(_Front):
    title: Name | None = None
    date: Day
    author: Id | None = None
    kind: Annotated[str, StringConstraints(pattern=SLUG)] = "standup"
    items: list[UpdateItemFront] = Field(default_factory=list)


class ReviewFront(_Front):
    title: Name | None = None
    quarter: Annotated[str, StringConstraints(pattern=QUARTER)]
    date: Day
    attendees: list[Id] = Field(default_factory=list)
    decisions: list[Text] = Field(default_factory=list)


SCHEMAS: dict[str, type[_Front]] = {
    "goal": GoalFront,
    "strategy": StrategyFront,
    "activity": ActivityFront,
    "person": PersonFront,
    "tool": ToolFront,
    "update": UpdateFront,
    "review": ReviewFront,
}


def json_schemas() -> dict[str, dict]:
    """JSON Schema for each content type's front matter, for editors."""
    schemas = {}
    for kind, model in SCHEMAS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["title"] = f"roadmapgen {kind} front matter"
        schemas[kind] = schema
    return schemas
