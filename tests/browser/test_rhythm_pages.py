"""The rhythm's pages in Chromium: with a baseline saved and an activity moved, the "what changed"
page, the timeline's baseline bars and the pages that show the slip render cleanly and accessibly
at phone and desktop width. (The quarter, resources and team pages of the plain example are in
test_theme.py's PAGE_TYPES, and the Q3 page's PDF in its print test.)"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.build import save_current_baseline
from tests.browser.conftest import serve_built
from tests.browser.test_theme import WIDTHS, axe_problems, layout_problems, probe_problems, wait_for_charts
from tests.conftest import EXAMPLE_TODAY, REPO

pytestmark = pytest.mark.browser

PAGES = ["changes/index.html", "activities/returns-portal-build.html", "strategies/self-service-returns.html",
         "quarters/2026-q4.html", "index.html"]


@pytest.fixture(scope="module")
def baseline_site(tmp_path_factory):
    """The example with baseline q4 saved, compared against, and one activity moved three weeks later."""
    project = tmp_path_factory.mktemp("baseline") / "example"
    project.mkdir()
    shutil.copy(REPO / "roadmap.yml", project / "roadmap.yml")
    shutil.copytree(REPO / "content", project / "content")
    assert save_current_baseline(project, "q4", Diagnostics(), date.fromisoformat(EXAMPLE_TODAY)) is not None
    config = project / "roadmap.yml"
    config.write_text(config.read_text("utf-8") + "baseline: q4\n", "utf-8")
    moved = project / "content" / "activities" / "customer" / "returns-portal-build.md"
    moved.write_text(moved.read_text("utf-8").replace("start: 2026-10-12", "start: 2026-11-02"), "utf-8")
    _, server = serve_built(tmp_path_factory, project, name="baseline-site")
    yield server
    server.close()


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("path", PAGES)
def test_baseline_pages_render_cleanly_and_accessibly(baseline_site, open_page, path, width):
    probe = open_page(baseline_site.url(path), width=width)
    page = probe.page
    wait_for_charts(page)
    label = f"{path} at {width}px"
    problems = probe_problems(probe, label) + layout_problems(page, label) + axe_problems(page, label)
    assert page.locator("h1").count() == 1
    assert problems == [], "\n".join(problems)


def test_the_gantt_draws_the_baseline_behind_the_moved_bar(baseline_site, open_page):
    page = open_page(baseline_site.url("strategies/self-service-returns.html"), width=1280).page
    wait_for_charts(page)
    names = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".flatMap(p => p.data.map(t => t.name))")
    assert "Baseline (thin grey bar)" in names
    first = page.evaluate("() => document.querySelector('.js-plotly-plot').data[0].name")
    assert first == "Baseline (thin grey bar)"  # drawn first: behind the current bars


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_the_resources_heatmap_scrolls_inside_its_box(baseline_site, open_page, width):
    page = open_page(baseline_site.url("resources/index.html"), width=width).page
    facts = page.evaluate("""() => {
      const box = document.querySelector('.heat-scroll');
      return {page: document.documentElement.scrollWidth, window: innerWidth,
              scrolls: box.scrollWidth > box.clientWidth, cells: document.querySelectorAll('.heatmap td.over').length};
    }""")
    assert facts["page"] <= facts["window"], facts  # the page itself never scrolls sideways
    assert facts["cells"] > 0
    if width == 360:
        assert facts["scrolls"], facts
