"""What a build makes on a second core (site/second_core.py): the Markdown bodies while the engine
runs (then on both cores), the quarters' reports while the pages are made. The site is the same
bytes as one process's, nothing is made twice, and a second core that fails only leaves the work
to the first."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine import quarters
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.names import KINDS
from roadmapgen.site import markdown, rhythm_views

TODAY = date(2026, 10, 15)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _count_bodies_rendered(monkeypatch, clear: bool = True) -> tuple[list[int], object]:
    """Clear the remembered bodies (unless not to), and count those rendered from now on: a list
    with one entry per body rendered in this process, and a shared counter of those rendered in
    this process and in the processes it forks."""
    if clear:
        monkeypatch.setattr(markdown, "_memo", markdown.BodyMemo())
    here, original = os.getpid(), markdown.MarkdownRenderer._html
    rendered_here: list[int] = []
    anywhere = multiprocessing.get_context("fork").Value("i", 0)

    def html(self, text):
        if os.getpid() == here:
            rendered_here.append(1)
        with anywhere.get_lock():
            anywhere.value += 1
        return original(self, text)

    monkeypatch.setattr(markdown.MarkdownRenderer, "_html", html)
    return rendered_here, anywhere


def _bodies_of(project: Path, monkeypatch) -> set[str]:
    """The distinct non-empty bodies of the roadmap's items, as the pages render them."""
    roadmap = compute_roadmap(project, Diagnostics(), TODAY, with_history=False).roadmap
    renderer = markdown.MarkdownRenderer(allow_html=roadmap.config.markdown_html)
    with monkeypatch.context() as scratch:
        scratch.setattr(markdown, "_memo", markdown.BodyMemo())  # none remembered: every body is listed
        items = (item for kind in KINDS for item in roadmap.items_of(kind).values())
        return set(renderer.not_yet_rendered((item.body for item in items), drop_first_heading=True))


def test_the_bodies_are_rendered_on_another_core_while_the_engine_runs(example_copy, tmp_path, monkeypatch):
    assert build_site(example_copy, tmp_path / "one", TODAY, workers=1).built
    rendered_here, bodies = _count_bodies_rendered(monkeypatch)
    assert build_site(example_copy, tmp_path / "two", TODAY, workers=2).built
    assert bodies.value == len(_bodies_of(example_copy, monkeypatch))  # each body once, whichever process rendered it
    assert len(rendered_here) < bodies.value  # the other process rendered some (here: all, or nearly)
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def test_bodies_left_when_the_pages_ask_are_rendered_on_both_cores(example_copy, tmp_path, monkeypatch):
    """Long bodies outlast the engine: the first core then takes its share instead of waiting."""
    assert build_site(example_copy, tmp_path / "one", TODAY, workers=1).built
    rendered_here, anywhere = _count_bodies_rendered(monkeypatch)
    parent, original = os.getpid(), markdown.MarkdownRenderer.render_each

    def slow_elsewhere(self, texts):
        if os.getpid() != parent:
            time.sleep(0.2)  # a chunk of long bodies
        return original(self, texts)

    monkeypatch.setattr(markdown.MarkdownRenderer, "render_each", slow_elsewhere)
    assert build_site(example_copy, tmp_path / "two", TODAY, workers=2).built
    assert 0 < len(rendered_here) < anywhere.value  # both processes rendered bodies
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def _run_out():
    raise MemoryError("the child ran out")


def _killed():
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would, with a chunk taken


