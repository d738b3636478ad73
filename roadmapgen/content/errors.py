"""Turn pydantic's validation errors into diagnostics a roadmap author understands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, Callable

from pydantic import BaseModel, ValidationError

from roadmapgen.diagnostics import Diagnostics, did_you_mean

Locate = Callable[[tuple], tuple[int, int]]


def report_validation_error(error: ValidationError, model: type[BaseModel], path: str, locate: Locate,
                            diagnostics: Diagnostics) -> None:
    """Append one diagnostic per problem pydantic found, each at the key it concerns."""
    seen: set[tuple] = set()
    models = _model_names(model)
    for problem in _one_branch(error.errors(include_url=False), models):
        loc = _clean_loc(problem, models)
        key = (loc, problem["type"])
        if key in seen:
            continue
        seen.add(key)
        code, message, hint = _describe(problem, loc, model)
        line, column = locate(loc)
        diagnostics.error(path, line, column, code, message, hint)


def _clean_loc(problem: dict, models: frozenset[str] = frozenset()) -> tuple:
    """A problem's location without pydantic's union branch names (e.g. 'constrained-str', 'ResourceFront')."""
    branches = {index for index, _ in _branches(problem, models)}
    return tuple(part for index, part in enumerate(problem["loc"]) if index not in branches)


def _branches(problem: dict, models: frozenset[str]) -> list[tuple[int, str]]:
    """The (index, name) of each union branch name in a problem's location. Not "date", "str" or
    "float": the schemas have no plain unions of those, and `date` is a field. The last part of
    an unknown field's location is the user's key, whatever it is called."""
    loc = problem["loc"]
    end = len(loc) - 1 if problem["type"] == "extra_forbidden" else len(loc)
    return [(index, part) for index, part in enumerate(loc[:end]) if isinstance(part, str)
            and (part in models or part.startswith(("function-", "constrained-")))]


def _model_names(model: type[BaseModel]) -> frozenset[str]:
    """The class names of `model` and every model nested in its fields (pydantic's union branch names)."""
    names: set[str] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current.__name__ in names:
            continue
        names.add(current.__name__)
        for info in current.model_fields.values():
            todo.extend(_nested_models(info.annotation))
    return frozenset(names)


def _nested_models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for arg in getattr(annotation, "__args__", ()) or () for found in _nested_models(arg)]


def _one_branch(problems: list[dict], models: frozenset[str]) -> list[dict]:
    """Of a union that failed (an id or a mapping, a date or a mapping), keep the errors of the
    branch the value was meant for: the mapping's when it is a mapping, the other one's otherwise."""
    def branch_of(problem: dict) -> tuple[int, str] | None:
        found = _branches(problem, models)
        return found[0] if found else None

    values: dict[tuple, object] = {}
    for problem in problems:
        found = branch_of(problem)
        if found and found[0] == len(problem["loc"]) - 1:
            values.setdefault(tuple(problem["loc"][:found[0]]), problem.get("input"))
    kept = []
    for problem in problems:
        found = branch_of(problem)
        prefix = tuple(problem["loc"][:found[0]]) if found else None
        if found and prefix in values:
            is_mapping = isinstance(values[prefix], dict)
            if is_mapping != (found[1] in models):
                continue
        kept.append(problem)
    return kept


# Fields written under another kind's name, or another tool's: `title:` in a person's file
# means `name`; `deadline:` means `due`. Offered when spelling alone finds nothing.
SYNONYMS = {
    "title": ("name",), "name": ("title",), "deadline": ("due",), "due_date": ("due",), "end": ("due",),
    "start_date": ("start",), "begin": ("start",), "depends": ("depends_on",), "dependencies": ("depends_on",),
    "after": ("depends_on",), "assignee": ("owner",), "lead": ("owner",), "percent": ("progress",),
    "complete": ("progress",), "state": ("status",), "colour": ("rag",), "color": ("rag",),
    "labels": ("tags",), "description": ("why",), "team": ("owner",),
}


def _synonym(field: str, allowed: Iterable[str]) -> str | None:
    """The allowed field that `field` is another name for, if any."""
    allowed = set(allowed)
    return next((name for name in SYNONYMS.get(field.lower(), ()) if name in allowed), None)


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "front matter"


