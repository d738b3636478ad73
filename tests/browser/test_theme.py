"""The default theme in headless Chromium: every page type at phone (360 px) and desktop (1280 px)
width, light and dark; every page of the example site once; keyboard use; print; screenshots.

Per page: no console error, failed or outside request, no dialog; no sideways scrolling of the page
(document.documentElement.scrollWidth <= innerWidth); every Plotly chart drawn (each .js-plotly-plot
holds an svg.main-svg) and no wider than the window; plotly.js loaded only where a chart is; and
axe-core (bundled with axe-playwright-python) finds no serious or critical violation.

Screenshots go to tests/artifacts/ (git-ignored); with ROADMAPGEN_UPDATE_SCREENSHOTS=1 the home page's
is also written to docs/images/home.png.
"""

from __future__ import annotations

import os
import re
import shutil
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import REPO

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "index.html",
    "goals": "goals/index.html",
    "goal": "goals/on-time-delivery.html",
    "strategy": "strategies/wms-migration.html",
    "activity": "activities/wms-data-migration.html",
    "milestone": "activities/wms-cutover.html",
    "activities": "activities/index.html",
    "people": "people/index.html",
    "person": "people/priya-raman.html",
    "tool": "tools/wms-cloud.html",
    "updates": "updates/index.html",
    "update": "updates/2026-11-23-checkin.html",
    "reviews": "reviews/index.html",
    "review": "reviews/2026-q3-review.html",
    "timeline": "timeline.html",
    "status": "status.html",
    "search": "search.html",
}
WIDTHS = (360, 1280)
SERIOUS = ("serious", "critical")
CHART_TIMEOUT_MS = 20_000

# -- helpers -----------------------------------------------------------------------------------


def exists(site, path: str) -> bool:
    try:
        with urllib.request.urlopen(site.url(path), timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def require(site, path: str) -> None:
    if not exists(site, path):
        pytest.skip(f"{path} is not part of the site yet")


_AXE = None


def axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def axe_problems(page, label: str, only: list[str] | None = None) -> list[str]:
    options = {"resultTypes": ["violations"]}
    if only:
        options["runOnly"] = {"type": "rule", "values": only}
    response = axe().run(page, options=options).response
    problems = []
    for violation in response["violations"]:
        if violation.get("impact") in SERIOUS:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{label}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
                            f"{violation['help']} — {targets}")
    return problems


def wait_for_charts(page) -> None:
    """Charts are drawn once every Plotly container holds its SVG (none: nothing to wait for)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(e => e.querySelector('svg.main-svg'))",
        timeout=CHART_TIMEOUT_MS)


LAYOUT_FACTS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const loaded = performance.getEntriesByType('resource').map(e => e.name);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    plots: plots.length,
    undrawn: plots.filter(e => !e.querySelector('svg.main-svg')).map(e => e.id || e.className),
    tooWide: plots.filter(e => e.getBoundingClientRect().width > window.innerWidth + 1).map(e => e.id),
    plotly: loaded.some(n => n.endsWith('/vendor/plotly.min.js')),
    wide: [...document.querySelectorAll('main *, header *, footer *')]
      .filter(e => !e.closest('.table-scroll, .js-plotly-plot, .prose table, pre')
                   && e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '') + ': ' + (e.textContent || '').trim().slice(0, 40)),
  };
}"""


def layout_problems(page, label: str) -> list[str]:
    facts = page.evaluate(LAYOUT_FACTS)
    problems = []
    if facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(f"{label}: the page scrolls sideways ({facts['scrollWidth']} > {facts['innerWidth']} px): "
                        f"{facts['wide']}")
    if facts["undrawn"]:
        problems.append(f"{label}: charts not drawn: {facts['undrawn']}")
    if facts["tooWide"]:
        problems.append(f"{label}: charts wider than the window: {facts['tooWide']}")
    if facts["plotly"] and not facts["plots"]:
        problems.append(f"{label}: loads plotly.js but has no chart")
    if facts["plots"] and not facts["plotly"]:
        problems.append(f"{label}: has charts but did not load plotly.js")
    return problems


