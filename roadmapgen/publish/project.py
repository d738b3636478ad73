"""Loading the roadmap for the authoring commands, which need it computed but never built."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import ComputedRoadmap, compute_roadmap


def computed_roadmap(project: Path, today: date | None = None) -> tuple[ComputedRoadmap, Diagnostics]:
    """The roadmap as `check` sees it (no history: nothing here needs trends)."""
    diagnostics = Diagnostics()
    return compute_roadmap(project, diagnostics, today, with_history=False), diagnostics
