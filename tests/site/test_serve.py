"""`roadmapgen serve` as a user runs it: a process on a free port, fetched over HTTP while files
change under it. The example roadmap is served under base_url /roadmap/, as GitHub Pages would."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roadmapgen.serve.server import EVENTS

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `roadmapgen serve` and what it printed."""

    def __init__(self, project: Path, port: int):
        self.project, self.port = project, port
        self.log = project.parent / f"serve-{port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roadmapgen", "serve", "-f", str(project), "--port", str(port)],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.wait_for(lambda: "serving http://" in self.output(), 60)

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, body

    def wait_for(self, condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited ({self.process.returncode}):\n{self.output()}")
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out; serve said:\n{self.output()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def served(example_copy: Path):
    config = example_copy / "roadmap.yml"
    config.write_text(config.read_text("utf-8").replace("base_url: /", "base_url: /roadmap/"), "utf-8")
    server = Served(example_copy, free_port())
    yield server
    server.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_serves_the_site_under_its_base_url_with_the_reload_script(served):
    status, body = served.get("/roadmap/")
    assert status == 200 and "Northwind Parcel" in body and "EventSource" in body
    assert served.get("/roadmap/goals/on-time-delivery.html")[0] == 200
    assert served.get("/goals/on-time-delivery.html")[0] == 404  # only under the base, as published
    assert "EventSource" not in served.get("/roadmap/roadmap.json")[1]


def test_an_edit_is_rebuilt_reloaded_and_reported_on_one_line(served):
    page = "/roadmap/activities/wms-configuration.html"
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("GET", "/roadmap/" + EVENTS)
    events = conn.getresponse()
    first = events.fp.readline()
    assert first.startswith(b"data: ")
    edit(served.project / "content/activities/wms/wms-configuration.md", "title: Configure the cloud WMS",
         "title: Configure the cloud WMS (edited)")
    served.wait_for(lambda: "Configure the cloud WMS (edited)" in served.get(page)[1])
    events.fp.readline()
    assert events.fp.readline() != first  # a new version: open pages reload
    conn.close()
    served.wait_for(lambda: "activities/wms/wms-configuration.md:" in served.output())
    line = [ln for ln in served.output().splitlines() if ln.startswith("content/activities/wms/wms-configuration.md:")][-1]
    assert "pages rendered" in line and "files changed" in line and line.endswith(" s)")


def test_saves_in_quick_succession_leave_the_rest_of_the_site_until_the_files_are_quiet(served):
    path = served.project / "content/activities/wms/wms-configuration.md"
    edit(path, "title: Configure the cloud WMS", "title: First save")
    served.wait_for(lambda: "First save" in served.get("/roadmap/activities/wms-configuration.html")[1])
    edit(path, "title: First save", "title: Second save")  # within the quiet second
    served.wait_for(lambda: "Second save" in served.get("/roadmap/activities/wms-configuration.html")[1])
    served.wait_for(lambda: served.output().count("wms-configuration.md:") >= 2)
    lines = [ln for ln in served.output().splitlines() if ln.startswith("content/activities/wms/wms-configuration.md:")]
    assert "the rest when the files are quiet" in lines[0]  # the first save's rebuild left the rest
    assert "the rest when" not in lines[1]  # the second one, followed by quiet, made it
    assert "Second save" in served.get("/roadmap/status.html")[1] and "First save" not in served.get("/roadmap/")[1]


def test_a_broken_file_shows_the_overlay_and_fixing_it_removes_it(served):
    path = served.project / "content/activities/wms/wms-configuration.md"
    edit(path, "due: 2026-12-18", "due: 2026-13-18")
    page = "/roadmap/index.html"
    served.wait_for(lambda: "roadmapgen-overlay" in served.get(page)[1])
    body = served.get(page)[1]
    assert "content/activities/wms/wms-configuration.md:6" in body and "Northwind Parcel" in body
    assert "error[invalid-date]" in served.output()  # the terminal prints the same diagnostics
    edit(path, "due: 2026-13-18", "due: 2026-12-18")
    served.wait_for(lambda: "roadmapgen-overlay" not in served.get(page)[1])


def test_a_rebuild_with_no_change_changes_nothing(served):
    path = served.project / "content/activities/wms/wms-configuration.md"
    path.write_text(path.read_text("utf-8"), "utf-8")  # saved without a change
    served.wait_for(lambda: "wms-configuration.md:" in served.output())
    line = [ln for ln in served.output().splitlines() if "wms-configuration.md:" in ln][-1]
    assert ": 0 of " in line and ", 0 files changed" in line


@pytest.mark.parametrize("path", ["/roadmap/../roadmap.yml", "/roadmap/%2e%2e/roadmap.yml",
                                  "/roadmap/..%2f..%2froadmap.yml", "/roadmap/content/goals/on-time-delivery.md"])
def test_a_traversal_attempt_gets_a_404(served, path):
    status, body = served.get(path)
    assert status == 404 and "Northwind" not in body.split("<title>")[0]


def test_a_second_instance_on_the_same_port_gets_a_clear_error(served):
    done = subprocess.run([sys.executable, "-m", "roadmapgen", "serve", "-f", str(served.project), "--port",
                           str(served.port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"127.0.0.1:{served.port} is already in use" in done.stderr and f"--port {served.port + 1}" in done.stderr


def test_what_serve_shows_is_what_build_writes(served, tmp_path):
    out = tmp_path / "built"
    subprocess.run([sys.executable, "-m", "roadmapgen", "build", "-f", str(served.project), "-o", str(out), "-q"],
                   check=True, timeout=120)
    for rel in ("index.html", "timeline.html", "goals/on-time-delivery.html", "roadmap.json", "data/timeline.js"):
        status, body = served.get("/roadmap/" + rel)
        written = (out / rel).read_text("utf-8")
        if rel.endswith(".html"):  # apart from the reload script
            body = body.replace(body[body.rindex("<script>(function(){var k='roadmapgen-scroll"):body.rindex("</body>")], "")
        assert (status, body) == (200, written), rel


def test_baselines_are_watched_once_the_folder_exists(served):
    (served.project / "baselines").mkdir()
    served.wait_for(lambda: "baselines:" in served.output())
    (served.project / "baselines" / "q4.yml").write_text("saved: 2026-11-25\n", "utf-8")
    served.wait_for(lambda: "baselines/q4.yml:" in served.output())


def test_a_broken_template_keeps_the_last_good_site_with_the_overlay(example_copy):
    config = example_copy / "roadmap.yml"
    config.write_text(config.read_text("utf-8").replace("  name: default\n", "  name: default\n  custom_dir: my-theme\n"),
                      "utf-8")
    templates = example_copy / "my-theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "status.html").write_text('{% extends "default/status.html" %}', "utf-8")
    server = Served(example_copy, free_port())
    try:
        assert "Every goal, strategy and activity" in server.get("/status.html")[1]
        (templates / "status.html").write_text("{{ nothing_here }}", "utf-8")  # undefined: the render fails
        server.wait_for(lambda: "roadmapgen-overlay" in server.get("/status.html")[1])
        status, body = server.get("/status.html")
        assert status == 200 and "rebuild failed" in body and "nothing_here" in body
        assert "Every goal, strategy and activity" in body  # the last good page, beneath the overlay
        (templates / "status.html").write_text('{% extends "default/status.html" %}', "utf-8")
        server.wait_for(lambda: "roadmapgen-overlay" not in server.get("/status.html")[1])
    finally:
        server.stop()