def probe_problems(probe, label: str, start: tuple[int, int, int, int] = (0, 0, 0, 0),
                   aborted: set[str] = frozenset()) -> list[str]:
    """What went wrong since `start` (see marks()); `aborted`: failed requests to forgive."""
    problems = []
    for name, items, first in (("console errors", probe.console_errors, start[0]), ("failed requests", probe.failed, start[1]),
                               ("outside requests", probe.external, start[2]), ("dialogs", probe.dialogs, start[3])):
        items = [item for item in items[first:] if item not in aborted]
        if items:
            problems.append(f"{label}: {name}: {items[:5]}")
    return problems


def marks(probe) -> tuple[int, int, int, int]:
    return len(probe.console_errors), len(probe.failed), len(probe.external), len(probe.dialogs)


# -- every page type, phone and desktop, light and dark ------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type_renders_cleanly_and_accessibly(example_site, open_page, kind, width):
    path = PAGE_TYPES[kind]
    require(example_site, path)
    probe = open_page(example_site.url(path), width=width)
    page = probe.page
    wait_for_charts(page)
    label = f"{path} at {width}px"
    problems = probe_problems(probe, label) + layout_problems(page, label)
    assert page.locator("h1").count() == 1
    problems += axe_problems(page, label + " (light)")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    problems += axe_problems(page, label + " (dark)")
    problems += layout_problems(page, label + " (dark)")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", ["index.html", "goals/on-time-delivery.html", "timeline.html"])
def test_charts_resize_with_the_window(example_site, open_page, path):
    require(example_site, path)
    page = open_page(example_site.url(path), width=1280).page
    wait_for_charts(page)
    widths = "() => [...document.querySelectorAll('.js-plotly-plot svg.main-svg')].map(s => s.getBoundingClientRect().width)"
    wide = page.evaluate(widths)
    assert wide and max(wide) > 500
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_function(f"() => ({widths})().every(w => w <= innerWidth)", timeout=CHART_TIMEOUT_MS)
    assert layout_problems(page, f"{path} narrowed to 360px") == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(f"() => Math.max(...({widths})()) > 500", timeout=CHART_TIMEOUT_MS)


# -- every page of the site, once ------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def crawl(site) -> list[str]:
    """Every page reachable from the home page by links, as site paths, in the order found."""
    start = site.url("index.html")
    seen, queue, found = {start}, [start], []
    while queue:
        url = queue.pop(0)
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode("utf-8")
        found.append(url[len(site.base):])
        parser = _Links()
        parser.feed(body)
        for href in parser.hrefs:
            target = urljoin(url, href).split("#", 1)[0]
            if not target.startswith(site.base) or not target.endswith(".html") or target in seen:
                continue
            seen.add(target)
            if exists(site, target[len(site.base):]):
                queue.append(target)
    return found


@pytest.mark.slow
def test_every_page_passes_axe_at_phone_width(example_site, open_page):
    """Each page once (light; dark is checked on every page type above), found by following links."""
    paths = crawl(example_site)
    assert len(paths) > 60 and paths[0] == "index.html"
    probe = open_page(example_site.url(paths[0]), width=360)
    page = probe.page
    # Requests cut short by moving on to the next page (a late favicon) are not failures.
    aborted: set[str] = set()
    page.on("requestfailed", lambda r: aborted.add(r.url) if "ERR_ABORTED" in (r.failure or "") else None)
    problems: list[str] = []
    for number, path in enumerate(paths):
        start = marks(probe)
        if number:
            page.goto(example_site.url(path), wait_until="load")
        wait_for_charts(page)
        problems += probe_problems(probe, path, start, aborted) + layout_problems(page, path)
        problems += axe_problems(page, path)
    assert problems == [], f"{len(problems)} problems on {len(paths)} pages:\n" + "\n".join(problems[:60])


# -- keyboard --------------------------------------------------------------------------------------


