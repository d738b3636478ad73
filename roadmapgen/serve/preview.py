"""The roadmap side of `roadmapgen serve`: rebuild the site in memory after a change, and say
what the rebuild did. The server and the watcher (server.py, watch.py) know nothing of this.

Every rebuild runs the engine again in full (load → history: a change anywhere can move any
date or colour), then renders only the pages whose value changed since the last good rebuild
(build.render_site with a RenderCache); the bytes are exactly those `build` writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from roadmapgen.build import render_site
from roadmapgen.config import CONFIG_NAME, resolve_custom_dir
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import PointCache
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.site.render import RenderCache, theme_dir
from roadmapgen.site.write import OutputError
from roadmapgen.versions import PlanHistoryCache


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


class Preview:
    """Rebuilds one roadmap in memory, keeping what the last good rebuild rendered."""

    def __init__(self, project: Path, today: date | None = None):
        self.project, self.today = project.resolve(), today
        self.cache = RenderCache()
        self.history = PointCache()  # past points whose inputs did not change are not replayed again
        self.plan_history = PlanHistoryCache(self.project)  # read again only when HEAD moves
        self.base = "/"
        self.theme_folders: tuple[Path, ...] = ()

    def rebuild(self, changed: set[str] = frozenset()) -> Rebuild:
        """The site as the files stand now; a change to a theme file renders every page again."""
        started = time.perf_counter()
        if any(_inside(path, self.theme_folders) for path in changed):
            self.cache.forget()
        diagnostics = Diagnostics()
        computed = compute_roadmap(self.project, diagnostics, self.today, history_cache=self.history)
        computed = replace(computed, plan_history=self.plan_history.get())
        config = computed.roadmap.config
        self.base = urlsplit(config.base_url).path or "/"
        custom_dir = resolve_custom_dir(self.project, config, diagnostics)
        self.theme_folders = tuple(p for p in (theme_dir(config.theme.name), custom_dir) if p is not None)
        files = None
        if not diagnostics.has_errors():
            try:
                files = render_site(computed, custom_dir, cache=self.cache)
            except OutputError as error:  # a theme asset that may not be published
                diagnostics.error(str(custom_dir or ""), 0, 0, "unreadable", str(error), "see roadmapgen check")
        problems = tuple(d.as_text().splitlines()[0] for d in diagnostics.errors)
        return Rebuild(files, diagnostics, problems, len(self.cache.pages),
                       self.cache.rendered if files is not None else 0, time.perf_counter() - started)

    def watched(self) -> tuple[list[Path], list[Path]]:
        """(folders watched with everything in them, single paths watched): roadmap.yml, content/,
        baselines/ (watched for appearing until it exists) and the theme, a custom_dir included."""
        folders = [self.project / "content", *self.theme_folders]
        singles = [self.project / CONFIG_NAME]
        baselines = self.project / "baselines"
        (folders if baselines.is_dir() else singles).append(baselines)
        return folders, singles


def _inside(path: str, folders: tuple[Path, ...]) -> bool:
    return any(path == str(f) or path.startswith(str(f) + "/") for f in folders)


def describe(changed: set[str], project: Path, rebuild: Rebuild, files_changed: int) -> str:
    """The terminal's line for one rebuild: what changed, pages rendered and written, time."""
    present = [path for path in changed if Path(path).exists()]  # not the temporary files of a save
    names = sorted(_relative(path, project) for path in (present or changed))
    what = (names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more") if names else "start"
    if rebuild.files is None:
        return f"{what}: {len(rebuild.problems)} error(s), still serving the last good site ({rebuild.seconds:.2f} s)"
    return (f"{what}: {rebuild.rendered} of {rebuild.pages} pages rendered, {files_changed} files changed "
            f"({rebuild.seconds:.2f} s)")


def _relative(path: str, project: Path) -> str:
    try:
        return Path(path).relative_to(project).as_posix()
    except ValueError:
        return path
