"""The shared rules of engine/facts.py and the one table of names: item order, a metric's standing
against its path (the same threshold status colours by), and the order of colours."""

from __future__ import annotations

import pytest

from roadmapgen import names
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine import status as status_module
from roadmapgen.engine.facts import item_order, metric_standing
from roadmapgen.engine.pipeline import compute_loaded
from roadmapgen.model import Metric, StatusRules
from tests.builders import activity, d, goal, roadmap, strategy


def test_the_colours_are_the_engine_s():
    assert set(names.RAG_KEYS) == set(status_module.COLOURS) == set(names.RAG_LABELS) == set(names.RAG_ICONS)


def test_kinds_have_one_plural():
    assert names.PLURAL["activity"] == "activities" and names.SINGULAR["people"] == "person"
    assert names.plural("strategy", 1) == "strategy" and names.plural("strategy", 3) == "strategies"


def metric(baseline=0.0, target=100.0, current=None) -> Metric:
    return Metric(name="m", unit="%", baseline=baseline, target=target, current=current, direction="increase")


def computed(rm, today="2026-03-09"):
    return compute_loaded(rm, Diagnostics(), d(today), with_history=False)


def test_goals_and_strategies_are_ordered_by_when_their_work_starts():
    rm = roadmap(goals=[goal("late", start="2026-03-01"), goal("early", start="2026-01-05")],
                 strategies=[strategy("s-b", "early", due="2026-06-30"), strategy("s-a", "early", due="2026-12-31")],
                 activities=[activity("x", strategy="s-a", start="2026-01-05", duration=5),
                             activity("y", strategy="s-b", start="2026-02-02", duration=5),
                             activity("z", goal="late", start="2026-03-02", duration=5)])
    order = computed(rm).order
    assert order.goals == ("early", "late")
    assert order.strategies_of_goal["early"] == ("s-a", "s-b")  # s-a's work starts first, though due later
    assert order.outline == (("goal", "early"), ("strategy", "s-a"), ("activity", "x"), ("strategy", "s-b"),
                             ("activity", "y"), ("goal", "late"), ("activity", "z"))
    assert order.of_kind("activity") == ("x", "y", "z")


def test_order_decides_first_and_items_without_one_follow_in_today_s_order():
    # By dates alone the goals would be g1, g3, g2, g4 (a numbered plan shown as 1, 3, 2, 4).
    rm = roadmap(goals=[goal("g1", start="2026-01-05", order=1), goal("g2", start="2026-03-02", order=2),
                        goal("g3", start="2026-02-02", order=3), goal("g4", start="2026-04-06", order=4),
                        goal("late", start="2026-06-01"), goal("early", start="2026-01-01")],
                 strategies=[strategy("s-first-by-date", "g1", start="2026-01-05"),
                             strategy("s2", "g1", start="2026-03-02", order=2),
                             strategy("s1", "g1", start="2026-05-04", order=1)],
                 activities=[activity("a-no-order", strategy="s1", start="2026-05-04", duration=5),
                             activity("a2", strategy="s1", start="2026-05-11", duration=5, order=2),
                             activity("a1", strategy="s1", start="2026-06-01", duration=5, order=1),
                             activity("b2", goal="g2", start="2026-03-02", duration=5, order=-1),
                             activity("b1", goal="g2", start="2026-03-09", duration=5, order=-5)])
    order = computed(rm).order
    assert order.goals == ("g1", "g2", "g3", "g4", "early", "late")
    assert order.strategies_of_goal["g1"] == ("s1", "s2", "s-first-by-date")
    assert order.activities_of_strategy["s1"] == ("a1", "a2", "a-no-order")
    assert order.activities_of_goal["g2"] == ("b1", "b2")
    assert order.outline[:6] == (("goal", "g1"), ("strategy", "s1"), ("activity", "a1"), ("activity", "a2"),
                                 ("activity", "a-no-order"), ("strategy", "s2"))
    assert order.activities == computed(rm).schedule.order  # the list of every activity stays in schedule order


def test_item_order_is_what_the_pipeline_carries():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s", start="2026-01-05", duration=5)])
    c = computed(rm)
    assert c.order == item_order(c.roadmap, c.schedule)


@pytest.mark.parametrize("current, expected_standing", [(60.0, "ahead"), (48.0, "on"), (40.0, "behind")])
def test_metric_standing_uses_the_amber_threshold(current, expected_standing):
    g = goal("g", metric=metric())
    rules = StatusRules(amber_behind=10)
    assert metric_standing(g, current, 50.0, rules) == expected_standing


def test_metric_standing_agrees_with_the_colour_status_gives_the_goal():
    """Behind by the amber threshold or more is exactly when status colours the goal by its metric."""
    for current in (20.0, 35.0, 41.0, 45.0, 60.0):
        g = goal("g", start="2026-01-05", due="2026-12-31", metric=metric(current=current))
        c = computed(roadmap(goals=[g]), today="2026-07-02")
        expected = c.status.metric_expected["g"]
        standing = metric_standing(g, current, expected, c.roadmap.config.status)
        coloured = c.status.goals["g"].rag in ("amber", "red")
        assert (standing == "behind") == coloured, (current, expected, standing, c.status.goals["g"])


def test_no_standing_without_a_value_or_a_path():
    g = goal("g", metric=metric(10.0, 10.0))
    assert metric_standing(g, 5.0, 10.0, StatusRules()) is None
    assert metric_standing(goal("h"), 5.0, 10.0, StatusRules()) is None
    assert metric_standing(goal("i", metric=metric(0.0, 1.0)), None, 0.5, StatusRules()) is None


def test_every_front_matter_field_of_an_item_is_documented():
    from pathlib import Path

    from roadmapgen.content.schema import SCHEMAS
    doc = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    for kind in ("goal", "strategy", "activity", "person", "tool", "update", "review"):
        for field_info_name, info in SCHEMAS[kind].model_fields.items():
            name = info.alias or field_info_name
            assert f"`{name}`" in doc, f"docs/format.md does not document {kind}.{name}"
