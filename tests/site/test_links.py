"""Every link and asset of every built page resolves inside the site: relative links only,
so the same output works at '/', under a sub-path such as '/roadmap/', and from disk."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from roadmapgen.build import build_site


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if tag == "base":  # 404.html's <base href> is the site's root, on purpose (tests/site/test_subpath.py)
                continue
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


@pytest.fixture(scope="module")
def built(tmp_path_factory, repo):
    out = tmp_path_factory.mktemp("links") / "site"
    result = build_site(repo, out, date(2026, 11, 25))
    assert result.built
    return out


def test_every_link_and_asset_resolves(built: Path):
    broken, absolute, pages = [], [], 0
    ids: dict[Path, set[str]] = {}
    anchors: list[tuple[Path, Path, str]] = []
    for page in sorted(built.rglob("*.html")):
        pages += 1
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        ids[page] = parser.ids
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto",):
                continue
            if parts.scheme or link.startswith("/"):
                absolute.append(f"{page.relative_to(built)} → {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(built)} → {link}")
            elif parts.fragment:
                anchors.append((page, target, parts.fragment))
    assert pages > 100
    assert broken == []
    assert absolute == []  # absolute links would break under a sub-path or from disk
    missing = [f"{p.relative_to(built)} → #{f}" for p, t, f in anchors if t.suffix == ".html" and f not in ids.get(t, set())]
    assert missing == []
