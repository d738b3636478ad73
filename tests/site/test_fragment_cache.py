"""Parts of the page frame rendered once and reused (`{% cache %}`, docs/themes.md): every page
is exactly what a renderer that never saw another page gives, and a block a theme replaces is
never cached."""

from __future__ import annotations

from datetime import date

import pytest

from roadmapgen.build import build_site, page_stage, site_renderer
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from tests.conftest import REPO, write_project

TODAY = date(2026, 10, 15)


@pytest.fixture(scope="module")
def example():
    computed = compute_roadmap(REPO, Diagnostics(), TODAY)
    return computed, page_stage(computed)


def _sample(pages):
    """A page of each template at each depth, and every page the navigation links to."""
    seen, chosen = set(), []
    for page in pages:
        key = (page.template, page.path.count("/"), page.section)
        if key not in seen or page.path.endswith("index.html") or "/" not in page.path:
            seen.add(key)
            chosen.append(page)
    return chosen


def test_every_page_is_what_a_fresh_renderer_gives(example):
    computed, pages = example
    _, shared = site_renderer(computed, None)
    rendered = {page.path: shared.render(page) for page in pages}  # the frame's parts cached along the way
    sample = _sample(pages)
    assert len(sample) >= 15 and {p.path.count("/") for p in sample} == {0, 1}
    for page in sample:
        _, fresh = site_renderer(computed, None)
        assert rendered[page.path] == fresh.render(page), page.path
    assert shared.env.fragments  # the parts were cached, so the comparison means something
    home, activity = rendered["index.html"], next(v for k, v in rendered.items()
                                                     if k.startswith("activities/") and not k.endswith("/index.html"))
    assert 'href="goals/index.html"' in home and 'href="../goals/index.html"' in activity


def test_a_block_a_theme_replaces_is_not_cached(tmp_path):
    base = ('{% extends "default/base.html" %}\n'
            '{% block nav %}<nav aria-label="Main"><p class="here">{{ page.title }}</p></nav>{% endblock %}\n'
            '{% block footer %}{% cache "acme", url("index.html") %}<p class="acme">{{ url("index.html") }}</p>'
            '{% endcache %}{% endblock %}\n')
    project = write_project(tmp_path / "project", {
        "my-theme/templates/base.html": base,
        "content/goals/grow.md": "---\ntitle: Grow\ndue: 2027-06-30\n---\n",
        "content/goals/keep.md": "---\ntitle: Keep\ndue: 2027-06-30\n---\n",
    }, config="title: Acme\nstart: 2026-01-05\ntheme:\n  custom_dir: my-theme\n")
    result = build_site(project, tmp_path / "site", TODAY)
    assert result.built, [d.as_text() for d in result.diagnostics]
    grow, keep = ((tmp_path / "site" / "goals" / f"{g}.html").read_text("utf-8") for g in ("grow", "keep"))
    assert '<p class="here">Grow</p>' in grow and '<p class="here">Keep</p>' in keep
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<p class="acme">../index.html</p>' in grow and '<p class="acme">index.html</p>' in home  # keyed by depth
