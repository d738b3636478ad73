"""The pages stage: finished, immutable values, each with the items it depends on.

A page that does not name an item among its dependencies must come out the same when that
item's title (or a person's name) changes; pages that list the whole roadmap depend on "*"."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.load import load
from roadmapgen.engine.pipeline import compute_loaded
from roadmapgen.engine.validate import validate
from roadmapgen.names import PLURAL
from roadmapgen.site.pages import EVERYTHING, site_pages
from tests.conftest import EXAMPLE_TODAY, REPO

TODAY = date.fromisoformat(EXAMPLE_TODAY)


@pytest.fixture(scope="module")
def example():
    diagnostics = Diagnostics()
    config, loaded = load(REPO, diagnostics)
    return validate(config, loaded.items, loaded.seen, diagnostics)


def pages_of(roadmap):
    return {page.path: page for page in site_pages(compute_loaded(roadmap, Diagnostics(), TODAY))}


def renamed(roadmap, kind: str, item_id: str):
    items = dict(roadmap.items_of(kind))
    field = "name" if kind in ("person", "tool") else "title"
    items[item_id] = dataclasses.replace(items[item_id], **{field: getattr(items[item_id], field) + " (renamed)"})
    return dataclasses.replace(roadmap, **{PLURAL[kind]: items})


def test_pages_are_frozen_values(example):
    pages = pages_of(example)
    page = pages["activities/tracking-page-build.html"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.context.activity = None  # type: ignore[misc]
    assert pages_of(example) == pages  # computed again: equal, page by page


def test_each_item_page_depends_on_itself_and_what_it_links(example):
    pages = pages_of(example)
    activity = pages["activities/tracking-page-build.html"]
    assert {"activity:tracking-page-build", "strategy:tracking-page", "person:tom-becker"} <= activity.depends_on
    assert pages["index.html"].depends_on == EVERYTHING == pages["status.html"].depends_on


@pytest.mark.parametrize("kind, item_id", [("activity", "tracking-page-build"), ("strategy", "tracking-page"),
                                           ("goal", "customer-contacts"), ("person", "tom-becker"),
                                           ("update", None)])
def test_a_page_not_depending_on_an_item_is_unchanged_when_it_changes(example, kind, item_id):
    item_id = item_id or next(iter(example.items_of(kind)))
    before, after = pages_of(example), pages_of(renamed(example, kind, item_id))
    assert before.keys() == after.keys()
    key = f"{kind}:{item_id}"
    changed = [path for path in before if before[path] != after[path]]
    assert changed, "the rename changed no page at all"
    for path in changed:
        deps = before[path].depends_on
        assert deps == EVERYTHING or key in deps, f"{path} changed but does not depend on {key}"


def test_render_site_is_the_site_build_writes(tmp_path):
    """render_site gives every file of the site in memory, the same bytes build writes (but the marker)."""
    from roadmapgen.build import build_site, render_site
    from roadmapgen.engine.pipeline import compute_roadmap
    from roadmapgen.site.write import MARKER
    from roadmapgen.versions import read_plan_history

    result = build_site(REPO, tmp_path / "site", TODAY)
    assert result.built
    written = {p.relative_to(tmp_path / "site").as_posix(): p.read_bytes()
               for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    computed = compute_roadmap(REPO, Diagnostics(), TODAY)  # as build does: with the plan's git history
    files = render_site(dataclasses.replace(computed, plan_history=read_plan_history(REPO)))
    assert written.pop(MARKER)
    assert files == written
    assert {"index.html", "roadmap.json", "data/timeline.js", "assets/vendor/plotly.min.js"} <= files.keys()


def test_pages_render_the_same_in_any_order(example):
    """url() and asset() read the page from the template context: the renderer keeps no page of its own."""
    from roadmapgen.build import render_site
    from roadmapgen.site.render import Renderer, SiteInfo, render_pages, theme_dir
    from roadmapgen.site.pages import navigation
    from roadmapgen.site.urls import SitePaths

    computed = compute_loaded(example, Diagnostics(), TODAY)
    pages = site_pages(computed)
    paths = SitePaths("/")
    renderer = Renderer(theme_dir(), None, SiteInfo("t", None, "x", navigation(paths), "g", "/"), paths)
    forward = render_pages(renderer, pages)
    backward = render_pages(renderer, tuple(reversed(pages)))
    assert forward == backward
    assert b'href="../index.html"' in forward["activities/tracking-page-build.html"]
    assert b'href="index.html"' in forward["index.html"] and render_site(computed)  # and the whole site renders


def test_a_macro_imported_without_context_says_how_to_import_it(example, tmp_path):
    import jinja2

    from roadmapgen.site.pages import navigation
    from roadmapgen.site.render import Renderer, SiteInfo, theme_dir
    from roadmapgen.site.urls import SitePaths

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "activity.html").write_text(
        '{% from "partials/macros.html" import link %}{{ link(activity.goal) }}', "utf-8")
    paths = SitePaths("/")
    renderer = Renderer(theme_dir(), tmp_path, SiteInfo("t", None, "x", navigation(paths), "g", "/"), paths)
    page = pages_of(example)["activities/tracking-page-build.html"]
    with pytest.raises(jinja2.TemplateRuntimeError, match="with context"):
        renderer.render(page)
