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


from roadmapgen.content.loader import MAX_FILE_BYTES as MAX_FILE  # noqa: E402 (a larger blob is left out, as the loader refuses it)


def roadmap_versions(project: Path, rev: str = "HEAD") -> Iterator[tuple[Version, Roadmap]]:
    """Every committed version of the roadmap in `project` up to `rev`, oldest first, as `validate`
    makes it (its problems not reported). Raises GitUnavailable.

    The versions are replayed in memory: each commit changes only the files it touched, and only
    those are parsed (the loader keeps parsed texts, so a text seen before is not parsed again);
    one `git log --raw` lists the changes and one `git cat-file --batch` reads every blob. An item
    no commit changed stays the same object from version to version (`_Replay`)."""
    from roadmapgen.gitrepo import history, read_blobs

    repo = Repo.open(project)
    commits = history(repo, rev)
    blobs = read_blobs(repo, {f.blob for _, files in commits for f in files if f.blob})
    replay = _Replay()
    for commit, files in commits:
        replay.apply(files, blobs)
        yield Version(commit.sha, commit.day, commit.author, commit.subject), replay.roadmap()


class _Replay:
    """The files of the version being replayed, each parsed once when a commit changes it.

    A commit changes one file or two, so each version's items are the last version's with those
    files' items swapped in: the items of files nothing changed stay the same objects (which lets
    the history reuse what it computed from them: engine/slips.py), and only a commit that adds or
    removes a file (or changes roadmap.yml) loads and checks the ids of every file again. The
    references are not checked again: a past version's problems are that version's, not reported;
    only the updates are resolved, as `validate` does, each once while the ids stay the same."""

    def __init__(self) -> None:
        self.config_text: str | None = None
        self.config = None
        self.texts: dict[str, str] = {}
        self.parsed: dict[str, tuple] = {}  # path → (file, item or None, its diagnostics)
        self.loaded = None  # the last version's Loaded; None: to load again from every file
        self.edited: set[str] = set()  # paths whose text changed since (none added or removed)
        self.resolved: dict[str, tuple] = {}  # update id → (update, as resolved), while `loaded.seen` holds

    def apply(self, files, blobs: dict[str, bytes]) -> None:
        for change in files:
            data = blobs.get(change.blob) if change.blob else None
            text = None if data is None or len(data) > MAX_FILE else data.decode("utf-8-sig", "replace")
            if change.path == "roadmap.yml":
                self.config_text, self.config, self.loaded = text, None, None
                self.parsed.clear()  # items depend on the working week (`3w`)
                continue
            self.parsed.pop(change.path, None)
            if text is None and change.path not in self.texts:
                continue  # too large to read, before and now: in neither version
            if (text is None) != (change.path not in self.texts):
                self.loaded = None  # a file added or removed: the ids (and which duplicate wins) may change
            self.edited.add(change.path)
            if text is None:
                self.texts.pop(change.path, None)
            else:
                self.texts[change.path] = text.replace("\r\n", "\n").replace("\r", "\n")

    def roadmap(self) -> Roadmap:
        from roadmapgen.config import load_config_text
        from roadmapgen.diagnostics import Diagnostics
        from roadmapgen.engine.validate import assemble

        if self.config is None:
            self.config = load_config_text(self.config_text, Diagnostics())
        if self.loaded is None:
            self.loaded, self.resolved = self._load_all(), {}
        else:
            for rel in self.edited:
                self._reload(rel)
        self.edited.clear()
        return assemble(self.config, self.loaded.items, self._updates())

    def _load_all(self):
        """Every file's item, and every id seen, as the load stage finds them."""
        from roadmapgen.content.loader import Loaded, check_id
        from roadmapgen.diagnostics import Diagnostics

        loaded, diagnostics = Loaded(), Diagnostics()
        for rel in sorted(self.texts, key=_walk_order):
            file, item, _ = self.parsed.get(rel) or self._parse(rel)
            if file is None or not check_id(file, loaded, diagnostics):
                continue
            if item is not None:
                loaded.items[file.kind][file.id] = item
        return loaded

    def _reload(self, rel: str) -> None:
        """The item of an edited file in place of its old one; its id is the same, and it counts
        only if the id was its own (not an invalid id, nor the duplicate of another file's)."""
        file, item, _ = self.parsed.get(rel) or self._parse(rel)
        if file is None or self.loaded.seen[file.kind].get(file.id) != rel:
            return
        if item is None:
            self.loaded.items[file.kind].pop(file.id, None)
        else:
            self.loaded.items[file.kind][file.id] = item

    def _updates(self) -> dict:
        """Every update resolved against the version's ids, each resolved once (the ids are the
        same until a file is added or removed, which empties `resolved`)."""
        from roadmapgen.engine.validate import resolve_update

        found = {}
        for uid, update in self.loaded.items["update"].items():
            known = self.resolved.get(uid)
            if known is None or known[0] is not update:
                known = self.resolved[uid] = (update, resolve_update(update, self.loaded.seen))
            found[uid] = known[1]
        return found

    def _parse(self, rel: str) -> tuple:
        from roadmapgen.content.loader import content_file, load_text
        from roadmapgen.diagnostics import Diagnostics

        file = content_file(rel)
        found = Diagnostics()
        item = load_text(file, self.texts[rel], self.config, found) if file is not None else None
        self.parsed[rel] = (file, item, found)
        return self.parsed[rel]


def _walk_order(rel: str) -> tuple:
    """The order the load stage walks files in (a folder's files before its sub-folders'), which
    decides which of two files with the same id counts."""
    parts = rel.split("/")
    return tuple(parts[:-1]), parts[-1]


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


def roadmap_at(project: Path, ref: str) -> tuple[Version, Roadmap, date]:
    """The roadmap as committed at `ref` (a date: the end of that day), loaded and validated (its
    problems are that version's, not reported), its commit, and the date it stands for."""
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.load import load
    from roadmapgen.engine.validate import validate

    with project_as_of(project, ref) as (folder, commit, day):
        diagnostics = Diagnostics()
        config, loaded = load(folder, diagnostics)
        old = validate(config, loaded.items, loaded.seen, diagnostics)
    return Version(commit.sha, commit.day, commit.author, commit.subject), old, day


TURNED_OFF = "turned off in roadmap.yml (git_history: false)"


def plan_history_of(project: Path, config, rev: str = "HEAD", cache: "PlanHistoryCache | None" = None) -> PlanHistory:
    """The plan history a build shows: read from git (through `cache` when given), or, when
    roadmap.yml turns it off, one that says so."""
    if not config.git_history:
        return unavailable(TURNED_OFF)
    return cache.get() if cache is not None else read_plan_history(project, rev)
