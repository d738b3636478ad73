"""The roadmap as it was: a past version of the project, read from git, as a folder to build.

`build --as-of`, `diff` and the plan's history all start here (docs/history.md).
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from roadmapgen.content.gitrepo import Commit, GitUnavailable, Repo, _as_date  # noqa: F401 (re-exported)


@contextmanager
def project_as_of(project: Path, ref: str) -> Iterator[tuple[Path, Commit, date]]:
    """A temporary folder holding the roadmap as committed at `ref` (a date: the end of that day;
    or a commit, branch or tag), that version's commit, and the date it stands for: the date
    given, or the commit's day. The folder is removed afterwards."""
    repo = Repo.open(project)
    commit = repo.resolve(ref)
    with tempfile.TemporaryDirectory(prefix="roadmapgen-version-") as tmp:
        folder = repo.export(commit, Path(tmp) / "project")
        yield folder, commit, _as_date(ref) or commit.day


@contextmanager
def version_folder(project: Path, ref: str | None) -> Iterator[tuple[Path, str]]:
    """The folder of a version (`ref`, or None for the working tree as it is) and its name."""
    if ref is None:
        yield project, "working tree"
        return
    with project_as_of(project, ref) as (folder, commit, _day):
        yield folder, commit.short if commit.sha.startswith(ref) else f"{ref} ({commit.short})"


def default_base(project: Path) -> str:
    """Where the current branch left the default branch: `diff`'s base when none is named."""
    return Repo.open(project).merge_base().sha
