"""The plan's history read incrementally (versions.py `_Replay`: only the files a commit changed;
engine/slips.py `_Dater`: only the dates a commit moved) is exactly the history computed in full,
each version exported from git, loaded and validated from its files and scheduled from scratch: on
a long random history with every kind of change a commit makes (tests/gitplan.py)."""

from __future__ import annotations

import os
import shutil

import pytest

from roadmapgen.engine.slips import plan_history
from roadmapgen.gitrepo import Repo
from roadmapgen.versions import read_plan_history, roadmap_at, roadmap_versions
from tests.conftest import REPO
from tests.gitplan import CHANGE_KINDS, CUTOVER, TRAINING, git, make_random_plan_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true",
                                reason="git is not installed (apt-get install git)")

COMMITS = 4 * len(CHANGE_KINDS)


@pytest.fixture(scope="module")
def random_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("random-history") / "plan"
    kinds = make_random_plan_repo(root, COMMITS, seed=5)  # a seed whose history has cycles too
    assert set(kinds) == set(CHANGE_KINDS)
    full = [roadmap_at(root, commit.sha)[:2] for commit in Repo.open(root).commits()]
    return root, full


def test_each_replayed_version_is_the_roadmap_loaded_and_validated_in_full(random_repo):
    repo, full = random_repo
    replayed = list(roadmap_versions(repo))
    assert [v for v, _ in replayed] == [v for v, _ in full] and len(full) > COMMITS - 4  # some change nothing
    for (version, roadmap), (_, expected) in zip(replayed, full):
        assert roadmap == expected, version.subject


def test_the_incremental_history_is_the_full_one(random_repo):
    repo, full = random_repo
    expected = plan_history(full, incremental=False)
    assert_same_history(read_plan_history(repo), expected)
    # a history worth comparing: items moved, slipped, came and went
    assert sum(h.slips for h in expected.items.values()) > 10
    assert any(len(h.trend) < len(expected.versions) for h in expected.items.values())


def test_items_that_change_strategy_are_cancelled_or_come_back_are_followed(tmp_path):
    """The changes that touch a strategy's or goal's span without moving a date of its own (an
    activity that moves to another strategy, one cancelled: its end no longer counts), a file
    removed and put back unchanged, and a holiday (on the same day: the same working days, other dates)."""
    repo = tmp_path / "plan"
    shutil.copytree(REPO / "content", repo / "content")
    (repo / "roadmap.yml").write_text((REPO / "roadmap.yml").read_text("utf-8").replace(
        "today: 2026-11-25", "# today: set by each build"), "utf-8")
    git(repo, "init", "-q", "-b", "main")
    migration = repo / "content/activities/wms/wms-data-migration.md"
    kept = migration.read_text("utf-8")
    steps = [
        ("start", lambda: None),
        ("the cutover moves to the carriers", lambda: _replace(repo / CUTOVER, "strategy: wms-migration",
                                                               "strategy: carrier-performance-management")),
        ("the training is cancelled", lambda: _replace(repo / TRAINING, "status: not-started", "status: cancelled")),
        ("the migration is dropped", migration.unlink),
        ("the migration is back", lambda: migration.write_text(kept, "utf-8")),
        ("a holiday", lambda: _replace(repo / "roadmap.yml", "  holidays:\n", "  holidays:\n    - 2026-11-04\n")),
    ]
    for n, (message, change) in enumerate(steps):
        change()
        git(repo, "add", "-A")
        day = 12 + min(n, len(steps) - 2)  # after the files are dated; the holiday on the day before's
        git(repo, "commit", "-q", "-m", message, when=f"2026-10-{day}T{10 + n}:00:00+00:00")
    full = [roadmap_at(repo, commit.sha)[:2] for commit in Repo.open(repo).commits()]
    expected = plan_history(full, incremental=False)
    assert len(expected.versions) == len(steps)
    assert_same_history(read_plan_history(repo), expected)


def assert_same_history(incremental, expected) -> None:
    assert incremental.unavailable is None
    assert incremental.versions == expected.versions
    assert list(incremental.items) == list(expected.items)  # the same items, in the same order
    for key, history in expected.items.items():
        assert incremental.items[key] == history, key  # first dates, every change, every trend point


def _replace(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
