"""The live preview loads every file on each save: a file whose stat did not change since it was
read (and that did not change in the last seconds) is not read again; anything else is."""

from __future__ import annotations

import os

from roadmapgen.content import loader
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.load import load
from tests.conftest import write_project

GOAL = "---\ntitle: {title}\n---\n"


def _reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = loader._read_text  # noqa: SLF001

    def counting(file, diagnostics):
        reads.append(file.rel)
        return real(file, diagnostics)

    monkeypatch.setattr(loader, "_read_text", counting)
    return reads


def _titles(project) -> dict[str, str]:
    _, loaded = load(project, Diagnostics())
    return {gid: g.title for gid, g in loaded.items["goal"].items()}


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    project = write_project(tmp_path / "p", {"content/goals/a.md": GOAL.format(title="Aaaa"),
                                            "content/goals/b.md": GOAL.format(title="Bbbb")})
    monkeypatch.setattr(loader, "RACY_SECONDS", -1e9)  # trust the stat of a file saved just now (here, all of them)
    reads = _reads(monkeypatch)
    assert _titles(project) == {"a": "Aaaa", "b": "Bbbb"}
    reads.clear()
    assert _titles(project) == {"a": "Aaaa", "b": "Bbbb"} and reads == []
    (project / "content/goals/b.md").write_text(GOAL.format(title="Bbbb longer"), "utf-8")
    assert _titles(project) == {"a": "Aaaa", "b": "Bbbb longer"} and reads == ["content/goals/b.md"]


def test_a_file_saved_again_within_the_same_time_tick_is_read_again(tmp_path, monkeypatch):
    # the same size and, on a file system that keeps whole seconds, the same time: only the racy
    # window tells the two saves apart
    project = write_project(tmp_path / "p", {"content/goals/a.md": GOAL.format(title="Aaaa")})
    path = project / "content/goals/a.md"
    stamp = os.stat(path)
    assert _titles(project) == {"a": "Aaaa"}
    path.write_text(GOAL.format(title="Zzzz"), "utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # mtime as before, same size
    assert _titles(project) == {"a": "Zzzz"}
