"""Split a content file into front matter and body, and parse the YAML with positions.

YAML is composed with libyaml (when available) and turned into Python values here, so
that every key keeps its line and column, duplicate keys are caught, and aliases cannot
expand into a "billion laughs".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 20_000  # a content file has a few dozen; more means an alias bomb or a mistake
MAX_DEPTH = 32
FENCE = "---"


class FrontMatterError(Exception):
    """A problem that stops this file from being read; carries a diagnostic's parts."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 0, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = code, message, line, column, hint


@dataclass
class Parsed:
    data: object
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[tuple[tuple, int, int]] = field(default_factory=list)  # (key path, line, column)


@dataclass
class Document:
    front: Parsed
    body: str
    front_line: int  # the line of the opening fence
    body_line: int  # the first line of the body


def split(text: str) -> tuple[str, str, int]:
    """(front matter text, body, line where the body starts). Raises FrontMatterError."""
    if not text.strip():
        raise FrontMatterError("empty-file", "the file is empty",
                               hint="start it with front matter between '---' lines, or delete it")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise FrontMatterError("missing-front-matter", "the file does not start with front matter",
                               hint="put the fields between two '---' lines at the very top of the file")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise FrontMatterError("unclosed-front-matter", "the front matter has no closing '---' line",
                           line=1, column=1, hint="add a line with '---' after the last field")


def parse_yaml(text: str, line_offset: int = 0) -> Parsed:
    """Parse YAML into Python values with the (line, column) of every key path."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        column = (mark.column + 1) if mark else 0
        raise FrontMatterError("yaml-syntax", _yaml_message(error, text), line, column, _yaml_hint(error, text)) from None
    except yaml.YAMLError as error:
        raise FrontMatterError("yaml-syntax", f"invalid YAML: {error}", line_offset + 1, 0) from None
    parsed = Parsed(data=None)
    if node is None:
        return parsed
    builder = _Builder(parsed, line_offset)
    parsed.data = builder.build(node, (), 0)
    return parsed


def _yaml_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or str(error)
    if error.context:
        return f"invalid YAML: {error.context}, {problem}"
    return f"invalid YAML: {problem}"


def _yaml_hint(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = (error.problem or "").lower()
    if "\t" in text and ("tab" in problem or "found character" in problem):
        return "YAML does not allow tabs for indentation: use spaces"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Phase 2: rollout\""
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation and that each field is written 'name: value'"
    if "found undefined alias" in problem:
        return "an alias (*name) needs an anchor (&name) defined before it"
    return "check the YAML syntax near this line (quote values with special characters)"


class _Builder:
    """Turns a composed node graph into values, recording positions and refusing bombs."""

    def __init__(self, parsed: Parsed, line_offset: int):
        self.scalars = yaml.constructor.SafeConstructor()
        self.parsed = parsed
        self.offset = line_offset
        self.count = 0

    def position(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            line, column = self.position(node)
            raise FrontMatterError("yaml-too-complex", f"the front matter expands to more than {MAX_NODES} values",
                                   line, column, "remove YAML aliases (*name) that repeat large blocks")
        if depth > MAX_DEPTH:
            line, column = self.position(node)
            raise FrontMatterError("yaml-too-complex", f"the front matter is nested deeper than {MAX_DEPTH} levels",
                                   line, column, "front matter fields are at most a few levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.child(item, path + (index,), depth) for index, item in enumerate(node.value)]
        return self.scalar(node)

    def child(self, node: yaml.Node, path: tuple, depth: int):
        self.parsed.positions.setdefault(path, self.position(node))
        return self.build(node, path, depth + 1)

    def mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, path, depth + 1)
                for part in merged if isinstance(merged, list) else [merged]:
                    if isinstance(part, dict):
                        for key, value in part.items():
                            result.setdefault(key, value)
                continue
            key = self.build(key_node, path, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                line, column = self.position(key_node)
                raise FrontMatterError("yaml-syntax", "a key must be a plain name", line, column)
            key = str(key) if not isinstance(key, str) else key
            line, column = self.position(key_node)
            if key in result:
                self.parsed.duplicates.append((path + (key,), line, column))
            self.parsed.positions[path + (key,)] = (line, column)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode):
        try:
            return self.scalars.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                line, column = self.position(node)
                raise FrontMatterError("invalid-date", f"'{node.value}' is not a real date", line, column,
                                       "write dates as YYYY-MM-DD, e.g. 2026-02-28") from None
            line, column = self.position(node)
            raise FrontMatterError("yaml-syntax", f"cannot read value '{node.value}': {error}", line, column) from None


def read_document(text: str) -> Document:
    """Split and parse a content file's text. Raises FrontMatterError."""
    front_text, body, body_line = split(text)
    front = parse_yaml(front_text, line_offset=1)
    return Document(front=front, body=body, front_line=1, body_line=body_line)
