"""The whole pipeline as a flat list of timed stages: load → … → status → history → pages → render → write.

`render_site` gives the site in memory, as {site path: bytes}: every page, the outputs
(roadmap.json, the other exports, the search index …) and the assets; the live preview serves
that mapping. `build_site` writes the same bytes into a staging folder as it renders them, on
every core (site/workers.py), and swaps the folder in: its "render" stage renders and stages
every file that the second core did not already render during the pages stage
(workers.EarlyRender), its "write" stage is the swap.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from roadmapgen import __version__
from roadmapgen.config import resolve_custom_dir
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.baseline import current_plan, save_baseline
from roadmapgen.engine.pipeline import ComputedRoadmap, Timings, compute_roadmap, fewer_collections
from roadmapgen.engine.slips import PlanHistory
from roadmapgen.site.assets import asset_files
from roadmapgen.site.gantt import SpecMemo
from roadmapgen.site.outputs import export_links, host_pages, output_files
from roadmapgen.site.pages import Page, navigation, page_set
from roadmapgen.site.render import RenderCache, Renderer, SiteInfo, render_pages, theme_dir
from roadmapgen.site.second_core import BodiesMeanwhile, QuartersMeanwhile
from roadmapgen.site.urls import SitePaths
from roadmapgen.site.views import QuarterSource
from roadmapgen.site.workers import EarlyRender, render_into, worker_count
from roadmapgen.site.write import StagedOutput, check_output
from roadmapgen.versions import plan_history_of

Progress = Callable[[int, int | None], None]
SiteFiles = dict[str, bytes]  # site path → bytes


@dataclass
class BuildResult:
    """What a build did: its diagnostics, stage timings, the computed roadmap and what it wrote."""

    diagnostics: Diagnostics
    timings: Timings = field(default_factory=Timings)
    computed: ComputedRoadmap | None = None
    pages: int = 0
    files: int = 0
    bytes: int = 0
    output: Path | None = None
    built: bool = False
    workers: int = 1  # processes that rendered and wrote the pages
    notes: list[str] = field(default_factory=list)  # leftovers of earlier builds that could not be removed


def build_site(project: Path, output: Path | None = None, today: date | None = None, strict: bool = False,
               progress: Progress | None = None, workers: int | None = None,
               plan_history: PlanHistory | None = None) -> BuildResult:
    """Compute the roadmap in `project` and write its site; refuses (and writes nothing) on errors.
    `workers` is how many processes render (default: one per core, for large sites only);
    `plan_history` is the plan across its git versions, by default read from the repository
    holding `project` (`--as-of` passes the history up to its commit)."""
    bodies, quarters = BodiesMeanwhile(workers), QuartersMeanwhile(workers)
    try:
        with fewer_collections():
            return _build(project, output, today, strict, progress, workers, plan_history, bodies, quarters)
    finally:
        bodies.cancel()
        quarters.cancel()


def _build(project: Path, output: Path | None, today: date | None, strict: bool, progress: Progress | None,
           workers: int | None, plan_history: PlanHistory | None, bodies: BodiesMeanwhile,
           quarters: QuartersMeanwhile) -> BuildResult:
    project = project.resolve()
    output = (output or project / "site").resolve()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics, output=output)
    check_output(output, project)
    computed = compute_roadmap(project, diagnostics, today, timings=result.timings, on_validated=bodies.start)
    with result.timings.stage("git history"):
        computed = replace(computed, plan_history=plan_history or plan_history_of(project, computed.roadmap.config))
    result.computed = computed
    custom_dir = resolve_custom_dir(project, computed.roadmap.config, diagnostics)
    if diagnostics.has_errors() or (strict and diagnostics.warnings):
        return result
    staged = StagedOutput(output)  # before the pages: some are rendered while the others are made
    early: EarlyRender | None = None
    try:
        theme, renderer = site_renderer(computed, custom_dir)
        made_elsewhere = quarters.start(computed)
        early = EarlyRender(staged, renderer, quarters.done if made_elsewhere is not None else None,
                            sum(computed.roadmap.counts().values()))
        pages = page_stage(computed, result.timings, before=bodies.collect, quarters=made_elsewhere,
                           made=early.offer)
        with result.timings.stage("render"):
            other_files = lambda: _stage_files(staged, site_files(computed, theme, custom_dir, pages))  # noqa: E731
            result.workers = worker_count(len(pages), workers)
            render_into(staged, renderer, early.not_handed(pages), result.workers, _after(progress, early.handed),
                        other_files)
            early.collect()
        with result.timings.stage("write"):
            staged.commit()
    except BaseException:
        if early is not None:
            early.cancel()
        staged.discard()
        raise
    result.files, result.bytes, result.notes = staged.files, staged.bytes, staged.problems
    result.pages, result.built = len(pages), True
    return result


def _after(progress: Progress | None, already: int) -> Progress | None:
    """`progress` counting `already` pages as done (those rendered while the pages were made)."""
    if progress is None or not already:
        return progress
    return lambda done, total: progress(already + done, None if total is None else already + total)


def _stage_files(staged: StagedOutput, files: SiteFiles) -> None:
    for rel, data in files.items():
        staged.write_bytes(rel, data)


def page_stage(computed: ComputedRoadmap, timings: Timings | None = None, charts: SpecMemo | None = None,
               before: Callable[[], None] = lambda: None, quarters: QuarterSource | None = None,
               made: Callable[[Sequence[Page]], None] = lambda pages: None) -> tuple[Page, ...]:
    """The pages stage, timed: every page as a finished value (`charts`, `quarters`: see
    site_pages), after `before` (waiting for what another core made for it); `made` is shown
    the pages made so far, after each (a build renders them meanwhile: workers.EarlyRender)."""
    with (timings or Timings()).stage("pages"):
        before()
        groups = page_set(computed, charts=charts, quarters=quarters).groups()
        by_group: dict[int, list[Page]] = {}
        so_far: list[Page] = []
        # the pages of one item first: they are made at a steady pace, ready for another core
        # to render, while the lists and dashboards after them take long to make and are few
        for index in sorted(range(len(groups)), key=lambda i: not groups[i][0]):
            group = by_group[index] = []
            for page in groups[index][1]():
                group.append(page)
                so_far.append(page)
                made(so_far)
        pages = tuple(page for index in range(len(groups)) for page in by_group[index])
        return pages + host_pages(SitePaths(computed.roadmap.config.base_url))


def render_site(computed: ComputedRoadmap, custom_dir: Path | None = None, *, timings: Timings | None = None,
                pages: tuple[Page, ...] | None = None, progress: Progress | None = None,
                cache: RenderCache | None = None) -> SiteFiles:
    """The whole site in memory: {site path: bytes} of every page, the outputs (site/outputs.py) and the assets.

    `pages` are the pages stage's (computed here when not given); `progress` is called with
    (pages rendered, pages in all) as rendering goes. A `cache` kept between calls (`serve`)
    renders only the pages whose value changed since the last call.
    """
    with fewer_collections():
        return _render(computed, custom_dir, timings or Timings(), pages, progress, cache)


def _render(computed: ComputedRoadmap, custom_dir: Path | None, timings: Timings, pages: tuple[Page, ...] | None,
            progress: Progress | None, cache: RenderCache | None) -> SiteFiles:
    if pages is None:
        pages = page_stage(computed, timings)
    cache = cache if cache is not None else RenderCache()
    files: SiteFiles = {}
    with timings.stage("render"):
        theme, renderer = site_renderer(computed, custom_dir, cache)
        files.update(render_pages(renderer, pages, progress, cache))
        files.update(site_files(computed, theme, custom_dir, pages))
    return files


def site_renderer(computed: ComputedRoadmap, custom_dir: Path | None,
                  cache: RenderCache | None = None) -> tuple[Path, Renderer]:
    """The theme's folder and the renderer of the roadmap's pages (the cache's, while what every
    page shows, the site's title, date and theme, is unchanged)."""
    config = computed.roadmap.config
    paths = SitePaths(config.base_url)
    site = SiteInfo(config.title, config.description, computed.today.isoformat(), navigation(paths),
                    f"roadmapgen {__version__}", config.base_url, export_links())
    theme = theme_dir(config.theme.name)
    make = lambda: Renderer(theme, custom_dir, site, paths)  # noqa: E731
    return theme, (cache.renderer_for((site, theme, custom_dir), make) if cache is not None else make())


def site_files(computed: ComputedRoadmap, theme: Path, custom_dir: Path | None, pages: tuple[Page, ...]) -> SiteFiles:
    """The site's files that are not pages: the outputs (site/outputs.py) and the theme's assets."""
    files = output_files(computed, SitePaths(computed.roadmap.config.base_url), pages)
    files.update(asset_files(theme, custom_dir))
    return files



def save_current_baseline(project: Path, name: str, diagnostics: Diagnostics, today: date | None = None,
                          force: bool = False) -> Path | None:
    """Schedule the roadmap in `project` and save it as baseline `name` (engine/baseline.py); None
    (with diagnostics) when the roadmap has errors, so that a broken schedule is never saved as
    the plan. It lives here, beside `build_site`, because it runs the whole engine: the engine's
    own modules do not call the pipeline."""
    computed = compute_roadmap(project, diagnostics, today, with_history=False)
    if diagnostics.has_errors():
        return None
    return save_baseline(project, current_plan(computed.roadmap, computed.schedule, name, computed.today), force)
