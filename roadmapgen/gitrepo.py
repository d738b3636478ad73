"""The roadmap's past versions, read from git with the git command line.

Why the command line: it is on every CI runner and developer machine, needs no compiled
extension (pygit2) and reads packs at C speed; `git archive` hands over a whole version of the
content in one stream. Each call runs git with hooks, fsmonitor and pagers turned off and no
filters or textconv (nothing git runs on our behalf comes from the repository), and with the
project folder as its working directory: a version is read from the object store, never from
anywhere outside the project.

Problems are `GitUnavailable` with a sentence that says why and what to do; the callers turn
that into one line on the page or an error of the command.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

CONTENT_PATHS = ("roadmap.yml", "content", "baselines")
_SAFE = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.pager=cat",
         "-c", "log.showSignature=false", "-c", "safe.directory=*")


class GitUnavailable(Exception):
    """Git history cannot be read; the message says why and how to fix it."""


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    when: datetime  # the committer date, in UTC
    author: str
    subject: str

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def short(self) -> str:
        return self.sha[:9]


class Repo:
    """The git repository holding a roadmap folder."""

    def __init__(self, project: Path, top: Path, prefix: str):
        self.project, self.top, self.prefix = project, top, prefix

    @classmethod
    def open(cls, project: Path) -> Repo:
        """The repository of `project`; GitUnavailable when there is none or its history is cut."""
        if shutil.which("git") is None:
            raise GitUnavailable("git is not installed: install git to read the roadmap's history")
        try:
            top = _run(project, "rev-parse", "--show-toplevel").strip()
        except GitUnavailable:
            # no path in the message: it is shown on the built pages, which must not carry this machine's paths
            raise GitUnavailable("the roadmap's folder is not in a git repository: the plan's history comes "
                                 "from git (git init, then commit the roadmap)") from None
        if _run(project, "rev-parse", "--is-shallow-repository").strip() == "true":
            raise GitUnavailable("this is a shallow clone, so most of the plan's history is missing: fetch it "
                                 "with `git fetch --unshallow` (in GitHub Actions: actions/checkout with "
                                 "`fetch-depth: 0`)")
        prefix = _run(project, "rev-parse", "--show-prefix").strip()
        return cls(project, Path(top), prefix)

    def git(self, *args: str, data: bytes | None = None) -> str:
        return _run(self.project, *args, data=data)

    def resolve(self, ref: str) -> Commit:
        """The commit a ref names, or for a date (YYYY-MM-DD) the last first-parent commit of HEAD
        made on or before the end of that day (UTC)."""
        day = _as_date(ref)
        if day is not None:
            until = f"{day.isoformat()}T23:59:59+00:00"
            out = self.git("log", "--first-parent", "-1", f"--until={until}", _FORMAT, "HEAD", "--")
            if not out.strip():
                raise GitUnavailable(f"no commit on or before {day}: the history starts later")
            return _commits(out)[0]
        try:
            out = self.git("log", "-1", _FORMAT, "--end-of-options", f"{ref}^{{commit}}", "--")
        except GitUnavailable:
            raise GitUnavailable(f"'{ref}' is neither a date (YYYY-MM-DD) nor a commit, branch or tag of this "
                                 "repository") from None
        return _commits(out)[0]

    def commits(self, first_parent: bool = True) -> list[Commit]:
        """Every commit of HEAD that touched the roadmap's files, oldest first."""
        args = ["log", "--reverse", _FORMAT] + (["--first-parent"] if first_parent else []) + ["HEAD", "--"]
        return _commits(self.git(*args, *(self.prefix + p for p in CONTENT_PATHS)))

    def has_head(self) -> bool:
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
            return True
        except GitUnavailable:
            return False

    def merge_base(self) -> Commit:
        """Where the current branch left the default branch (origin's HEAD, else main, else master)."""
        for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
            try:
                sha = self.git("merge-base", "HEAD", candidate).strip()
            except GitUnavailable:
                continue
            return self.resolve(sha)
        raise GitUnavailable("no default branch to compare with (origin/HEAD, main or master): name the base, "
                             "e.g. `roadmapgen diff origin/main`")

    def export(self, commit: Commit, into: Path) -> Path:
        """Write the roadmap as it was at `commit` into `into` (a new folder, which then plays the
        project): roadmap.yml, content/, baselines/ and the theme's custom_dir of that version."""
        self._export(commit, into, CONTENT_PATHS)
        custom = _custom_dir(into)
        if custom:
            self._export(commit, into, (custom,), fresh=False)
        return into

    def _export(self, commit: Commit, into: Path, paths_: tuple[str, ...], fresh: bool = True) -> None:
        """Only regular files are written, and only inside `into`."""
        paths = [self.prefix + p for p in paths_]
        present = self.git("ls-tree", "--name-only", commit.sha, "--", *paths).split("\n")
        present = [p for p in present if p]
        into.mkdir(parents=True, exist_ok=not fresh)
        if not present:
            return
        stream = _run_bytes(self.project, "archive", "--format=tar", commit.sha, "--", *present)
        with tarfile.open(fileobj=io.BytesIO(stream)) as tar:
            for member in tar.getmembers():
                _extract(tar, member, into, self.prefix)


