"""`roadmapgen serve` with a page open in headless Chromium: a save reloads the page with the new
content, where the reader was; an error shows the overlay, and fixing it removes it."""

from __future__ import annotations

import pytest

from tests.site.test_serve import edit, served  # noqa: F401  (served: the fixture)

pytestmark = pytest.mark.browser


def test_a_save_reloads_the_open_page_in_place(served, open_page):
    probe = open_page(f"http://127.0.0.1:{served.port}/roadmap/strategies/wms-migration.html", width=1280, height=600)
    page = probe.page
    page.wait_for_function("window.EventSource !== undefined")
    page.evaluate("window.scrollTo(0, 400)")
    page.wait_for_function("window.scrollY === 400")
    page.evaluate("window.__beforeReload = true")
    edit(served.project / "content/strategies/wms-migration.md", "title: ", "title: Renamed · ")
    page.wait_for_function("document.title.startsWith('Renamed')", timeout=20_000)
    assert page.evaluate("window.__beforeReload === undefined")  # a real reload, not a patch
    page.wait_for_function("window.scrollY === 400", timeout=5_000)  # the reader's place is kept
    assert probe.console_errors == [] and probe.external == []


def test_an_error_shows_the_overlay_and_the_fix_removes_it(served, open_page):
    page = open_page(f"http://127.0.0.1:{served.port}/roadmap/").page
    path = served.project / "content/activities/wms/wms-configuration.md"
    edit(path, "due: 2026-12-18", "due: 2026-13-18")
    overlay = page.locator("#roadmapgen-overlay")
    overlay.wait_for(state="visible", timeout=20_000)
    assert "wms-configuration.md:6" in overlay.inner_text()
    assert page.locator("h1").count() >= 1  # the last good site is still there beneath it
    edit(path, "due: 2026-13-18", "due: 2026-12-18")
    overlay.wait_for(state="detached", timeout=20_000)
