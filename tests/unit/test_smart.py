"""SMART lint (engine/smart.py): hand-made weak goals are flagged with stable codes, good ones not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_loaded
from roadmapgen.model import Metric, SmartRules
from tests.builders import activity, d, goal, item, person, roadmap, strategy, update

TODAY = d("2026-06-01")


def metric(baseline=10.0, target=50.0, current=None, unit="%", direction="increase"):
    return Metric(name="Share of orders on time", unit=unit, baseline=baseline, target=target, current=current,
                  direction=direction)


def good_goal(**changes):
    g = replace(goal("good", start="2026-01-05", due="2026-12-31", metric=metric(current=20.0), owner="ann"),
                title="Raise on-time delivery in the north region", why="Merchants leave us over late parcels.")
    return replace(g, **changes)


def computed(*goals, activities=None, updates=(), smart=None):
    rm = roadmap(goals=goals, activities=activities if activities is not None
                 else [activity(f"work-{g.id}", goal=g.id) for g in goals],
                 people=[person("ann")], updates=updates)
    if smart is not None:
        rm = replace(rm, config=replace(rm.config, smart=smart))
    diagnostics = Diagnostics()
    return compute_loaded(rm, diagnostics, TODAY, with_history=False), diagnostics


def codes(diagnostics: Diagnostics) -> set[str]:
    return {x.code for x in diagnostics if x.code.startswith("smart-")}


def test_a_good_goal_meets_every_letter_and_raises_no_warning():
    c, diagnostics = computed(good_goal(), updates=[update("u1", "2026-03-02", item("good", "goal", metric=30.0))])
    card = c.smart["good"]
    assert [(x.letter, x.met) for x in card.letters] == [("S", True), ("M", True), ("A", True), ("R", True),
                                                        ("T", True)]
    assert card.met == 5
    assert codes(diagnostics) == set()


def test_improve_things_a_lot_with_nothing_else_is_flagged_on_every_letter_it_misses():
    weak = replace(goal("vague", metric=None, owner=None), title="Improve things a lot", why=None)
    c, diagnostics = computed(weak, activities=[])
    assert codes(diagnostics) == {"smart-no-owner", "smart-vague-title", "smart-no-metric", "smart-no-why",
                                  "smart-unserved"}
    card = {x.letter: x for x in c.smart["vague"].letters}
    assert card["S"].met is False and card["M"].met is False and card["R"].met is False
    assert card["A"].met is None  # no metric: not judged, not "unachievable"
    assert "no metric" in card["A"].reason
    assert card["T"].met is True
    for x in diagnostics:
        assert x.path == "content/goals/vague.md" and x.hint  # every finding says how to fix it


@pytest.mark.parametrize("title, vague", [
    ("Improve things a lot", True), ("Do better", True), ("Growth", True), ("Make stuff great", True),
    ("Cut last-mile emissions per parcel by 40%", False), ("Raise on-time delivery in the north", False),
])
def test_a_title_must_name_an_outcome(title, vague):
    _, diagnostics = computed(good_goal(title=title))
    assert ("smart-vague-title" in codes(diagnostics)) is vague


def test_a_metric_needs_a_unit_and_a_current_value_from_the_file_or_an_update():
    _, diagnostics = computed(good_goal(metric=metric(unit=None, current=None)))
    assert codes(diagnostics) == {"smart-metric-no-unit", "smart-metric-no-current"}
    reported = [update("u1", "2026-03-02", item("good", "goal", metric=30.0))]
    _, diagnostics = computed(good_goal(metric=metric(current=None)), updates=reported)
    assert codes(diagnostics) == set()


def test_achievable_compares_the_rate_needed_with_the_rate_observed():
    # 10 → 12 from January to March: 1 a month; 38 left in 7 months needs about 5.4 a month: 5× the rate
    slow = [update("u1", "2026-03-05", item("good", "goal", metric=12.0))]
    c, diagnostics = computed(good_goal(metric=metric(current=None)), updates=slow)
    assert codes(diagnostics) == {"smart-not-achievable"}
    achievable = c.smart["good"].letters[2]
    assert achievable.met is False and "a month" in achievable.reason
    # the same goal with a factor of 10 is not flagged
    _, diagnostics = computed(good_goal(metric=metric(current=None)), updates=slow,
                              smart=SmartRules(achievable_factor=10))
    assert codes(diagnostics) == set()


def test_achievable_is_not_judged_without_two_values_over_time():
    c, _ = computed(good_goal(start=None, metric=metric(current=None)))
    assert c.smart["good"].letters[2].met is None


def test_no_progress_at_all_is_not_achievable_and_a_reached_target_is():
    stuck = [update("u1", "2026-05-04", item("good", "goal", metric=10.0))]
    c, _ = computed(good_goal(metric=metric(current=None)), updates=stuck)
    assert c.smart["good"].letters[2].met is False
    reached = [update("u1", "2026-05-04", item("good", "goal", metric=55.0))]
    c, _ = computed(good_goal(metric=metric(current=None)), updates=reached)
    assert c.smart["good"].letters[2].met is True


def test_a_decreasing_metric_is_judged_in_its_own_direction():
    down = metric(baseline=400, target=250, current=None, unit="g", direction="decrease")
    fast = [update("u1", "2026-05-04", item("good", "goal", metric=300.0))]
    c, _ = computed(good_goal(metric=down), updates=fast)
    assert c.smart["good"].letters[2].met is True


def test_time_bound_within_the_horizon_and_after_the_start():
    _, diagnostics = computed(good_goal(due=d("2031-01-05")))
    assert codes(diagnostics) == {"smart-beyond-horizon"}
    _, diagnostics = computed(good_goal(due=d("2031-01-05")), smart=SmartRules(horizon_months=120))
    assert codes(diagnostics) == set()


def test_a_goal_served_by_a_strategy_only_is_relevant():
    rm_goal = good_goal()
    rm = roadmap(goals=[rm_goal], strategies=[strategy("s", "good")], people=[person("ann")])
    c = compute_loaded(rm, Diagnostics(), TODAY, with_history=False)
    assert c.smart["good"].letters[3].met is True


def test_the_example_roadmap_flags_only_the_goal_its_own_content_calls_unreachable(tmp_path):
    """delivery-emissions is red in the example because its electric vans slipped: the lint agrees."""
    from pathlib import Path
    from roadmapgen.engine.pipeline import compute_roadmap
    diagnostics = Diagnostics()
    c = compute_roadmap(Path(__file__).resolve().parents[2], diagnostics, with_history=False)
    flagged = {(x.path, x.code) for x in diagnostics if x.code.startswith("smart-")}
    assert flagged == {("content/goals/delivery-emissions.md", "smart-not-achievable")}
    assert all(card.met >= 4 for card in c.smart.values())


def test_lint_off_keeps_the_cards_and_drops_the_warnings():
    weak = replace(goal("vague", metric=None, owner=None), title="Improve things a lot", why=None)
    c, diagnostics = computed(weak, smart=SmartRules(lint=False))
    assert codes(diagnostics) == set()
    assert c.smart["vague"].met < 5


def test_a_goal_due_before_its_start_is_not_time_bound():
    _, diagnostics = computed(good_goal(start=d("2026-06-01"), due=d("2026-05-01")))
    assert "smart-due-before-start" in codes(diagnostics)
