"""The roadmap replayed at past dates: sample dates, colours, burn-up and metric series.

Dates: 2026-03-02 is a Monday. Activity a runs 03-02..03-13 (10 working days), b 03-16..03-20 (5).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import (
    MAX_POINTS, History, HistoryPoint, PointCache, PointKeys, Replay, Today, history, history_point, metric_series,
    sample_dates,
)
from roadmapgen.engine.schedule import plan_roadmap, schedule_roadmap
from roadmapgen.engine.status import compute_status
from roadmapgen.engine.tracking import track
from roadmapgen.model import Cadence, Metric, StatusRules
from tests.builders import activity, d, goal, item, roadmap, strategy, update

METRIC = Metric(name="Active teams", unit=None, baseline=10, target=30, current=10, direction="increase")

UPDATES = [
    update("u1", "2026-03-06", item("a", progress=50, status="in-progress"),
           item("g", kind="goal", metric=12, index=1)),
    update("u2", "2026-03-13", item("a", status="done"), item("b", progress=20, index=1),
           item("g", kind="goal", metric=15, index=2)),
    update("u3", "2026-03-20", item("b", status="blocked")),
    update("u4", "2026-04-01", item("g", kind="goal", metric=99)),  # after today: ignored
]


def _roadmap(updates=UPDATES, goal_fields=None, activities=None):
    the_goal = dataclasses.replace(goal("g", start="2026-03-02", due="2026-12-31", metric=METRIC),
                                   **(goal_fields or {}))
    return roadmap(
        goals=[the_goal],
        strategies=[strategy("s", "g")],
        activities=activities or [activity("a", strategy="s", start="2026-03-02", duration=10),
                                  activity("b", strategy="s", start="2026-03-16", duration=5)],
        updates=updates, start="2026-03-02")


def _counts(green=0, amber=0, red=0, complete=0, cancelled=0) -> dict[str, int]:
    return {"green": green, "amber": amber, "red": red, "complete": complete, "cancelled": cancelled}


def test_points_replay_the_updates():
    past = history(_roadmap(), d("2026-03-20"))
    assert [p.date for p in past.points] == [d("2026-03-06"), d("2026-03-13"), d("2026-03-20")]
    first, second, third = past.points
    # 03-06: a 50% done with 40% expected, b not started
    assert first.activities == _counts(green=2)
    assert (first.done_days, first.total_days) == (5.0, 15.0)
    assert first.completion == 100 * 5 / 15
    # 03-13: a done, b 20% ahead of its start
    assert second.activities == _counts(green=1, complete=1)
    assert second.completion == 100 * 11 / 15
    # 03-20: b blocked, so s and g are red
    assert third.activities == _counts(red=1, complete=1)
    assert third.strategies == _counts(red=1)
    assert third.goals == _counts(red=1)
    assert first.goals == second.goals == _counts(green=1)


def test_each_point_is_what_a_build_on_that_day_would_show():
    rm = _roadmap()
    past = history(rm, d("2026-03-20"))
    for point in past.points:
        tracking = track(rm, point.date)
        report = compute_status(rm, tracking, schedule_roadmap(rm, tracking, point.date, Diagnostics()), point.date)
        assert point.activities == report.counts("activity")
        assert point.goals == report.counts("goal")


def test_today_is_always_the_last_point():
    past = history(_roadmap(), d("2026-03-25"))
    assert past.points[-1].date == d("2026-03-25")
    assert len(past.points) == 4
    assert history(_roadmap(updates=[]), d("2026-03-25")).points[0].date == d("2026-03-25")


def test_cancelled_activities_leave_the_burn_up():
    updates = [update("u1", "2026-03-06", item("a", progress=50), item("b", status="cancelled", index=1))]
    point = history(_roadmap(updates=updates), d("2026-03-06")).points[-1]
    assert (point.done_days, point.total_days, point.completion) == (5.0, 10.0, 50.0)
    assert point.activities == _counts(green=1, cancelled=1)


def test_no_work_or_nothing_reported_gives_no_completion():
    assert history(_roadmap(updates=[], activities=[]), d("2026-03-06")).points[-1].completion is None
    unreported = _roadmap(updates=[], activities=[activity("a", strategy="s", start="2026-03-02", duration=5,
                                                           status="in-progress")])
    assert history(unreported, d("2026-03-06")).points[-1].completion is None  # unknown, not 0%


def test_a_milestone_weighs_one_working_day_in_completion():
    rm = _roadmap(updates=[], activities=[activity("m", strategy="s", start="2026-03-20", duration=0),
                                          activity("n", strategy="s", start="2026-03-02", duration=0, status="done")])
    point = history(rm, d("2026-03-06")).points[-1]
    assert (point.done_days, point.total_days, point.completion) == (1.0, 2.0, 50.0)


def test_metric_series_follows_the_updates_from_the_undated_file_value():
    past = history(_roadmap(), d("2026-03-20"))
    assert past.metrics == {"g": ((d("2026-03-02"), 10), (d("2026-03-06"), 12), (d("2026-03-13"), 15))}
    assert past.metric_path == {"g": ((d("2026-03-02"), 10), (d("2026-12-31"), 30))}


def test_a_dated_file_value_starts_at_its_date_after_older_updates():
    metric = dataclasses.replace(METRIC, current=14)
    rm = _roadmap(goal_fields={"metric": metric, "updated": d("2026-03-10")})
    assert metric_series(rm, d("2026-03-20")) == {"g": ((d("2026-03-06"), 12), (d("2026-03-10"), 14),
                                                        (d("2026-03-13"), 15))}
    assert track(rm, d("2026-03-12")).goals["g"].metric == 14  # the same rule as tracking


def test_the_last_value_of_a_day_wins():
    updates = [update("u1", "2026-03-06", item("g", kind="goal", metric=11)),
               update("u2", "2026-03-06", item("g", kind="goal", metric=13))]
    assert metric_series(_roadmap(updates=updates), d("2026-03-20"))["g"][-1] == (d("2026-03-06"), 13)


def test_goals_without_a_metric_have_no_series_or_path():
    rm = roadmap(goals=[goal("g")])
    past = history(rm, d("2026-03-20"))
    assert (past.metrics, past.metric_path) == ({}, {})


def test_sample_dates_are_distinct_update_dates_up_to_today_and_today():
    rm = _roadmap(updates=UPDATES + [update("u1b", "2026-03-06", item("a", progress=60))])
    assert sample_dates(rm, d("2026-03-14")) == (d("2026-03-06"), d("2026-03-13"), d("2026-03-14"))
    assert sample_dates(rm, d("2026-03-13")) == (d("2026-03-06"), d("2026-03-13"))


def test_sample_dates_are_thinned_evenly_keeping_first_and_last():
    start = date(2026, 1, 1)
    updates = [update(f"u{i}", (start + timedelta(days=i)).isoformat(), item("a", progress=i % 100))
               for i in range(100)]
    rm = _roadmap(updates=updates)
    today = start + timedelta(days=120)
    dates = sample_dates(rm, today)
    assert len(dates) == 60
    assert dates[0] == start and dates[-1] == today
    gaps = {(b - a).days for a, b in zip(dates[:-1], dates[1:-1])}
    assert gaps <= {1, 2}  # 100 update days → every day or every other day
    # 101 dates (100 update days and today): positions 0, 25, 50, 75 and 100
    assert sample_dates(rm, today, max_points=5) == (
        start, start + timedelta(days=25), start + timedelta(days=50), start + timedelta(days=75), today)
    assert len(history(rm, today, max_points=10).points) == 10


def test_diagnostics_of_past_schedules_go_to_the_sink_once():
    acts = [activity("a", strategy="s", duration=5, depends_on=("b",)),
            activity("b", strategy="s", duration=5, depends_on=("a",))]
    rm = _roadmap(activities=acts)
    once = Diagnostics()
    schedule_roadmap(rm, track(rm, d("2026-03-20")), d("2026-03-20"), once)
    assert len(once) > 0
    sink = Diagnostics()
    history(rm, d("2026-03-20"), diagnostics_sink=sink)
    assert sorted(sink.items, key=lambda x: x.sort_key()) == once.sorted()
    assert len(history(rm, d("2026-03-20")).points) == 3  # and without a sink, nothing is kept


def test_history_is_deterministic_and_frozen():
    first, second = history(_roadmap(), d("2026-03-20")), history(_roadmap(), d("2026-03-20"))
    assert first == second
    assert isinstance(first, History) and isinstance(first.points[0], HistoryPoint)
    assert first.today == d("2026-03-20")


# -- the incremental replay and the point cache ----------------------------------------------------


def _random_roadmap(seed: int):
    """Activities with progress in their files (some dated after the first updates) and updates
    that move them, mark them done or block them, several on one day."""
    rng = random.Random(seed)
    acts = []
    for i in range(12):
        a = activity(f"a{i}", strategy="s", start="2026-03-02", duration=rng.choice([0, 5, 10]),
                     progress=rng.choice([None, 10, 40]), status=rng.choice(["not-started", "in-progress"]))
        if rng.random() < 0.4:
            a = dataclasses.replace(a, updated=d("2026-03-02") + timedelta(days=rng.randint(0, 30)))
        acts.append(a)
    updates = []
    for n in range(20):
        on = (d("2026-03-02") + timedelta(days=rng.randint(0, 30))).isoformat()
        moves = [item(f"a{rng.randrange(12)}", progress=rng.choice([None, 20, 60, 90]),
                      status=rng.choice([None, "in-progress", "done", "blocked"]), index=k) for k in range(3)]
        updates.append(update(f"u{n:02}", on, *moves, item("g", kind="goal", metric=rng.randint(10, 30), index=3)))
    return _roadmap(updates=updates, activities=acts)


@pytest.mark.parametrize("seed", range(6))
def test_the_incremental_replay_equals_tracking_from_scratch(seed):
    rm = _random_roadmap(seed)
    replay = Replay(rm)
    for when in sample_dates(rm, d("2026-04-10")):
        assert replay.tracking(when) == track(rm, when), when


def test_the_replay_does_not_go_back():
    replay = Replay(_roadmap())
    replay.tracking(d("2026-03-13"))
    with pytest.raises(ValueError):
        replay.tracking(d("2026-03-06"))


@pytest.mark.parametrize("seed", range(3))
def test_today_from_the_pipeline_gives_the_same_history(seed):
    rm = _random_roadmap(seed)
    today = d("2026-04-10")
    tracking = track(rm, today)
    schedule = schedule_roadmap(rm, tracking, today, Diagnostics())
    current = Today(tracking, schedule, compute_status(rm, tracking, schedule, today))
    assert history(rm, today, current=current) == history(rm, today)


def test_a_rebuild_with_unchanged_inputs_computes_no_point_again():
    cache = PointCache()
    first = history(_roadmap(), d("2026-03-20"), cache=cache)
    assert (cache.hits, cache.misses) == (0, 3)
    again = history(_roadmap(), d("2026-03-20"), cache=cache)
    assert again == first and (cache.hits, cache.misses) == (3, 3)


def test_a_rebuild_after_an_update_is_edited_computes_only_the_points_from_its_date():
    cache = PointCache()
    history(_roadmap(), d("2026-03-20"), cache=cache)
    moved = UPDATES[:1] + [dataclasses.replace(UPDATES[1], items=(item("a", progress=70),))] + UPDATES[2:]
    again = history(_roadmap(updates=moved), d("2026-03-20"), cache=cache)
    assert (cache.hits, cache.misses) == (1, 3 + 2)  # 03-06 kept; 03-13 and 03-20 computed again
    assert again == history(_roadmap(updates=moved), d("2026-03-20"))


def test_an_update_changes_the_keys_of_its_date_and_later_only():
    before = PointKeys(_roadmap())
    moved = UPDATES[:1] + [dataclasses.replace(UPDATES[1], items=(item("a", progress=70),))] + UPDATES[2:]
    after = PointKeys(_roadmap(updates=moved))
    dates = [d("2026-03-06"), d("2026-03-13"), d("2026-03-20")]
    assert [before.at(when) == after.at(when) for when in dates] == [True, False, False]


def test_a_changed_item_changes_every_key_but_its_prose_does_not():
    keys = PointKeys(_roadmap()).at(d("2026-03-06"))
    longer = _roadmap(activities=[activity("a", strategy="s", start="2026-03-02", duration=11),
                                  activity("b", strategy="s", start="2026-03-16", duration=5)])
    assert PointKeys(longer).at(d("2026-03-06")) != keys
    rm = _roadmap()
    reworded = dataclasses.replace(rm, activities={k: dataclasses.replace(a, body="Other words.")
                                                   for k, a in rm.activities.items()})
    assert PointKeys(reworded).at(d("2026-03-06")) == keys


def test_writing_the_default_status_changes_the_keys():
    """`status: not-started` written in the file puts an activity at 0% (tracking): its points change."""
    unwritten = _roadmap(updates=[], activities=[activity("a", strategy="s", start="2026-03-02", duration=10)])
    written = _roadmap(updates=[], activities=[activity("a", strategy="s", start="2026-03-02", duration=10,
                                                        status="not-started")])
    when = d("2026-03-06")
    assert history(unwritten, when).points[-1].completion is None
    assert history(written, when).points[-1].completion == 0.0
    assert PointKeys(unwritten).at(when) != PointKeys(written).at(when)


def test_the_cache_keeps_the_most_recently_used():
    cache = PointCache(size=2)
    points = history(_roadmap(), d("2026-03-20")).points
    for key, point in zip("abc", points):
        cache.put(key, point)
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") == points[2]


# -- each point equals a build on its day --------------------------------------------------------


def _varied_roadmap(seed: int, rollup: str, start: str | None = "2026-03-02"):
    """Everything a colour depends on, at random: milestones, target dates, own dues before the
    strategy's, dependency chains, manual colours, blocked, paused, cancelled and done work, goal
    metrics that rise or fall, strategies and goals set done, paused or cancelled by updates."""
    rng = random.Random(seed)
    first = d("2026-03-02")
    goals = [goal(f"g{i}", start=start if rng.random() < 0.7 else None,
                  due=(first + timedelta(days=rng.randint(20, 120))).isoformat(),
                  metric=rng.choice([None, METRIC, dataclasses.replace(METRIC, baseline=50, target=20,
                                                                       current=45, direction="decrease")]),
                  rag=rng.choice([None] * 5 + ["amber"])) for i in range(3)]
    strategies = [strategy(f"s{i}", f"g{i % 3}", due=(first + timedelta(days=rng.randint(10, 90))).isoformat(),
                           rag=rng.choice([None] * 6 + ["red"])) for i in range(5)]
    acts = []
    for i in range(30):
        shape = rng.choice(["span", "span", "span", "milestone", "target", "due"])
        deps = tuple(sorted({f"a{rng.randrange(i)}" for _ in range(rng.randint(0, 2))})) if i else ()
        pinned = (first + timedelta(days=rng.randint(0, 40))).isoformat() if not deps or rng.random() < 0.2 else None
        due = (first + timedelta(days=rng.randint(5, 80))).isoformat()
        home = {"strategy": f"s{rng.randrange(5)}"} if rng.random() < 0.8 else {"goal": f"g{rng.randrange(3)}"}
        if shape == "target":
            a = activity(f"a{i}", **home, due=due, target_only=True)
        else:
            a = activity(f"a{i}", **home, start=pinned if start or pinned else None, depends_on=deps,
                         duration={"span": rng.choice([3, 5, 10, 20]), "milestone": 0, "due": rng.choice([5, 10])}[shape],
                         due=due if shape == "due" else None,
                         progress=rng.choice([None, None, 0, 30, 70]),
                         status=rng.choice([None, "in-progress", "not-started"]),
                         rag=rng.choice([None] * 8 + ["green", "red"]))
        if rng.random() < 0.2:
            a = dataclasses.replace(a, updated=first + timedelta(days=rng.randint(0, 40)))
        acts.append(a)
    updates = []
    for n in range(25):
        on = (first + timedelta(days=rng.randint(0, 60))).isoformat()
        moves = [item(f"a{rng.randrange(30)}", progress=rng.choice([None, 10, 50, 90, 100]),
                      status=rng.choice([None, None, "in-progress", "done", "blocked", "paused", "cancelled",
                                         "not-started"]),
                      rag=rng.choice([None] * 8 + ["amber"]), rag_reason=None, index=k) for k in range(3)]
        moves.append(item(f"g{rng.randrange(3)}", kind="goal", metric=rng.randint(5, 55), index=3,
                          status=rng.choice([None] * 10 + ["paused", "done"])))
        moves.append(item(f"s{rng.randrange(5)}", kind="strategy", index=4,
                          status=rng.choice([None] * 8 + ["paused", "done", "cancelled"])))
        updates.append(update(f"u{n:02}", on, *moves))
    # a goal whose work all gets done while its metric has no value yet: amber, not complete
    goals.append(goal("gm", start=start, metric=dataclasses.replace(METRIC, current=None)))
    strategies.append(strategy("sm", "gm"))
    acts += [activity(f"m{i}", strategy="sm", start="2026-03-02", duration=5) for i in range(2)]
    updates.append(update("um", "2026-03-20", item("m0", status="done"), item("m1", status="done", index=1)))
    # a goal judged by its metric alone (its one activity is a far target date): on, behind, ahead
    goals.append(goal("gq", start="2026-03-02", due="2026-12-31", metric=METRIC))
    strategies.append(strategy("sq", "gq"))
    acts.append(activity("q0", strategy="sq", due="2026-11-30", target_only=True))
    updates += [update(f"uq{n}", on, item("gq", kind="goal", metric=value))
                for n, (on, value) in enumerate([("2026-03-10", 10.5), ("2026-04-10", 10), ("2026-04-24", 3),
                                                 ("2026-05-11", 20)])]
    rules = StatusRules(rollup=rollup, red_late_days=rng.choice([1, 2, 10]), amber_behind=rng.choice([5, 10]))
    rm = roadmap(goals=goals, strategies=strategies, activities=acts, updates=updates, start=start,
                 holidays=("2026-04-03", "2026-04-06"), rules=rules)
    if seed % 2:  # a weekly stand-up: activities in progress and silent turn amber (engine/rhythm.py)
        checkins = dataclasses.replace(rm.config.checkins, standup=Cadence("week", 0))
        rm = dataclasses.replace(rm, config=dataclasses.replace(rm.config, checkins=checkins))
    return rm


def _from_scratch(rm, when):
    tracking = track(rm, when)
    schedule = schedule_roadmap(rm, tracking, when, Diagnostics())
    return history_point(compute_status(rm, tracking, schedule, when), schedule)


@pytest.mark.parametrize("rollup", ["worst", "weighted"])
@pytest.mark.parametrize("seed", range(8))
def test_every_point_equals_a_build_from_scratch_on_its_day(seed, rollup):
    rm = _varied_roadmap(seed, rollup)
    today = d("2026-05-20")
    past = history(rm, today, max_points=MAX_POINTS)
    assert len(past.points) > 10
    for point in past.points:  # colours of every kind, counts, work done and completion
        assert point == _from_scratch(rm, point.date), point.date


def test_the_points_vary_so_the_comparison_means_something():
    points = [p for seed in range(8) for p in history(_varied_roadmap(seed, "weighted"), d("2026-05-20")).points]
    seen = {colour for p in points for counts in (p.activities, p.strategies, p.goals)
            for colour, n in counts.items() if n}
    assert seen == {"green", "amber", "red", "complete", "cancelled"}
    assert len({p.completion for p in points}) > 20


@pytest.mark.parametrize("seed", range(3))
def test_a_roadmap_with_no_start_written_is_planned_again_at_each_date(seed):
    rm = _varied_roadmap(seed, "worst", start=None)
    rm = dataclasses.replace(rm, **{kind: {k: dataclasses.replace(x, start=None) for k, x in getattr(rm, kind).items()}
                                    for kind in ("goals", "strategies", "activities")})
    today = d("2026-05-20")
    tracking = track(rm, today)
    plan = plan_roadmap(rm, today, Diagnostics())
    assert plan.as_of == today and not plan.holds_on(d("2026-03-20"))
    schedule = schedule_roadmap(rm, tracking, today, Diagnostics(), plan=plan)
    current = Today(tracking, schedule, compute_status(rm, tracking, schedule, today), plan)
    for point in history(rm, today, current=current).points:
        assert point == _from_scratch(rm, point.date), point.date


@pytest.mark.parametrize("seed", range(4))
def test_a_schedule_from_a_plan_equals_one_planned_again(seed):
    rm = _varied_roadmap(seed, "worst")
    plan = plan_roadmap(rm, d("2026-03-02"), Diagnostics())
    for when in (d("2026-03-02"), d("2026-04-15"), d("2026-06-30")):
        tracking = track(rm, when)
        assert schedule_roadmap(rm, tracking, when, Diagnostics(), plan=plan) == \
            schedule_roadmap(rm, tracking, when, Diagnostics())


# -- points judged again after a save --------------------------------------------------------------


def _exactly(point: HistoryPoint) -> tuple:
    """Everything a point holds, the keys in their order and the floats to the last bit."""
    return (point.date, list(point.activities.items()), list(point.strategies.items()), list(point.goals.items()),
            repr(point.done_days), repr(point.total_days), repr(point.completion), list(point.colours.items()))


def _edit(rm, rng):
    """One save of a live preview, at random: mostly a figure in one file (its progress, status,
    colour, metric, dates, dependencies, strategy or goal, a file date), an update's entry, or prose."""
    acts, first = rm.activities, d("2026-03-02")
    aid = rng.choice(list(acts))
    a = acts[aid]
    change = rng.randrange(13)
    if change <= 2:  # the progress in the file, undated: it counts from before the first update
        a = dataclasses.replace(a, progress=rng.choice([None, 0, 15, 45, 80, 100]))
    elif change == 3:
        a = dataclasses.replace(a, status=rng.choice(["not-started", "in-progress", "done", "blocked", "paused",
                                                       "cancelled"]))
    elif change == 4:
        a = dataclasses.replace(a, rag=rng.choice([None, None, "green", "red"]), title="Renamed")
    elif change == 5 and a.duration is not None:  # its plan moves, and those after it
        a = dataclasses.replace(a, duration=rng.choice([0, 1, 4, 15]))
    elif change == 6:
        a = dataclasses.replace(a, due=first + timedelta(days=rng.randint(5, 90)) if rng.random() < 0.7 else None,
                                updated=first + timedelta(days=rng.randint(0, 50)) if rng.random() < 0.5 else None)
    elif change == 7:  # a dependency more or less: the plan's shape changes (judged afresh)
        others = [x for x in acts if x < aid]
        a = dataclasses.replace(a, depends_on=tuple(sorted(set(rng.sample(others, min(len(others), 1))))))
    elif change == 8:  # an update's entry moves another figure, from its date on
        uid = rng.choice(sorted(rm.updates))
        u = rm.updates[uid]
        entries = list(u.items)
        k = rng.randrange(len(entries))
        entries[k] = dataclasses.replace(entries[k], progress=rng.choice([None, 5, 55, 100]),
                                         status=rng.choice([None, "done", "in-progress", "cancelled"]))
        return dataclasses.replace(rm, updates={**rm.updates, uid: dataclasses.replace(u, items=tuple(entries))})
    elif change == 9:
        gid = rng.choice(list(rm.goals))
        g = rm.goals[gid]
        g = dataclasses.replace(g, status=rng.choice(["active", "paused", "done"]), rag=rng.choice([None, "amber"]),
                                metric=dataclasses.replace(g.metric, current=rng.randint(5, 55)) if g.metric else None)
        return dataclasses.replace(rm, goals={**rm.goals, gid: g})
    elif change == 10:
        sid = rng.choice(list(rm.strategies))
        s = dataclasses.replace(rm.strategies[sid], due=first + timedelta(days=rng.randint(10, 90)),
                                status=rng.choice(["active", "active", "cancelled", "done"]))
        return dataclasses.replace(rm, strategies={**rm.strategies, sid: s})
    elif change == 11:  # to another strategy, or straight under a goal: the roll-ups' members change
        home = rng.choice([{"strategy": rng.choice(list(rm.strategies)), "goal": None},
                           {"strategy": None, "goal": rng.choice(list(rm.goals))}])
        a = dataclasses.replace(a, **home)
    else:
        a = dataclasses.replace(a, body=f"Saved at {rng.random()}.")  # prose: no point changes
    return dataclasses.replace(rm, activities={**acts, aid: a})


