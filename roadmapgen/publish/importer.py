"""`roadmapgen import FILE.csv`: one content file per row of a spreadsheet of goals, strategies
or activities.

Columns are matched by their header, which is a front-matter field name (`title`, `owner`,
`due`, `depends_on`, `metric.target` for a goal's metric…), plus `kind`, `id` and `body`. Each
row is checked against the same schema as a file, and its references against the roadmap and
the other rows, so that what is written passes `check`. Problems are diagnostics at
FILE.csv:ROW:COLUMN (ROW is the line of the file, header first, COLUMN the column's number);
when there is any, nothing is written. Existing files are never overwritten.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from roadmapgen.content.errors import report_validation_error
from roadmapgen.content.schema import SCHEMAS, MetricFront
from roadmapgen.diagnostics import Diagnostics, suggestion
from roadmapgen.model import PLURAL, Roadmap
from roadmapgen.publish.files import slugify, write_new, yaml_value

IMPORT_KINDS = ("goal", "strategy", "activity")
DEFAULT_KIND = "activity"
EXTRA_COLUMNS = ("kind", "id", "body")
LIST_SPLIT = re.compile(r"\s*[;,]\s*")
# the references a row may hold: field → the kinds its ids may be
REFERENCES = {"goal": ("goal",), "strategy": ("strategy",), "owner": ("person",), "depends_on": ("activity",),
              "resources": ("person", "tool")}
MAX_CSV_BYTES = 50_000_000


@dataclass
class Row:
    """One row of the CSV as the front matter of one file."""

    line: int  # the line of the file the row starts on
    kind: str
    item_id: str
    front: dict  # field → value, as the front matter will have it
    columns: dict  # field (top-level) → the 1-based column it came from
    body: str = ""


@dataclass
class ImportPlan:
    """What an import would write: a file per row, or the diagnostics that stop it."""

    rows: list[Row] = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)  # path → text
    rows_written: list[Row] = field(default_factory=list)  # the row of each file, in the same order


@lru_cache(maxsize=None)
def _list_fields(model) -> set[str]:
    schema = model.model_json_schema(by_alias=True)["properties"]
    return {name for name, prop in schema.items()
            if prop.get("type") == "array" or any(p.get("type") == "array" for p in prop.get("anyOf", ()))}


@lru_cache(maxsize=None)
def _typed_fields(model) -> set[str]:
    """The fields that hold a date or a number: a cell for them is written unquoted."""
    schema = model.model_json_schema(by_alias=True)["properties"]

    def typed(prop: dict) -> bool:
        return prop.get("format") == "date" or prop.get("type") in ("number", "integer")

    return {name for name, prop in schema.items() if typed(prop) or any(typed(p) for p in prop.get("anyOf", ()))}


def _plain(value: str) -> object:
    """A cell of a date or number field as the value YAML would read, when it reads as one."""
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return parsed if isinstance(parsed, (int, float, date)) and not isinstance(parsed, bool) else value


@lru_cache(maxsize=None)
def _columns_for(kind: str) -> frozenset[str]:
    model = SCHEMAS[kind]
    names = set(model.model_json_schema(by_alias=True)["properties"])
    if kind == "goal":
        names = (names - {"metric"}) | {f"metric.{name}" for name in MetricFront.model_fields}
    return frozenset(names | set(EXTRA_COLUMNS))


def _decode(data: bytes, name: str, diagnostics: Diagnostics) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.error(name, line, 1, "not-utf8", f"{name} is not UTF-8 text",
                          "export the spreadsheet as 'CSV UTF-8' (Excel) or choose UTF-8 when saving")
        return None


def read_rows(path: Path, name: str, diagnostics: Diagnostics, kind_option: str | None) -> list[Row]:
    """The rows of the CSV as front matter, each checked against its kind's schema."""
    try:
        data = path.read_bytes()
    except OSError as error:
        diagnostics.error(name, 0, 0, "unreadable", f"cannot read {name}: {error.strerror}")
        return []
    if len(data) > MAX_CSV_BYTES:
        diagnostics.error(name, 0, 0, "file-too-large", f"{name} is larger than {MAX_CSV_BYTES // 1_000_000} MB",
                          "split the spreadsheet and import it in parts")
        return []
    text = _decode(data, name, diagnostics)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        diagnostics.error(name, 1, 1, "csv-no-header", f"{name} has no header row",
                          "the first row names the columns: title, owner, due, … (front-matter field names)")
        return []
    header = [cell.strip() for cell in header]
    kinds_used = {kind_option} if kind_option else set(IMPORT_KINDS)
    known = set().union(*(_columns_for(kind) for kind in kinds_used))
    _check_header(header, known, name, diagnostics)
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(dict(zip(header, cells)), header, start, name, kind_option, diagnostics)
        if row is not None:
            rows.append(row)
    return rows


