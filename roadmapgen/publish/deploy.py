"""`roadmapgen gh-deploy`: commit the built site to a branch (gh-pages) and push it.

The commit is made by ghp-import, the library `mkdocs gh-deploy` uses: it writes the files
straight into git's object store with `git fast-import` and moves only the target branch, so
the working tree, the index and the current branch are never touched. The site is rendered in
memory and written to a temporary folder outside the repository (not to ./site), so the pushed
tree is exactly the site: every page, export and asset, with .nojekyll.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from roadmapgen import __version__

DEFAULT_REMOTE = "origin"
DEFAULT_BRANCH = "gh-pages"


class DeployError(Exception):
    """Why nothing was deployed, and what to do."""


@dataclass(frozen=True)
class Repository:
    """The git repository a roadmap is in, and what is checked out."""

    root: Path
    branch: str | None  # the current branch; None when HEAD is detached
    head: str | None  # the current commit, short; None in a repository with no commit yet


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)


def find_repository(project: Path) -> Repository:
    """The git repository holding `project`; a DeployError outside one."""
    try:
        top = _git(project, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        raise DeployError("git is not installed; gh-deploy needs git to commit and push the site") from None
    if top.returncode != 0:
        raise DeployError(f"{project} is not in a git repository; gh-deploy commits the site to a branch of the "
                          "roadmap's repository (run `git init` and add a remote, or publish the site/ folder "
                          "another way)")
    branch = _git(project, "symbolic-ref", "--quiet", "--short", "HEAD")
    head = _git(project, "rev-parse", "--short", "HEAD")
    return Repository(Path(top.stdout.strip()), branch.stdout.strip() if branch.returncode == 0 else None,
                      head.stdout.strip() if head.returncode == 0 else None)


def default_message(repository: Repository) -> str:
    """The commit message when -m is not given: names the commit the site was built from."""
    source = f" from {repository.head}" if repository.head else ""
    return f"Deploy the roadmap site{source} (roadmapgen {__version__})"


def check_target(repository: Repository, remote: str, branch: str) -> None:
    """Refuse a branch that is checked out (moving it would change the working tree's branch) and
    a remote that does not exist."""
    if repository.branch == branch:
        raise DeployError(f"'{branch}' is the branch checked out here; gh-deploy never moves the current branch "
                          f"(switch to your main branch, or deploy to another with --branch)")
    if _git(repository.root, "check-ref-format", "--branch", branch).returncode != 0:
        raise DeployError(f"'{branch}' is not a valid branch name")
    if _git(repository.root, "remote", "get-url", remote).returncode != 0:
        raise DeployError(f"there is no git remote '{remote}'; add one (git remote add {remote} URL) or name "
                          "another with --remote")


def strict_site(project: Path, today=None):
    """The site in memory, or None when the roadmap has errors or warnings (a published site is
    built strictly); with the diagnostics either way."""
    from roadmapgen.build import render_site
    from roadmapgen.config import resolve_custom_dir
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap

    diagnostics = Diagnostics()
    computed = compute_roadmap(project, diagnostics, today)
    custom_dir = resolve_custom_dir(project, computed.roadmap.config, diagnostics)
    if diagnostics.has_errors() or diagnostics.warnings:
        return None, diagnostics
    return render_site(computed, custom_dir), diagnostics


def write_tree(files: dict[str, bytes], folder: Path) -> None:
    """Write the site's files into a (temporary) folder for ghp-import."""
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def deploy(files: dict[str, bytes], repository: Repository, remote: str = DEFAULT_REMOTE,
           branch: str = DEFAULT_BRANCH, message: str | None = None, push: bool = True) -> None:
    """Commit `files` (the whole site) as the new tip of `branch`, on top of the remote's, and push."""
    from ghp_import import GhpError, ghp_import

    check_target(repository, remote, branch)
    with tempfile.TemporaryDirectory(prefix="roadmapgen-deploy-") as folder:
        write_tree(files, Path(folder))
        try:
            with contextlib.chdir(repository.root):  # ghp-import runs git in the current folder
                ghp_import(folder, mesg=message or default_message(repository), remote=remote, branch=branch,
                           push=push, nojekyll=True)
        except GhpError as error:
            raise DeployError(f"could not commit the site to '{branch}': {error}") from None
        except subprocess.CalledProcessError:
            raise DeployError(f"the site was committed to the local branch '{branch}', but pushing it to '{remote}' "
                              f"failed (git's message is above); fix the remote or your access (or, if someone else "
                              f"deployed meanwhile, run `git fetch {remote}`), then run gh-deploy again") from None
