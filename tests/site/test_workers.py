"""Rendering and writing on several cores (site/workers.py): the same bytes as one process, and a
failure in a child process stops the build as one in the parent does, the previous site untouched."""

from __future__ import annotations

import multiprocessing
import os
import time
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from roadmapgen.site import workers
from roadmapgen.site.pages import EVERYTHING, Page
from roadmapgen.site.render import Renderer

TODAY = date(2026, 10, 15)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_processes_write_the_same_bytes_as_one(example_copy, tmp_path):
    one = build_site(example_copy, tmp_path / "one", TODAY, workers=1)
    two = build_site(example_copy, tmp_path / "two", TODAY, workers=2)
    assert one.built and two.built
    assert (two.files, two.bytes, two.pages) == (one.files, one.bytes, one.pages)
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def test_progress_reaches_every_page_with_two_processes(example_copy, tmp_path):
    seen: list[tuple[int, int | None]] = []
    result = build_site(example_copy, tmp_path / "site", TODAY, progress=lambda done, total: seen.append((done, total)),
                        workers=2)
    assert seen and seen[-1] == (result.pages, result.pages)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_progress_reaches_every_page_when_the_other_process_rendered_them_all(example_copy, tmp_path, monkeypatch):
    parent, original = os.getpid(), workers._render_claimed

    def render_claimed(*args, **kwargs):
        if os.getpid() != parent:  # this process takes no page: the child renders every one
            original(*args, **kwargs)

    monkeypatch.setattr(workers, "_render_claimed", render_claimed)
    seen: list[tuple[int, int | None]] = []
    result = build_site(example_copy, tmp_path / "site", TODAY, progress=lambda done, total: seen.append((done, total)),
                        workers=2)
    assert result.built and seen[-1] == (result.pages, result.pages)
    assert seen.count(seen[-1]) == 1  # said once: the terminal's counter ends its line on it


def test_a_failure_in_a_child_process_keeps_the_previous_site(example_copy, tmp_path, monkeypatch):
    output = tmp_path / "site"
    assert build_site(example_copy, output, TODAY, workers=1).built
    before = files_of(output)
    parent = os.getpid()
    original = Renderer.render

    def render(self, page):
        if os.getpid() != parent:  # only the forked child fails
            raise ValueError(f"cannot render {page.path}")
        time.sleep(0.01)  # the parent is slow: the child surely takes pages too
        return original(self, page)

    monkeypatch.setattr(Renderer, "render", render)
    with pytest.raises(ValueError, match="cannot render"):
        build_site(example_copy, output, TODAY, workers=2)
    assert files_of(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "site"]  # no staging folder, no lock left


def test_an_error_that_cannot_be_pickled_still_reaches_the_parent():
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    error = workers._portable(Local("bad template"))
    assert isinstance(error, RuntimeError) and "Local: bad template" in str(error)


def test_the_pages_showing_everything_are_taken_first():
    pages = [Page("a.html", "t", "A", "s", depends=frozenset({"activity:a"})), Page("list.html", "t", "L", "s"),
             Page("b.html", "t", "B", "s", depends=frozenset({"activity:b"}))]
    assert pages[1].depends_on == EVERYTHING
    assert [p.path for p in workers.costly_first(pages)] == ["list.html", "a.html", "b.html"]


def test_small_sites_and_busy_machines_use_one_process(monkeypatch):
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (1.0, 1.0, 1.0))  # only this build runs
    assert workers.worker_count(100) == 1  # too few pages to pay for a fork
    assert workers.worker_count(5000) == 2
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (3.0, 3.0, 3.0))  # two other jobs keep both cores busy
    assert workers.worker_count(5000) == 1
    assert workers.worker_count(100, requested=2) == 2  # asked for: as asked



# -- pages rendered while the pages stage goes on (workers.EarlyRender) --------------------------

