"""The live-reload server on its own, with sites handed to it by hand (it knows no roadmaps):
sub-paths, no traversal, the reload script and stream, the error overlay, a port in use, a
client that goes away mid-request, and the debouncer that turns a burst of saves into one rebuild."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from roadmapgen.serve.server import EVENTS, LiveSite, PortInUse, PreviewServer, site_path
from roadmapgen.serve.watch import Debouncer, is_scratch

PAGE = b"<!DOCTYPE html><html><body><p>hello</p></body></html>"


@pytest.fixture
def served():
    site = LiveSite()
    site.publish({"index.html": PAGE, "goals/index.html": PAGE, "assets/site.css": b"body{}",
                  "404.html": b"<html><body>missing</body></html>"})
    server = PreviewServer("127.0.0.1", 0, site, base="/roadmap/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stop()


def get(server: PreviewServer, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_serves_under_the_base_path_only(served):
    status, headers, body = get(served, "/roadmap/")
    assert status == 200 and b"<p>hello</p>" in body and headers["Content-Type"] == "text/html; charset=utf-8"
    assert get(served, "/roadmap/assets/site.css")[2] == b"body{}"  # assets as they are, no script
    assert get(served, "/roadmap/goals")[0] == 302
    assert get(served, "/")[0] == 302  # the root points at the base, as on GitHub Pages
    assert get(served, "/index.html")[0] == 404  # the site exists only under its base


@pytest.mark.parametrize("path", [
    "/roadmap/../roadmap.yml", "/roadmap/%2e%2e/roadmap.yml", "/roadmap/..%2froadmap.yml",
    "/roadmap/assets/../../etc/passwd", "/roadmap/%2E%2E%5Cetc%5Cpasswd", "/roadmap//etc/passwd",
    "/roadmap/./index.html", "/roadmap/nothing.html",
])
def test_nothing_outside_the_site_is_served(served, path):
    status, _, body = get(served, path)
    assert status == 404 and b"root:" not in body
    assert b"missing" in body  # the site's own 404 page


def test_site_path_maps_requests_to_site_files():
    assert site_path("/roadmap/a/b.html?x=1#y", "/roadmap/") == "a/b.html"
    assert site_path("/roadmap/a/", "/roadmap/") == "a/index.html"
    assert site_path("/other/a.html", "/roadmap/") is None
    assert site_path("/roadmap/a/%2e%2e/b", "/roadmap/") is None


def test_pages_get_the_reload_script_and_the_overlay_only_while_it_applies(served):
    body = get(served, "/roadmap/")[2]
    assert body.count(b"EventSource") == 1 and body.index(b"EventSource") < body.index(b"</body>")
    assert b"roadmapgen-overlay" not in body
    served.site.publish(None, ("content/goals/g.md:3: error: 'due' is not a date",))
    body = get(served, "/roadmap/")[2]
    assert b"roadmapgen-overlay" in body and b"content/goals/g.md:3" in body
    assert b"<p>hello</p>" in body  # the last good site stays served beneath it
    served.site.publish({"index.html": PAGE.replace(b"hello", b"fixed")})
    body = get(served, "/roadmap/")[2]
    assert b"roadmapgen-overlay" not in body and b"fixed" in body


def test_the_overlay_escapes_what_it_shows(served):
    served.site.publish(None, ("x.md:1: <img src=x onerror=alert(1)>",))
    body = get(served, "/roadmap/")[2]
    assert b"<img src=x" not in body and b"&lt;img src=x" in body


def test_the_event_stream_sends_each_new_version(served):
    conn = http.client.HTTPConnection(*served.server_address[:2], timeout=5)
    conn.request("GET", "/roadmap/" + EVENTS)
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = response.fp.readline()
    assert first == f"data: {served.site.version}\n".encode()
    response.fp.readline()
    changed = served.site.publish({"index.html": b"<body>new</body>"})
    assert changed == ["404.html", "assets/site.css", "goals/index.html", "index.html"]
    assert response.fp.readline() == f"data: {served.site.version}\n".encode()
    conn.close()


def test_publishing_the_same_bytes_changes_nothing(served):
    version = served.site.version
    assert served.site.publish(dict(served.site.files)) == []
    assert served.site.version == version


def test_a_second_server_on_the_same_port_gets_a_clear_error(served):
    port = served.server_address[1]
    with pytest.raises(PortInUse, match=rf"127.0.0.1:{port} is already in use.*--port {port + 1}"):
        PreviewServer("127.0.0.1", port, LiveSite())


def test_a_client_closing_mid_request_does_not_stop_the_server(served):
    host, port = served.server_address[:2]
    for _ in range(5):
        with socket.create_connection((host, port)) as raw:
            raw.sendall(b"GET /roadmap/ HTTP/1.1\r\nHost: x\r\n\r\n")
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        with socket.create_connection((host, port)) as raw:
            raw.sendall(b"GET /roadmap/ HT")  # half a request line, then gone
    assert get(served, "/roadmap/")[0] == 200


def test_a_burst_of_events_is_one_rebuild():
    calls: list[set[str]] = []
    debouncer = Debouncer(calls.append, quiet=0.3)
    for path in ("a.md", ".a.md.swp", "a.md~", "a.md"):  # one save: a burst within milliseconds
        debouncer.touch(path)
    deadline = time.monotonic() + 10
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    debouncer.touch("b.md")
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # nothing more comes
    debouncer.stop()
    assert len(calls) == 2 and "a.md" in calls[0] and calls[1] == {"b.md"}


def test_editor_scratch_files_are_recognised():
    assert all(is_scratch(p) for p in ("/x/.#a.md", "/x/a.md~", "/x/.a.md.swp", "/x/4913", "/x/a.md.tmp"))
    assert not any(is_scratch(p) for p in ("/x/a.md", "/x/roadmap.yml", "/x/theme/base.html"))


def test_a_snapshot_published_again_moves_the_version_once(served):
    version = served.site.version
    snapshot = {"index.html": b"<body>one</body>"}
    assert served.site.publish(snapshot, changed=[]) == []  # nothing known to differ yet: no reload
    assert served.site.version == version and get(served, "/roadmap/")[2].startswith(b"<body>one")
    assert served.site.publish(snapshot, changed=["index.html"]) == ["index.html"]
    assert served.site.version == version + 1
    served.site.publish(snapshot, changed=["index.html", "goals/index.html"])  # more found later, same snapshot
    assert served.site.version == version + 1  # the open pages reloaded once already


def test_assets_are_revalidated_by_etag_and_pages_never_cached(served):
    status, headers, _ = get(served, "/roadmap/assets/site.css")
    tag = headers["ETag"]
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    conn = http.client.HTTPConnection(*served.server_address[:2], timeout=5)
    conn.request("GET", "/roadmap/assets/site.css", headers={"If-None-Match": tag})
    response = conn.getresponse()
    assert response.status == 304 and response.read() == b""
    conn.close()
    served.site.publish({**served.site.files, "assets/site.css": b"body{color:red}"})
    status, headers, body = get(served, "/roadmap/assets/site.css")
    assert headers["ETag"] != tag and body == b"body{color:red}"
    status, headers, _ = get(served, "/roadmap/")
    assert headers["Cache-Control"] == "no-store" and "ETag" not in headers


def test_a_save_that_ends_with_a_close_or_a_rename_rebuilds_without_waiting_out_the_quiet():
    calls: list[set[str]] = []
    debouncer = Debouncer(calls.append, quiet=30.0, settled=0.01)
    try:
        debouncer.touch("a.md")  # modified: the save may go on
        time.sleep(0.3)
        assert calls == []  # still waiting for the files to be quiet
        debouncer.touch("a.md", ends_save=True)  # closed after writing: the save is over
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.01)
        assert calls == [{"a.md"}]
    finally:
        debouncer._stopped = True  # noqa: SLF001 - stop without waiting for the 30 s quiet
        debouncer.stop()


def test_the_builder_waits_while_the_browser_reloads():
    site = LiveSite()
    started = time.monotonic()
    site.let_readers_reload(limit=5)  # no open page listens: nothing to wait for
    assert time.monotonic() - started < 1
    site.listening(+1)
    site.answering(+1)  # the browser is fetching the new page
    done = threading.Event()

    def builder():
        site.wait_for_readers(limit=5)
        done.set()

    threading.Thread(target=builder, daemon=True).start()
    assert not done.wait(0.3)  # the builder holds back while the request is answered
    site.answering(-1)
    assert done.wait(5)
    started = time.monotonic()
    site.let_readers_reload(limit=1)  # nothing asked since: waits for the reload, up to the limit
    assert time.monotonic() - started >= 0.9

    def reload(stream_again: bool):
        time.sleep(0.2)
        site.answering(+1)  # the page, its styles, its scripts
        site.answering(-1)
        if stream_again:  # its live script has run: the reload stream opens again
            time.sleep(0.3)
            site.listening(-1)
            site.listening(+1)

    threading.Thread(target=reload, args=(True,), daemon=True).start()
    started = time.monotonic()
    site.let_readers_reload(limit=30)  # returns once the page is reloaded and listens again
    assert 0.5 <= time.monotonic() - started < 10
    threading.Thread(target=reload, args=(False,), daemon=True).start()
    started = time.monotonic()
    site.let_readers_reload(limit=1)  # answered, but not listening again yet: up to the limit
    assert time.monotonic() - started >= 0.9


def test_the_server_knows_which_pages_are_open_from_their_reload_streams(served):
    host, port = served.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", "/roadmap/" + EVENTS, headers={"Referer": f"http://{host}:{port}/roadmap/goals/x.html?y=1"})
    response = conn.getresponse()
    assert response.readline().startswith(b"data:")
    assert served.site.open_pages() == {"goals/x.html"}  # a rebuild makes this page first
    other = http.client.HTTPConnection(host, port, timeout=5)
    other.request("GET", "/roadmap/" + EVENTS, headers={"Referer": "http://elsewhere/other/page.html"})
    assert other.getresponse().readline().startswith(b"data:")
    assert served.site.open_pages() == {"goals/x.html"}  # a page outside the site is none of its pages
    conn.close()
    other.close()


def test_the_debouncer_says_whether_the_files_stayed_quiet():
    debouncer = Debouncer(lambda paths: None, quiet=0.01)
    try:
        assert debouncer.quiet_for(0.2)  # nothing came
        threading.Timer(0.1, debouncer.touch, ("a.md",)).start()
        started = time.monotonic()
        assert not debouncer.quiet_for(30)  # a change came: no need to wait the 30 s out
        assert time.monotonic() - started < 10
    finally:
        debouncer.stop()
