"""A live-reload HTTP server for a site held in memory. It knows nothing about roadmaps.

It is handed finished snapshots (`LiveSite.publish`): a mapping of site path → bytes, or, when a
rebuild failed, the problems to show. It serves the last good snapshot under `base_url` only,
never a half-built one (a snapshot is swapped in whole), and nothing outside it: paths are keys
of the mapping, so `..`, encoded `..` and symlinks have nothing to reach. While serving, and
only then, each HTML page gets a small script that listens to a server-sent-events stream and
reloads the page when the site changes, keeping the reader's scroll position; when the last
rebuild failed, each page also gets an overlay listing the problems.

Server-sent events need nothing but the standard library on both ends (EventSource in the
browser, a long-lived response here), where a WebSocket would need a second protocol.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import mimetypes
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

EVENTS = "__roadmapgen/events"  # under the base path: the reload stream
KEEPALIVE_SECONDS = 15.0
EMPTY = b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>roadmapgen serve</title></head><body></body></html>"
DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
READER_GRACE_SECONDS = 0.5  # the longest a builder waits for open pages to reload before it goes on
SETTLE_SECONDS = 0.03  # a reload's requests (the page, then its styles and scripts) come this close together


class PortInUse(Exception):
    """The address is taken; the message says how to fix it."""


@dataclass
class LiveSite:
    """The snapshot being served, the problems of the last rebuild, and a version that changes
    whenever either does; listeners wait on `changed`."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    version: int = 0
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    _announced: object = field(default=None, repr=False, compare=False)  # the snapshot the version last moved for
    _answering: int = field(default=0, repr=False, compare=False)  # requests being answered (not the streams)
    _answered: int = field(default=0, repr=False, compare=False)  # requests answered so far
    _listeners: int = field(default=0, repr=False, compare=False)  # open pages listening for reloads
    _streams: int = field(default=0, repr=False, compare=False)  # reload streams opened so far
    _open: dict[str, int] = field(default_factory=dict, repr=False, compare=False)  # site path → pages open at it
    _last_answer: float = field(default=0.0, repr=False, compare=False)

    def publish(self, files: Mapping[str, bytes] | None, problems: tuple[str, ...] = (),
                changed: Iterable[str] | None = None) -> list[str]:
        """Swap in a finished site (None keeps the last good one) and its problems; returns the
        paths whose bytes changed. The version moves only when something visible did, and once
        per snapshot: a builder may publish one snapshot again with more of what it found changed
        (`changed`, when it knows; else every file is compared with the last snapshot's)."""
        with self.changed:
            if files is None:
                paths = []
            else:
                paths = sorted(changed) if changed is not None else _changed_paths(self.files, files)
                self.files = files
            if (paths and self._announced is not files) or problems != self.problems:
                self.problems = problems
                self.version += 1
                self._announced = files if paths else self._announced
                self.changed.notify_all()
            return paths

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    # A builder that goes on rendering the rest of a site while the browser reloads makes every
    # answer wait for Python's lock: the reload took twice as long. So the browser goes first.

    def answering(self, delta: int) -> None:
        """A request began (+1) or ended (-1)."""
        with self.changed:
            self._answering += delta
            if delta < 0:
                self._answered += 1
                self._last_answer = time.monotonic()
                self.changed.notify_all()

    def listening(self, delta: int, path: str | None = None) -> None:
        """An open page (at site path `path`, when known) began (+1) or stopped (-1) listening for reloads."""
        with self.changed:
            self._listeners += delta
            if delta > 0:
                self._streams += delta
                self.changed.notify_all()
            if path is not None:
                self._open[path] = self._open.get(path, 0) + delta
                if self._open[path] <= 0:
                    del self._open[path]

    def open_pages(self) -> set[str]:
        """The site paths of the pages open in a browser (a rebuild makes them first)."""
        with self.changed:
            return set(self._open)

    def let_readers_reload(self, limit: float = READER_GRACE_SECONDS) -> None:
        """After a reload was announced to open pages: wait (at most `limit` seconds) until they
        have asked for the new page and everything it loads, before the builder goes on.

        A reloaded page has run its scripts when its reload stream opens again (the live script
        comes last): until every open page's has, its styles and scripts may still be on their
        way, and what the builder does next (a garbage collection of everything the rebuild made
        took 80 ms at 10,000 activities, then printing the warnings) would make them wait."""
        deadline = time.monotonic() + limit
        with self.changed:
            readers, streams = self._listeners, self._streams
            if not readers:
                return
            before = self._answered
            while time.monotonic() < deadline and not self.closed:
                settled = time.monotonic() - self._last_answer >= SETTLE_SECONDS
                reopened = self._streams - streams >= readers
                if self._answered > before and not self._answering and settled and reopened:
                    return
                self.changed.wait(min(SETTLE_SECONDS, max(0.0, deadline - time.monotonic())))

    def wait_for_readers(self, limit: float = 1.0) -> None:
        """Wait (at most `limit` seconds) while requests are being answered: called by a builder
        between two pages of work that no reader is waiting for."""
        deadline = time.monotonic() + limit
        with self.changed:
            while self._answering and time.monotonic() < deadline and not self.closed:
                self.changed.wait(max(0.0, deadline - time.monotonic()))