def _custom_dir(folder: Path) -> str | None:
    """The relative custom_dir that version's roadmap.yml names (an absolute one is refused by the
    build anyway: docs/diagnostics.md, path-outside-project)."""
    from roadmapgen.config import load_config
    from roadmapgen.diagnostics import Diagnostics

    if not (folder / "roadmap.yml").is_file():
        return None
    custom = load_config(folder / "roadmap.yml", Diagnostics()).theme.custom_dir
    if not custom or os.path.isabs(custom) or ".." in Path(custom).parts:
        return None
    return Path(custom).as_posix().strip("/") or None


_FORMAT = "--format=%H%x1f%ct%x1f%an%x1f%s%x1e"


def _commits(out: str) -> list[Commit]:
    found = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, when, author, subject = record.split("\x1f", 3)
        found.append(Commit(sha, datetime.fromtimestamp(int(when), timezone.utc), author, subject))
    return found


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, into: Path, prefix: str) -> None:
    """One regular file of the archive, under `into`, without the project's prefix; links and
    anything that would land outside `into` are skipped."""
    if not member.isfile() or not member.name.startswith(prefix):
        return
    rel = member.name[len(prefix):]
    target = (into / rel).resolve()
    if not str(target).startswith(str(into.resolve()) + os.sep):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    if source is not None:
        target.write_bytes(source.read())


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    return env


def _run_bytes(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *_SAFE, *args], cwd=cwd, input=data, capture_output=True, env=_env(),
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitUnavailable(f"git failed: {error}") from None
    if done.returncode != 0:
        raise GitUnavailable(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def _run(cwd: Path, *args: str, data: bytes | None = None) -> str:
    return _run_bytes(cwd, *args, data=data).decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str  # relative to the project
    blob: str | None  # None: deleted


def _raw_log(repo: Repo, rev: str = "HEAD") -> list[tuple[Commit, list[FileChange]]]:
    """Every first-parent commit of HEAD that touched the roadmap's files, oldest first, with the
    files it changed (merges: against their first parent) and their new blob ids."""
    paths = [repo.prefix + p for p in CONTENT_PATHS]
    out = repo.git("log", "--first-parent", "--reverse", "--raw", "--no-renames", "--no-abbrev",
                   "--diff-merges=first-parent", "--format=%x1e%H%x1f%ct%x1f%an%x1f%s", "--end-of-options", rev,
                   "--", *paths)
    found = []
    for record in out.split("\x1e")[1:]:
        header, _, raw = record.partition("\n")
        commit = _commits(header + "\x1e")[0]
        files = []
        for line in raw.splitlines():
            if not line.startswith(":"):
                continue
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if not path.startswith(repo.prefix) or parts[1][:2] == "12":  # not ours, or a symbolic link
                continue
            blob = None if parts[4] == "D" else parts[3]
            files.append(FileChange(path[len(repo.prefix):], blob))
        found.append((commit, files))
    return found


def read_blobs(repo: Repo, blobs: set[str]) -> dict[str, bytes]:
    """The contents of `blobs`, read in one `git cat-file --batch`."""
    order = sorted(blobs)
    if not order:
        return {}
    out = _run_bytes(repo.project, "cat-file", "--batch", data=("\n".join(order) + "\n").encode())
    found, at = {}, 0
    for blob in order:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        found[blob] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1
    return found


def history(repo: Repo, rev: str = "HEAD") -> list[tuple[Commit, list[FileChange]]]:
    """The commits up to `rev` that touched the roadmap, with their changes (see `_raw_log`)."""
    return _raw_log(repo, rev)