@pytest.mark.parametrize("rollup", ["worst", "weighted"])
@pytest.mark.parametrize("seed", range(6))
def test_points_judged_again_after_random_saves_equal_points_judged_afresh(seed, rollup):
    """A live preview keeps a `PointCache` across saves: every point it gives, judged again from
    the last work at its date or taken from the cache, is exactly the one history computes afresh."""
    rng = random.Random(seed)
    rm, today, cache = _varied_roadmap(seed, rollup), d("2026-05-20"), PointCache()
    history(rm, today, cache=cache)
    for step in range(40):
        rm = _edit(rm, rng)
        kept = history(rm, today, cache=cache)
        afresh = history(rm, today)
        assert [_exactly(p) for p in kept.points] == [_exactly(p) for p in afresh.points], f"step {step}"
    assert cache.judged_again > 300  # most points were judged again, not afresh


def test_a_saved_progress_judges_the_points_again_from_the_last_ones():
    rm, today, cache = _varied_roadmap(1, "weighted"), d("2026-05-20"), PointCache()
    history(rm, today, cache=cache)
    a0 = rm.activities["a0"]
    saved = dataclasses.replace(rm, activities={**rm.activities, "a0": dataclasses.replace(a0, progress=55)})
    points = history(saved, today, cache=cache).points
    assert cache.judged_again == len(points) and points == history(saved, today).points
    assert points != history(rm, today).points