def _changed_paths(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[str]:
    return sorted({p for p in new if old.get(p) != new[p]} | {p for p in old if p not in new})


def site_path(request_path: str, base: str) -> str | None:
    """The site file a request path names under `base` ("/" or "/roadmap/"), or None when it
    names nothing inside the site (outside the base, or with a `..`, `.` or empty segment)."""
    path = unquote(urlsplit(request_path).path)
    if not path.startswith(base):
        return None
    rel = path[len(base):]
    parts = rel.split("/")
    if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
        return None
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if "//" in rel:
        return None
    return rel


def live_script(base: str, version: int) -> str:
    """The reload script: reload on a new version, and put the reader back where they were."""
    events = json.dumps(base + EVENTS)
    return (
        "<script>(function(){var k='roadmapgen-scroll:'+location.pathname,v=" + str(version) + ";"
        "var y=sessionStorage.getItem(k);if(y!==null){sessionStorage.removeItem(k);"
        "addEventListener('load',function(){scrollTo(0,+y);});}"
        "var es=new EventSource(" + events + ");"
        "es.onmessage=function(e){if(+e.data!==v){es.close();sessionStorage.setItem(k,String(scrollY));"
        "location.reload();}};})();</script>"
    )


def overlay(problems: tuple[str, ...]) -> str:
    """A box over the page listing why the last rebuild failed (the last good site is below it)."""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return (
        '<div id="roadmapgen-overlay" role="alert" style="position:fixed;inset:auto 1rem 1rem 1rem;'
        "max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#1b1f24;"
        'border:3px solid #b42318;border-radius:6px;padding:1rem;font:14px/1.45 monospace;'
        'box-shadow:0 4px 24px rgba(0,0,0,.35)">'
        '<strong style="color:#b42318">roadmapgen: the last edit has errors; showing the last good site.</strong>'
        f'<ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>'
    )


def inject(page: bytes, extra: str) -> bytes:
    """`extra` before the page's last </body> (at the end when it has none)."""
    marker = b"</body>"
    at = page.rfind(marker)
    data = extra.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]


