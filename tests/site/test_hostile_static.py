"""Author text is escaped wherever it lands in the built HTML: no payload becomes markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from tests.hostile import write_hostile_project


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith(
                    ("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            kind = dict(attrs).get("type") or "text/javascript"
            self._script = kind
            self._script_text = []

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            text = "".join(self._script_text)
            if self._script != "application/json" and "__pwned" in text:
                self.problems.append(f"payload inside an executable <script>: {text[:80]!r}")
            self._script = None


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = write_hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    result = build_site(project, project / "site")
    assert result.built, [d.as_text() for d in result.diagnostics]
    return project / "site"


def test_no_payload_becomes_markup_on_any_page(hostile_site: Path):
    problems = {}
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 15
    for page in pages:
        scan = _Scan()
        scan.feed(page.read_text("utf-8"))
        if scan.problems:
            problems[page.relative_to(hostile_site).as_posix()] = scan.problems
    assert problems == {}


def test_payload_text_is_shown_escaped(hostile_site: Path):
    html = (hostile_site / "goals/grow.html").read_text("utf-8")
    assert "&lt;script&gt;window.__pwned=1;console.error(" in html
    assert "{{ 7*7 }}" in html and "49" not in html  # author text is never evaluated as a template


def test_raw_html_in_bodies_is_escaped_by_default(hostile_site: Path):
    html = (hostile_site / "activities/first.html").read_text("utf-8")
    assert "&lt;img src=x onerror=" in html
    assert 'href="javascript:' not in html.lower()
