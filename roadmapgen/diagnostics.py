"""Problems found in a roadmap, as data: collected by every stage, printed by the CLI.

A user's mistake never raises: each stage appends a `Diagnostic` and carries on, so one
run reports every problem. The codes are stable and documented in docs/diagnostics.md.
"""

from __future__ import annotations

import difflib
import enum
import json
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str  # relative to the project folder, with forward slashes
    line: int  # 1-based; 1 when the problem concerns the whole file (editors and CI need a line)
    column: int  # 1-based; 1 when unknown
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        where = escape_controls(self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def as_text(self) -> str:
        text = f"{self.location()}: {self.severity.value}[{escape_controls(self.code)}] {escape_controls(self.message)}"
        if self.hint:
            text += f"\n    hint: {escape_controls(self.hint)}"
        return text

    def as_dict(self) -> dict:
        return {
            "path": escape_controls(self.path),
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": escape_controls(self.code),
            "message": escape_controls(self.message),
            "hint": escape_controls(self.hint) if self.hint else self.hint,
        }

    def as_github(self) -> str:
        """A GitHub Actions workflow command that annotates the file's line."""
        props = [f"file={_gh_escape_property(escape_controls(self.path))}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.column:
            props.append(f"col={self.column}")
        props.append(f"title={_gh_escape_property(escape_controls(self.code))}")
        body = escape_controls(self.message + (f" (hint: {self.hint})" if self.hint else ""))
        return f"::{self.severity.value} {','.join(props)}::{_gh_escape_data(body)}"


# C0 and C1 controls (escape sequences, bells, carriage returns), and the invisible marks that
# reorder or break lines: a file name or value must not drive the terminal that shows it.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`text` with every control character written as a visible escape, e.g. ESC as '\\x1b'."""
    return _CONTROLS.sub(_escape_one, text)


def _escape_one(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics that every stage appends to."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, max(line, 1), max(column, 1), Severity.ERROR, code, message, hint))

    def warning(self, path: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, max(line, 1), max(column, 1), Severity.WARNING, code, message, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=Diagnostic.sort_key)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, case aside ('GSA' finds 'gsa'), or None when
    nothing is close."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(str(candidate).lower(), str(candidate))
    matches = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or an empty string, to append to a message."""
    match = did_you_mean(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.as_text() for d in diagnostics)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    items = [d.as_dict() for d in diagnostics]
    summary = {
        "errors": sum(1 for d in items if d["severity"] == "error"),
        "warnings": sum(1 for d in items if d["severity"] == "warning"),
    }
    return json.dumps({"version": 1, "summary": summary, "diagnostics": items}, indent=2, ensure_ascii=False)


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.as_github() for d in diagnostics)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
