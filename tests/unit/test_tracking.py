"""Which value counts: the file's or an update's — the newest dated value wins."""

import dataclasses

from roadmapgen.engine.tracking import FILE, track
from tests.builders import activity, d, goal, item, roadmap, update
from roadmapgen.model import Metric


def test_update_overrides_undated_file_value_and_says_where_from():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g", progress=10, status="in-progress")],
                updates=[update("u1", "2026-03-02", item("a", progress=40))])
    tracked = track(r, d("2026-03-10")).activities["a"]
    assert tracked.progress == 40
    assert tracked.sources["progress"] == "u1"
    assert tracked.sources["status"] == FILE and tracked.status == "in-progress"


def test_updates_after_today_do_not_count_yet():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g", progress=10)],
                updates=[update("u1", "2026-03-02", item("a", progress=40))])
    assert track(r, d("2026-03-01")).activities["a"].progress == 10


def test_newest_update_wins_and_notes_are_kept_in_order():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g")],
                updates=[update("u2", "2026-03-09", item("a", progress=60, note="second")),
                         update("u1", "2026-03-02", item("a", progress=30, note="first"))])
    tracked = track(r, d("2026-03-31")).activities["a"]
    assert tracked.progress == 60 and tracked.sources["progress"] == "u2"
    assert [note for _, _, note in tracked.notes] == ["first", "second"]
    assert tracked.last_update == d("2026-03-09")


def test_file_edited_after_the_update_wins():
    a = dataclasses.replace(activity("a", goal="g", progress=80), updated=d("2026-03-05"))
    r = roadmap(goals=[goal("g")], activities=[a], updates=[update("u1", "2026-03-02", item("a", progress=30))])
    tracked = track(r, d("2026-03-31")).activities["a"]
    assert tracked.progress == 80 and tracked.sources["progress"] == FILE


def test_done_in_an_update_means_full_progress():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g", progress=50)],
                updates=[update("u1", "2026-03-02", item("a", status="done"))])
    tracked = track(r, d("2026-03-31")).activities["a"]
    assert tracked.status == "done" and tracked.progress == 100


def test_goal_metric_and_manual_colour_from_updates():
    g = goal("g", metric=Metric("Revenue", "M€", 10, 20, 11, "increase"))
    r = roadmap(goals=[g], updates=[update("u1", "2026-03-02",
                                           item("g", kind="goal", metric=14, rag="amber", rag_reason="Slow Q1"))])
    tracked = track(r, d("2026-03-31")).goals["g"]
    assert tracked.metric == 14 and tracked.sources["metric"] == "u1"
    assert tracked.rag == "amber" and tracked.rag_reason == "Slow Q1"


def test_before_its_updated_date_a_file_value_was_not_written_yet():
    a = dataclasses.replace(activity("a", goal="g", progress=100, status="done"), updated=d("2026-03-20"))
    r = roadmap(goals=[goal("g")], activities=[a], updates=[update("u1", "2026-03-02", item("a", progress=30))])
    assert track(r, d("2026-03-01")).activities["a"].status == "not-started"
    early = track(r, d("2026-03-10")).activities["a"]
    assert early.progress == 30 and early.status == "not-started"
    late = track(r, d("2026-03-20")).activities["a"]
    assert late.progress == 100 and late.status == "done" and late.sources["progress"] == FILE
