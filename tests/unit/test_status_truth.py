"""Status that tells the truth: a colour comes from a fact, never from a default standing in
for a missing one (docs/status.md). Each rule on a hand-built roadmap, through the real
track → schedule → status stages, then a property over random roadmaps.

Dates: 2026-03-02 is a Monday; goal `g` starts then and is due at the end of the year.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.history import history
from roadmapgen.engine.schedule import schedule_roadmap
from roadmapgen.engine.status import compute_status
from roadmapgen.engine.tracking import track
from roadmapgen.model import StatusRules
from tests.builders import activity, d, goal, item, roadmap, strategy, update


def run(*activities, today: str, updates=(), rules: StatusRules | None = None):
    """(schedule, status report) of one goal `g` with strategy `s` holding `activities`."""
    acts = [a if a.strategy or a.goal else dataclasses.replace(a, strategy="s") for a in activities]
    rm = roadmap(goals=[goal("g", start="2026-03-02")], strategies=[strategy("s", "g")], activities=acts,
                 updates=updates, start="2026-03-02", rules=rules)
    when = d(today)
    tracking = track(rm, when)
    schedule = schedule_roadmap(rm, tracking, when, Diagnostics())
    return schedule, compute_status(rm, tracking, schedule, when)


# -- unknown is not zero -----------------------------------------------------------------------


def test_in_progress_without_a_figure_is_on_track_and_says_what_is_unknown():
    _, report = run(activity("a", start="2026-03-02", duration=10, status="in-progress"), today="2026-03-09",
                    updates=[update("u1", "2026-03-04", item("a", note="started"))])
    a = report.activities["a"]
    assert (a.rag, a.progress, a.expected_progress) == ("green", None, 50.0)
    assert a.reasons == ("planned 2026-03-02 to 2026-03-13",
                         "no progress reported (last update 2026-03-04): judged on its dates, "
                         "forecast to keep to its plan")


def test_a_reported_figure_behind_its_path_is_still_red():
    _, report = run(activity("a", start="2026-03-02", duration=10, status="in-progress", progress=20),
                    today="2026-03-09")
    assert report.activities["a"].rag == "red"
    assert report.activities["a"].reasons == ("20% done, 50% expected by 2026-03-09 (30 points behind)",)


def test_reported_as_not_started_counts_as_zero_but_the_default_status_does_not():
    written, _ = activity("a", start="2026-03-02", duration=10, status="not-started"), None
    _, report = run(written, today="2026-03-09")
    assert (report.activities["a"].rag, report.activities["a"].progress) == ("red", 0.0)
    _, report = run(activity("a", start="2026-03-02", duration=10), today="2026-03-09")
    assert (report.activities["a"].rag, report.activities["a"].progress) == ("green", None)


def test_past_its_planned_end_with_nothing_reported_is_red_for_the_date_not_a_figure():
    _, report = run(activity("a", start="2026-03-02", duration=10), today="2026-03-16")
    a = report.activities["a"]
    assert a.rag == "red"
    assert a.reasons[0] == "planned to end 2026-03-13, no progress reported"


def test_an_update_saying_done_with_a_lower_figure_is_100_everywhere():
    sched, report = run(activity("a", start="2026-03-02", duration=10), today="2026-03-16",
                        updates=[update("u1", "2026-03-13", item("a", status="done", progress=80))])
    assert (report.activities["a"].rag, report.activities["a"].progress) == ("complete", 100.0)
    assert report.strategies["s"].progress == 100.0


# -- target dates ------------------------------------------------------------------------------


def target(**kw):
    return activity("t", due="2026-06-30", target_only=True, **kw)


def test_a_target_date_is_on_track_until_due_soon_then_amber_then_red():
    sched, report = run(target(), today="2026-05-04")
    assert sched.activities["t"].target_only
    t = report.activities["t"]
    assert (t.rag, t.reasons, t.expected_progress) == (
        "green", ("no start date: judged on its due date 2026-06-30",), None)
    assert run(target(), today="2026-06-15")[1].activities["t"].rag == "green"  # 15 days before
    amber = run(target(), today="2026-06-16")[1].activities["t"]  # due_soon_days = 14
    assert (amber.rag, amber.reasons) == ("amber", ("due 2026-06-30 (in 14 days), not done",))
    assert run(target(), today="2026-06-30")[1].activities["t"].rag == "amber"  # due today: not late yet
    red = run(target(), today="2026-07-01")[1].activities["t"]
    assert (red.rag, red.reasons) == ("red", ("due 2026-06-30, not done",))
    done = run(target(), today="2026-07-01", updates=[update("u", "2026-06-29", item("t", status="done"))])
    assert done[1].activities["t"].rag == "complete"


def test_progress_on_a_target_date_is_shown_but_not_judged_against_an_invented_span():
    _, report = run(target(status="in-progress", progress=5), today="2026-05-04")
    t = report.activities["t"]
    assert (t.rag, t.progress, t.expected_progress) == ("green", 5.0, None)


def test_a_target_date_is_forecast_on_its_due_not_a_whole_span_again_from_today():
    sched, _ = run(target(), today="2026-05-04")
    t = sched.activities["t"]
    assert (t.start, t.end, t.forecast_end, t.late_by) == (d("2026-06-30"), d("2026-06-30"), d("2026-06-30"), 0)


# -- deadlines ---------------------------------------------------------------------------------


def test_a_milestone_with_dependencies_and_a_due_turns_amber_then_red_as_its_forecast_passes_the_due():
    def judge(today: str):
        return run(activity("work", start="2026-03-02", duration=10, status="not-started"),
                   activity("m", duration=0, depends_on=("work",), due="2026-03-20"), today=today)
    sched, report = judge("2026-03-02")
    assert (sched.activities["m"].end, report.activities["m"].rag) == (d("2026-03-13"), "green")
    assert report.activities["m"].reasons == ("milestone due 2026-03-20, forecast 2026-03-13",)
    # not started by 16 March: work runs 16–27 March, so m is forecast for Friday 27, 5 days late
    sched, report = judge("2026-03-16")
    m = report.activities["m"]
    assert (sched.activities["m"].late_by, m.rag) == (5, "amber")
    assert "forecast to end 2026-03-27, 5 working days after its due date 2026-03-20" in m.reasons
    # not started by 30 March: work runs 30 March – 10 April: 15 days late, beyond red_late_days
    sched, report = judge("2026-03-30")
    assert (sched.activities["m"].late_by, report.activities["m"].rag) == (15, "red")


def test_an_activity_with_duration_and_due_is_late_when_its_forecast_passes_its_due():
    sched, report = run(activity("a", start="2026-03-02", duration=10, due="2026-03-13", status="in-progress",
                                 progress=50), today="2026-03-12")
    a = sched.activities["a"]
    assert (a.deadline_of, a.late_by) == ("own", 3)  # 5 days left from Thursday 12: ends Wednesday 18
    assert report.activities["a"].rag == "red"  # also 40 points behind its path
    assert "forecast to end 2026-03-18, 3 working days after its due date 2026-03-13" in report.activities["a"].reasons


# -- completion --------------------------------------------------------------------------------


def test_completion_counts_milestones():
    _, report = run(activity("m1", start="2026-03-02", duration=0), activity("m2", start="2026-03-03", duration=0),
                    activity("m3", start="2026-03-04", duration=0), today="2026-03-05",
                    updates=[update("u", "2026-03-04", item("m1", status="done"), item("m2", status="done"))])
    s = report.strategies["s"]
    assert round(s.progress, 1) == 66.7 and (s.activities, s.unreported) == (3, 0)


def test_completion_of_mixed_children_weighs_working_days_and_says_what_is_unreported():
    _, report = run(activity("a", start="2026-03-02", duration=10, status="in-progress", progress=50),
                    activity("b", start="2026-03-02", duration=5, status="in-progress"),
                    activity("m", start="2026-03-02", duration=0, status="done"), today="2026-03-05")
    s = report.strategies["s"]
    assert s.progress == 100 * (5 + 0 + 1) / (10 + 5 + 1)
    assert (s.activities, s.unreported) == (3, 1)
    assert report.goals["g"].progress == s.progress


def test_completion_is_unknown_when_nothing_under_it_was_reported():
    _, report = run(activity("a", start="2026-03-02", duration=10, status="in-progress"), today="2026-03-05")
    assert (report.strategies["s"].progress, report.strategies["s"].unreported) == (None, 1)
    assert report.completion is None


def test_history_follows_the_same_rules_at_every_past_date():
    rm = roadmap(goals=[goal("g", start="2026-03-02")], strategies=[strategy("s", "g")], start="2026-03-02",
                 activities=[activity("a", strategy="s", start="2026-03-02", duration=10, status="in-progress"),
                             activity("t", strategy="s", due="2026-03-20", target_only=True)],
                 updates=[update("u1", "2026-03-04", item("a", note="going")),
                          update("u2", "2026-03-18", item("t", status="done"))])
    past = history(rm, d("2026-03-25"))
    by_date = {p.date: p for p in past.points}
    # on 4 March nothing is red: no figure is taken for 0% behind its path
    assert by_date[d("2026-03-04")].activities["red"] == 0
    assert by_date[d("2026-03-04")].completion is None  # neither a nor t reported anything: unknown
    assert by_date[d("2026-03-18")].activities["complete"] == 1
    assert by_date[d("2026-03-18")].completion == 100 * 1 / 11  # t done: its one day of a's ten and its own
    assert by_date[d("2026-03-25")].activities["red"] == 1  # a: past its planned end, not done


# -- the property ------------------------------------------------------------------------------

START = date(2026, 3, 2)


@st.composite
def reported_roadmaps(draw):
    """Random activities, some with figures in their files and in updates, some target dates."""
    n = draw(st.integers(1, 10))
    acts, updates = [], []
    for i in range(n):
        kind = draw(st.sampled_from(["span", "target", "milestone", "deadline"]))
        deps = tuple(f"a{j}" for j in sorted(draw(st.sets(st.integers(0, i - 1), max_size=2)))) if i else ()
        status = draw(st.sampled_from([None, "in-progress", "not-started", "blocked", "done"]))
        progress = draw(st.one_of(st.none(), st.integers(0, 100)))
        due = str(START + timedelta(days=draw(st.integers(0, 90))))
        if kind == "target":
            a = activity(f"a{i}", due=due, target_only=True, status=status, progress=progress)
        elif kind == "milestone":
            a = activity(f"a{i}", duration=0, depends_on=deps, status=status)
        elif kind == "deadline":
            a = activity(f"a{i}", duration=draw(st.integers(1, 15)), depends_on=deps, due=due, status=status,
                         progress=progress)
        else:
            a = activity(f"a{i}", duration=draw(st.integers(1, 15)), depends_on=deps, status=status,
                         progress=progress)
        acts.append(a)
        if draw(st.booleans()):
            on = str(START + timedelta(days=draw(st.integers(0, 60))))
            updates.append(update(f"u{i}", on, item(f"a{i}", progress=draw(st.one_of(st.none(), st.integers(0, 100))),
                                                     status=draw(st.sampled_from([None, "in-progress"])))))
    rm = roadmap(goals=[goal("g", start="2026-03-02", due=str(START + timedelta(days=draw(st.integers(20, 120)))))],
                 strategies=[strategy("s", "g", due=str(START + timedelta(days=draw(st.integers(20, 120)))))],
                 activities=[dataclasses.replace(a, strategy="s") for a in acts], updates=updates, start="2026-03-02")
    return rm, START + timedelta(days=draw(st.integers(0, 100)))


def without_figures(rm):
    """The same roadmap with every progress figure removed, from the files and the updates."""
    acts = {k: dataclasses.replace(a, progress=None) for k, a in rm.activities.items()}
    ups = {k: dataclasses.replace(u, items=tuple(dataclasses.replace(i, progress=None) for i in u.items))
           for k, u in rm.updates.items()}
    return dataclasses.replace(rm, activities=acts, updates=ups)


@settings(max_examples=200, deadline=None)
@given(reported_roadmaps())
def test_removing_every_figure_never_turns_red_what_no_fact_holds_back(case):
    rm, today = case
    rm = without_figures(rm)
    tracking = track(rm, today)
    schedule = schedule_roadmap(rm, tracking, today, Diagnostics())
    report = compute_status(rm, tracking, schedule, today)
    rules = rm.config.status
    red = {aid for aid, s in report.activities.items() if s.rag == "red"}
    for aid in red:
        tracked, sched = tracking.activities[aid], schedule.activities[aid]
        held = (tracked.status in ("blocked", "paused")  # a status set by hand
                or (tracked.status == "not-started" and tracked.status_reported)  # reported: 0 is a figure
                or today > sched.committed  # a date passed
                or sched.late_by > rules.red_late_days)  # a forecast past a deadline (late dependencies)
        assert held, (aid, report.activities[aid].reasons)
    for sid, s in report.strategies.items():
        if s.rag == "red":
            span = schedule.strategies[sid]
            assert red or span.late_by > rules.red_late_days, s.reasons
