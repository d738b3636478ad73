"""Problems found in a roadmap, as data: collected by every stage, printed by the CLI.

A user's mistake never raises: each stage appends a `Diagnostic` and carries on, so one
run reports every problem. The codes are stable and documented in docs/diagnostics.md.
"""

from __future__ import annotations

import difflib
import enum
import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str  # relative to the project folder, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def as_text(self) -> str:
        text = f"{self.location()}: {self.severity.value}[{self.code}] {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def as_github(self) -> str:
        """A GitHub Actions workflow command that annotates the file's line."""
        props = [f"file={_gh_escape_property(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.column:
            props.append(f"col={self.column}")
        props.append(f"title={_gh_escape_property(self.code)}")
        body = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return f"::{self.severity.value} {','.join(props)}::{_gh_escape_data(body)}"


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics that every stage appends to."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, column, Severity.ERROR, code, message, hint))

    def warning(self, path: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, column, Severity.WARNING, code, message, hint))

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
    """The closest candidate to a misspelt word, or None when nothing is close."""
    matches = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


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
