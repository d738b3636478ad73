"""The charts and the status table in Chromium: drawn, clickable, filterable, sortable, and safe."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import serve_built
from tests.conftest import REPO

pytestmark = pytest.mark.browser

def _with_git_history() -> int:
    """1 when the example is read from a git checkout with its history (a goal page then has a
    milestone trend chart: docs/history.md), else 0."""
    from roadmapgen.versions import read_plan_history

    return int(read_plan_history(REPO).unavailable is None)


CHART_PAGES = {
    "index.html": 2,
    "timeline.html": 1,
    "status.html": 7,
    "goals/on-time-delivery.html": 2 + _with_git_history(),
    "strategies/wms-migration.html": 1,
}
BARS = "#chart-timeline .cartesianlayer .bars .point"


def wait_drawn(page, count: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.js-chart[data-drawn]').length >= {count}", timeout=30_000)


def bar_count(page) -> int:
    return page.locator(BARS).count()


@pytest.mark.parametrize("path,count", CHART_PAGES.items())
def test_charts_are_drawn(example_site, open_page, path, count):
    probe = open_page(example_site.url(path))
    page = probe.page
    wait_drawn(page, count)
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == count
    for i in range(count):
        plot = plots.nth(i)
        assert plot.locator("svg.main-svg").count() >= 1
        drawn = plot.locator(".cartesianlayer .bars .point path, .cartesianlayer .scatterlayer path.js-line, "
                             ".cartesianlayer .scatterlayer path.point, .cartesianlayer .scatterlayer path.js-fill")
        assert drawn.count() > 0, plot.get_attribute("id")
        assert plot.locator(".chart-fallback").count() == 0
    assert probe.console_errors == [] and probe.failed == [] and probe.external == []


def _activity_bar_center(page) -> tuple[str, float, float]:
    """The centre of the first activity bar in view, and the path it opens (from the chart's own data)."""
    return page.evaluate("""() => {
      const el = document.getElementById('chart-timeline');
      const traces = Array.from(el.querySelectorAll('.cartesianlayer .barlayer .trace.bars'));
      const plot = el.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
      for (let t = 0; t < el.data.length; t++) {
        const data = el.data[t];
        if (data.type !== 'bar' || !Array.isArray(data.customdata)) continue;
        const dom = traces[el._fullData.filter(d => d.type === 'bar').findIndex(d => d.index === t)];
        const points = dom.querySelectorAll('.point');
        for (let k = 0; k < data.customdata.length; k++) {
          const path = data.customdata[k];
          if (!path || !path.startsWith('activities/')) continue;
          const box = points[k].getBoundingClientRect();
          const x = Math.max(box.left, plot.left) + 4, y = box.top + box.height / 2;
          if (box.width > 12 && y > plot.top + 5 && y < plot.bottom - 5 && x < plot.right - 5) {
            return [path, x, y];
          }
        }
      }
      return null;
    }""")


def test_clicking_a_bar_opens_its_activity_page(example_site, open_page):
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    path, x, y = _activity_bar_center(page)
    page.mouse.move(x, y)
    page.wait_for_timeout(100)
    with page.expect_navigation(timeout=10_000):
        page.mouse.click(x, y)
    assert page.url == example_site.url(path)
    assert page.locator("h1").count() == 1


def test_click_handler_resolves_paths_from_a_sub_folder(example_site, open_page):
    page = open_page(example_site.url("goals/on-time-delivery.html")).page
    wait_drawn(page, 2)
    target = page.evaluate("""() => {
      const el = document.getElementById('chart-timeline-on-time-delivery');
      el.setAttribute('data-no-navigate', '');
      el.emit('plotly_click', {points: [{customdata: 'activities/carrier-data-feeds.html'}]});
      return el.getAttribute('data-last-target');
    }""")
    assert target == example_site.url("activities/carrier-data-feeds.html")


def test_timeline_filters_change_the_drawn_bars(example_site, open_page):
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    form = page.locator("form.chart-filters")
    assert form.is_visible()
    all_bars, all_rows = bar_count(page), int(page.get_attribute("#chart-timeline", "data-rows"))
    assert all_bars > 50

    page.select_option("form.chart-filters select[name=goal]", "cost-per-order")
    page.wait_for_function(f"Number(document.getElementById('chart-timeline').dataset.rows) < {all_rows}")
    goal_bars = bar_count(page)
    assert 0 < goal_bars < all_bars
    labels = page.locator("#chart-timeline .yaxislayer-above .ytick text").all_text_contents()
    assert any("Cut fulfilment cost" in t for t in labels) and not any("Deliver 97%" in t for t in labels)

    page.click("form.chart-filters button[type=reset]")
    page.wait_for_function(f"Number(document.getElementById('chart-timeline').dataset.rows) === {all_rows}")
    assert bar_count(page) == all_bars

    page.select_option("form.chart-filters select[name=rag]", "red")
    page.wait_for_function(f"Number(document.getElementById('chart-timeline').dataset.rows) < {all_rows}")
    red_rows = int(page.get_attribute("#chart-timeline", "data-rows"))
    assert bar_count(page) < all_bars
    count_text = page.locator("form.chart-filters .chart-count").text_content()
    doc = json.loads(page.request.get(example_site.url("roadmap.json")).text())
    assert re.match(rf"Showing \d+ of {len(doc['activities'])} activities", count_text)

    page.select_option("form.chart-filters select[name=owner]", "dev-patel")
    page.wait_for_function(f"Number(document.getElementById('chart-timeline').dataset.rows) < {red_rows}")
    assert bar_count(page) >= 1


def test_rangeselector_buttons_centre_on_today(example_site, open_page):
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    page.locator("#chart-timeline .rangeselector .button").filter(has_text="3m").click()
    page.wait_for_function("""() => {
      const r = document.getElementById('chart-timeline').layout.xaxis.range;
      const a = new Date(r[0]), b = new Date(r[1]), today = new Date('2026-11-25T12:00:00');
      return a < today && today < b && (b - a) < 100 * 864e5;
    }""", timeout=10_000)


def test_status_table_sorts_and_filters(example_site, open_page):
    probe = open_page(example_site.url("status.html"))
    page = probe.page
    page.wait_for_selector("table.status-table.is-enhanced")
    rows = page.locator("table.status-table tbody tr")
    total = rows.count()
    doc = json.loads(page.request.get(example_site.url("roadmap.json")).text())
    assert total == len(doc["goals"]) + len(doc["strategies"]) + len(doc["activities"])

    page.click("table.status-table th button[data-sort=rag]")
    first = [rows.nth(i).get_attribute("data-rag") for i in range(5)]
    assert first[0] == "red"
    assert page.get_attribute("table.status-table th:has(button[data-sort=rag])", "aria-sort") == "ascending"
    page.click("table.status-table th button[data-sort=rag]")
    assert rows.nth(0).get_attribute("data-rag") in ("cancelled", "complete")
    page.click("table.status-table th button[data-sort=progress]")
    # progress nobody reported has no value, and sorts after every figure (as charts.js does)
    progress = [float(rows.nth(i).locator("td").nth(7).get_attribute("data-value") or "inf") for i in range(total)]
    assert progress == sorted(progress) and progress[-1] == float("inf")

    page.select_option("form.status-filters select[name=rag]", "red")
    visible = page.locator("table.status-table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert {visible.nth(i).get_attribute("data-rag") for i in range(visible.count())} == {"red"}
    page.select_option("form.status-filters select[name=kind]", "activity")
    assert {visible.nth(i).get_attribute("data-kind") for i in range(visible.count())} == {"activity"}
    page.fill("form.status-filters input[name=q]", "evening shift")
    assert visible.count() == 1
    page.click("form.status-filters button[type=reset]")
    page.wait_for_function(f"document.querySelector('table.status-table').dataset.shown === '{total}'")
    assert rows.nth(0).get_attribute("data-order") == "0"
    assert probe.console_errors == []


def test_status_page_filter_from_link(example_site, open_page):
    page = open_page(example_site.url("status.html?kind=activity&rag=red")).page
    page.wait_for_selector("table.status-table.is-enhanced")
    visible = page.locator("table.status-table tbody tr:not([hidden])")
    kinds = {visible.nth(i).get_attribute("data-kind") for i in range(visible.count())}
    rags = {visible.nth(i).get_attribute("data-rag") for i in range(visible.count())}
    assert kinds == {"activity"} and rags == {"red"}


def test_hostile_title_is_shown_as_text(example_copy, tmp_path_factory, open_page):
    hostile = "</script><img src=x onerror=alert(1)>"
    path = example_copy / "content/activities/wms/wms-cutover.md"
    path.write_text(re.sub(r"^title: .*$", 'title: "' + hostile + '"', path.read_text("utf-8"), count=1,
                           flags=re.M), "utf-8")
    _, server = serve_built(tmp_path_factory, example_copy, name="hostile")
    try:
        for page_path, count in (("timeline.html", 1), ("goals/cost-per-order.html", 2),
                                 ("strategies/wms-migration.html", 1), ("status.html", 7)):
            probe = open_page(server.url(page_path))
            wait_drawn(probe.page, count)
            assert probe.dialogs == [] and probe.console_errors == [], page_path
            assert probe.page.locator("img[src=x]").count() == 0
        labels = probe.page.locator(".status-table").text_content()
        assert hostile in labels
        probe = open_page(server.url("timeline.html"))
        wait_drawn(probe.page, 1)
        ticks = probe.page.locator("#chart-timeline .ytick text").all_text_contents()
        assert any("</script><img src=x" in t for t in ticks)
        assert probe.dialogs == []
    finally:
        server.close()


def test_big_timeline_draws_only_rows_near_the_view_and_scrolls(monkeypatch, tmp_path_factory, open_page):
    """Above `VIRTUAL_ABOVE` rows only the window and a buffer are drawn; the wheel scrolls rows and
    draws the next slice (the example, with the thresholds lowered, stands in for a big roadmap)."""
    from roadmapgen.site import gantt
    from tests.conftest import REPO

    monkeypatch.setattr(gantt, "VIRTUAL_ABOVE", 20)
    monkeypatch.setattr(gantt, "BUFFER_ROWS", 8)
    monkeypatch.setattr(gantt, "WINDOW_ROWS", 12)
    _, server = serve_built(tmp_path_factory, REPO, name="virtual")
    try:
        probe = open_page(server.url("timeline.html"))
        page = probe.page
        wait_drawn(page, 1)
        rows = int(page.get_attribute("#chart-timeline", "data-rows"))
        ticks = lambda: page.locator("#chart-timeline .yaxislayer-above .ytick text").all_text_contents()  # noqa: E731
        first = ticks()
        assert rows > 60 and 0 < len(first) <= 12 + 8
        before = bar_count(page)
        box = page.locator("#chart-timeline .draglayer .nsewdrag").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(8):  # 3 rows a notch: past the buffer, so a new slice is drawn
            page.mouse.wheel(0, 120)
            page.wait_for_timeout(120)
        page.wait_for_function("""() => {
          const r = document.getElementById('chart-timeline').layout.yaxis.range;
          return Math.min(r[0], r[1]) > 15;
        }""")
        later = ticks()
        assert later and later[0] != first[0] and bar_count(page) > 0
        assert len(later) <= 12 + 2 * 8 and before > 0
        assert probe.console_errors == []
    finally:
        server.close()


def test_timeline_plot_area_stays_usable_on_a_phone(example_site, open_page):
    probe = open_page(example_site.url("timeline.html"), width=360)
    probe.page.wait_for_selector(".js-plotly-plot[data-drawn]")
    plot_width = probe.page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout._size.w")
    chart_width = probe.page.evaluate("() => document.querySelector('.js-plotly-plot').clientWidth")
    assert plot_width >= 0.5 * chart_width, (plot_width, chart_width)


def test_plotly_placeholders_in_a_unit_are_shown_not_filled_in(example_copy, tmp_path_factory, open_page):
    """A unit of `€ %{x} %{y:,.1000000f}` reaches the hover template escaped: Plotly shows it as written."""
    unit = "€ %{x} %{y:,.1000000f}"
    path = example_copy / "content/goals/cost-per-order.md"
    path.write_text(path.read_text("utf-8").replace('unit: "€"', f'unit: "{unit}"', 1), "utf-8")
    _, server = serve_built(tmp_path_factory, example_copy, name="placeholders")
    try:
        probe = open_page(server.url("goals/cost-per-order.html"))
        wait_drawn(probe.page, 2)
        hover = probe.page.evaluate("""() => {
          const gd = document.getElementById('chart-metric-cost-per-order');
          const trace = gd.data.findIndex(t => t.name === 'Path to target');
          Plotly.Fx.hover(gd, [{curveNumber: trace, pointNumber: 0}]);
          return gd.querySelector('.hoverlayer').textContent;
        }""")
        assert unit in hover, hover
        assert probe.console_errors == [] and probe.dialogs == []
    finally:
        server.close()
