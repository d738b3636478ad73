"""schedule_roadmap: hand-computed plans, forecasts, slack and critical paths, then properties.

January 2026: Mon 5, Mon 12, Mon 19, Mon 26; February: Mon 2, Mon 9, Fri 13, Mon 16, Fri 27.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.schedule import Schedule, schedule_roadmap
from roadmapgen.engine.tracking import track
from roadmapgen.model import Source
from tests.builders import activity, d, goal, item, roadmap, strategy, update


def run(rm, today: str = "2026-01-01") -> tuple[Schedule, Diagnostics]:
    diagnostics = Diagnostics()
    on = d(today)
    return schedule_roadmap(rm, track(rm, on), on, diagnostics), diagnostics


def codes(diagnostics: Diagnostics) -> list[str]:
    return [x.code for x in diagnostics]


def at_lines(a, **lines: int):
    """The activity with `depends_on`, `start`… written on the given lines of its file."""
    positions = {(key,): (line, 1) for key, line in lines.items()}
    for index, _ in enumerate(a.depends_on):
        if "depends_on" in lines:
            positions[("depends_on", index)] = (lines["depends_on"] + 1 + index, 5)
    return dataclasses.replace(a, source=Source(a.source.path, positions))


NS = "not-started"  # written in the file: reported as not started, so at 0%


def G(*activities, due="2026-12-31", sdue="2026-12-31", **kw):
    """One goal `g` (starting Monday 5 January) with one strategy `s` holding the activities."""
    acts = [a if a.goal or a.strategy else dataclasses.replace(a, strategy="s") for a in activities]
    return roadmap(goals=[goal("g", due=due)], strategies=[strategy("s", "g", due=sdue)], activities=acts, **kw)


# -- plan ----------------------------------------------------------------------------------


def test_one_day_from_monday_ends_monday_and_five_days_end_friday():
    sched, diags = run(G(activity("one", duration=1), activity("five", duration=5)))
    assert (sched.activities["one"].start, sched.activities["one"].end) == (d("2026-01-05"), d("2026-01-05"))
    assert (sched.activities["five"].start, sched.activities["five"].end) == (d("2026-01-05"), d("2026-01-09"))
    assert sched.activities["five"].start_reason == "goal-start"
    assert not diags.items


def test_finish_to_start_skips_the_weekend_and_holidays():
    sched, _ = run(G(activity("a", duration=5), activity("b", duration=2, depends_on=("a",)),
                     holidays=("2026-01-07", "2026-01-13")))
    a, b = sched.activities["a"], sched.activities["b"]
    assert (a.start, a.end) == (d("2026-01-05"), d("2026-01-12"))  # Wednesday 7 is off
    assert (b.start, b.end) == (d("2026-01-14"), d("2026-01-15"))  # Tuesday 13 is off
    assert (b.driver, b.start_reason) == ("a", "dependency")


def test_the_latest_dependency_drives():
    sched, _ = run(G(activity("a", duration=2), activity("b", duration=7), activity("c", duration=1, depends_on=("a", "b"))))
    c = sched.activities["c"]
    assert (c.start, c.driver) == (d("2026-01-14"), "b")


def test_a_milestone_falls_on_the_day_its_last_dependency_ends():
    sched, _ = run(G(activity("a", duration=5), activity("m", duration=0, depends_on=("a",)),
                     activity("m2", duration=0, depends_on=("m",)), activity("b", duration=1, depends_on=("m2",))))
    m, m2, b = (sched.activities[x] for x in ("m", "m2", "b"))
    assert m.milestone and m.duration == 0 and m.start == m.end == d("2026-01-09")
    assert m2.start == m2.end == d("2026-01-09")
    assert (b.start, b.end) == (d("2026-01-12"), d("2026-01-12"))


def test_a_milestone_with_a_start_or_a_due():
    sched, diags = run(G(activity("pinned", duration=0, start="2026-01-10"),
                         activity("due", duration=0, due="2026-01-14"),
                         activity("sunday", duration=0, due="2026-01-18")))
    assert sched.activities["pinned"].start == d("2026-01-12")
    assert (sched.activities["due"].start, sched.activities["due"].start_reason) == (d("2026-01-14"), "due")
    assert sched.activities["sunday"].end == d("2026-01-16")  # the last working day on or before the due
    assert codes(diags) == ["start-not-working-day"]


def test_a_start_on_a_weekend_moves_to_monday_with_a_warning():
    a = at_lines(activity("a", start="2026-01-10", duration=2), start=4)
    sched, diags = run(G(a))
    assert (sched.activities["a"].start, sched.activities["a"].end) == (d("2026-01-12"), d("2026-01-13"))
    (warning,) = diags.items
    assert (warning.code, warning.severity.value, warning.path, warning.line) == (
        "start-not-working-day", "warning", "content/activities/a.md", 4)
    assert "2026-01-10 (Saturday)" in warning.message and "2026-01-12" in warning.message


def test_a_start_on_a_holiday_names_it():
    _, diags = run(G(activity("a", start="2026-01-07"), holidays=("2026-01-07",)))
    assert "Holiday" in diags.items[0].message


def test_a_start_before_a_dependency_ends_is_kept_and_warned():
    rm = G(activity("a", duration=5), at_lines(activity("b", start="2026-01-08", duration=2, depends_on=("a",)), start=6))
    sched, diags = run(rm)
    b = sched.activities["b"]
    assert (b.start, b.end, b.start_reason, b.driver) == (d("2026-01-08"), d("2026-01-09"), "pinned", None)
    (warning,) = diags.items
    assert (warning.code, warning.severity.value, warning.line) == ("start-before-dependency", "warning", 6)
    assert "'b'" in warning.message and "'a'" in warning.message and "2026-01-09" in warning.message
    assert "2026-01-12" in warning.hint  # a warning, always: --strict fails on it at the end, as on any warning


def test_a_pinned_milestone_may_fall_on_the_day_its_dependency_ends():
    _, diags = run(G(activity("a", duration=5), activity("m", duration=0, start="2026-01-09", depends_on=("a",))))
    assert not diags.items


def test_a_due_beside_a_duration_is_a_deadline_not_a_second_length():
    sched, diags = run(G(activity("fri", start="2026-01-05", duration=5, due="2026-01-09"),
                         activity("a", start="2026-01-05", duration=5, due="2026-01-08")))
    assert not diags.items
    a = sched.activities["a"]
    assert (a.start, a.end, a.duration) == (d("2026-01-05"), d("2026-01-09"), 5)
    assert (a.deadline, a.deadline_of, a.late_by) == (d("2026-01-08"), "own", 1)
    assert sched.activities["fri"].late_by == 0


def test_a_milestone_with_dependencies_and_a_due_falls_after_them_with_its_due_as_deadline():
    rm = G(activity("a", duration=5, status=NS), activity("m", duration=0, depends_on=("a",), due="2026-01-16"))
    sched, diags = run(rm)
    m = sched.activities["m"]
    assert not diags.items
    assert (m.start, m.end, m.milestone, m.start_reason) == (d("2026-01-09"), d("2026-01-09"), True, "dependency")
    assert (m.deadline, m.deadline_of, m.late_by) == (d("2026-01-16"), "own", 0)
    late, _ = run(rm, today="2026-01-14")  # a not started: it runs 14–20 Jan
    assert (late.activities["m"].forecast_end, late.activities["m"].late_by) == (d("2026-01-20"), 2)


def test_a_milestone_on_a_weekend_agrees_with_the_same_due():
    _, diags = run(G(activity("m", duration=0, start="2026-01-10", due="2026-01-10")))
    assert codes(diags) == ["start-not-working-day"]


def test_due_instead_of_duration():
    sched, diags = run(G(activity("a", start="2026-01-05", due="2026-01-14"),
                         activity("b", due="2026-01-09"),
                         activity("c", due="2026-01-18", depends_on=("b",))))
    a, b, c = (sched.activities[x] for x in "abc")
    assert (a.end, a.duration) == (d("2026-01-14"), 8)
    # only a due: a target date, not a span invented back to the goal's start
    assert (b.start, b.end, b.duration, b.start_reason, b.target_only) == (
        d("2026-01-09"), d("2026-01-09"), 0, "target", True)
    assert not b.milestone
    assert (c.start, c.end, c.duration) == (d("2026-01-12"), d("2026-01-16"), 5)
    assert not diags.items


def test_a_target_date_is_forecast_on_its_due_unless_it_has_passed():
    rm = G(activity("t", due="2026-02-06", target_only=True))
    sched, _ = run(rm, today="2026-01-20")
    t = sched.activities["t"]
    assert (t.forecast_start, t.forecast_end, t.late_by) == (d("2026-02-06"), d("2026-02-06"), 0)
    sched, _ = run(rm, today="2026-02-10")
    assert sched.activities["t"].forecast_end == d("2026-02-10")


def test_a_dependency_ending_after_the_due_makes_the_item_late_not_invalid():
    sched, diags = run(G(activity("a", duration=5), activity("b", due="2026-01-08", depends_on=("a",))))
    assert not diags.items
    b = sched.activities["b"]
    assert (b.start, b.duration, b.deadline_of) == (d("2026-01-12"), 1, "own")
    assert b.late_by == 2  # Monday 12 is two working days after Thursday 8


def test_due_and_duration_without_a_start_are_scheduled_back_from_the_due():
    sched, diags = run(G(activity("a", duration=5, due="2026-01-18")))
    a = sched.activities["a"]
    assert (a.start, a.end, a.start_reason) == (d("2026-01-12"), d("2026-01-16"), "due")
    assert not diags.items


def test_where_an_activity_without_start_or_dependencies_starts():
    late_goal = goal("h", start="2026-02-07", due="2026-12-31")
    no_start = goal("n", start=None)
    rm = roadmap(goals=[late_goal, no_start], start="2026-01-14",
                 activities=[activity("a", goal="h"), activity("b", goal="n")])
    sched, _ = run(rm)
    assert (sched.activities["a"].start, sched.activities["a"].start_reason) == (d("2026-02-09"), "goal-start")
    assert (sched.activities["b"].start, sched.activities["b"].start_reason) == (d("2026-01-14"), "roadmap-start")
    rm = roadmap(goals=[no_start], start=None,
                 activities=[activity("b", goal="n"), activity("c", goal="n", start="2026-03-03")])
    sched, _ = run(rm)
    assert (sched.activities["b"].start, sched.activities["b"].start_reason) == (d("2026-03-03"), "roadmap-start")
    rm = roadmap(goals=[no_start], start=None, activities=[activity("b", goal="n")])
    assert run(rm, today="2026-04-04")[0].activities["b"].start == d("2026-04-06")


# -- dependency problems -----------------------------------------------------------------------


def test_a_cycle_of_three_is_reported_once_with_every_file_and_line():
    rm = G(at_lines(activity("x", depends_on=("y",)), depends_on=7),
           at_lines(activity("y", depends_on=("z",)), depends_on=3),
           at_lines(activity("z", depends_on=("x", "w")), depends_on=9),
           activity("w", duration=2), activity("after", duration=1, depends_on=("z",)))
    sched, diags = run(rm)
    (error,) = diags.items
    assert (error.code, error.severity.value, error.path, error.line) == (
        "dependency-cycle", "error", "content/activities/x.md", 8)
    assert "x → y → z → x" in error.message
    for where in ("content/activities/x.md:8", "content/activities/y.md:4", "content/activities/z.md:10"):
        assert where in error.hint
    # still scheduled: the cycle's inner dependencies are ignored, the others kept
    assert sched.activities["x"].start == d("2026-01-05")
    assert sched.activities["z"].start == d("2026-01-07") and sched.activities["z"].driver == "w"
    assert sched.activities["after"].start == d("2026-01-14")


def test_two_cycles_are_two_reports():
    rm = G(activity("a", depends_on=("b",)), activity("b", depends_on=("a",)),
           activity("c", depends_on=("d",)), activity("d", depends_on=("c",)))
    _, diags = run(rm)
    assert sorted(x.message for x in diags) == ["dependency cycle: a → b → a", "dependency cycle: c → d → c"]


def test_a_self_dependency_is_a_cycle():
    sched, diags = run(G(activity("a", depends_on=("a",))))
    (error,) = diags.items
    assert error.code == "dependency-cycle" and "depends on itself" in error.message
    assert sched.activities["a"].start == d("2026-01-05")


def test_unknown_dependencies_are_left_to_the_validator():
    sched, diags = run(G(activity("a", depends_on=("ghost",))))
    assert not diags.items and sched.activities["a"].start_reason == "goal-start"


def test_a_ten_thousand_deep_chain():
    acts = [activity("a00000", duration=1)] + [activity(f"a{i:05d}", duration=1, depends_on=(f"a{i - 1:05d}",))
                                               for i in range(1, 10_000)]
    started = time.perf_counter()
    sched, diags = run(G(*acts, due="2070-12-31", sdue="2070-12-31"))
    assert time.perf_counter() - started < 5
    assert not diags.items
    # 9,999 working days after Monday 5 January 2026: 1,999 weeks and 4 days
    assert sched.activities["a09999"].end == d("2026-01-05") + timedelta(days=1999 * 7 + 4)
    assert sched.critical_path[0] == "a00000" and len(sched.critical_path) == 10_000


# -- forecast ------------------------------------------------------------------------------


def test_forecast_equals_plan_before_it_starts():
    sched, _ = run(G(activity("a", duration=5)), today="2026-01-01")
    a = sched.activities["a"]
    assert (a.forecast_start, a.forecast_end) == (a.start, a.end)


def test_not_started_in_the_past_starts_today():
    sched, _ = run(G(activity("a", duration=5, status="not-started")), today="2026-01-14")
    a = sched.activities["a"]
    assert (a.forecast_start, a.forecast_end) == (d("2026-01-14"), d("2026-01-20"))
    assert not a.forecast_assumed


def test_with_nothing_reported_the_forecast_keeps_to_the_plan():
    # no status and no progress written: nobody said it has not started
    sched, _ = run(G(activity("a", duration=5)), today="2026-01-07")
    a = sched.activities["a"]
    assert (a.forecast_start, a.forecast_end, a.forecast_assumed) == (a.start, a.end, True)
    # in progress without a figure: the same, and its dependencies no longer hold it
    sched, _ = run(G(activity("a", duration=5, status="in-progress")), today="2026-01-07")
    assert (sched.activities["a"].forecast_end, sched.activities["a"].forecast_assumed) == (d("2026-01-09"), True)
    # once its planned end has passed, an open item ends no earlier than today
    sched, _ = run(G(activity("a", duration=5)), today="2026-01-14")
    assert (sched.activities["a"].forecast_start, sched.activities["a"].forecast_end) == (d("2026-01-05"), d("2026-01-14"))


def test_with_nothing_reported_a_late_dependency_still_pushes():
    rm = G(activity("a", duration=5, status="not-started"), activity("b", duration=5, depends_on=("a",)))
    sched, _ = run(rm, today="2026-01-07")  # a reported not started: it runs 7–13 Jan
    b = sched.activities["b"]
    assert (b.forecast_start, b.forecast_end, b.forecast_assumed) == (d("2026-01-14"), d("2026-01-20"), True)


def test_in_progress_late_finishes_its_remaining_work_from_today():
    sched, _ = run(G(activity("a", duration=5, progress=40, status="in-progress")), today="2026-01-14")
    a = sched.activities["a"]  # 3 working days left: Wednesday 14 to Friday 16
    assert (a.forecast_start, a.forecast_end) == (d("2026-01-05"), d("2026-01-16"))
    sched, _ = run(G(activity("a", duration=5, progress=40, status="in-progress")), today="2026-01-10")
    assert sched.activities["a"].forecast_end == d("2026-01-14")  # Saturday: from Monday 12


def test_in_progress_on_track_keeps_its_end():
    sched, _ = run(G(activity("a", duration=5, progress=80, status="in-progress")), today="2026-01-07")
    assert sched.activities["a"].forecast_end == d("2026-01-09")
    sched, _ = run(G(activity("a", duration=5, progress=20, status="in-progress")), today="2026-01-07")
    assert sched.activities["a"].forecast_end == d("2026-01-12")  # 4 days left from Wednesday 7


def test_progress_from_an_update_and_open_work_left_at_100_percent():
    rm = G(activity("a", duration=10), updates=[update("u1", "2026-01-09", item("a", progress=50))])
    sched, _ = run(rm, today="2026-01-19")
    assert sched.activities["a"].forecast_end == d("2026-01-23")  # 5 of 10 left from Monday 19
    sched, _ = run(G(activity("a", duration=10, progress=100, status="in-progress")), today="2026-01-19")
    assert sched.activities["a"].forecast_end == d("2026-01-19")


def test_done_keeps_its_plan():
    sched, _ = run(G(activity("a", duration=5, status="done", progress=100)), today="2026-02-02")
    a = sched.activities["a"]
    assert (a.forecast_start, a.forecast_end, a.critical) == (d("2026-01-05"), d("2026-01-09"), False)


def test_a_late_milestone_moves_to_today():
    sched, _ = run(G(activity("m", duration=0, start="2026-01-07")), today="2026-01-10")
    assert sched.activities["m"].forecast_end == d("2026-01-12")


def test_lateness_propagates_to_dependents_and_only_to_them():
    rm = G(activity("a", duration=5, status=NS), activity("b", duration=5, depends_on=("a",), status=NS),
           activity("m", duration=0, depends_on=("b",)), activity("c", duration=5, start="2026-01-26", status=NS))
    sched, _ = run(rm, today="2026-01-14")
    a, b, m, c = (sched.activities[x] for x in "abmc")
    assert (a.forecast_start, a.forecast_end) == (d("2026-01-14"), d("2026-01-20"))
    assert (b.start, b.forecast_start, b.forecast_end) == (d("2026-01-12"), d("2026-01-21"), d("2026-01-27"))
    assert m.forecast_end == d("2026-01-27")
    assert (c.forecast_start, c.forecast_end) == (c.start, c.end)


def test_a_cancelled_dependency_does_not_push():
    rm = G(activity("a", duration=5, status=NS), activity("b", duration=5, depends_on=("a",), status=NS))
    late, _ = run(rm, today="2026-01-07")
    assert late.activities["b"].forecast_start == d("2026-01-14")  # a runs 7–13
    rm = G(activity("a", duration=5, status="cancelled"), activity("b", duration=5, depends_on=("a",)))
    sched, _ = run(rm, today="2026-01-07")
    assert sched.activities["b"].start == d("2026-01-12")  # still planned after it
    assert sched.activities["b"].forecast_start == d("2026-01-12")
    assert not sched.activities["a"].critical and sched.activities["a"].late_by == 0


# -- deadlines, slack, critical path ---------------------------------------------------------


def chain(**kw):
    """a (5) → b (10) → c (5) in strategy s; d (3) beside them. Planned 5–9, 12–23, 26–30 Jan; 5–7 Jan."""
    return G(activity("a", duration=5, status=NS), activity("b", duration=10, depends_on=("a",), status=NS),
             activity("c", duration=5, depends_on=("b",), status=NS), activity("d", duration=3, status=NS), **kw)


def test_slack_and_the_critical_path():
    sched, _ = run(chain(sdue="2026-02-13", due="2026-02-27"))
    acts = sched.activities
    assert [acts[x].total_slack for x in "abcd"] == [10, 10, 10, 27]
    assert [acts[x].critical for x in "abcd"] == [True, True, True, False]
    assert sched.critical_paths == {"g": ("a", "b", "c")}
    assert sched.critical_path == ("a", "b", "c")
    assert (acts["c"].deadline, acts["c"].deadline_of, acts["c"].late_by) == (d("2026-02-13"), "strategy", 0)


def test_late_by_and_negative_slack():
    sched, _ = run(chain(sdue="2026-01-23", due="2026-02-27"))
    acts = sched.activities
    assert [acts[x].total_slack for x in "abcd"] == [-5, -5, -5, 12]
    assert [acts[x].late_by for x in "abcd"] == [0, 0, 5, 0]
    assert sched.strategies["s"] == dataclasses.replace(sched.strategies["s"], late_by=5)
    assert (sched.strategies["s"].start, sched.strategies["s"].end) == (d("2026-01-05"), d("2026-01-30"))
    assert sched.goals["g"].late_by == 0


def test_the_goal_due_when_it_comes_first_and_deadlines_on_weekends():
    sched, _ = run(chain(sdue="2026-02-27", due="2026-01-31"))  # Saturday: the last working day is Friday 30
    c = sched.activities["c"]
    assert (c.deadline, c.deadline_of, c.total_slack, c.late_by, c.critical) == (d("2026-01-31"), "goal", 0, 0, True)


def test_slack_counts_forecasts():
    sched, _ = run(chain(sdue="2026-02-13"), today="2026-01-14")
    # a runs 14–20 Jan, b 21 Jan – 3 Feb, c 4–10 Feb: three days left before Friday 13
    assert [sched.activities[x].total_slack for x in "abc"] == [3, 3, 3]


def test_a_milestone_successor_needs_its_dependency_done_by_its_own_late_date():
    rm = G(activity("a", duration=5), activity("m", duration=0, depends_on=("a",)), sdue="2026-01-09")
    sched, _ = run(rm)
    assert (sched.activities["a"].total_slack, sched.activities["m"].total_slack) == (0, 0)


def test_the_roadmap_critical_path_drives_the_roadmap_end():
    rm = roadmap(goals=[goal("g", due="2026-01-30"), goal("h", due="2026-01-16")],
                 activities=[activity("a", goal="g", duration=5), activity("b", goal="h", duration=5),
                             activity("c", goal="h", duration=1)])
    sched, _ = run(rm)
    assert sched.critical_paths == {"g": ("a",), "h": ("b",)}
    # a and b both end on Friday 9 January, the roadmap's end; c (Monday 5) drives nothing
    assert sched.critical_path == ("a", "b")
    assert [sched.activities[x].total_slack for x in "abc"] == [15, 5, 9]


def test_parallel_pinned_items_are_not_critical_only_the_driving_chain_is():
    # Published plans pin dates: p and q run beside the chain a → b → c and end on the
    # strategy's due, so their slack is 0, less than the chain's; they still drive nothing.
    rm = G(activity("a", duration=5, status=NS), activity("b", duration=5, depends_on=("a",), status=NS),
           activity("c", duration=5, depends_on=("b",), status=NS),
           activity("p", start="2026-01-05", due="2026-01-09", status=NS),
           activity("q", start="2026-01-12", due="2026-01-16", status=NS),
           activity("r", duration=2, status=NS), sdue="2026-02-27", due="2026-02-27")
    sched, _ = run(rm)
    acts = sched.activities
    assert acts["p"].total_slack < acts["c"].total_slack  # "least slack" would have starred p alone
    assert [x for x in "abcpqr" if acts[x].critical] == ["a", "b", "c"]
    assert sched.critical_paths == {"g": ("a", "b", "c")} and sched.critical_path == ("a", "b", "c")


def test_the_critical_chain_follows_the_forecast_and_stops_at_done_work():
    # x (done) → a (late, under way) → b; y → b, but y's forecast ends before a's: a drives b
    rm = G(activity("x", duration=2, status="done"), activity("a", duration=5, depends_on=("x",), status="in-progress",
                                                             progress=20),
           activity("y", duration=3, status=NS), activity("b", duration=3, depends_on=("a", "y"), status=NS),
           sdue="2026-03-27", due="2026-03-27")
    sched, _ = run(rm, today="2026-01-14")
    acts = sched.activities
    assert acts["b"].forecast_start > acts["b"].start  # pushed by a's forecast
    assert [x for x in "xayb" if acts[x].critical] == ["a", "b"]


def test_spans_order_and_extent():
    rm = G(activity("a", duration=5, status=NS), activity("b", duration=2, depends_on=("a",), status=NS),
           activity("z", duration=1, status=NS), activity("x", duration=2, status="cancelled", start="2026-02-02"))
    sched, _ = run(rm, today="2026-01-14")
    assert sched.order == ("z", "a", "b", "x")
    assert list(sched.activities) == list(sched.order)
    assert sched.strategies["s"] == sched.goals["g"]
    assert sched.goals["g"].forecast_end == d("2026-01-22")  # a 14–20, b 21–22; x is cancelled
    assert (sched.start, sched.end) == (d("2026-01-05"), d("2026-02-03"))


def test_an_empty_roadmap():
    sched, diags = run(roadmap(goals=[goal("g")]))
    assert (sched.start, sched.end, sched.order, sched.critical_path) == (None, None, (), ())
    assert sched.goals["g"].start is None and sched.critical_paths == {"g": ()}


# -- properties ------------------------------------------------------------------------------

START = date(2026, 1, 5)


@st.composite
def plans(draw, max_n: int = 14):
    n = draw(st.integers(1, max_n))
    durations = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    deps = [tuple(sorted(draw(st.sets(st.integers(0, i - 1), max_size=3)))) if i else () for i in range(n)]
    goals = draw(st.integers(1, 3))
    dues = draw(st.lists(st.integers(5, 120), min_size=goals, max_size=goals))
    holidays = draw(st.sets(st.integers(0, 150), max_size=12))
    workdays = draw(st.one_of(st.just((0, 1, 2, 3, 4)), st.sets(st.integers(0, 6), min_size=1).map(sorted)))
    pins = draw(st.dictionaries(st.integers(0, n - 1), st.integers(0, 9), max_size=n // 2 + 1))
    rm = roadmap(
        goals=[goal(f"g{k}", start="2026-01-05", due=str(START + timedelta(days=dues[k]))) for k in range(goals)],
        activities=[activity(f"a{i:02d}", goal=f"g{i % goals}", duration=durations[i], status=NS,
                             depends_on=tuple(f"a{j:02d}" for j in deps[i])) for i in range(n)],
        holidays=tuple(str(START + timedelta(days=h)) for h in holidays), workdays=tuple(workdays))
    # pin some starts, each on or after the day its dependencies allow
    for i in sorted(pins):
        sched, _ = run(rm)
        aid = f"a{i:02d}"
        pinned = sched.activities[aid].start + timedelta(days=pins[i])
        rm = with_activity(rm, dataclasses.replace(rm.activities[aid], start=pinned))
    return rm


def with_activity(rm, a):
    return dataclasses.replace(rm, activities={**rm.activities, a.id: a})


def descendants(rm, root: str) -> set[str]:
    found, frontier = {root}, [root]
    while frontier:
        node = frontier.pop()
        for a in rm.activities.values():
            if node in a.depends_on and a.id not in found:
                found.add(a.id)
                frontier.append(a.id)
    return found


@settings(max_examples=150, deadline=None)
@given(plans(), st.integers(0, 60))
def test_every_activity_follows_its_dependencies_and_lasts_its_duration(rm, today_offset):
    today = START + timedelta(days=today_offset)
    sched, diags = run(rm, today=str(today))
    cal = sched.calendar
    assert "start-before-dependency" not in codes(diags)
    assert not diags.errors
    for aid, a in rm.activities.items():
        s = sched.activities[aid]
        assert cal.is_working_day(s.start) and cal.is_working_day(s.end)
        if a.duration == 0:
            assert s.milestone and s.start == s.end
        else:
            assert cal.working_days_between(s.start, s.end) == a.duration
            assert cal.working_days_between(s.forecast_start, s.forecast_end) >= a.duration
        ends = [sched.activities[x].end for x in a.depends_on]
        for end in ends:
            assert s.start >= end if s.milestone else s.start > end
        if a.start is None and ends:
            assert s.start == (max(ends) if s.milestone else cal.working_day_after(max(ends)))
            assert s.start_reason == "dependency"
        elif a.start is None:
            assert s.start == cal.next_working_day(START)
        # forecast: nobody is planned to work in the past, and dependencies hold
        assert s.forecast_start >= min(s.start, cal.next_working_day(today))
        assert s.forecast_start >= s.start
        for x in a.depends_on:
            fe = sched.activities[x].forecast_end
            assert s.forecast_start >= fe if s.milestone else s.forecast_start > fe
        if not s.milestone:
            assert cal.working_days_between(s.forecast_start, s.forecast_end) == a.duration
        deadline = cal.previous_working_day(s.deadline)
        assert s.late_by == max(0, cal.working_day_offset(deadline, s.forecast_end))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_the_critical_path_is_the_chain_that_drives_each_goal_end(rm):
    sched, _ = run(rm)
    acts = sched.activities
    open_ids = {x for x in rm.activities if rm.activities[x].status not in ("done", "cancelled")}
    for gid, path in sched.critical_paths.items():
        members = {x for x in open_ids if rm.activities[x].goal == gid}
        assert {x for x in members if acts[x].critical} == set(path)
        last = max((acts[x].forecast_end for x in members), default=None)
        assert {x for x in members if acts[x].forecast_end == last} <= set(path)
        for x in path:  # each link ends the goal or is a dependency that pushes a later link
            assert acts[x].forecast_end == last or any(
                x in rm.activities[y].depends_on and acts[y].forecast_start > acts[x].forecast_end - timedelta(days=1)
                for y in path)
    starts = [(acts[x].forecast_start, acts[x].forecast_end, x) for x in sched.critical_path]
    assert starts == sorted(starts)


@settings(max_examples=60, deadline=None)
@given(plans(max_n=10), st.data())
def test_slack_is_how_far_an_activity_can_slip(rm, data):
    """Delaying an activity by its slack makes nothing late; one working day more does."""
    sched, _ = run(rm)
    if any(s.total_slack < 0 for s in sched.activities.values()):
        return
    aid = data.draw(st.sampled_from(sorted(rm.activities)))
    s = sched.activities[aid]

    def late_after_slipping(days: int) -> bool:
        moved = with_activity(rm, dataclasses.replace(rm.activities[aid], start=sched.calendar.shift(s.start, days)))
        return any(x.late_by > 0 for x in run(moved)[0].activities.values())

    assert not late_after_slipping(s.total_slack)
    assert late_after_slipping(s.total_slack + 1)


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_moving_one_start_later_moves_only_its_dependents(rm, data):
    aid = data.draw(st.sampled_from(sorted(rm.activities)))
    days = data.draw(st.integers(1, 15))
    before, _ = run(rm)
    moved_start = before.calendar.shift(before.activities[aid].start, days)
    after, _ = run(with_activity(rm, dataclasses.replace(rm.activities[aid], start=moved_start)))
    assert after.activities[aid].start == moved_start
    reach = descendants(rm, aid)
    for x in rm.activities:
        old, new = before.activities[x], after.activities[x]
        if x in reach:
            assert (new.start, new.end) >= (old.start, old.end)
        else:
            assert (new.start, new.end, new.forecast_start, new.forecast_end) == (
                old.start, old.end, old.forecast_start, old.forecast_end)


@settings(max_examples=100, deadline=None)
@given(plans(), st.integers(0, 60))
def test_the_schedule_does_not_depend_on_the_order_things_are_written_in(rm, today_offset):
    today = str(START + timedelta(days=today_offset))
    shuffled = dataclasses.replace(rm, activities={
        aid: dataclasses.replace(a, depends_on=tuple(reversed(a.depends_on)))
        for aid, a in reversed(list(rm.activities.items()))})
    one, d1 = run(rm, today)
    two, d2 = run(shuffled, today)
    again, d3 = run(rm, today)
    for other in (two, again):
        assert list(one.activities.items()) == list(other.activities.items())
        assert (one.order, one.critical_path, one.critical_paths, one.strategies, one.goals, one.start, one.end) == (
            other.order, other.critical_path, other.critical_paths, other.strategies, other.goals, other.start,
            other.end)
    assert d1.items == d2.items == d3.items