def _log_renders(monkeypatch, log: Path) -> None:
    """Append "<pid> <path>" to `log` for every page rendered, in whichever process, and "early
    <pid>" when a child of EarlyRender starts."""
    render, batch = Renderer.render, workers._render_batch

    def logged_render(self, page):
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {page.path}\n")
        return render(self, page)

    def logged_batch(*args):
        with open(log, "a") as out:
            out.write(f"early {os.getpid()}\n")
        batch(*args)

    monkeypatch.setattr(Renderer, "render", logged_render)
    monkeypatch.setattr(workers, "_render_batch", logged_batch)


def _second_core_always_free(monkeypatch) -> None:
    from roadmapgen.site import second_core

    monkeypatch.setattr(second_core.QuartersMeanwhile, "done", lambda self: True)


def test_pages_made_early_are_rendered_on_another_core_while_the_rest_are_made(example_copy, tmp_path, monkeypatch):
    one = build_site(example_copy, tmp_path / "one", TODAY, workers=1)
    log = tmp_path / "renders.log"
    _log_renders(monkeypatch, log)
    _second_core_always_free(monkeypatch)
    two = build_site(example_copy, tmp_path / "two", TODAY, workers=2)
    assert two.built and (two.files, two.bytes, two.pages) == (one.files, one.bytes, one.pages)
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")
    lines = log.read_text().splitlines()
    early = {line.split()[1] for line in lines if line.startswith("early ")}
    renders = [line.split(" ", 1) for line in lines if not line.startswith("early ")]
    assert early, "no page was rendered while the pages were made"
    assert sorted(path for _, path in renders) == sorted({path for _, path in renders})  # each page once
    assert len(renders) == one.pages
    early_pages = [path for pid, path in renders if pid in early]
    assert len(early_pages) >= workers.MIN_EARLY_BATCH
    # the pages of one item are made first, so they are the ones rendered early
    assert not any(path in ("index.html", "status.html", "goals/index.html") for path in early_pages)


def test_pages_of_an_early_child_that_died_are_rendered_here(example_copy, tmp_path, monkeypatch):
    one = build_site(example_copy, tmp_path / "one", TODAY, workers=1)
    _second_core_always_free(monkeypatch)
    monkeypatch.setattr(workers, "_render_batch", lambda *args: os._exit(3))  # killed before it staged anything
    two = build_site(example_copy, tmp_path / "two", TODAY, workers=2)
    assert two.built and (two.files, two.bytes) == (one.files, one.bytes)
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def test_a_template_error_met_early_fails_the_build_with_its_own_message(example_copy, tmp_path, monkeypatch):
    output = tmp_path / "site"
    assert build_site(example_copy, output, TODAY, workers=1).built
    before = files_of(output)
    _second_core_always_free(monkeypatch)
    original = Renderer.render

    def render(self, page):
        if page.template == "activity.html":
            raise ValueError(f"broken template for {page.path}")
        return original(self, page)

    monkeypatch.setattr(Renderer, "render", render)
    with pytest.raises(ValueError, match="broken template"):
        build_site(example_copy, output, TODAY, workers=2)
    assert files_of(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "site"]


def test_claims_share_every_job_once_between_processes():
    """`Claims`: this process and a forked one take chunks until none is left; each job once."""
    claims = workers.Claims(1003, 16)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def take_all(send):
        taken = []
        while (chunk := claims.take()) is not None:
            taken.extend(chunk)
        send.send(taken)

    child = context.Process(target=take_all, args=(send,))
    child.start()
    mine = []
    while (chunk := claims.take()) is not None:
        mine.extend(chunk)
    theirs = receive.recv()
    child.join()
    assert sorted(mine + theirs) == list(range(1003))
    assert claims.taken() == 1003 and claims.take() is None


def test_stopped_claims_give_no_more_chunks():
    claims = workers.Claims(100, 10)
    assert claims.take() == range(0, 10)
    claims.stop()
    assert claims.take() is None and claims.taken() == 100
