"""Headless Chromium over the built example site, served under a sub-path.

Browser tests skip with a reason when no Chromium is found, except under CI=true,
where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from tests.conftest import EXAMPLE_TODAY, REPO

SUB_PATH = "/roadmap/"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "tests" / "artifacts"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("ROADMAPGEN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _require_browser() -> str:
    path = chromium_path()
    try:
        import playwright  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium or Playwright is missing: install Debian's chromium and "
                        "the test extras (pip install -e '.[test]')")
        pytest.skip("no Chromium found (install Debian's 'chromium' package, or set ROADMAPGEN_CHROMIUM)")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder under SUB_PATH only; everything else is a 404."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_sub_path__")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def log_message(self, *args) -> None:
        pass


class SiteServer:
    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base = self.origin + SUB_PATH

    def url(self, path: str = "") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_built(tmp_factory, project: Path, today: str = EXAMPLE_TODAY, name: str = "site") -> tuple[Path, SiteServer]:
    from datetime import date

    output = tmp_factory.mktemp(name) / "site"
    result = build_site(project, output, date.fromisoformat(today))
    assert result.built, [d.as_text() for d in result.diagnostics]
    return output, SiteServer(output)


@pytest.fixture(scope="session")
def chromium() -> str:
    return _require_browser()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """The example roadmap, built once and served at http://127.0.0.1:PORT/roadmap/."""
    output, server = serve_built(tmp_path_factory, REPO)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


@dataclass
class PageProbe:
    """A page plus everything that went wrong while it loaded."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser):
    """open_page(url, width=1280) → PageProbe, with console errors and bad requests recorded."""
    contexts = []

    def _open(url: str, width: int = 1280, height: int = 900) -> PageProbe:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        probe = PageProbe(page)
        origin = url.split("/", 3)[:3]
        origin = "/".join(origin)
        page.on("console", lambda m: probe.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: probe.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: probe.failed.append(r.url))
        page.on("response", lambda r: probe.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("dialog", lambda d: (probe.dialogs.append(d.message), d.dismiss()))

        def _route(route):
            if route.request.url.startswith((origin, "data:", "blob:", "about:")):
                route.continue_()
            else:
                probe.external.append(route.request.url)
                route.abort()

        page.route("**/*", _route)
        page.goto(url, wait_until="load")
        return probe

    yield _open
    for context in contexts:
        context.close()
