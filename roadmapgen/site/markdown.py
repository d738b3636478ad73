"""Markdown bodies to HTML: CommonMark + tables, strikethrough, task lists, footnotes, anchors.

Raw HTML is escaped unless `markdown.html` is on in roadmap.yml. When it is on, the HTML of
the body goes through nh3 (ammonia, an allow-list sanitiser): no script, style, iframe or
form element, no `on…` event attribute, no `style`. Links to javascript:, vbscript:, file:
and data: (other than images) are never emitted, whatever the setting.

Body headings get ids prefixed with `h-` (`## Main` → `id="h-main"`), and ids written in raw
HTML get the same prefix, so a body can never repeat or shadow an id of the page around it.
"""

from __future__ import annotations

import re

from typing import Iterable, Sequence

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

HEADING_ID_PREFIX = "h-"
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_BODY_IDS = re.compile(r"(h-|fn\d|fnref\d)")  # ids markdown-it writes: prefixed headings, footnotes


def _validate_link(url: str) -> bool:
    bare = _CONTROL.sub("", url)
    if _SAFE_DATA_IMAGE.match(bare):
        return True
    return not _BAD_SCHEME.match(bare)


def heading_id(title: str) -> str:
    """The id of a body heading: kept apart from the page's own ids by a prefix."""
    return HEADING_ID_PREFIX + slugify(title)


def make_renderer(allow_html: bool = False) -> MarkdownIt:
    """The markdown-it instance for bodies: CommonMark, tables, footnotes, task lists, heading ids."""
    md = (
        MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin, label=True)  # each checkbox is labelled by its item (accessible name)
        .use(anchors_plugin, min_level=2, max_level=4, permalink=False, slug_func=heading_id)
    )
    md.validateLink = _validate_link
    return md


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in ("href", "src") and not _validate_link(value):
        return None
    if name == "id" and not _BODY_IDS.match(value):
        return HEADING_ID_PREFIX + value
    return value


def make_sanitiser() -> nh3.Cleaner:
    """What raw HTML may keep: ammonia's safe defaults, plus what markdown-it itself writes
    (heading and footnote ids, classes, task-list checkboxes, table cell alignment)."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = {"id", "class", "title", "lang", "dir"}
    attributes["input"] = {"type", "checked", "disabled"}
    attributes["label"] = {"for"}
    for cell in ("th", "td"):
        attributes[cell] = attributes.get(cell, set()) | {"style"}
    return nh3.Cleaner(
        tags=set(nh3.ALLOWED_TAGS) | {"input", "label", "section"},
        clean_content_tags={"script", "style"},
        attributes=attributes,
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


MEMO_LIMIT = 50_000  # bodies remembered across builds in one process (serve) before any is forgotten


class BodyMemo:
    """The HTML of bodies by (`markdown.html` setting, text), for the life of the process.

    Each MarkdownRenderer starts a round (a build makes two: the bodies' process's and the
    pages stage's; `serve` one per rebuild). When the memo holds its limit, it forgets the
    bodies asked for in neither this round nor the one before (in `serve`, the texts of bodies
    edited since) and keeps the others however many they are: a roadmap with more bodies than
    the limit must not lose, in the middle of a build, bodies that build rendered already (a
    build of 50,000 activities rendered them twice). The limit then grows to twice what was
    kept, so that forgetting stays rare.
    """

    def __init__(self, limit: int = MEMO_LIMIT):
        self._html: dict[tuple[bool, str], tuple[str, int]] = {}  # key → (HTML, round last asked in)
        self._round = 0
        self._limit = self._floor = limit

    def start_round(self) -> None:
        """A new reader begins: what it asks for from now on is this round's."""
        self._round += 1

    def get(self, key: tuple[bool, str]) -> str | None:
        """The body's HTML, or None when it is not remembered."""
        found = self._html.get(key)
        if found is None:
            return None
        if found[1] != self._round:
            self._html[key] = (found[0], self._round)
        return found[0]

    def has(self, key: tuple[bool, str]) -> bool:
        """Whether the body is remembered; this counts as asking for it (it is about to be read)."""
        return self.get(key) is not None

    def put(self, key: tuple[bool, str], html: str) -> None:
        """Remember the body's HTML (first forgetting the stale bodies when full)."""
        if len(self._html) >= self._limit:
            self._forget_unasked()
        self._html[key] = (html, self._round)

    def _forget_unasked(self) -> None:
        recent = self._round - 1
        self._html = {key: found for key, found in self._html.items() if found[1] >= recent}
        self._limit = max(self._floor, 2 * len(self._html))


_memo = BodyMemo()


class MarkdownRenderer:
    """Renders each body once; one markdown-it instance serves the whole build.

    A body's HTML depends only on its text and the `markdown.html` setting, so it is remembered
    for the life of the process: `serve`'s rebuilds render again only the bodies that changed."""

    def __init__(self, allow_html: bool = False):
        self._allow_html = allow_html
        self._md = make_renderer(allow_html)
        self._clean = make_sanitiser().clean if allow_html else None
        _memo.start_round()

    def render(self, text: str, drop_first_heading: bool = False) -> str:
        """A body as HTML, without its first heading when that only repeats the title."""
        text = _prepared(text, drop_first_heading)
        if not text.strip():
            return ""
        key = (self._allow_html, text)
        html = _memo.get(key)
        if html is None:
            html = self._html(text)
            _memo.put(key, html)
        return html

    def not_yet_rendered(self, bodies: Iterable[str], drop_first_heading: bool = False) -> list[str]:
        """The bodies whose HTML is not remembered yet, each once, as `render` would read them:
        what `render_each` may make elsewhere (on another core) before the pages ask."""
        wanted: dict[str, None] = {}
        for body in bodies:
            text = _prepared(body, drop_first_heading)
            if text.strip() and not _memo.has((self._allow_html, text)):
                wanted[text] = None
        return list(wanted)

    def render_each(self, texts: Sequence[str]) -> list[str]:
        """The HTML of each of `not_yet_rendered`'s texts, in order (nothing is remembered: the
        process that asked does that, with `remember`)."""
        return [self._html(text) for text in texts]

    def remember(self, texts: Sequence[str], htmls: Sequence[str]) -> None:
        """Take `render_each`'s HTML as `render`'s for those texts."""
        for text, html in zip(texts, htmls):
            _memo.put((self._allow_html, text), html)

    def _html(self, text: str) -> str:
        html = self._md.render(text)
        return self._clean(html) if self._clean else html


def _prepared(text: str, drop_first_heading: bool) -> str:
    return _drop_title_heading(text) if drop_first_heading else text


def _drop_title_heading(text: str) -> str:
    """The body without a leading '# Title' line, which the page shows as its title already."""
    stripped = text.lstrip("\n")
    if stripped.startswith("# "):
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return text
