"""The whole pipeline as a flat list of timed stages: load → … → status → pages → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from roadmapgen import __version__
from roadmapgen.config import resolve_custom_dir
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import ComputedRoadmap, Timings, compute_roadmap
from roadmapgen.site.assets import copy_assets
from roadmapgen.site.exports import roadmap_json
from roadmapgen.site.markdown import MarkdownRenderer
from roadmapgen.site.pages import PageSet, navigation
from roadmapgen.site.render import Renderer, SiteInfo, theme_dir
from roadmapgen.site.urls import SitePaths
from roadmapgen.site.views import Views
from roadmapgen.site.write import StagedOutput, check_output

Progress = Callable[[int, int | None], None]


class BuildRefused(Exception):
    """The build did not start or did not finish; the previous site is untouched."""


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    timings: Timings = field(default_factory=Timings)
    computed: ComputedRoadmap | None = None
    pages: int = 0
    files: int = 0
    bytes: int = 0
    output: Path | None = None
    built: bool = False
    notes: list[str] = field(default_factory=list)  # leftovers of earlier builds that could not be removed


def build_site(project: Path, output: Path | None = None, today: date | None = None, strict: bool = False,
               progress: Progress | None = None, fail_after: Callable[[str], None] | None = None) -> BuildResult:
    """Compute the roadmap in `project` and write its site; refuses (and writes nothing) on errors.

    `fail_after` is a test hook, called after each written page, to inject failures mid-build.
    """
    project = project.resolve()
    output = (output or project / "site").resolve()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics, output=output)
    check_output(output, project)
    computed = compute_roadmap(project, diagnostics, today, strict=strict, timings=result.timings)
    result.computed = computed
    custom_dir = resolve_custom_dir(project, computed.roadmap.config.theme.custom_dir, diagnostics)
    if diagnostics.has_errors() or (strict and diagnostics.warnings):
        return result
    staged = StagedOutput(output)
    try:
        result.pages = _write_site(computed, staged, custom_dir, result.timings, progress, fail_after)
        with result.timings.stage("write"):
            staged.commit()
    except BaseException:
        staged.discard()
        raise
    result.files, result.bytes, result.built = staged.files, staged.bytes, True
    result.notes = staged.problems
    return result


def _write_site(c: ComputedRoadmap, staged: StagedOutput, custom_dir: Path | None, timings: Timings,
                progress: Progress | None, fail_after: Callable[[str], None] | None) -> int:
    config = c.roadmap.config
    paths = SitePaths(config.base_url)
    markdown = MarkdownRenderer(allow_html=config.markdown_html)
    with timings.stage("pages"):
        views = Views(c, paths, markdown.render)
        pages = list(PageSet(views))
    site = SiteInfo(config.title, config.description, c.today.isoformat(), navigation(paths), f"roadmapgen {__version__}",
                    config.base_url)
    theme = theme_dir(config.theme.name)
    renderer = Renderer(theme, custom_dir, site, paths)
    for done, page in enumerate(pages, 1):
        with timings.stage("render"):
            html = renderer.render(page)
        with timings.stage("write"):
            staged.write_text(page.path, html)
        if fail_after:
            fail_after(page.path)
        if progress:
            progress(done, len(pages))
    with timings.stage("write"):
        staged.write_text("roadmap.json", roadmap_json(c, paths))
        copy_assets(staged, theme, custom_dir)
    return len(pages)