FOCUS_FACTS = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, href: e.getAttribute('href'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== 'none',
          visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight,
          inMain: !!e.closest('main'), inHeader: !!e.closest('header')};
}"""


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("path", ["index.html", "activities/wms-cutover.html"])
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(example_site, open_page, path, width):
    page = open_page(example_site.url(path), width=width).page
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_FACTS)
    assert "skip-link" in first["cls"] and first["href"] == "#main", first
    assert first["visible"] and first["outline"], f"the focused skip link is not visible: {first}"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'", timeout=2000)
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_FACTS)
    assert after["inMain"] and not after["inHeader"], f"Tab after the skip link left <main>: {after}"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_focused_control_shows_a_visible_focus_indicator(example_site, open_page, theme):
    probe = open_page(example_site.url("goals/on-time-delivery.html"), width=1280)
    page = probe.page
    page.emulate_media(color_scheme=theme)
    wait_for_charts(page)
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        facts = page.evaluate(FOCUS_FACTS)
        if facts["tag"] == "body":
            break
        seen.append(facts)
        assert facts["visible"] and (facts["outline"] or facts["shadow"]), f"focus not visible on {facts}"
    assert len(seen) >= 15
    assert any(f["inHeader"] for f in seen) and any(f["inMain"] for f in seen)


def test_the_main_navigation_works_by_keyboard(example_site, open_page):
    page = open_page(example_site.url("index.html"), width=1280).page
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Reviews":
            break
    else:
        pytest.fail("Tab never reached the Reviews link of the main navigation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reviews/index.html")
    assert page.locator("h1").inner_text() == "Quarterly reviews"


# -- print -----------------------------------------------------------------------------------------


def dark_ink(css_colour: str) -> bool:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_colour)[:3])
    return max(r, g, b) < 100


PRINT_RECORDER = """() => {
  window.__printed = [];
  matchMedia('print').addEventListener('change', event => {
    if (!event.matches) return;
    const page = document.documentElement.clientWidth;
    window.__printed.push({
      page,
      nav: getComputedStyle(document.querySelector('.site-nav')).display,
      skip: getComputedStyle(document.querySelector('.skip-link')).display,
      background: getComputedStyle(document.body).backgroundColor,
      charts: [...document.querySelectorAll('.js-plotly-plot svg.main-svg')].map(s => s.getBoundingClientRect().right),
      ink: [...document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')].slice(0, 8)
        .map(t => getComputedStyle(t).fill),
      text: getComputedStyle(document.querySelector('main')).color,
      wide: [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > page + 1)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '')),
    });
  });
}"""


@pytest.mark.parametrize("path", ["index.html", "status.html", "timeline.html", "goals/on-time-delivery.html",
                                  "reviews/2026-q3-review.html"])
def test_dashboards_and_reviews_print_on_a4_and_letter(example_site, open_page, path):
    """Printed from a desktop window in dark mode: the page and its charts fit the paper (the charts
    are redrawn for it), in dark ink on white, without the navigation. The PDFs are kept in
    tests/artifacts/."""
    require(example_site, path)
    probe = open_page(example_site.url(path), width=1280)
    page = probe.page
    page.emulate_media(color_scheme="dark")
    wait_for_charts(page)
    page.evaluate(PRINT_RECORDER)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = path.replace("/", "_").removesuffix(".html")
    for number, paper in enumerate(("A4", "Letter"), 1):
        pdf = page.pdf(format=paper, print_background=True,
                       margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"})
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
        (ARTIFACTS / f"print-{name}-{paper}.pdf").write_bytes(pdf)
        printed = page.evaluate("window.__printed")
        assert len(printed) == number, "printing did not switch to the print media"
        facts = printed[-1]
        assert 650 < facts["page"] < 760, facts  # A4 / Letter less margins, in CSS pixels
        assert facts["nav"] == "none" and facts["skip"] == "none", facts
        assert facts["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), facts
        assert facts["wide"] == [], f"wider than {paper} paper: {facts['wide']}"
        assert all(right <= facts["page"] + 1 for right in facts["charts"]), facts
        assert all(dark_ink(colour) for colour in [facts["text"], *facts["ink"]]), facts
    assert probe.console_errors == [] and probe.failed == []


# -- screenshots -------------------------------------------------------------------------------------


SHOTS = [("home", "index.html", 1280, "light"), ("home-dark", "index.html", 1280, "dark"),
         ("home-phone", "index.html", 360, "light"), ("goal", "goals/on-time-delivery.html", 1280, "light"),
         ("timeline", "timeline.html", 1280, "light")]


@pytest.mark.parametrize("name,path,width,theme", SHOTS, ids=[s[0] for s in SHOTS])
def test_screenshot(example_site, open_page, name, path, width, theme):
    require(example_site, path)
    probe = open_page(example_site.url(path), width=width, height=900)
    page = probe.page
    page.emulate_media(color_scheme=theme)
    wait_for_charts(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    if name == "home" and os.environ.get("ROADMAPGEN_UPDATE_SCREENSHOTS") == "1":
        docs = REPO / "docs" / "images"
        docs.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "home-top.png"), full_page=False)
        shutil.copyfile(ARTIFACTS / "home-top.png", docs / "home.png")