class _Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes; with Nagle's algorithm the second waited for the
    # browser's delayed acknowledgement of the first (40 ms on Linux) on every file of a reload
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        site = self.server.site
        if site_path(self.path, self.server.base) == EVENTS:
            # the page listening is the one the stream was opened from
            page = site_path(self.headers.get("Referer", ""), self.server.base)
            track, done = (lambda: site.listening(+1, page)), (lambda: site.listening(-1, page))
        else:
            track, done = (lambda: site.answering(+1)), (lambda: site.answering(-1))
        track()
        try:
            self._respond(body)
        except DISCONNECTS:
            self.close_connection = True  # the browser went away mid-request: nothing to answer
        finally:
            done()

    def _respond(self, body: bool) -> None:
        base, site = self.server.base, self.server.site
        rel = site_path(self.path, base)
        if rel == EVENTS:
            return self._events()
        if rel is None:
            if urlsplit(self.path).path in ("", "/") and base != "/":
                return self._redirect(base)
            return self._not_found(body)
        files = site.files  # one snapshot for the whole answer
        try:
            data = files.get(rel)
        except Exception as error:  # noqa: BLE001 - a file made on request failed (a template): say so
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "error.txt",
                              f"this file could not be made: {error!r}\n".encode(), body)
        if data is None and (rel + "/index.html") in files:
            return self._redirect(base + rel + "/")
        if data is None and not files and site.problems:  # no good site yet: say why, and reload when there is
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "index.html", self._live("index.html", EMPTY), body)
        if data is None:
            return self._not_found(body)
        self._send(HTTPStatus.OK, rel, self._live(rel, data), body)

    def _live(self, rel: str, data: bytes) -> bytes:
        if not rel.endswith(".html"):
            return data
        site = self.server.site
        extra = (overlay(site.problems) if site.problems else "") + live_script(self.server.base, site.version)
        return inject(data, extra)

    def _send(self, status: HTTPStatus, rel: str, data: bytes, body: bool) -> None:
        kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        tag = None if rel.endswith(".html") or status != HTTPStatus.OK else self.server.etags.of(rel, data)
        if tag is not None and tag in self.headers.get("If-None-Match", ""):
            self.send_response(HTTPStatus.NOT_MODIFIED)  # the browser's copy, and its compiled scripts, stay
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if tag is None:  # a page: its reload script carries the version
            self.send_header("Cache-Control", "no-store")
        else:  # any other file: kept by the browser, asked again on every use (answered 304 when unchanged)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("ETag", tag)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, body: bool) -> None:
        page = self.server.site.files.get("404.html")
        if page is not None:
            return self._send(HTTPStatus.NOT_FOUND, "404.html", self._live("404.html", page), body)
        data = b"Not found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """The reload stream: the current version now, then each new one, with keep-alives."""
        site = self.server.site
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        sent = None
        while True:
            with site.changed:
                if site.version == sent and not site.closed:
                    site.changed.wait(KEEPALIVE_SECONDS)
                version, closed = site.version, site.closed
            if closed:
                return
            self.wfile.write(f"data: {version}\n\n".encode() if version != sent else b": keep-alive\n\n")
            self.wfile.flush()
            sent = version


class ETags:
    """A tag per file's bytes, for the browser's conditional requests: computed once per bytes
    object, so an unchanged asset is not hashed again on every reload."""

    def __init__(self) -> None:
        self._tags: dict[str, tuple[bytes, str]] = {}

    def of(self, rel: str, data: bytes) -> str:
        known = self._tags.get(rel)
        if known is not None and known[0] is data:
            return known[1]
        tag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
        self._tags[rel] = (data, tag)
        return tag


SWITCH_SECONDS = 0.001  # how long a thread answering the browser may wait for one busy with a rebuild


class PreviewServer(ThreadingHTTPServer):
    """Serves a `LiveSite` under `base` at (host, port); one thread per connection.

    A builder thread may still be rendering the rest of a site while the browser reloads; a
    thread answering it waits for Python's lock at each step, by default up to 5 ms each time,
    which added up to a few hundred milliseconds per page load. The server makes it 1 ms.
    """

    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str, port: int, site: LiveSite, base: str = "/", verbose: bool = False):
        self.site, self.base, self.verbose = site, base if base.endswith("/") else base + "/", verbose
        self.etags = ETags()
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_SECONDS))
        try:
            super().__init__((host, port), _Handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(f"{host}:{port} is already in use (another roadmapgen serve?); stop it, "
                                f"or choose another port with --port {port + 1}") from None
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.base}"

    def handle_error(self, request, client_address) -> None:
        """A connection that failed mid-answer is the client's business; anything else is reported."""
        if isinstance(sys.exc_info()[1], DISCONNECTS):
            return
        super().handle_error(request, client_address)

    def stop(self) -> None:
        self.site.close()
        self.shutdown()
        self.server_close()
