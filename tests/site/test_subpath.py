"""The site served under a sub-path, as a plain static host does (GitHub Pages for a project):
built with `base_url: /roadmap/`, served under /roadmap/ only, every link and asset of every
page followed over HTTP. Also the files a host needs: .nojekyll, 404.html at any depth, and
sitemap.xml when base_url is a full address."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from roadmapgen.build import build_site

PREFIX = "/roadmap/"


class StaticHost(SimpleHTTPRequestHandler):
    """Files under PREFIX only; anything else, or a missing file, is the site's 404.html with
    status 404, as GitHub Pages does. No folder listings, no extensionless guessing."""

    def __init__(self, *args, site: Path, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        target = self.site / path[len(PREFIX):] if path.startswith(PREFIX) else None
        if target is not None and path.endswith("/"):
            target = target / "index.html"
        if target is None or not target.is_file() or not target.resolve().is_relative_to(self.site.resolve()):
            body = (self.site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if tag == "base" and name == "href":
                self.base = value
            elif name in ("href", "src", "action") and value is not None:
                self.links.append(value)


def _with_base_url(example_copy: Path, base_url: str) -> Path:
    config = example_copy / "roadmap.yml"
    config.write_text(config.read_text("utf-8").replace("base_url: /\n", f"base_url: {base_url}\n"), "utf-8")
    return example_copy


@pytest.fixture
def served(example_copy, tmp_path):
    project = _with_base_url(example_copy, PREFIX)
    site = tmp_path / "site"
    assert build_site(project, site, date(2026, 11, 25)).built
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(StaticHost, site=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _links_of(url: str, html: bytes) -> list[str]:
    parser = _Links()
    parser.feed(html.decode("utf-8"))
    base = urljoin(url, parser.base) if parser.base else url
    return [urljoin(base, link) for link in parser.links if not link.startswith(("mailto:", "#"))]


def test_every_link_and_asset_of_every_page_resolves_under_the_sub_path(served):
    site, root = served
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 100 and "404.html" in pages and "search.html" in pages
    checked: dict[str, int] = {}
    broken, outside, extensionless = [], [], []
    for page in pages:
        url = f"{root}{PREFIX}{page}"
        status, html = _get(url)
        assert status == 200, page
        for link in _links_of(url, html):
            target = link.split("#")[0].split("?")[0]
            if not target.startswith(root + PREFIX):
                outside.append(f"{page} → {link}")
                continue
            name = target.rsplit("/", 1)[-1]
            if "." not in name:
                extensionless.append(f"{page} → {link}")
            if target not in checked:
                checked[target] = _get(target)[0]
            if checked[target] != 200:
                broken.append(f"{page} → {link} ({checked[target]})")
    assert broken == [] and outside == [] and extensionless == []
    assert any(t.endswith("/search-index.js") for t in checked) and any(t.endswith(".ics") for t in checked)


@pytest.mark.parametrize("missing", ["nope.html", "goals/nope.html", "a/b/c/d/nope", "a/b/"])
def test_404_page_works_at_any_depth(served, missing):
    _, root = served
    url = f"{root}{PREFIX}{missing}"
    status, html = _get(url)
    assert status == 404 and b"Page not found" in html
    links = _links_of(url, html)
    assert any(link.endswith("/assets/css/site.css") for link in links)
    for link in links:
        assert _get(link.split("#")[0])[0] == 200, link


def test_host_files(served):
    site, _ = served
    assert (site / ".nojekyll").is_file() and (site / ".nojekyll").read_bytes() == b""
    assert not (site / "sitemap.xml").exists()  # a relative base_url gives no full addresses to list


def test_sitemap_lists_every_page_when_base_url_is_absolute(example_copy, tmp_path):
    project = _with_base_url(example_copy, "https://example.org/roadmap/")
    site = tmp_path / "site"
    assert build_site(project, site, date(2026, 11, 25)).built
    tree = ET.parse(site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)}
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    assert urls == {f"https://example.org/roadmap/{page}" for page in pages}
    assert '<base href="https://example.org/roadmap/">' in (site / "404.html").read_text()
