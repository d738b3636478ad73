"""Every kind of page of the example site loads in Chromium without errors or outside requests."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["index.html", "goals/index.html", "activities/index.html", "people/index.html", "updates/index.html",
         "reviews/index.html"]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(example_site, open_page, path):
    probe = open_page(example_site.url(path))
    assert probe.page.locator("h1").count() >= 1
    assert probe.console_errors == []
    assert probe.failed == []
    assert probe.external == []
