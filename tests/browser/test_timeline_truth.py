"""What the timeline draws tells the truth at a glance: late work is drawn late, rows show their
nesting, and on a phone labels and titles stay inside the chart (issue 21)."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, timedelta

import pytest

from tests.browser.conftest import serve_built
from tests.browser.test_charts import wait_drawn

pytestmark = pytest.mark.browser

RED = "rgb(184, 32, 26)"  # the theme's red (names.RAG_PALETTE["light"]["red"])


def _activity_titled(site, title: str) -> dict:
    """An activity of the example, found by its title in the site's roadmap.json."""
    with urllib.request.urlopen(site.url("roadmap.json")) as response:
        roadmap = json.load(response)
    return next(a for a in roadmap["activities"] if a["title"].startswith(title))


STRIPS = """(path) => {
  const el = document.getElementById('chart-timeline');
  const bars = el._fullData.filter(d => d.type === 'bar');
  const doms = el.querySelectorAll('.cartesianlayer .barlayer .trace.bars');
  const strips = {};
  bars.forEach((trace, j) => {
    if (trace.legendgroup !== 'forecast' && trace.legendgroup !== 'late') return;
    const k = trace.customdata.indexOf(path);
    if (k < 0) return;
    const box = doms[j].querySelectorAll('.point path')[k].getBoundingClientRect();
    const fill = el.querySelector('#' + CSS.escape(
      getComputedStyle(doms[j].querySelectorAll('.point path')[k]).fill.replace(/^url\\("?#|"?\\)$/g, '')));
    strips[trace.legendgroup] = {left: box.left, right: box.right, height: box.height,
      background: fill ? getComputedStyle(fill.querySelector('rect') || fill).fill : null};
  });
  const legend = Array.from(el.querySelectorAll('.legend .traces')).map(t => [t.textContent,
    Array.from(t.querySelectorAll('.legendpoints path')).map(p => getComputedStyle(p).fill)]);
  return {strips, legend};
}"""


def _px(page, iso: str) -> float:
    return page.evaluate("""(iso) => {
      const el = document.getElementById('chart-timeline');
      const plot = el.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
      return plot.left + el._fullLayout.xaxis.d2p(iso);
    }""", iso)


def test_late_work_is_drawn_to_its_forecast_end(example_site, open_page):
    activity = _activity_titled(example_site, "Migrate item master")
    planned_end = date.fromisoformat(activity["schedule"]["end"])
    forecast_end = date.fromisoformat(activity["schedule"]["forecast_end"])
    assert forecast_end > planned_end  # the example's slip this test is about
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    found = page.evaluate(STRIPS, activity["page"])
    strips = found["strips"]
    assert set(strips) == {"forecast", "late"}
    end_px = _px(page, (forecast_end + timedelta(days=1)).isoformat())  # a bar includes its end day
    plan_end_px = _px(page, (planned_end + timedelta(days=1)).isoformat())
    late = strips["late"]
    assert abs(late["right"] - end_px) <= 1.5, (late, end_px)
    assert abs(late["left"] - plan_end_px) <= 1.5, (late, plan_end_px)
    assert late["right"] - late["left"] > 20 and late["height"] >= 4
    assert strips["forecast"]["right"] >= end_px - 1.5
    assert late["background"] == RED  # under the white hatch, a solid red: visible on any background
    legend = dict((text, fills) for text, fills in found["legend"])
    late_entry = next(fills for text, fills in legend.items() if "late" in text.lower())
    assert late_entry and all(fill not in ("none", "") for fill in late_entry)  # a swatch, not a blank


LABELS = """(id) => {
  const el = document.getElementById(id);
  const chart = el.getBoundingClientRect();
  return Array.from(el.querySelectorAll('.yaxislayer-above .ytick text')).map(t => {
    const box = t.getBoundingClientRect();
    return {text: t.textContent, left: box.left - chart.left, right: box.right - chart.left,
            top: box.top - chart.top, bottom: box.bottom - chart.top, width: chart.width,
            y: t.__data__ && t.__data__.x};
  });
}"""


def _rows_by_label(page, chart_id: str) -> dict:
    spec = page.evaluate("(id) => window.roadmapgenTimeline || JSON.parse(document.getElementById(id + '-data').textContent)",
                         chart_id)
    return spec["rows"]


def test_row_labels_are_indented_by_nesting(example_site, open_page):
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    rows = _rows_by_label(page, "chart-timeline")
    labels = page.evaluate(LABELS, "chart-timeline")
    lefts: dict[int, set[float]] = {}
    for label in labels:
        lefts.setdefault(rows[label["y"]]["depth"], set()).add(round(label["left"]))
    assert set(lefts) == {0, 1, 2}
    goal, strategy, activity = (min(lefts[d]) for d in (0, 1, 2))
    assert goal + 10 <= strategy and strategy + 10 <= activity, lefts  # each level starts further right
    assert all(max(v) - min(v) <= 3 for v in lefts.values()), lefts  # … and all of a level line up


