"""The pipeline's stages: timed, in order, and leaving the garbage collector as they found it."""

from __future__ import annotations

import gc

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import GC_THRESHOLD, Timings, compute_loaded, fewer_collections
from tests.builders import activity, d, goal, roadmap, strategy, update, item


def test_the_collector_runs_rarely_inside_and_as_before_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= GC_THRESHOLD[0]
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a stage failed")
    assert gc.get_threshold() == before


def test_stages_are_timed_in_order_with_history_its_own():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s", start="2026-03-02", duration=5)],
                 updates=[update("u1", "2026-03-04", item("a", progress=40))])
    timings = Timings()
    computed = compute_loaded(rm, Diagnostics(), d("2026-03-09"), timings=timings)
    assert list(timings.stages) == ["schedule", "status", "history", "rhythm"]
    assert [p.date for p in computed.history.points] == [d("2026-03-04"), d("2026-03-09")]
    assert computed.order.outline == (("goal", "g"), ("strategy", "s"), ("activity", "a"))
