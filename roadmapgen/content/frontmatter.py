"""Split a content file into front matter and body, and parse the YAML with positions.

YAML is composed with libyaml (when available) and turned into Python values here, so
that every key keeps its line and column, duplicate keys are caught, and aliases cannot
expand into a "billion laughs".
"""

from __future__ import annotations

import re

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import yaml

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}$")
_PLAIN_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_STR, _INT, _TIMESTAMP = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "timestamp"))
TAGS_KEPT = 100_000  # plain scalars whose tag is remembered (a roadmap's values repeat: statuses, dates, numbers)
MAX_NODES = 20_000  # a content file has a few dozen; more means an alias bomb or a mistake
MAX_DEPTH = 32
# Text in all values, aliases expanded: a file is at most 1 MB, so more can only come from
# aliases repeating a long value (86 kB of `*d` made 190 MB pages).
MAX_EXPANDED_CHARS = 1_000_000
PRESCAN_FROM = 4_000  # characters of front matter from which nesting is checked before composing
FENCE = "---"


class _Loader(_SafeLoader):
    """PyYAML's safe loader (libyaml's parser when available), resolving the tag of each distinct
    plain scalar once per process and skipping the path resolvers, which none is registered for:
    those Python calls, made for every value, were a fifth of loading a large roadmap."""

    _tags: dict[tuple, str] = {}
    # the characters an implicit resolver may match first: a plain scalar that starts with another
    # is a string to PyYAML (it tries only the resolvers of its first character; none is for all)
    _first_chars = frozenset(key for key in _SafeLoader.yaml_implicit_resolvers if key) \
        if None not in _SafeLoader.yaml_implicit_resolvers else frozenset(map(chr, range(0x110000)))

    def descend_resolver(self, parent, index) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        if implicit[0] and value and value[0] not in self._first_chars:
            return _STR  # no implicit resolver applies: PyYAML's own rule, without trying them
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) >= TAGS_KEPT:
                self._tags.clear()
            self._tags[key] = tag
        return tag


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
    first = text.find("\n") + 1 or len(text) + 1
    if text[:first - 1].rstrip() != FENCE:
        raise FrontMatterError("missing-front-matter", "the file does not start with front matter",
                               hint="put the fields between two '---' lines at the very top of the file")
    fence = _CLOSING_FENCE.search(text, first) if first <= len(text) else None
    if fence is None:
        raise FrontMatterError("unclosed-front-matter", "the front matter has no closing '---' line",
                               line=1, column=1, hint="add a line with '---' after the last field")
    start, end = fence.span()
    return text[first:max(first, start - 1)], text[end + 1:], text.count("\n", 0, start) + 2


# a line that is a fence once stripped of trailing whitespace (what str.rstrip strips, but the line
# break): the body, most of a file, is then sliced off whole instead of split into lines and joined
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


class _Lines:
    """File line and column of a YAML mark. libyaml also breaks lines at NEL, LS and PS (often
    pasted from word processors), which editors do not: when the text has one, positions are
    counted from the mark's character index, by "\n" only."""

    def __init__(self, text: str, offset: int, shift: int = 0):
        self.offset, self.shift = offset, shift  # shift: a leading BOM removed from the first line
        self.starts: list[int] | None = None
        if "\x85" in text or "\u2028" in text or "\u2029" in text:  # _OTHER_BREAKS, without a generator per file
            self.starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]

    def at(self, mark) -> tuple[int, int]:
        if self.starts is None:
            line, column = mark.line, mark.column
        else:
            line = bisect_right(self.starts, mark.index) - 1
            column = mark.index - self.starts[line]
        return line + 1 + self.offset, column + 1 + (self.shift if line == 0 else 0)

    def at_index(self, index: int, text: str) -> tuple[int, int]:
        line = text.count("\n", 0, index)
        column = index - (text.rfind("\n", 0, index) + 1)
        return line + 1 + self.offset, column + 1 + (self.shift if line == 0 else 0)


