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
from tests.gitplan import CHANGE_KINDS, make_random_plan_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true",
                                reason="git is not installed (apt-get install git)")

COMMITS = 4 * len(CHANGE_KINDS)


@pytest.fixture(scope="module")
def random_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("random-history") / "plan"
    kinds = make_random_plan_repo(root, COMMITS, seed=19)
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
    incremental = read_plan_history(repo)
    expected = plan_history(full, incremental=False)
    assert incremental.unavailable is None
    assert incremental.versions == expected.versions
    assert list(incremental.items) == list(expected.items)  # the same items, in the same order
    for key, history in expected.items.items():
        assert incremental.items[key] == history, key
    # a history worth comparing: items moved, slipped, came and went
    assert sum(h.slips for h in expected.items.values()) > 10
    assert any(len(h.trend) < len(expected.versions) for h in expected.items.values())
