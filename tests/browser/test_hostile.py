"""Script payloads planted in every field never run in a stakeholder's browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SiteServer
from roadmapgen.build import build_site
from tests.hostile import MARK, write_hostile_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    project = write_hostile_project(tmp_path_factory.mktemp("hostile-browser") / "project")
    result = build_site(project, project / "site")
    assert result.built
    server = SiteServer(project / "site")
    yield server, sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.html"))
    server.close()


def test_no_payload_runs_on_any_page(hostile_server, open_page):
    server, pages = hostile_server
    ran = {}
    for path in pages:
        probe = open_page(server.url(path))
        probe.page.wait_for_timeout(50)
        charts = probe.page.locator(".js-plotly-plot")
        if charts.count():  # hover over the first chart's data: Plotly renders hover text as markup
            box = charts.first.bounding_box()
            if box:
                probe.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                probe.page.wait_for_timeout(100)
        pwned = probe.page.evaluate("() => window.__pwned !== undefined")
        marks = [m for m in probe.console_errors if MARK in m]
        if pwned or probe.dialogs or marks:
            ran[path] = {"pwned": pwned, "dialogs": probe.dialogs, "console": marks}
        probe.page.close()
    assert len(pages) >= 15
    assert ran == {}