@pytest.mark.parametrize("failure", [_run_out, _killed], ids=["raises", "killed"])
def test_bodies_that_fail_on_the_other_core_are_rendered_here(example_copy, tmp_path, monkeypatch, failure):
    assert build_site(example_copy, tmp_path / "one", TODAY, workers=1).built
    rendered, _ = _count_bodies_rendered(monkeypatch)
    parent = os.getpid()
    original = markdown.MarkdownRenderer.render_each

    def render_each(self, texts):
        if os.getpid() != parent:
            failure()
        return original(self, texts)

    monkeypatch.setattr(markdown.MarkdownRenderer, "render_each", render_each)
    assert build_site(example_copy, tmp_path / "two", TODAY, workers=2).built
    assert rendered  # the pages stage rendered them itself
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def test_a_build_that_fails_while_both_cores_render_bodies_stops_the_other(example_copy, tmp_path, monkeypatch):
    """Ctrl-C, or any failure, while this core takes its share of the bodies: the child goes too."""
    monkeypatch.setattr(markdown, "_memo", markdown.BodyMemo())  # no body remembered from other tests
    parent, original = os.getpid(), markdown.MarkdownRenderer.render_each

    def render_each(self, texts):
        if os.getpid() == parent:
            raise KeyboardInterrupt
        time.sleep(0.5)  # the other core is still at work
        return original(self, texts)

    monkeypatch.setattr(markdown.MarkdownRenderer, "render_each", render_each)
    with pytest.raises(KeyboardInterrupt):
        build_site(example_copy, tmp_path / "site", TODAY, workers=2)
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "site").exists()


def test_a_build_with_errors_stops_the_bodies_process(example_copy, tmp_path):
    (example_copy / "content" / "activities" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    result = build_site(example_copy, tmp_path / "site", TODAY, workers=2)
    assert not result.built
    assert multiprocessing.active_children() == []


def _count_quarters_made_here(monkeypatch) -> list[int]:
    here, original = os.getpid(), quarters.quarter_reports
    made: list[int] = []

    def quarter_reports(computed, states=None):
        if os.getpid() == here:
            made.append(1)
        return original(computed, states)

    monkeypatch.setattr(rhythm_views, "quarter_reports", quarter_reports)
    monkeypatch.setattr("roadmapgen.site.second_core.quarter_reports", quarter_reports)
    return made


def test_the_quarters_are_made_on_another_core_while_the_pages_are_made(example_copy, tmp_path, monkeypatch):
    made = _count_quarters_made_here(monkeypatch)
    assert build_site(example_copy, tmp_path / "one", TODAY, workers=1).built
    assert made == [1]
    made.clear()
    assert build_site(example_copy, tmp_path / "two", TODAY, workers=2).built
    assert made == []
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")
    assert (tmp_path / "two" / "quarters").is_dir()


def test_quarters_that_fail_on_the_other_core_are_made_here(example_copy, tmp_path, monkeypatch):
    assert build_site(example_copy, tmp_path / "one", TODAY, workers=1).built
    made = _count_quarters_made_here(monkeypatch)
    parent, counted = os.getpid(), rhythm_views.quarter_reports  # the counting one

    def failing(computed, states=None):
        if os.getpid() != parent:
            os._exit(3)  # killed, as by the out-of-memory killer
        return counted(computed, states)

    monkeypatch.setattr("roadmapgen.site.second_core.quarter_reports", failing)
    assert build_site(example_copy, tmp_path / "two", TODAY, workers=2).built
    assert made == [1]
    assert files_of(tmp_path / "two") == files_of(tmp_path / "one")


def test_the_bodies_memo_forgets_the_bodies_the_last_two_rounds_did_not_ask_for():
    memo = markdown.BodyMemo(limit=3)
    memo.start_round()
    for text in "abc":
        memo.put((False, text), f"<p>{text}</p>")
    memo.start_round()
    memo.get((False, "a"))
    memo.start_round()  # a rebuild in serve after "b" and "c" were edited away
    memo.put((False, "d"), "<p>d</p>")  # full: forgets what neither of the last two rounds asked for
    assert memo.get((False, "a")) == "<p>a</p>"
    assert memo.get((False, "b")) is None and memo.get((False, "c")) is None


def test_a_roadmap_with_more_bodies_than_the_memo_holds_renders_each_once(monkeypatch):
    monkeypatch.setattr(markdown, "_memo", markdown.BodyMemo(limit=10))
    renderer = markdown.MarkdownRenderer()
    texts = [f"body {n}" for n in range(25)]
    renderer.remember(texts, renderer.render_each(texts))
    rendered, _ = _count_bodies_rendered(monkeypatch, clear=False)
    assert [renderer.render(text) for text in texts] == [f"<p>body {n}</p>\n" for n in range(25)]
    assert rendered == []
