"""The roadmap side of `roadmapgen serve`: rebuild the site in memory after a change, and say
what the rebuild did. The server and the watcher (server.py, watch.py) know nothing of this.

Every rebuild runs the engine again in full (load → history: a change anywhere can move any
date or colour), then hands over a `LazySite`: the pages of the saved items and of the items
whose pages are open in a browser are made as values at once; every other page's value is made
when first needed. Pages are rendered as they are read, and only those whose value changed
since the last rebuild (the others keep their bytes); the bytes are exactly those `build` writes.

So that the reload does not wait for the whole site, the first pages are rendered and compared
at once: when one of them changed, the server can announce the new site, and the page the
reader has open is rendered when the browser asks for it (a page not among the first, a list
say, makes the whole pages stage then). `finish` makes and renders the rest (the lists and the
status page last) and counts what changed; it stops early when a newer change is waiting.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from roadmapgen.build import site_renderer
from roadmapgen.config import CONFIG_NAME, resolve_custom_dir
from roadmapgen.diagnostics import Diagnostics, Severity
from roadmapgen.engine.pipeline import ComputedRoadmap, Memory, compute_roadmap, fewer_collections
from roadmapgen.names import KINDS, PLURAL
from roadmapgen.site.assets import asset_files
from roadmapgen.site.gantt import SpecMemo
from roadmapgen.site.outputs import each_output, host_pages
from roadmapgen.site.pages import page_set
from roadmapgen.site.render import LazySite, RenderCache, theme_dir
from roadmapgen.site.urls import SitePaths
from roadmapgen.site.write import OutputError
from roadmapgen.versions import PlanHistoryCache, plan_history_of


FINISH_AFTER_SECONDS = 1.0  # the rest of the site is made once the files have been quiet this long


@dataclass(frozen=True)
class Rebuild:
    """One rebuild: the site (None when it has errors: keep serving the last good one), its
    diagnostics, the problems to show over the pages, and what it did."""

    files: Mapping[str, bytes] | None
    diagnostics: Diagnostics
    problems: tuple[str, ...]
    pages: int  # pages in the site
    rendered: int  # pages rendered again (the others kept their bytes)
    seconds: float
    changed: tuple[str, ...] = ()  # paths whose bytes changed, as far as known (all of them once finished)
    finished: bool = False  # every file made; False when a newer change stopped it


class Preview:
    """Rebuilds one roadmap in memory, keeping what the last good rebuild rendered."""

    def __init__(self, project: Path, today: date | None = None):
        self.project, self.today = project.resolve(), today
        self.cache = RenderCache()
        self.charts = SpecMemo()  # the Gantt specs of the last rebuilds, by the rows they draw
        self.last: Mapping[str, bytes] = {}  # the last finished site
        self.memory = Memory()  # what a save did not change is not tracked, planned or replayed again
        self.plan_history = PlanHistoryCache(self.project)  # read again only when HEAD moves
        self.base = "/"
        self.theme_folders: tuple[Path, ...] = ()

    def rebuild(self, changed: set[str] = frozenset(), open_pages: Iterable[str] = ()) -> Rebuild:
        """The site as the files stand now, its pages rendered as they are read; `changed` holds
        what is known to differ from the last site, `open_pages` the site paths open in a browser
        (made first, with the saved items' pages). A change to a theme file renders every page
        again."""
        started = time.perf_counter()
        if any(_inside(path, self.theme_folders) for path in changed):
            self.cache.forget()
        diagnostics = Diagnostics()
        with fewer_collections():
            computed = compute_roadmap(self.project, diagnostics, self.today, memory=self.memory)
            computed = replace(computed, plan_history=plan_history_of(self.project, computed.roadmap.config,
                                                                      cache=self.plan_history))
            config = computed.roadmap.config
            self.base = urlsplit(config.base_url).path or "/"
            custom_dir = resolve_custom_dir(self.project, config, diagnostics)
            self.theme_folders = tuple(p for p in (theme_dir(config.theme.name), custom_dir) if p is not None)
            files, first = None, ()
            if not diagnostics.has_errors():
                try:
                    first = self._items_in(computed, changed) | _items_at(open_pages)
                    files = self._site(computed, custom_dir, first)
                except OutputError as error:  # a theme asset that may not be published
                    diagnostics.error(str(custom_dir or ""), 0, 0, "unreadable", str(error), "see roadmapgen check")
            if files is not None:
                first = self._changed(files, files.first)
        # in the order every command prints them (a save may find them in another order)
        problems = tuple(d.as_text().splitlines()[0] for d in diagnostics.sorted() if d.severity is Severity.ERROR)
        return Rebuild(files, diagnostics, problems, len(self.cache.pages),
                       len(files.rendered) if files is not None else 0, time.perf_counter() - started, tuple(first))

    def finish(self, rebuild: Rebuild, stop=lambda: False, pause=lambda: None) -> Rebuild:
        """The rebuild with every file made and every change known (unless `stop()` said a newer
        change is waiting), and the site it replaces forgotten; `pause()` runs between two
        pages (the server waits there while it answers the browser)."""
        files = rebuild.files
        if not isinstance(files, LazySite):
            return replace(rebuild, finished=True)
        started = time.perf_counter() - rebuild.seconds
        with fewer_collections():
            finished = files.finish(stop, pause)
            changed = self._changed(files, list(files), gone=True) if finished else rebuild.changed
        if finished:
            self.last = files
        return replace(rebuild, pages=files.pages if finished else rebuild.pages, rendered=len(files.rendered),
                       seconds=time.perf_counter() - started, changed=tuple(changed), finished=finished)

    def readers_waiting(self, rebuild: Rebuild, open_pages: Iterable[str]) -> bool:
        """Whether a page open in a browser is not among those the rebuild made first (a list,
        the status page): its reader waits for the rest of the site."""
        files = rebuild.files
        return not isinstance(files, LazySite) or any(path not in files.first for path in open_pages)

    def _site(self, computed: ComputedRoadmap, custom_dir: Path | None, items: set[str]) -> LazySite:
        """The new site: the pages about `items` made now, every other page when first needed."""
        paths = SitePaths(computed.roadmap.config.base_url)
        pages = page_set(computed, paths, charts=self.charts)
        theme, renderer = site_renderer(computed, custom_dir, self.cache)
        site = LazySite(pages.pages_about(items), lambda: chain(pages, host_pages(paths)), renderer, self.cache,
                        asset_files(theme, custom_dir), lambda: each_output(computed, paths, site.every_page()),
                        pages.warm_up())
        return site

    def _changed(self, files: Mapping[str, bytes], paths: list[str], gone: bool = False) -> list[str]:
        """Which of `paths` differ from the last finished site; with `gone`, also the paths it had
        that `files` has not."""
        last = self.last
        changed = [path for path in paths if last.get(path) != files.get(path)]
        return changed + [path for path in last if path not in files] if gone else changed

    def _items_in(self, computed: ComputedRoadmap, changed: set[str]) -> set[str]:
        """"kind:id" of the items whose files changed."""
        sources = {_relative(path, self.project) for path in changed}
        roadmap = computed.roadmap
        return {f"{item.kind}:{item.id}" for kind in KINDS for item in roadmap.items_of(kind).values()
                if item.source.path in sources}

    def watched(self) -> tuple[list[Path], list[Path]]:
        """(folders watched with everything in them, single paths watched): roadmap.yml, content/,
        baselines/ (watched for appearing until it exists) and the theme, a custom_dir included."""
        folders = [self.project / "content", *self.theme_folders]
        singles = [self.project / CONFIG_NAME]
        baselines = self.project / "baselines"
        (folders if baselines.is_dir() else singles).append(baselines)
        return folders, singles


@contextmanager
def no_collections():
    """No cyclic garbage collection while a save waits for its reload (the rebuild, the
    announcement, the browser's requests): one collection of the young objects took 0.3 s at
    1,000 activities. The garbage is collected afterwards, while `finish` renders the rest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_KIND_OF_FOLDER = {plural: kind for kind, plural in PLURAL.items()}


def _items_at(paths: Iterable[str]) -> set[str]:
    """"kind:id" of the items whose pages are at these site paths ('activities/x.html' → 'activity:x')."""
    found = set()
    for path in paths:
        folder, _, name = path.partition("/")
        if folder in _KIND_OF_FOLDER and name.endswith(".html") and "/" not in name and name != "index.html":
            found.add(f"{_KIND_OF_FOLDER[folder]}:{name[:-len('.html')]}")
    return found


def _inside(path: str, folders: tuple[Path, ...]) -> bool:
    return any(path == str(f) or path.startswith(str(f) + "/") for f in folders)


def describe(changed: set[str], project: Path, rebuild: Rebuild, files_changed: int) -> str:
    """The terminal's line for one rebuild: what changed, pages rendered and written, time."""
    present = [path for path in changed if Path(path).exists()]  # not the temporary files of a save
    names = sorted(_relative(path, project) for path in (present or changed))
    what = (names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more") if names else "start"
    if rebuild.files is None:
        return f"{what}: {len(rebuild.problems)} error(s), still serving the last good site ({rebuild.seconds:.2f} s)"
    rest = "" if rebuild.finished else "; the rest when the files are quiet"
    return (f"{what}: {rebuild.rendered} of {rebuild.pages} pages rendered, {files_changed} files changed "
            f"({rebuild.seconds:.2f} s{rest})")


def _relative(path: str, project: Path) -> str:
    try:
        return Path(path).relative_to(project).as_posix()
    except ValueError:
        return path