def _prescan(text: str, lines: _Lines) -> None:
    """Refuse deep nesting and too many nodes from the event stream, before composing.

    libyaml's parser is iterative but PyYAML's composer recurses once per nesting level,
    so a few hundred kB of '[[[[…' would overflow the C stack (a crash, not an error). Each
    level takes at least one character, and 10,000 levels compose safely: shorter texts, the
    usual front matter, skip this pass and are checked by the builder.
    """
    if len(text) < PRESCAN_FROM:
        return
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise FrontMatterError("yaml-too-complex", f"the front matter is nested deeper than {MAX_DEPTH} levels",
                                       *lines.at(mark), "front matter fields are at most a few levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                mark = event.start_mark
                raise FrontMatterError("yaml-too-complex", f"the front matter has more than {MAX_NODES} values",
                                       *lines.at(mark),
                                       "front matter holds a few dozen fields; move long material into the body")


def parse_yaml(text: str, line_offset: int = 0) -> Parsed:
    """Parse YAML into Python values with the (line, column) of every key path."""
    shift = 0
    if text.startswith("\ufeff"):  # ignored by YAML; libyaml would not count it in the mark's index
        text, shift = text[1:], 1
    lines = _Lines(text, line_offset, shift)
    simple = _Simple(text, line_offset, lines).parse() if not shift else None
    return simple if simple is not None else _parse_composed(text, line_offset, lines)


def _parse_composed(text: str, line_offset: int, lines: _Lines) -> Parsed:
    """Any YAML: composed by PyYAML into nodes, then built into values with their positions."""
    try:
        _prescan(text, lines)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and any(what in (error.problem or "") for what in ("end of stream", "expected ':'")):
            mark = error.context_mark  # where the quote opened or the key began says more than where it failed
        line, column = lines.at(mark) if mark else (line_offset + 1, 0)
        if "nesting depth" in (error.problem or ""):  # PyYAML ≥ 6.0.4 limits nesting itself
            raise FrontMatterError("yaml-too-complex", f"the front matter is nested deeper than {MAX_DEPTH} levels",
                                   line, column, "front matter fields are at most a few levels deep") from None
        raise FrontMatterError("yaml-syntax", _yaml_message(error, text), line, column, _yaml_hint(error, text)) from None
    except yaml.reader.ReaderError as error:
        line, column = lines.at_index(error.position, text)
        char = ord(error.character) if isinstance(error.character, str) else int(error.character or 0)
        raise FrontMatterError("yaml-syntax", f"invalid YAML: the character U+{char:04X} is not allowed",
                               line, column, "remove the control character (often pasted by accident)") from None
    except yaml.YAMLError as error:
        raise FrontMatterError("yaml-syntax", f"invalid YAML: {error}", line_offset + 1, 0) from None
    except UnicodeEncodeError as error:  # lone surrogates, which no UTF-8 file holds
        raise FrontMatterError("yaml-syntax", f"invalid YAML: {error.reason}", line_offset + 1, 0) from None
    parsed = Parsed(data=None)
    if node is None:
        return parsed
    builder = _Builder(parsed, lines)
    parsed.data = builder.build(node, (), 0)
    return parsed


def _yaml_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or str(error)
    if error.context:
        return f"invalid YAML: {error.context}, {problem}"
    return f"invalid YAML: {problem}"


def _yaml_hint(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = (error.problem or "").lower()
    breaks = [f"U+{ord(char):04X}" for char in _OTHER_BREAKS if char in text]
    if breaks:
        return (f"the front matter holds an invisible line break ({', '.join(breaks)}), often pasted from a word "
                "processor: YAML starts a new line there; delete it")
    if "\t" in text and ("tab" in problem or "found character" in problem):
        return "YAML does not allow tabs for indentation: use spaces"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Phase 2: rollout\""
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation and that each field is written 'name: value'"
    if "quoted scalar" in (error.context or ""):
        return "a quote opened here is never closed: close it, or remove it"
    if "found undefined alias" in problem:
        return "an alias (*name) needs an anchor (&name) defined before it"
    return "check the YAML syntax near this line (quote values with special characters)"


_COLLECTION_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "set", "omap", "pairs")}


_UNCOMMON = object()


def _common_value(tag: str, value: str) -> object:
    """A string, a plain integer or a YYYY-MM-DD date directly, as PyYAML's constructors would
    give it; `_UNCOMMON` for the rest (to PyYAML a leading 0 is octal, a date has other forms)."""
    if tag == _STR:
        return value
    if tag == _INT and _PLAIN_INT.fullmatch(value):
        return int(value)
    if tag == _TIMESTAMP and _PLAIN_DATE.fullmatch(value):
        try:
            return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            pass  # not a real date: the builder says so
    return _UNCOMMON


