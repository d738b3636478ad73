"""Every output path of the site, and links between them, in one place.

Links are relative to the page they appear on, so the site works at `/`, under a
sub-path such as `/roadmap/`, and opened straight from disk. `base_url` is used only
where a full address is needed (sitemap, canonical links, feeds).
"""

from __future__ import annotations

from roadmapgen.model import PLURAL


class SitePaths:
    """Every output path of the site, and the relative links between them."""

    def __init__(self, base_url: str = "/"):
        self.base_url = base_url

    @staticmethod
    def item(kind: str, item_id: str) -> str:
        """An item's page: 'activities/<id>.html'."""
        return f"{PLURAL[kind]}/{item_id}.html"

    @staticmethod
    def section(name: str) -> str:
        """A section's index page: 'goals', 'updates', … or a top-level page name."""
        return {
            "home": "index.html",
            "timeline": "timeline.html",
            "status": "status.html",
        }.get(name, f"{name}/index.html")

    @staticmethod
    def quarter(key: str) -> str:
        """A quarter's computed review page: 'quarters/2026-q3.html'."""
        return f"quarters/{key}.html"

    @staticmethod
    def asset(name: str) -> str:
        """An asset's site path: 'assets/<name>'."""
        return f"assets/{name}"

    def absolute(self, path: str) -> str:
        """A full address under base_url, for sitemaps and feeds."""
        return self.base_url + path

    @staticmethod
    def relative(from_page: str, target: str) -> str:
        """The link from the page at `from_page` to `target` (both site paths, files not folders).

        Up to the site root and down again: always correct for the flat layout of the site,
        and cheap enough to call for every link of every page.
        """
        if not target or target.startswith("#"):
            return target
        return "../" * from_page.count("/") + target