SYMBOLS = "●▲■✓✕◆◇▶⬟→★"


def test_the_legend_names_each_mark_once(example_site, open_page):
    page = open_page(example_site.url("timeline.html")).page
    wait_drawn(page, 1)
    entries = page.evaluate("""() => Array.from(document.querySelectorAll('#chart-timeline .legend .traces')).map(t => [
      t.textContent.trim(),
      Array.from(t.querySelectorAll('.legendpoints path, .legendlines path')).filter(p => {
        const style = getComputedStyle(p);
        return (style.fill !== 'none' && style.fill !== '') || (style.stroke !== 'none' && parseFloat(style.strokeWidth) > 0);
      }).length,
      Math.max(0, ...Array.from(t.querySelectorAll('.legendpoints path')).map(p => parseFloat(getComputedStyle(p).strokeWidth) || 0))])""")
    assert len(entries) >= 8
    for text, swatches, outline in entries:
        assert text and text[0] not in SYMBOLS, text  # the swatch is the mark: no symbol beside it
        assert swatches >= 1, text
        assert outline < 3, text  # not the critical path's thick outline of the trace's first point
    assert len({text for text, _, _ in entries}) == len(entries)  # one entry per colour and per mark


# -- on a phone ----------------------------------------------------------------------------------

PHONE = 360

BOXES = """(id) => {
  const el = document.getElementById(id);
  const rel = (node) => { if (!node) return null; const b = node.getBoundingClientRect(), c = el.getBoundingClientRect();
    return {left: b.left - c.left, right: b.right - c.left, top: b.top - c.top, bottom: b.bottom - c.top,
            width: b.width, height: b.height}; };
  const today = (el.layout.annotations || []).findIndex(a => a.name === 'today');
  const legend = el.querySelector('.legend');
  return {chart: rel(el), margin: el._fullLayout.margin.l,
          buttons: rel(el.querySelector('.rangeselector')),
          today: rel(el.querySelector('.annotation[data-index="' + today + '"]')),
          plot: rel(el.querySelector('.draglayer .nsewdrag')),
          legend: legend && getComputedStyle(legend).display !== 'none' ? rel(legend) : null};
}"""


def _inside(box: dict, outer: dict, slack: float = 0.5) -> bool:
    return (box["left"] >= -slack and box["top"] >= -slack and box["right"] <= outer["width"] + slack
            and box["bottom"] <= outer["height"] + slack)


def _meet(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("path,chart", [("goals/on-time-delivery.html", "chart-timeline-on-time-delivery"),
                                        ("timeline.html", "chart-timeline"),
                                        ("strategies/wms-migration.html", "chart-timeline-wms-migration")])
def test_on_a_phone_the_timeline_labels_lie_inside_the_chart(example_site, open_page, path, chart):
    page = open_page(example_site.url(path), width=PHONE).page
    wait_drawn(page, 1)
    page.wait_for_timeout(300)  # "Today" is lifted after the first draw
    boxes = page.evaluate(BOXES, chart)
    chart_box = boxes["chart"]
    assert chart_box["width"] <= PHONE
    labels = page.evaluate(LABELS, chart)
    assert labels
    for label in labels:  # starts inside the chart, at the left, never cut off there …
        assert 0 <= label["left"] <= boxes["margin"], label
        assert label["right"] <= boxes["margin"], label  # … and ends ("…") before the plot
    assert boxes["today"] and _inside(boxes["today"], chart_box), boxes
    assert not _meet(boxes["today"], boxes["buttons"]), boxes
    assert boxes["legend"] is None  # the key under the chart says it in words …
    assert boxes["buttons"]["top"] - chart_box["top"] < 36, boxes  # room for "Today" above them, no more  # … and no blank gap is left where it was
    assert boxes["plot"]["top"] - boxes["buttons"]["bottom"] < 8, boxes


METRIC_NAME = "Sustained Solution milestones completed across all regions"


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_a_long_metric_axis_title_is_not_clipped(example_copy, tmp_path_factory, open_page, width):
    path = example_copy / "content/goals/on-time-delivery.md"
    path.write_text(path.read_text("utf-8").replace("name: On-time delivery rate", f"name: {METRIC_NAME}"), "utf-8")
    _, server = serve_built(tmp_path_factory, example_copy, name=f"metric-{width}")
    try:
        page = open_page(server.url("goals/on-time-delivery.html"), width=width).page
        wait_drawn(page, 2)
        found = page.evaluate("""() => {
          const el = document.getElementById('chart-metric-on-time-delivery');
          const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
          const title = el.querySelector('.g-ytitle text');
          const b = title.getBoundingClientRect();
          return {text: title.textContent, left: b.left - svg.left, top: b.top - svg.top,
                  right: b.right - svg.left, bottom: b.bottom - svg.top, width: svg.width, height: svg.height};
        }""")
        assert found["text"].replace(" ", "") == (METRIC_NAME + "(%)").replace(" ", "")  # every word drawn
        assert _inside(found, found), found
    finally:
        server.close()
