"""Every file a build writes besides the theme's pages and assets, in one list.

The exports (roadmap.json, activities.csv, calendar.ics, the Atom feed of updates), the search
index, and what static hosts need (.nojekyll, sitemap.xml). Each producer reads the computed
roadmap and returns the file's bytes, or None when the file does not apply (a sitemap needs an
absolute base_url). The footer of every page links to the exports from this list, and the
pages the site adds for hosts and search (404.html, search.html) are here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator
from xml.sax.saxutils import escape

from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.site.exports import roadmap_json
from roadmapgen.site.feeds import activities_csv, calendar_ics, updates_atom
from roadmapgen.site.pages import EVERYTHING, NavEntry, Page, PageContext
from roadmapgen.site.search import search_index_js, search_page
from roadmapgen.site.urls import SitePaths

Producer = Callable[[ComputedRoadmap, SitePaths, tuple[Page, ...]], "bytes | None"]


@dataclass(frozen=True)
class Output:
    """One file of the site that is not a page of the theme."""

    path: str
    media_type: str
    produce: Producer
    label: str | None = None  # the footer's link text; None: not linked (files for hosts, the index)


def _sitemap(computed: ComputedRoadmap, paths: SitePaths, pages: tuple[Page, ...]) -> bytes | None:
    """sitemap.xml lists full addresses, so it is written only when base_url is one."""
    if not is_absolute(paths.base_url):
        return None
    urls = "".join(f"<url><loc>{escape(paths.absolute(page.path))}</loc></url>\n"
                   for page in pages if page.path.endswith(".html") and page.path != NOT_FOUND_PATH)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n").encode("utf-8")


OUTPUTS: tuple[Output, ...] = (
    Output("roadmap.json", "application/json", lambda c, p, _: roadmap_json(c, p).encode("utf-8"), "roadmap.json"),
    Output("activities.csv", "text/csv", lambda c, p, _: activities_csv(c, p), "activities.csv"),
    Output("calendar.ics", "text/calendar", lambda c, p, _: calendar_ics(c, p), "calendar.ics"),
    Output("updates.xml", "application/atom+xml", lambda c, p, _: updates_atom(c, p), "updates feed (Atom)"),
    Output("search-index.js", "text/javascript", lambda c, p, _: search_index_js(c, p)),
    Output("sitemap.xml", "application/xml", _sitemap),
    Output(".nojekyll", "text/plain", lambda c, p, _: b""),  # GitHub Pages: publish as is, no Jekyll
)

NOT_FOUND_PATH = "404.html"


def is_absolute(base_url: str) -> bool:
    """Whether base_url is a full address (https://…), which sitemaps and feeds need."""
    return "://" in base_url


def output_files(computed: ComputedRoadmap, paths: SitePaths, pages: tuple[Page, ...]) -> dict[str, bytes]:
    """{site path: bytes} of every output that applies to this roadmap."""
    return dict(each_output(computed, paths, pages))


def each_output(computed: ComputedRoadmap, paths: SitePaths, pages: tuple[Page, ...]) -> Iterator[tuple[str, bytes]]:
    """(site path, bytes) of every output that applies to this roadmap, one at a time."""
    for output in OUTPUTS:
        data = output.produce(computed, paths, pages)
        if data is not None:
            yield output.path, data


def export_links() -> tuple[NavEntry, ...]:
    """The exports every page's footer links to."""
    return tuple(NavEntry(output.path, output.label, output.path) for output in OUTPUTS if output.label)


@dataclass(frozen=True)
class NotFoundContext(PageContext):
    """The page a static host shows for a missing address, at any depth: its links are resolved
    against `base_href`, the site's root, instead of the address that was asked for."""

    base_href: str


def not_found_page(paths: SitePaths) -> Page:
    """404.html, with every link resolved from base_url."""
    return Page(NOT_FOUND_PATH, "404.html", "Page not found", "notfound",
                context=NotFoundContext(paths.base_url), depends=EVERYTHING)


def host_pages(paths: SitePaths) -> tuple[Page, ...]:
    """The pages the site adds to the theme's: the search page and the 404 page."""
    return (search_page(), not_found_page(paths))
