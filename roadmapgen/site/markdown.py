"""Markdown bodies to HTML: CommonMark + tables, strikethrough, task lists, footnotes, anchors.

Raw HTML is escaped unless `markdown.html` is on in roadmap.yml; links to javascript:,
vbscript: and data: (other than images) are never emitted, whatever the setting.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _validate_link(url: str) -> bool:
    bare = _CONTROL.sub("", url)
    if _SAFE_DATA_IMAGE.match(bare):
        return True
    return not _BAD_SCHEME.match(bare)


def make_renderer(allow_html: bool = False) -> MarkdownIt:
    """The markdown-it instance for bodies: CommonMark, tables, footnotes, task lists, heading ids."""
    md = (
        MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin, label=True)  # each checkbox is labelled by its item (accessible name)
        .use(anchors_plugin, min_level=2, max_level=4, permalink=False)
    )
    md.validateLink = _validate_link
    return md


class MarkdownRenderer:
    """Renders each body once; one markdown-it instance serves the whole build."""

    def __init__(self, allow_html: bool = False):
        self._md = make_renderer(allow_html)

    def render(self, text: str, drop_first_heading: bool = False) -> str:
        """A body as HTML, without its first heading when that only repeats the title."""
        if drop_first_heading:
            text = _drop_title_heading(text)
        if not text.strip():
            return ""
        return self._md.render(text)


def _drop_title_heading(text: str) -> str:
    """The body without a leading '# Title' line, which the page shows as its title already."""
    stripped = text.lstrip("\n")
    if stripped.startswith("# "):
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return text
