"""The home page's attention boxes in Chromium, on the example and on a roadmap of 1,000
activities: at desktop width and at 360 px they leave no large blank area (no hole beside a long
list), and the links under a long list open the status table filtered to the items left out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serve_built
from tests.site.test_dashboard_large import LARGE_TODAY, large_project

pytestmark = pytest.mark.browser

WIDTHS = (1280, 360)
BLANK_PX = 150  # about one list item: the most a column may fall short of the tallest


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    project = large_project(tmp_path_factory.mktemp("large-plan") / "plan")
    _, server = serve_built(tmp_path_factory, project, today=LARGE_TODAY, name="large-site")
    yield server
    server.close()


BOXES_JS = """() => {
  const grid = document.querySelector('.attention-grid').getBoundingClientRect();
  const rects = [];
  document.querySelectorAll('.attention-grid > .attention').forEach(box => {
    for (const r of box.getClientRects()) {
      rects.push({box: box.className, left: r.left - grid.left, top: r.top - grid.top,
                  right: r.right - grid.left, bottom: r.bottom - grid.top});
    }
  });
  return {width: grid.width, height: grid.height, rects: rects};
}"""


def columns(rects: list[dict]) -> dict[int, list[dict]]:
    """The boxes' pieces by column (their left edge), top to bottom."""
    out: dict[int, list[dict]] = {}
    for r in rects:
        out.setdefault(round(r["left"]), []).append(r)
    return {left: sorted(pieces, key=lambda r: r["top"]) for left, pieces in sorted(out.items())}


def assert_no_large_blank(layout: dict, width: int) -> None:
    rects = layout["rects"]
    assert rects and all(r["right"] <= layout["width"] + 1 for r in rects), (width, rects)
    cols = columns(rects)
    if width <= 400:
        assert len(cols) == 1, cols
    else:
        assert len(cols) >= 2, cols
    for left, pieces in cols.items():
        assert pieces[0]["top"] < BLANK_PX, (width, left, pieces)
        for above, below in zip(pieces, pieces[1:]):
            assert 0 <= below["top"] - above["bottom"] < 40, (width, left, above, below)  # the margin only
        assert layout["height"] - pieces[-1]["bottom"] < BLANK_PX, (width, left, layout["height"], pieces)


@pytest.mark.parametrize("width", WIDTHS)
def test_attention_boxes_leave_no_hole_on_a_large_roadmap(large_site, open_page, width):
    probe = open_page(large_site.url("index.html"), width=width)
    layout = probe.page.evaluate(BOXES_JS)
    assert_no_large_blank(layout, width)
    assert layout["height"] < 3200, layout["height"]  # capped lists and short reasons keep it to a few screens
    assert not probe.console_errors and not probe.failed


@pytest.mark.parametrize("width", WIDTHS)
def test_attention_boxes_leave_no_hole_on_the_example(example_site, open_page, width):
    probe = open_page(example_site.url("index.html"), width=width)
    assert_no_large_blank(probe.page.evaluate(BOXES_JS), width)


def test_a_more_link_opens_the_status_table_filtered_to_the_items_left_out(large_site, open_page):
    page = open_page(large_site.url("index.html")).page
    link = page.locator(".attention-red .more a").last
    left_out = int(link.inner_text().split()[0])
    shown = page.locator(".attention-red li[data-kind='activity']").count()
    link.click()
    page.wait_for_selector("table.status-table.is-enhanced")
    assert "kind=activity" in page.url and "rag=red" in page.url
    rows = page.locator("table.status-table tbody tr:not([hidden])")
    assert rows.count() == left_out + shown
    assert page.locator("table.status-table tbody tr:not([hidden])[data-kind='activity'][data-rag='red']").count() \
        == rows.count()