def _describe(problem: dict, loc: tuple, model: type[BaseModel]) -> tuple[str, str, str | None]:
    kind = problem["type"]
    name = _field_name(loc)
    value = problem.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        match = did_you_mean(str(loc[-1]), allowed) or _synonym(str(loc[-1]), allowed)
        fields = f"allowed fields here: {', '.join(sorted(allowed))}"
        hint = f"rename it '{match}' ({fields})" if match else fields
        suffix = f" (did you mean '{match}'?)" if match else ""
        return "unknown-field", f"unknown field '{name}'{suffix}", hint
    if kind == "missing":
        return "missing-field", f"required field '{name}' is missing", f"add '{loc[-1]}: ...' to the front matter"
    if kind == "literal_error":
        expected = problem.get("ctx", {}).get("expected", "")
        options = [option.strip(" '") for option in expected.replace(" or ", ",").split(",") if option.strip()]
        match = did_you_mean(str(value), options)
        suffix = f" (did you mean '{match}'?)" if match else ""
        return ("invalid-value", f"'{name}' is {_show(value)}, which is not allowed{suffix}",
                f"use one of: {', '.join(options)}")
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        ctx = problem.get("ctx", {})
        low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
        bound = f"at least {low}" if low is not None else f"at most {high}"
        return "out-of-range", f"'{name}' is {_show(value)}, but must be {bound}", _range_hint(loc)
    if kind == "finite_number":
        return ("out-of-range", f"'{name}' is {_show(value)}, but must be a finite number",
                "write a plain number, e.g. 42")
    if kind == "string_pattern_mismatch":
        return "invalid-value", f"'{name}' is {_show(value)}, which does not have the expected form", _pattern_hint(loc)
    if kind == "value_error" and "date" in problem.get("msg", ""):
        message = problem["msg"].removeprefix("Value error, ")
        return "invalid-date", f"'{name}': {message}", "write dates as YYYY-MM-DD, e.g. 2026-03-31"
    if kind == "string_too_long":
        return "out-of-range", f"'{name}' is too long", "shorten it, or move the text into the Markdown body"
    if kind == "string_too_short":
        return "invalid-value", f"'{name}' is empty", "give it a value or remove the field"
    expected = _EXPECTED.get(kind) or _plain(problem["msg"])
    if kind == "string_type" and loc and loc[-1] == "duration" and isinstance(value, (int, float)):
        expected = "expected a number with its unit, working days (d) or weeks (w)"
    return "invalid-type", f"'{name}' is {_show(value)}: {expected}", _type_hint(problem, loc)


_EXPECTED = {
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}


def _show(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ").replace("Input should be", "expected").lower()


def _type_hint(problem: dict, loc: tuple) -> str | None:
    kind = problem["type"]
    if kind == "list_type":
        return f"write '{loc[-1] if loc else 'it'}' as a list, e.g. [a, b] or one '- item' per line"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "write it as a mapping of 'name: value' lines"
    if kind == "string_type" and loc and loc[-1] == "duration" and isinstance(problem.get("input"), int):
        days = problem["input"]
        weeks = f", or '{days // 5}w' for {days // 5} weeks" if days and days % 5 == 0 else ""
        return f"write '{days}d' for {days} working days{weeks}"
    if kind == "string_type":
        return "put the value in quotes to make it text"
    if kind in {"float_parsing", "float_type"}:
        return "write a plain number, e.g. 42 or 12.5"
    return None


def _range_hint(loc: tuple) -> str | None:
    last = loc[-1] if loc else ""
    if last in {"progress", "load"}:
        return "a percentage from 0 to 100"
    if last == "capacity":
        return "a percentage of a full-time week, from 0 to 200"
    return None


def _pattern_hint(loc: tuple) -> str | None:
    last = loc[-1] if loc else ""
    return {
        "duration": "write working days as '5d' or weeks as '3w'; '0d' is a milestone",
        "quarter": "write the quarter as YYYY-Qn, e.g. 2026-Q3",
        "kind": "a lower-case word such as standup or checkin",
    }.get(str(last))


def _allowed_fields(model: type[BaseModel], parent: tuple) -> list[str]:
    current: type[BaseModel] | None = model
    for part in parent:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        current = _nested_model(info.annotation) if info else None
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _nested_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_model(arg)
        if found:
            return found
    return None