class _Builder:
    """Turns a composed node graph into values, recording positions and refusing bombs."""

    def __init__(self, parsed: Parsed, lines: _Lines):
        self.scalars = yaml.constructor.SafeConstructor()
        self.parsed = parsed
        self.lines = lines
        self.count = 0
        self.chars = 0

    def position(self, node: yaml.Node) -> tuple[int, int]:
        return self.lines.at(node.start_mark)

    def build(self, node: yaml.Node, path: tuple, depth: int):
        self.count += 1
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
        if self.count > MAX_NODES or self.chars > MAX_EXPANDED_CHARS:
            # aliases share nodes, so report the field being expanded rather than the anchor
            line, column = self.parsed.positions.get(path[:1], self.position(node)) if path else self.position(node)
            what = f"{MAX_NODES} values" if self.count > MAX_NODES else f"{MAX_EXPANDED_CHARS:,} characters of text"
            raise FrontMatterError("yaml-too-complex", f"the front matter expands to more than {what}",
                                   line, column, "remove YAML aliases (*name) that repeat large blocks")
        if depth > MAX_DEPTH:
            line, column = self.position(node)
            raise FrontMatterError("yaml-too-complex", f"the front matter is nested deeper than {MAX_DEPTH} levels",
                                   line, column, "front matter fields are at most a few levels deep")
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            line, column = self.position(node)
            raise FrontMatterError("yaml-syntax", f"cannot read a value tagged '{_short(node.tag)}'", line, column,
                                   "remove the '!tag' before the value")
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
                    if not isinstance(part, dict):
                        line, column = self.position(value_node)
                        raise FrontMatterError("yaml-syntax", "a merge key (<<) must be followed by a mapping "
                                               "or a list of mappings", line, column,
                                               "write '<<: *name' where '&name' marks a mapping")
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
        value = _common_value(node.tag, node.value)
        if value is not _UNCOMMON:
            return value
        try:
            return self.scalars.construct_object(node, deep=True)
        except Exception as error:  # PyYAML's constructors raise ValueError, KeyError, AttributeError …
            line, column = self.position(node)
            value = _short(node.value)
            if node.tag == "tag:yaml.org,2002:timestamp" and _DATE_LIKE.match(node.value):
                # An impossible date such as 2026-02-30 stays text here, so that the schema
                # reports it at its field along with every other problem of the file.
                return node.value
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise FrontMatterError("invalid-date", f"'{value}' is not a real date", line, column,
                                       "write dates as YYYY-MM-DD, e.g. 2026-02-28") from None
            if isinstance(error, yaml.constructor.ConstructorError):
                reason = error.problem or "unknown tag"
            elif isinstance(error, (ValueError, OverflowError)):
                reason = _short(str(error), 120)
            else:
                reason = f"it is not a valid {node.tag.rsplit(':', 1)[-1]}"
            raise FrontMatterError("yaml-syntax", f"cannot read value '{value}': {reason}", line, column,
                                   "remove the '!tag' before the value, or quote the value to make it text") from None