def _check_header(header: list[str], known: set[str], name: str, diagnostics: Diagnostics) -> None:
    seen: set[str] = set()
    for column, title in enumerate(header, 1):
        if title in seen:
            diagnostics.error(name, 1, column, "duplicate-key", f"the column '{title}' appears twice",
                              "keep one column per field")
        seen.add(title)
        if title and title not in known:
            diagnostics.error(name, 1, column, "csv-unknown-column", f"unknown column '{title}'",
                              f"{suggestion(title, known)}columns are named after front-matter fields "
                              "(docs/format.md), plus kind, id and body")


def _row(cells: dict[str, str], header: list[str], line: int, name: str, kind_option: str | None,
         diagnostics: Diagnostics) -> Row | None:
    column_of = {title: index for index, title in enumerate(header, 1)}
    kind = kind_option or (cells.get("kind") or "").strip().lower() or DEFAULT_KIND
    kind = {PLURAL[k]: k for k in IMPORT_KINDS}.get(kind, kind)
    if kind not in IMPORT_KINDS:
        diagnostics.error(name, line, column_of.get("kind", 1), "csv-bad-kind", f"'{kind}' is not a kind import takes",
                          "use goal, strategy or activity (or leave it empty for activity)")
        return None
    model, lists, typed = SCHEMAS[kind], _list_fields(SCHEMAS[kind]), _typed_fields(SCHEMAS[kind])
    allowed = _columns_for(kind)
    front: dict = {}
    columns: dict[str, int] = {}
    for title, value in cells.items():
        value = value.strip()
        if not value or title in EXTRA_COLUMNS or title not in allowed:
            continue
        top, _, sub = title.partition(".")
        columns.setdefault(top, column_of[title])
        if sub:
            front.setdefault(top, {})[sub] = _plain(value) if sub in _typed_fields(MetricFront) else value
        elif top in lists:
            front[top] = [part for part in LIST_SPLIT.split(value) if part]
        elif top in typed:
            front[top] = _plain(value)
        else:
            front[top] = value
    title_text = front.get("title", "")
    given_id = (cells.get("id") or "").strip()
    if given_id and (slugify(given_id) != given_id):
        diagnostics.error(name, line, column_of["id"], "invalid-id", f"'{given_id}' is not an id",
                          f"ids are lower-case letters, digits and hyphens, e.g. '{slugify(given_id)}'")
    item_id = given_id or (slugify(title_text) if title_text else "")
    if not item_id:
        diagnostics.error(name, line, column_of.get("title", 1), "missing-field", "this row has no title",
                          "every row needs a title: its id and file name are made from it")
        return None
    try:
        model.model_validate(front)
    except ValidationError as error:
        report_validation_error(error, model, name, lambda loc: (line, columns.get(loc[0], 1) if loc else 1),
                                diagnostics)
    return Row(line, kind, item_id, front, columns, (cells.get("body") or "").strip())


