"""A test repository of the example roadmap, committed in steps that move dates, re-own an item
and turn one red: what the plan-history features read (tests/site/test_plan_history.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO

TRAINING = "content/activities/wms/wms-training.md"
CUTOVER = "content/activities/wms/wms-cutover.md"

# (committer date, author, message, {file: (old text, new text)})
STEPS = (
    ("2026-08-03T10:00:00+00:00", "Ann Admin", "Start the roadmap",  # a live roadmap: status as of each day
     {"roadmap.yml": ("today: 2026-11-25", "# today: set by each build")}),
    ("2026-09-07T10:00:00+00:00", "Bob Builder", "Training takes five weeks, not three",
     {TRAINING: ("duration: 3w", "duration: 5w")}),
    ("2026-10-05T10:00:00+00:00", "Cy Coordinator", "Priya takes over the training",
     {TRAINING: ("owner: james-okafor", "owner: priya-raman")}),
    ("2026-11-02T10:00:00+00:00", "Ann Admin", "Cutover at risk: vendor capacity",
     {CUTOVER: ("duration: 0d\n", "duration: 0d\nrag: red\nrag_reason: The vendor cannot staff the cutover weekend.\n")}),
)


def git(cwd: Path, *args: str, when: str | None = None, author: str = "Ann Admin") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(cwd)}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def make_plan_repo(root: Path) -> tuple[Path, list[str]]:
    """The example roadmap in a new git repository at `root`, one commit per step; the commits' shas."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "roadmap.yml", root / "roadmap.yml")
    shutil.copytree(REPO / "content", root / "content")
    git(root, "init", "-q", "-b", "main")
    shas = []
    for when, author, message, edits in STEPS:
        for rel, (old, new) in edits.items():
            path = root / rel
            text = path.read_text("utf-8")
            assert old in text, (rel, old)
            path.write_text(text.replace(old, new, 1), "utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, when=when, author=author)
        shas.append(git(root, "rev-parse", "HEAD").strip())
    return root, shas