# -- the common shape, read directly ---------------------------------------------------------------

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_ITEM_LINE = re.compile(r"( *)- +(\S.*)$")
_FLOW_KEY = re.compile(r" *([A-Za-z_][A-Za-z0-9_]*): +")
_FLOW_PLAIN = re.compile(r"[^,\[\]{}:#'\"]*")
_FLOW_ENTRY = re.compile(_FLOW_KEY.pattern + "(" + _FLOW_PLAIN.pattern + ")")  # a key and what may be its plain value
_PLAIN_START = re.compile(r"[A-Za-z0-9_./(+~$]|-[^ ]")
_SPACES = re.compile(" *")
_AFTER_ITEM = re.compile(r" *(?:(,) *|([\]}]))")
# what this reader leaves to PyYAML: tabs, comments, escapes, other line breaks, characters YAML refuses
_NOT_SIMPLE = re.compile(r"[\t#\\\r\x85\u2028\u2029\ufeff]|[^\x0A\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def _surely_within_limits(text: str) -> bool:
    """Whether this reader's values surely stay within MAX_NODES and MAX_EXPANDED_CHARS, the
    limits PyYAML's path enforces (this reader has no aliases, so its text is all there is).

    A bound, not a count: each row holds a key and a value, or a list item; each bracket opens
    one collection, holding at most a key and a value more than its commas. It grows with the
    values, not the characters, so that the long updates of a large roadmap (hundreds of items,
    30 kB at 50,000 activities) are still read here: PyYAML made loading grow faster than the
    roadmap.
    """
    if len(text) > MAX_EXPANDED_CHARS:
        return False
    rows, opened, commas = text.count("\n") + 1, text.count("[") + text.count("{"), text.count(",")
    return 1 + 2 * rows + 3 * opened + 2 * commas <= MAX_NODES


class _NotSimple(Exception):
    """The front matter is not of the simple shape: PyYAML reads it."""


class _Simple:
    """Front matter of the shape nearly every content file has, read without composing YAML nodes:
    one `key: value` per line, values plain or quoted on one line, flow lists and mappings of such
    values on one line (`[a, b]`, `{id: x, load: 50}`), and a block list of those under a key.

    It gives exactly what `parse_yaml` gives through PyYAML (values, the position of every key
    path, duplicate keys): scalars are resolved and built by the same resolver and `_Builder`.
    Anything else (comments, tabs, escapes, multi-line values, nesting, anchors, tags, errors)
    makes `parse` return None, and PyYAML reads the text. tests/unit/test_frontmatter.py compares
    the two on every content file of the example and the tests, and on generated texts.
    """

    def __init__(self, text: str, line_offset: int, lines: _Lines):
        self.text, self.offset, self.lines = text, line_offset, lines
        self.parsed = Parsed(data=None)

    def parse(self) -> Parsed | None:
        if not _surely_within_limits(self.text) or _NOT_SIMPLE.search(self.text):
            return None
        try:
            self.parsed.data = self._mapping(self.text.split("\n"))
        except (_NotSimple, FrontMatterError):
            return None
        return self.parsed if self.parsed.data else None

    def _mapping(self, rows: list[str]) -> dict:
        # one loop for the rows of most files, `key: plain text`; the rest in the methods below
        result: dict = {}
        positions, duplicates = self.parsed.positions, self.parsed.duplicates
        first_chars, key_line, plain_start = _Loader._first_chars, _KEY_LINE.match, _PLAIN_START.match
        at = 0
        while at < len(rows):
            row = rows[at]
            at += 1
            match = key_line(row)
            if match is None:
                if row.strip(" "):
                    raise _NotSimple
                continue
            key, rest = match.groups()
            if key[0] in first_chars and key not in _NAMES:
                self._plain_key(key)
            path = (key,)
            if key in result:
                duplicates.append((path, at + self.offset, 1))
            positions[path] = (at + self.offset, 1)
            value = rest.rstrip(" ") if rest else None
            if not value:
                result[key], at = self._block_list(rows, at, path)
            elif value[0] in "[{":
                result[key], end = self._flow(row, match.start(2), path, at)
                if row[end:].strip(" "):
                    raise _NotSimple
            elif value[0] not in first_chars and plain_start(value) and ": " not in value and value[-1] != ":":
                result[key] = value
            else:
                result[key] = self._block_scalar(value, at, match.start(2))
        return result

    def _plain_key(self, key: str) -> None:
        if key in _NAMES:
            return
        if _resolve(key) != _STR:  # yes, no, on, null… are not names to PyYAML
            raise _NotSimple
        if len(_NAMES) >= TAGS_KEPT:
            _NAMES.clear()
        _NAMES.add(key)

    def _block_list(self, rows: list[str], at: int, path: tuple):
        """A block list under a key with no value on its row; None when no list follows."""
        items, indent = [], None
        while at < len(rows):
            match = _ITEM_LINE.match(rows[at])
            if match is None:
                if rows[at].startswith(" "):
                    raise _NotSimple  # a nested mapping, or a value continued on the next row
                break
            if indent is None:
                indent = len(match.group(1))
            elif len(match.group(1)) != indent:
                raise _NotSimple
            row, index = rows[at], match.start(2)
            at += 1
            item_path = path + (len(items),)
            self.parsed.positions.setdefault(item_path, (at + self.offset, index + 1))
            if row[index] in "[{":
                node, end = self._flow(row, index, item_path, at)
                if row[end:].strip(" "):
                    raise _NotSimple
            else:
                value = row[index:].rstrip(" ")
                if ": " in value or value.endswith(":") or value.startswith("- ") or value == "-":
                    raise _NotSimple
                node = self._block_scalar(value, at, index)
            items.append(node)
        return (items if indent is not None else None), at

    def _block_scalar(self, value: str, line: int, index: int):
        if value[0] in "'\"":
            return self._quoted(value)
        if not _PLAIN_START.match(value) or ": " in value or value.endswith(":"):
            raise _NotSimple
        return self._scalar(value, line, index)

    def _quoted(self, value: str) -> str:
        quote = value[0]
        if len(value) < 2 or value[-1] != quote or quote in value[1:-1]:
            raise _NotSimple  # escapes, doubled quotes, or more after the closing quote
        return value[1:-1]

    def _flow(self, row: str, index: int, path: tuple, line: int) -> tuple[object, int]:
        """A flow list or mapping of scalars (or a list of mappings) starting at `row[index]`;
        (its value, the index after its closing bracket)."""
        if row[index] == "[":
            items: list = []
            index = self._skip(row, index + 1)
            if row[index:index + 1] == "]":
                return items, index + 1
            while True:
                item_path = path + (len(items),)
                self.parsed.positions.setdefault(item_path, (line + self.offset, index + 1))
                if row[index:index + 1] == "{":
                    node, index = self._flow(row, index, item_path, line)
                else:
                    node, index = self._flow_scalar(row, index, line)
                items.append(node)
                index, done = self._next(row, index, "]")
                if done:
                    return items, index
        result: dict = {}
        index = self._skip(row, index + 1)
        if row[index:index + 1] == "}":
            return result, index + 1
        while True:
            match = _FLOW_ENTRY.match(row, index)
            if match is None:
                raise _NotSimple
            key, value = match.groups()
            self._plain_key(key)
            if key in result:
                self.parsed.duplicates.append((path + (key,), line + self.offset, match.start(1) + 1))
            self.parsed.positions[path + (key,)] = (line + self.offset, match.start(1) + 1)
            value = value.rstrip(" ")
            if value and _PLAIN_START.match(value):  # what _flow_scalar does with a plain value, here at once
                result[key], index = self._scalar(value, line, match.start(2)), match.start(2) + len(value)
            else:
                result[key], index = self._flow_scalar(row, match.start(2), line)
            index, done = self._next(row, index, "}")
            if done:
                return result, index

    def _flow_scalar(self, row: str, index: int, line: int) -> tuple[object, int]:
        if row[index:index + 1] in ("'", '"'):
            end = row.find(row[index], index + 1)
            if end < 0:
                raise _NotSimple
            return self._quoted(row[index:end + 1]), end + 1
        end = _FLOW_PLAIN.match(row, index).end()
        value = row[index:end].rstrip(" ")
        if not value or not _PLAIN_START.match(value):
            raise _NotSimple
        return self._scalar(value, line, index), index + len(value)

    def _skip(self, row: str, index: int) -> int:
        return _SPACES.match(row, index).end()

    def _next(self, row: str, index: int, close: str) -> tuple[int, bool]:
        """Past the separator after an item: (index of the next item, False), or past `close`."""
        match = _AFTER_ITEM.match(row, index)
        if match is None:
            raise _NotSimple
        if match.group(2) is not None:
            if match.group(2) != close:
                raise _NotSimple
            return match.end(), True
        index = match.end()
        if index >= len(row) or row[index] in ",]}":
            raise _NotSimple  # a trailing or doubled comma
        return index, False

    def _scalar(self, value: str, line: int, index: int):
        """A plain scalar, resolved and built as PyYAML's composer and `_Builder` would."""
        built = _BUILT.get(value, _UNCOMMON)
        if built is not _UNCOMMON:
            return built
        tag = _resolve(value)
        built = _common_value(tag, value)
        if built is not _UNCOMMON:
            if len(_BUILT) >= TAGS_KEPT:
                _BUILT.clear()
            _BUILT[value] = built  # a str, int or date: immutable, so one object serves every file
            return built
        mark = yaml.Mark(None, 0, line - 1, index, None, None)
        return _Builder(self.parsed, self.lines).scalar(yaml.ScalarNode(tag, value, mark, mark))


_PLAIN = (True, False)  # a plain scalar's `implicit`, as the composer passes it
# what the direct reader found before, for the rest of the process: a roadmap's keys and values repeat
_NAMES: set[str] = set()  # keys that are names to PyYAML (not yes, no, on, null…)
_BUILT: dict[str, object] = {}  # plain text → its common value (`_common_value`)


def _resolve(value: str) -> str:
    """The tag PyYAML's composer gives a plain scalar."""
    global _RESOLVER
    if value and value[0] not in _Loader._first_chars:
        return _STR
    tag = _Loader._tags.get((value, _PLAIN))
    if tag is not None:
        return tag
    if _RESOLVER is None:
        _RESOLVER = _Loader("")
    return _RESOLVER.resolve(yaml.ScalarNode, value, _PLAIN)


_RESOLVER: _Loader | None = None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def read_document(text: str) -> Document:
    """Split and parse a content file's text. Raises FrontMatterError."""
    front_text, body, body_line = split(text)
    front = parse_yaml(front_text, line_offset=1)
    return Document(front=front, body=body, front_line=1, body_line=body_line)
