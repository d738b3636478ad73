"""Shared fixtures: the example project, a CLI runner, and built sites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_TODAY = "2026-11-25"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example roadmap (roadmap.yml + content/) that a test may edit."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy(REPO / "roadmap.yml", target / "roadmap.yml")
    shutil.copytree(REPO / "content", target / "content")
    return target


# Projects of tests about other rules hold minimal goals (no owner, metric or why): the SMART lint,
# tested on its own (tests/unit/test_smart.py), would add its warnings to every set they compare.
MINIMAL_CONFIG = "title: Test roadmap\nstart: 2026-01-05\nsmart: {lint: false}\n"


def write_project(root: Path, files: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """A small roadmap project from {relative path: text}."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "roadmap.yml").write_text(config, "utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