def _check_references(rows: list[Row], roadmap: Roadmap, name: str, diagnostics: Diagnostics) -> None:
    """Every goal, strategy, owner, dependency and resource must exist in the roadmap or the CSV."""
    ids = {kind: set(roadmap.items_of(kind)) for kind in ("goal", "strategy", "activity", "person", "tool")}
    for row in rows:
        ids[row.kind].add(row.item_id)
    for row in rows:
        for key, kinds in REFERENCES.items():
            values = row.front.get(key)
            if values is None:
                continue
            for value in values if isinstance(values, list) else [values]:
                if not any(value in ids[kind] for kind in kinds):
                    known = set().union(*(ids[kind] for kind in kinds))
                    diagnostics.error(name, row.line, row.columns[key], "unknown-ref",
                                      f"{key} '{value}' is not a {' or '.join(kinds)} of the roadmap or of this file",
                                      f"{suggestion(value, known)}use the id (file name without .md) of an existing "
                                      f"{' or '.join(kinds)}")


def _unique_ids(rows: list[Row]) -> None:
    """Rows whose titles give the same id get -2, -3…, in the order of the file."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.kind, row.item_id)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            row.item_id = f"{row.item_id}-{seen[key]}"


def row_lines(row: Row) -> list[tuple[str, str]]:
    """(front-matter line, the field it sets) of the row's file, in order."""
    lines = []
    for key, value in row.front.items():
        if isinstance(value, dict):
            lines.append((f"{key}:", key))
            lines.extend((f"  {sub}: {yaml_value(v)}", key) for sub, v in value.items())
        else:
            lines.append((f"{key}: {yaml_value(value)}", key))
    return lines


def row_text(row: Row) -> str:
    """The file a row becomes: its front matter and its body."""
    front = "\n".join(line for line, _ in row_lines(row))
    return "---\n" + front + "\n---\n" + (row.body + "\n" if row.body else "")


def _check_as_files(project: Path, plan: ImportPlan, name: str, diagnostics: Diagnostics) -> None:
    """Check the roadmap with the planned files added, as `check` will, and report what concerns
    the new files at their rows and columns."""
    from roadmapgen.publish.project import problems_with

    rows = {path.relative_to(project).as_posix(): row for path, row in zip(plan.files, plan.rows_written)}
    for problem in problems_with(project, plan.files):
        row = rows[problem.path]
        fields = [key for _, key in row_lines(row)]
        key = fields[problem.line - 2] if 2 <= problem.line < len(fields) + 2 else "title"
        report = diagnostics.error if problem.severity.value == "error" else diagnostics.warning
        report(name, row.line, row.columns.get(key, row.columns.get("title", 1)), problem.code, problem.message,
               problem.hint)


def plan_import(project: Path, csv_path: Path, roadmap: Roadmap, diagnostics: Diagnostics,
                kind: str | None = None) -> ImportPlan:
    """The files an import would write, checked; with errors in `diagnostics`, write none of them."""
    name = csv_path.name
    plan = ImportPlan(read_rows(csv_path, name, diagnostics, kind))
    _unique_ids(plan.rows)
    _check_references(plan.rows, roadmap, name, diagnostics)
    taken = {(k, item_id) for k in IMPORT_KINDS for item_id in roadmap.items_of(k)}
    for row in plan.rows:
        target = project / "content" / PLURAL[row.kind] / f"{row.item_id}.md"
        if (row.kind, row.item_id) in taken or target.exists():
            diagnostics.error(name, row.line, row.columns.get("title", 1), "file-exists",
                              f"the {row.kind} '{row.item_id}' already exists ({target.relative_to(project)})",
                              "import never overwrites: give the row another title, or an id column")
            continue
        plan.files[target] = row_text(row)
        plan.rows_written.append(row)
    if plan.files and not diagnostics.has_errors():
        _check_as_files(project, plan, name, diagnostics)
    return plan


def write_import(project: Path, plan: ImportPlan) -> None:
    """Write the planned files (new files only)."""
    for path, text in plan.files.items():
        write_new(path, text, project)
