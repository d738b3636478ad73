"""Load stage: roadmap.yml and every content file, read once, into typed items."""

from __future__ import annotations

from pathlib import Path

from roadmapgen.config import CONFIG_NAME, load_config
from roadmapgen.content.loader import Loaded, load_content
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.model import Config


def load(project: Path, diagnostics: Diagnostics) -> tuple[Config, Loaded]:
    """The settings and the items of the roadmap in `project` (the folder of roadmap.yml)."""
    config = load_config(project / CONFIG_NAME, diagnostics)
    return config, load_content(project, config, diagnostics)
