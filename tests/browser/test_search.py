"""Site search in headless Chromium, at phone and desktop width: typed into any page's header,
answered on the search page from the prebuilt index, offline (no request leaves the site)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_search_from_a_pages_header_finds_items_by_title_owner_tag_and_body(example_site, open_page, width):
    probe = open_page(example_site.url("goals/on-time-delivery.html"), width=width)
    page = probe.page
    box = page.locator("#site-search-q")
    assert box.is_visible()
    box.fill("lockers")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=lockers")
    results = page.locator("#search-results li a")
    results.first.wait_for()
    titles = results.all_inner_texts()
    assert any("locker" in title.lower() for title in titles)
    assert "lockers" in page.locator("#search-summary").inner_text()
    # the search page's own box searches as you type: an owner's name, a tag, a word of a body
    field = page.locator("#search-q")
    for query, expected in (("Priya", "Priya Raman"), ("sustainability", None), ("works council", None)):
        field.fill(query)
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        if expected:
            assert expected in page.locator("#search-results").inner_text()
    field.fill("zzzqqqxxx")
    page.wait_for_function("document.getElementById('search-summary').textContent.includes('Nothing matches')")
    # a result leads to its page
    field.fill("lockers")
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1 and "search.html" not in page.url
    # fits the screen: no sideways scrolling at this width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert probe.console_errors == [] and probe.failed == [] and probe.external == []


def test_search_page_escapes_what_it_shows(example_site, open_page):
    probe = open_page(example_site.url("search.html?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"))
    probe.page.locator("#search-summary").wait_for()
    assert probe.dialogs == [] and probe.console_errors == []
    assert probe.page.locator("#search-results img").count() == 0


@pytest.mark.parametrize("width", [360, 1280])
def test_search_results_pass_axe_and_fit_the_screen(example_site, open_page, width):
    from tests.browser.test_theme import axe_problems, layout_problems

    probe = open_page(example_site.url("search.html?q=carrier"), width=width)
    page = probe.page
    page.locator("#search-results li").first.wait_for()
    label = f"search.html?q=carrier at {width}px"
    problems = axe_problems(page, label) + layout_problems(page, label)
    page.emulate_media(color_scheme="dark")
    problems += axe_problems(page, label + " (dark)")
    assert problems == [], "\n".join(problems)
