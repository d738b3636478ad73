"""The roadmap as it was: a past version of the project, read from git, as a folder to build.

`build --as-of`, `diff` and the plan's history all start here (docs/history.md).
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from roadmapgen.gitrepo import Commit, GitUnavailable, Repo, _as_date  # noqa: F401 (re-exported)
from roadmapgen.engine.slips import PlanHistory, Version, plan_history, unavailable
from roadmapgen.model import Roadmap


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


MAX_FILE = 1_000_000  # a blob larger than this is left out of the past versions, as the loader would refuse it


def roadmap_versions(project: Path, rev: str = "HEAD") -> Iterator[tuple[Version, Roadmap]]:
    """Every committed version of the roadmap in `project`, oldest first, loaded and validated.

    The versions are replayed into one temporary folder, writing only the files each commit
    changed; the loader parses only texts it has not seen (content/loader.py), so a file that
    never changes is parsed once for the whole history. Raises GitUnavailable."""
    from roadmapgen.gitrepo import history, read_blobs

    repo = Repo.open(project)
    commits = history(repo, rev)
    blobs = read_blobs(repo, {f.blob for _, files in commits for f in files if f.blob})
    with tempfile.TemporaryDirectory(prefix="roadmapgen-history-") as tmp:
        folder = Path(tmp)
        for commit, files in commits:
            for change in files:
                _apply(folder, change, blobs)
            yield Version(commit.sha, commit.day, commit.author, commit.subject), _load(folder)


def _apply(folder: Path, change, blobs: dict[str, bytes]) -> None:
    target = (folder / change.path).resolve()
    if not str(target).startswith(str(folder.resolve()) + "/"):
        return
    if change.blob is None or len(blobs.get(change.blob, b"")) > MAX_FILE:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(blobs[change.blob])


def _load(folder: Path) -> Roadmap:
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.load import load
    from roadmapgen.engine.validate import validate

    diagnostics = Diagnostics()
    config, loaded = load(folder, diagnostics)
    return validate(config, loaded.items, loaded.seen, diagnostics)


def read_plan_history(project: Path, rev: str = "HEAD") -> PlanHistory:
    """The plan's slip history from git up to `rev`, or one that says in a line why there is none."""
    try:
        return plan_history(roadmap_versions(project, rev))
    except GitUnavailable as error:
        return unavailable(str(error))


class PlanHistoryCache:
    """The plan history of one project, read again only when its HEAD commit moves (the live
    preview asks on every rebuild; only commits change the history, not saves)."""

    def __init__(self, project: Path):
        self.project = project
        self._head: str | None = None
        self._history: PlanHistory | None = None

    def get(self) -> PlanHistory:
        try:
            head = Repo.open(self.project).git("rev-parse", "HEAD").strip()
        except GitUnavailable:
            head = None
        if self._history is None or head != self._head:
            self._head, self._history = head, read_plan_history(self.project)
        return self._history
