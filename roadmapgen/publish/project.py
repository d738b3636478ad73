"""Loading the roadmap for the authoring commands, which need it computed but never built."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from roadmapgen.config import CONFIG_NAME
from roadmapgen.diagnostics import Diagnostic, Diagnostics
from roadmapgen.engine.pipeline import ComputedRoadmap, compute_roadmap


def computed_roadmap(project: Path, today: date | None = None) -> tuple[ComputedRoadmap, Diagnostics]:
    """The roadmap as `check` sees it (no history: nothing here needs trends)."""
    diagnostics = Diagnostics()
    return compute_roadmap(project, diagnostics, today, with_history=False), diagnostics


def problems_with(project: Path, files: dict[Path, str], today: date | None = None) -> list[Diagnostic]:
    """What `check` would report about `files` (new files of the project, not yet written), in a
    temporary copy of roadmap.yml and content/ with them added: the rules across fields and files
    (a duration or a due date, dates in order, no dependency cycle) as well as each file's own."""
    new = {path.relative_to(project).as_posix() for path in files}
    with tempfile.TemporaryDirectory(prefix="roadmapgen-check-") as folder:
        copy = Path(folder)
        shutil.copy(project / CONFIG_NAME, copy / CONFIG_NAME)
        if (project / "content").is_dir():
            shutil.copytree(project / "content", copy / "content", symlinks=True)
        for path, text in files.items():
            target = copy / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        found = Diagnostics()
        compute_roadmap(copy, found, today, with_history=False)
    return [problem for problem in found.sorted() if problem.path in new]
