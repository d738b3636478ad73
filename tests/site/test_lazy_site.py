"""The live preview's sites (serve/preview.py, site/render.py's LazySite): complete from the start,
rendered as read, the same bytes as `build`; a save announces the pages that show the saved item
at once, and finishing finds every other change."""

from __future__ import annotations

from datetime import date

from roadmapgen.build import render_site
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.serve.preview import Preview
from roadmapgen.site.render import LazySite

TODAY = date(2026, 10, 15)
ACTIVITY = "content/activities/wms/wms-configuration.md"


def as_built(project):
    """The roadmap computed as build and serve compute it: with its plan history from git (here,
    outside git, one that says so: docs/history.md)."""
    from dataclasses import replace

    from roadmapgen.versions import read_plan_history

    return replace(compute_roadmap(project, Diagnostics(), TODAY), plan_history=read_plan_history(project))


def edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_lazy_site_holds_the_bytes_render_site_makes(example_copy):
    preview = Preview(example_copy, TODAY)
    rebuild = preview.rebuild()
    site = rebuild.files
    assert isinstance(site, LazySite) and rebuild.changed == ()
    expected = render_site(as_built(example_copy))
    assert sorted(site) == sorted(expected)
    assert site["activities/wms-configuration.html"] == expected["activities/wms-configuration.html"]
    assert site.rendered == {"activities/wms-configuration.html"}  # only what was read
    done = preview.finish(rebuild)
    assert done.finished and done.rendered == site.pages == done.pages
    assert dict(site) == expected and len(done.changed) == len(expected)  # everything is new to the first site


def test_a_save_announces_the_pages_showing_the_item_then_finishing_finds_the_rest(example_copy):
    preview = Preview(example_copy, TODAY)
    preview.finish(preview.rebuild())
    edit(example_copy / ACTIVITY, "title: Configure the cloud WMS", "title: Configure the cloud WMS (edited)")
    rebuild = preview.rebuild({str(example_copy / ACTIVITY)})
    assert "activities/wms-configuration.html" in rebuild.changed  # known before the rest is rendered
    assert "status.html" not in rebuild.changed and "status.html" not in rebuild.files.rendered
    done = preview.finish(rebuild)
    assert set(rebuild.changed) < set(done.changed)
    assert {"status.html", "roadmap.json", "data/timeline.js"} <= set(done.changed)
    assert "people/index.html" not in done.changed and not any(p.startswith("assets/") for p in done.changed)
    assert b"Configure the cloud WMS (edited)" in rebuild.files["status.html"]


def test_a_save_makes_only_the_pages_about_the_item_first_and_they_equal_the_whole_stage(example_copy):
    from roadmapgen.build import page_stage

    preview = Preview(example_copy, TODAY)
    preview.finish(preview.rebuild())
    edit(example_copy / ACTIVITY, "title: Configure the cloud WMS", "title: Configure the cloud WMS (edited)")
    open_pages = {"goals/cost-per-order.html", "people/priya-raman.html", "status.html", "activities/gone.html"}
    rebuild = preview.rebuild({str(example_copy / ACTIVITY)}, open_pages)
    site = rebuild.files
    first = set(site.first)
    # the saved activity's page, and the item pages open in a browser (not a list, not an unknown item)
    assert first == {"activities/wms-configuration.html", "goals/cost-per-order.html", "people/priya-raman.html"}
    assert site._all is False  # noqa: SLF001 - nothing else was made yet
    whole = {page.path: page for page in page_stage(as_built(example_copy))}
    assert all(site._pages[path] == whole[path] for path in first)  # noqa: SLF001 - equal values
    assert site.every_page() == tuple(whole.values())


def test_a_save_without_a_change_renders_and_announces_nothing(example_copy):
    preview = Preview(example_copy, TODAY)
    preview.finish(preview.rebuild())
    path = example_copy / ACTIVITY
    path.write_text(path.read_text("utf-8"), "utf-8")
    rebuild = preview.rebuild({str(path)})
    done = preview.finish(rebuild)
    assert (rebuild.changed, done.changed, done.rendered) == ((), (), 0)


def test_finishing_stops_for_a_newer_change_and_the_next_rebuild_is_still_right(example_copy):
    preview = Preview(example_copy, TODAY)
    preview.finish(preview.rebuild())
    edit(example_copy / ACTIVITY, "title: Configure the cloud WMS", "title: First edit")
    stopped = preview.finish(preview.rebuild({str(example_copy / ACTIVITY)}), stop=lambda: True)
    assert not stopped.finished
    edit(example_copy / ACTIVITY, "title: First edit", "title: Second edit")
    done = preview.finish(preview.rebuild({str(example_copy / ACTIVITY)}))
    assert done.finished and "status.html" in done.changed
    assert dict(done.files) == render_site(as_built(example_copy))


def test_a_newer_save_cuts_the_whole_pages_stage_short_and_the_site_stays_complete(example_copy):
    preview = Preview(example_copy, TODAY)
    preview.finish(preview.rebuild())
    edit(example_copy / ACTIVITY, "title: Configure the cloud WMS", "title: First edit")
    rebuild = preview.rebuild({str(example_copy / ACTIVITY)})
    asked = []
    stopped = preview.finish(rebuild, stop=lambda: asked.append(1) or len(asked) > 3)
    assert not stopped.finished and len(asked) == 4  # left off while making what the pages share
    site = rebuild.files
    assert site._all is False and site._made == {}  # noqa: SLF001
    assert sorted(site) == sorted(render_site(as_built(example_copy)))  # goes on from there when asked
