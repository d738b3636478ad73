"""A live preview's `Memory`: after a save, today's tracking and plan are made from the last ones
(only the changed items tracked and planned again), and everything the engine gives is exactly
what a computation afresh gives, diagnostics included."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import changed_items
from roadmapgen.engine.pipeline import Memory, compute_loaded
from roadmapgen.engine.schedule import plan_roadmap, replan
from roadmapgen.engine.status import PointJudge
from roadmapgen.engine.tracking import track, track_again
from roadmapgen.model import Source
from tests.builders import d
from tests.unit.test_history import _edit, _exactly, _varied_roadmap

TODAY = d("2026-05-20")


def _plan_edit(rm, rng):
    """A save that the plan's diagnostics see: a start pinned on any day (a weekend, a holiday,
    before a dependency ends), a dependency on itself, a file moved to another folder, a goal's
    dates; or one of history's saves."""
    acts, first = rm.activities, d("2026-03-02")
    aid = rng.choice(list(acts))
    a = acts[aid]
    change = rng.randrange(8)
    if change <= 1:
        a = dataclasses.replace(a, start=first + timedelta(days=rng.randint(0, 60)))
    elif change == 2 and rng.random() < 0.3:
        a = dataclasses.replace(a, depends_on=(*a.depends_on, aid))
    elif change == 3:  # the same fields, another file: what names it must name the new one
        a = dataclasses.replace(a, source=Source(f"content/activities/moved/{aid}-{rng.randrange(99)}.md",
                                                 a.source.positions, a.source.line))
    elif change == 4:
        gid = rng.choice(list(rm.goals))
        goal = dataclasses.replace(rm.goals[gid], due=first + timedelta(days=rng.randint(30, 200)))
        return dataclasses.replace(rm, goals={**rm.goals, gid: goal})
    else:
        return _edit(rm, rng)
    return dataclasses.replace(rm, activities={**acts, aid: a})


def _everything(computed, diagnostics) -> tuple:
    """What the engine gives about today and the past, the diagnostics in the order they are shown."""
    tracking = computed.tracking
    return (tracking, [list(getattr(tracking, kind)) for kind in ("goals", "strategies", "activities")],
            computed.schedule, computed.status, computed.order, computed.smart,
            [_exactly(point) for point in computed.history.points], diagnostics.sorted())


def _computed(rm, memory=None):
    diagnostics = Diagnostics()
    computed = compute_loaded(rm, diagnostics, TODAY, memory=memory)
    return _everything(computed, diagnostics)


def _goals_without_start(rm):
    """Each goal's metric path then begins where its work is planned to begin, which a save moves."""
    return dataclasses.replace(rm, goals={gid: dataclasses.replace(g, start=None) for gid, g in rm.goals.items()})


@pytest.mark.parametrize("rollup", ["worst", "weighted"])
@pytest.mark.parametrize("seed", range(6))
def test_what_a_memory_gives_after_random_saves_equals_a_computation_afresh(seed, rollup):
    rng = random.Random(seed)
    rm, memory = _varied_roadmap(seed, rollup), Memory()
    if seed % 2:
        rm = _goals_without_start(rm)
    assert _computed(rm, memory) == _computed(rm)
    for step in range(40):
        rm = _plan_edit(rm, rng)
        assert _computed(rm, memory) == _computed(rm), f"step {step}"


def test_the_random_saves_give_plan_diagnostics_to_compare():
    rng, rm, codes = random.Random(0), _varied_roadmap(0, "worst"), set()
    for _ in range(40):
        rm = _plan_edit(rm, rng)
        codes |= {diagnostic.code for diagnostic in _computed(rm)[-1]}
    assert {"start-not-working-day", "start-before-dependency", "dependency-cycle"} <= codes


def test_a_saved_progress_tracks_and_plans_only_that_activity_again():
    rm = _varied_roadmap(1, "weighted")
    last_tracking, last_plan = track(rm, TODAY), plan_roadmap(rm, TODAY, Diagnostics())
    aid = next(aid for aid, state in last_tracking.activities.items() if state.sources["progress"] == "file")
    edited = dataclasses.replace(rm.activities[aid], progress=55)  # no update names its progress
    saved = dataclasses.replace(rm, activities={**rm.activities, aid: edited})
    tracking = track_again(last_tracking, saved, {("activity", aid)})
    assert tracking == track(saved, TODAY) and tracking.activities[aid].progress == 55
    assert all(tracking.activities[other] is state for other, state in last_tracking.activities.items() if other != aid)
    plan = replan(last_plan, saved, TODAY, Diagnostics())
    assert plan.order is last_plan.order and plan.start == last_plan.start  # not ordered or planned in full


def test_a_new_date_or_other_settings_start_afresh():
    rm, memory = _varied_roadmap(2, "worst"), Memory()
    first = memory.track_and_plan(rm, TODAY, Diagnostics())
    again = memory.track_and_plan(rm, TODAY, Diagnostics())
    assert again[1].order is first[1].order
    later = memory.track_and_plan(rm, TODAY + timedelta(days=1), Diagnostics())
    assert later[0].as_of == TODAY + timedelta(days=1) and later[1].order is not first[1].order
    other = dataclasses.replace(rm, config=dataclasses.replace(rm.config, title="Another title"))
    assert memory.track_and_plan(other, TODAY + timedelta(days=1), Diagnostics())[1].order is not later[1].order


_JUDGE_FIELDS = ("ids", "in_order", "milestones", "statics", "weights", "depends", "strategy_members", "goal_members",
                 "goal_kids", "strategies_of_goal", "strategy_due", "goal_due", "metric_starts", "strategy_ids",
                 "goal_ids", "goals", "activities", "keys")


@pytest.mark.parametrize("seed", range(4))
def test_a_rebased_judge_equals_one_made_afresh(seed):
    """History's judge, made from the last rebuild's for the changed activities alone, holds what
    one made afresh on the new plan holds."""
    rng = random.Random(seed)
    rm = _varied_roadmap(seed, "weighted")
    rm = _goals_without_start(rm) if seed % 2 else rm
    plan = plan_roadmap(rm, TODAY, Diagnostics())
    judge, rebased = PointJudge(rm, plan), 0
    for step in range(60):
        saved = _plan_edit(rm, rng)
        plan = replan(plan, saved, TODAY)
        items = changed_items(rm, saved)
        again = judge.rebased(saved, plan, items) if items is not None else None
        afresh = PointJudge(saved, plan)
        if again is not None:
            rebased += 1
            assert [getattr(again, name) for name in _JUDGE_FIELDS] == \
                [getattr(afresh, name) for name in _JUDGE_FIELDS], f"step {step}"
        rm, judge = saved, again or afresh
    assert rebased > 20
