"""Colours and reasons for activities, strategies and goals, on hand-built roadmaps and schedules.

Dates: 2026-03-02 is a Monday. The usual activity runs Mon 2026-03-02 to Fri 2026-03-13,
10 working days; on Mon 2026-03-09 five of them are past, so 50% is expected.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.schedule import Schedule, ScheduledActivity, Span, schedule_roadmap
from roadmapgen.engine.status import Status, StatusReport, compute_status, expected_progress, metric_expected
from roadmapgen.engine.tracking import track
from roadmapgen.model import CalendarConfig, Holiday, Metric, StatusRules
from tests.builders import activity, d, goal, item, roadmap, strategy, update

CAL = WorkCalendar()


def planned(id: str, start: str = "2026-03-02", end: str = "2026-03-13", *, milestone: bool = False,
            late_by: int = 0, deadline: str | None = None, deadline_of: str | None = None,
            forecast_end: str | None = None, calendar: WorkCalendar = CAL) -> ScheduledActivity:
    first, last = d(start), d(end)
    return ScheduledActivity(
        id=id, start=first, end=last, duration=0 if milestone else calendar.working_days_between(first, last),
        milestone=milestone, forecast_start=first, forecast_end=d(forecast_end) if forecast_end else last,
        total_slack=-late_by, critical=False, deadline=d(deadline) if deadline else None, deadline_of=deadline_of,
        late_by=late_by, driver=None, start_reason="pinned")


def span(start: str = "2026-03-02", end: str = "2026-03-13", forecast_end: str | None = None, late_by: int = 0) -> Span:
    return Span(start=d(start), end=d(end), forecast_end=d(forecast_end or end), late_by=late_by)


def plan(*scheduled: ScheduledActivity, strategies=None, goals=None, calendar: WorkCalendar = CAL) -> Schedule:
    return Schedule(calendar=calendar, activities={a.id: a for a in scheduled}, order=tuple(a.id for a in scheduled),
                    strategies=strategies or {}, goals=goals or {}, critical_paths={}, critical_path=(),
                    start=None, end=None)


def judge(rm, schedule: Schedule, today: str) -> StatusReport:
    return compute_status(rm, track(rm, d(today)), schedule, d(today))


def one(today: str, *, rules: StatusRules | None = None, **fields) -> Status:
    """The status of a single activity 'a' under strategy 's', planned 2026-03-02..13."""
    late = {k: fields.pop(k) for k in ("late_by", "deadline", "deadline_of", "forecast_end") if k in fields}
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s", duration=10, **fields)], rules=rules)
    return judge(rm, plan(planned("a", **late)), today).activities["a"]


# -- activities ---------------------------------------------------------------------------------


def test_done_activity_is_complete_with_full_progress():
    status = one("2026-03-20", status="done", progress=40)
    assert (status.rag, status.reasons, status.progress) == ("complete", ("done",), 100.0)


def test_cancelled_activity_is_cancelled():
    assert one("2026-03-20", status="cancelled").rag == "cancelled"


@pytest.mark.parametrize("state", ["blocked", "paused"])
def test_blocked_or_paused_activity_is_red(state):
    status = one("2026-03-09", status=state, progress=60)
    assert (status.rag, status.reasons) == ("red", (state,))


def test_activity_past_its_end_and_not_done_is_red():
    status = one("2026-03-16", status="in-progress", progress=60)
    assert status.rag == "red"
    assert status.reasons == ("planned to end 2026-03-13, 60% done",)
    assert status.expected_progress == 100.0


@pytest.mark.parametrize("progress, rag", [(41, "green"), (40, "amber"), (26, "amber"), (25, "red"), (0, "red")])
def test_progress_behind_expected_is_amber_then_red(progress, rag):
    status = one("2026-03-09", status="in-progress", progress=progress)
    assert status.expected_progress == 50.0
    assert status.rag == rag


def test_behind_reason_gives_progress_expected_and_gap():
    status = one("2026-03-09", status="in-progress", progress=30)
    assert status.reasons == ("30% done, 50% expected by 2026-03-09 (20 points behind)",)


def test_on_track_reason():
    status = one("2026-03-09", status="in-progress", progress=45)
    assert (status.rag, status.reasons) == ("green", ("on track: 45% done, 50% expected by 2026-03-09",))


def test_thresholds_come_from_the_rules():
    rules = StatusRules(amber_behind=5, red_behind=15, red_late_days=2)
    assert one("2026-03-09", rules=rules, status="in-progress", progress=45).rag == "amber"
    assert one("2026-03-09", rules=rules, status="in-progress", progress=35).rag == "red"
    assert one("2026-03-09", rules=rules, status="in-progress", progress=50, late_by=3, deadline="2026-03-10",
               deadline_of="goal").rag == "red"


def test_not_started_and_not_due_is_green():
    status = one("2026-02-20")
    assert (status.rag, status.reasons, status.expected_progress, status.progress) == (
        "green", ("not started, starts 2026-03-02",), 0.0, None)  # nobody reported a figure: unknown
    assert one("2026-02-20", status="not-started").progress == 0.0  # reported as not started


def test_first_day_expects_nothing_yet():
    assert one("2026-03-02").expected_progress == 0.0
    assert one("2026-03-02").rag == "green"


def test_forecast_past_deadline_is_amber_then_red_beyond_red_late_days():
    kwargs = dict(status="in-progress", progress=50, deadline="2026-03-13", deadline_of="strategy",
                  forecast_end="2026-03-16")
    status = one("2026-03-09", late_by=1, **kwargs)
    assert (status.rag, status.reasons) == (
        "amber", ("forecast to end 2026-03-16, 1 working day after its strategy's deadline 2026-03-13",))
    assert one("2026-03-09", late_by=10, **kwargs).rag == "amber"  # red only when more than red_late_days
    assert one("2026-03-09", late_by=11, **kwargs).rag == "red"


def test_worst_rule_wins_and_every_rule_is_listed_worst_first():
    status = one("2026-03-09", status="in-progress", progress=35, late_by=12, deadline="2026-03-13",
                 deadline_of="goal", forecast_end="2026-03-31")
    assert status.rag == "red"
    assert status.reasons == (
        "forecast to end 2026-03-31, 12 working days after its goal's deadline 2026-03-13",
        "35% done, 50% expected by 2026-03-09 (15 points behind)",
    )
    blocked = one("2026-03-09", status="blocked", progress=35)
    assert blocked.reasons == ("blocked", "35% done, 50% expected by 2026-03-09 (15 points behind)")


def _chain(a_status: str):
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")], activities=[
        activity("a", strategy="s", duration=10, status=a_status, progress=50),
        activity("b", strategy="s", duration=10, depends_on=("a",)),
        activity("c", strategy="s", duration=10, depends_on=("b",)),
    ])
    schedule = plan(planned("a"), planned("b", "2026-03-16", "2026-03-27"), planned("c", "2026-03-30", "2026-04-10"))
    return judge(rm, schedule, "2026-03-09").activities


def test_depending_on_a_red_activity_makes_amber_but_does_not_cascade():
    statuses = _chain("blocked")
    assert statuses["a"].rag == "red"
    assert (statuses["b"].rag, statuses["b"].reasons) == ("amber", ("depends on ‘A’, which is red",))
    assert statuses["c"].rag == "green"
    assert _chain("in-progress")["b"].rag == "green"


def test_dependency_rule_names_every_red_dependency():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")], activities=[
        activity("a", strategy="s", duration=10, status="blocked"),
        activity("b", strategy="s", duration=10, status="paused"),
        activity("c", strategy="s", duration=10, depends_on=("a", "b")),
    ])
    schedule = plan(planned("a"), planned("b"), planned("c", "2026-03-16", "2026-03-27"))
    assert judge(rm, schedule, "2026-03-09").activities["c"].reasons == ("depends on ‘A’, ‘B’, which are red",)


@pytest.mark.parametrize("today, rag, reasons, expected", [
    ("2026-03-12", "green", ("milestone planned for 2026-03-13",), 0.0),
    ("2026-03-13", "green", ("milestone planned for 2026-03-13",), 100.0),  # on its date: not late yet
    ("2026-03-16", "red", ("milestone planned for 2026-03-13, not done",), 100.0),
])
def test_milestone_is_expected_at_zero_before_its_date_and_complete_on_it(today, rag, reasons, expected):
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("m", strategy="s", duration=0)])
    status = judge(rm, plan(planned("m", "2026-03-13", "2026-03-13", milestone=True)), today).activities["m"]
    assert (status.rag, status.reasons, status.expected_progress) == (rag, reasons, expected)


def test_expected_progress_counts_working_days_of_the_calendar():
    calendar = WorkCalendar(CalendarConfig(holidays=(Holiday(d("2026-03-04")),)))
    scheduled = planned("a", calendar=calendar)
    assert scheduled.duration == 9
    # past working days: Mar 2, 3, 5, 6 (the 4th is a holiday, the 7th and 8th a weekend)
    assert expected_progress(scheduled, d("2026-03-09"), calendar) == pytest.approx(400 / 9)
    assert expected_progress(scheduled, d("2026-03-08"), calendar) == pytest.approx(400 / 9)
    assert expected_progress(scheduled, d("2026-03-13"), calendar) == pytest.approx(800 / 9)
    assert expected_progress(scheduled, d("2026-03-14"), calendar) == 100.0


def test_activity_missing_from_the_schedule_is_judged_on_its_state_only():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s"), activity("b", strategy="s", status="blocked")])
    statuses = judge(rm, plan(), "2026-03-09").activities
    assert (statuses["a"].rag, statuses["a"].expected_progress) == ("green", None)
    assert statuses["a"].reasons == ("not scheduled, so not judged against dates",)
    assert statuses["b"].rag == "red"


def test_progress_and_state_come_from_the_updates_as_of_today():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s", duration=10)],
                 updates=[update("u1", "2026-03-06", item("a", progress=20, status="in-progress")),
                          update("u2", "2026-03-09", item("a", progress=50)),
                          update("u3", "2026-03-12", item("a", status="done"))])
    schedule = plan(planned("a"))
    assert judge(rm, schedule, "2026-03-06").activities["a"].progress == 20.0
    assert judge(rm, schedule, "2026-03-09").activities["a"].rag == "green"
    assert judge(rm, schedule, "2026-03-11").activities["a"].rag == "amber"  # 50 done, 70 expected
    assert judge(rm, schedule, "2026-03-12").activities["a"].rag == "complete"


# -- manual colours ----------------------------------------------------------------------------------


def test_manual_rag_overrides_and_keeps_the_computed_verdict():
    status = one("2026-03-09", status="blocked", progress=50, rag="green",
                 rag_reason="Vendor confirmed delivery for Friday")
    assert status.manual
    assert (status.rag, status.reasons) == ("green", ("Vendor confirmed delivery for Friday",))
    assert (status.computed, status.computed_reasons) == ("red", ("blocked",))


def test_manual_rag_from_an_update_without_a_reason_says_where_it_was_set():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("a", strategy="s", duration=10, progress=50, status="in-progress")],
                 updates=[update("standup-0306", "2026-03-06", item("a", rag="amber"))])
    status = judge(rm, plan(planned("a")), "2026-03-09").activities["a"]
    assert (status.rag, status.manual, status.computed) == ("amber", True, "green")
    assert status.reasons == ("set to amber by hand in update standup-0306",)


def test_done_or_cancelled_wins_over_a_stale_manual_colour():
    status = one("2026-03-20", status="done", rag="red", rag_reason="late")
    assert (status.rag, status.manual) == ("complete", False)


def test_a_manual_red_dependency_makes_its_dependants_amber():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")], activities=[
        activity("a", strategy="s", duration=10, rag="red", rag_reason="supplier went bust"),
        activity("b", strategy="s", duration=10, depends_on=("a",)),
    ])
    statuses = judge(rm, plan(planned("a", "2026-03-16", "2026-03-27"), planned("b", "2026-03-30", "2026-04-10")),
                     "2026-03-09").activities
    assert statuses["a"].computed == "green"
    assert statuses["b"].reasons == ("depends on ‘A’, which is red",)


# -- roll-ups ----------------------------------------------------------------------------------------

FUTURE = ("2026-04-06", "2026-04-17")  # not started yet on 2026-03-09: green


def _strategy_of(states: dict[str, dict], rules: StatusRules | None = None, strategy_fields=None,
                 strategy_span: Span | None = None, today: str = "2026-03-09"):
    """A strategy 's' whose activities have the given fields; planned 03-02..13 unless 'when' says."""
    acts, planned_acts = [], []
    for aid, fields in states.items():
        fields = dict(fields)
        when = fields.pop("when", ("2026-03-02", "2026-03-13"))
        acts.append(activity(aid, strategy="s", duration=CAL.working_days_between(d(when[0]), d(when[1])), **fields))
        planned_acts.append(planned(aid, *when))
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g", **(strategy_fields or {}))],
                 activities=acts, rules=rules)
    spans = {"s": strategy_span} if strategy_span else {}
    return judge(rm, plan(*planned_acts, strategies=spans), today)


MIXED = {
    "a": {"status": "blocked"},
    "b": {"status": "blocked"},
    "c": {"status": "in-progress", "progress": 35},  # 15 behind: amber
    "d": {"status": "in-progress", "progress": 50},
    "e": {"status": "done"},
    "f": {"status": "cancelled"},
}


def test_worst_rollup_names_the_red_and_amber_children():
    status = _strategy_of(MIXED).strategies["s"]
    assert status.rag == "red"
    assert status.reasons == ("2 of 5 activities are red: ‘A’, ‘B’", "1 of 5 activities is amber: ‘C’")


def test_worst_rollup_amber_and_green():
    amber = _strategy_of({k: MIXED[k] for k in "cdef"}).strategies["s"]
    assert (amber.rag, amber.reasons) == ("amber", ("1 of 3 activities is amber: ‘C’",))
    green = _strategy_of({k: MIXED[k] for k in "def"}).strategies["s"]
    assert (green.rag, green.reasons) == ("green", ("2 activities: 1 green, 1 complete",))


def test_rollup_is_complete_only_when_every_child_is_complete_or_cancelled():
    status = _strategy_of({k: MIXED[k] for k in "ef"}).strategies["s"]
    assert status.rag == "complete"
    assert status.reasons == ("every activity is complete or cancelled (2 activities: 1 complete, 1 cancelled)",)
    only_cancelled = _strategy_of({"f": MIXED["f"]}).strategies["s"]
    assert only_cancelled.rag == "green"


def test_strategy_without_activities_is_green_and_says_so():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")])
    status = judge(rm, plan(), "2026-03-09").strategies["s"]
    assert (status.rag, status.reasons, status.progress) == ("green", ("nothing planned under it yet",), None)


@pytest.mark.parametrize("state, rag", [("done", "complete"), ("cancelled", "cancelled"), ("paused", "red")])
def test_strategy_state_counts(state, rag):
    status = _strategy_of({k: MIXED[k] for k in "def"}, strategy_fields={"status": state}).strategies["s"]
    assert status.rag == rag


def test_strategy_forecast_past_its_due_date_is_amber_then_red():
    children = {k: MIXED[k] for k in "def"}
    amber = _strategy_of(children, strategy_span=span(forecast_end="2026-03-16", late_by=1)).strategies["s"]
    assert (amber.rag, amber.reasons) == (
        "amber", ("forecast to end 2026-03-16, 1 working day after its due date 2026-12-31",))
    red = _strategy_of(children, strategy_span=span(forecast_end="2026-04-01", late_by=13)).strategies["s"]
    assert red.rag == "red"


def test_strategy_completion_is_weighted_by_working_days():
    status = _strategy_of({
        "a": {"status": "in-progress", "progress": 50},  # 10 days
        "b": {"status": "done", "when": ("2026-03-02", "2026-03-06")},  # 5 days
        "c": {"status": "cancelled"},
    }).strategies["s"]
    assert status.progress == pytest.approx(100 * (5 + 5) / 15)
    # a expects 50% of 10 days, b (ended 03-06) all of its 5
    assert status.expected_progress == pytest.approx(100 * (5 + 5) / 15)


def test_goal_rolls_up_its_strategies_and_its_direct_activities():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s1", "g"), strategy("s2", "g")], activities=[
        activity("a", strategy="s1", duration=10, progress=35, status="in-progress"),  # amber
        activity("b", strategy="s2", duration=10, progress=50, status="in-progress"),  # green
        activity("x", goal="g", duration=10, status="blocked"),  # red, directly under the goal
    ])
    report = judge(rm, plan(planned("a"), planned("b"), planned("x")), "2026-03-09")
    status = report.goals["g"]
    assert status.rag == "red"
    assert status.reasons == ("1 of 1 activity is red: ‘X’", "1 of 2 strategies is amber: ‘S1’")
    assert status.progress == pytest.approx(100 * (3.5 + 5 + 0) / 30)
    assert report.counts("goals") == {"green": 0, "amber": 0, "red": 1, "complete": 0, "cancelled": 0}
    assert report.counts("strategy") == {"green": 1, "amber": 1, "red": 0, "complete": 0, "cancelled": 0}


def test_goal_forecast_past_due_and_manual_strategy_colour():
    rm = roadmap(goals=[goal("g", due="2026-03-13")],
                 strategies=[strategy("s", "g", rag="amber", rag_reason="Budget under review")],
                 activities=[activity("a", strategy="s", duration=10, progress=50, status="in-progress")])
    report = judge(rm, plan(planned("a"), goals={"g": span(forecast_end="2026-03-20", late_by=5)}), "2026-03-09")
    assert report.strategies["s"].manual and report.strategies["s"].computed == "green"
    assert report.goals["g"].rag == "amber"
    assert report.goals["g"].reasons == (
        "1 of 1 strategy is amber: ‘S’",
        "forecast to end 2026-03-20, 5 working days after its due date 2026-03-13",
    )


def test_reason_lists_at_most_five_names():
    status = _strategy_of({f"a{i}": {"status": "blocked"} for i in range(8)}).strategies["s"]
    assert status.reasons == ("8 of 8 activities are red: ‘A0’, ‘A1’, ‘A2’, ‘A3’, ‘A4’ and 3 more",)


# -- weighted roll-up -----------------------------------------------------------------------------------

WEIGHTED = StatusRules(rollup="weighted")


def test_weighted_rollup_red_when_red_children_hold_a_third_of_the_remaining_work():
    status = _strategy_of({
        "a": {"status": "blocked"},  # 10 days left
        "b": {"status": "in-progress", "progress": 50, "when": ("2026-03-02", "2026-03-27")},  # 20 days, 10 left
        "c": {"when": FUTURE},  # 10 days left
    }, rules=WEIGHTED).strategies["s"]
    assert status.rag == "red"
    assert status.reasons == ("red activities hold 33.3% of the remaining work (10 of 30 working days): ‘A’",)


def test_weighted_rollup_amber_when_amber_and_red_hold_a_third():
    status = _strategy_of({
        "a": {"status": "in-progress", "progress": 35},  # amber, 6.5 days left
        "b": {"status": "blocked", "progress": 50},  # red, 5 left
        "c": {"when": FUTURE},  # 10 left
        "d": {"when": FUTURE},  # 10 left
    }, rules=WEIGHTED).strategies["s"]
    # red 5 / 31.5 = 15.9%; amber or red 11.5 / 31.5 = 36.5%
    assert status.rag == "amber"
    assert status.reasons == (
        "amber or red activities hold 36.5% of the remaining work (11.5 of 31.5 working days): ‘A’, ‘B’",)


def test_weighted_rollup_green_when_a_red_child_holds_little_work():
    status = _strategy_of({
        "a": {"status": "blocked", "progress": 50},  # red, 5 days left
        "b": {"when": FUTURE},  # 10 left
        "c": {"when": FUTURE},  # 10 left
    }, rules=WEIGHTED).strategies["s"]
    assert status.rag == "green"
    assert status.reasons == (
        "3 activities: 1 red, 2 green",
        "amber or red activities hold only 20% of the remaining work (5 of 25 working days): ‘A’",
    )
    assert _strategy_of({"a": {"status": "blocked", "progress": 50}, "b": {"when": FUTURE}, "c": {"when": FUTURE}}
                        ).strategies["s"].rag == "red"  # the same under "worst"


def test_weighted_rollup_falls_back_to_worst_when_no_work_remains():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")],
                 activities=[activity("m", strategy="s", duration=5, status="in-progress", progress=100)],
                 rules=WEIGHTED)
    # reported at 100% but not marked done after its planned end: red, with no work left to weigh
    status = judge(rm, plan(planned("m", "2026-03-02", "2026-03-06")), "2026-03-09").strategies["s"]
    assert status.rag == "red"
    assert status.reasons == ("1 of 1 activity is red: ‘M’", "no remaining work to weigh, so the worst child counts")


def test_weighted_goal_weighs_strategies_by_their_remaining_work():
    rm = roadmap(goals=[goal("g")], strategies=[strategy("big", "g"), strategy("small", "g")], activities=[
        activity("a", strategy="big", duration=20), activity("b", strategy="small", duration=5, status="blocked"),
    ], rules=WEIGHTED)
    schedule = plan(planned("a", "2026-04-06", "2026-05-01"), planned("b", "2026-03-02", "2026-03-06"))
    report = judge(rm, schedule, "2026-03-04")
    assert report.strategies["small"].rag == "red"
    assert (report.goals["g"].rag, report.goals["g"].reasons) == ("green", (
        "2 strategies: 1 red, 1 green",
        "amber or red strategies hold only 20% of the remaining work (5 of 25 working days): ‘Small’"))


# -- the goal's metric -----------------------------------------------------------------------------------


def _metric_goal(current: float | None, direction: str = "increase", today: str = "2026-02-20",
                 baseline: float = 20, target: float = 40):
    metric = Metric(name="Conversion", unit="%", baseline=baseline, target=target, current=current,
                    direction=direction)
    rm = roadmap(goals=[goal("g", start="2026-01-01", due="2026-04-11", metric=metric)])  # 100 days
    return judge(rm, plan(), today)


@pytest.mark.parametrize("current, rag", [(29, "green"), (28, "amber"), (25.1, "amber"), (25, "red"), (45, "green")])
def test_increasing_metric_behind_its_path(current, rag):
    report = _metric_goal(current)
    assert report.metric_expected["g"] == 30.0  # halfway from 20 to 40
    assert report.goals["g"].rag == rag


@pytest.mark.parametrize("current, rag", [(31, "green"), (32, "amber"), (35, "red"), (28, "green")])
def test_decreasing_metric_behind_its_path(current, rag):
    report = _metric_goal(current, direction="decrease", baseline=40, target=20)
    assert report.metric_expected["g"] == 30.0
    assert report.goals["g"].rag == rag


def test_metric_reasons():
    assert _metric_goal(28).goals["g"].reasons == (
        "Conversion is 28%, 30% expected by 2026-02-20: 10% of the change from 20% to 40% behind the path",
        "nothing planned under it yet")
    assert _metric_goal(31).goals["g"].reasons == (
        "nothing planned under it yet", "Conversion is 31%, 30% expected by 2026-02-20: on the path")


def test_metric_without_a_current_value_is_said_but_does_not_colour():
    status = _metric_goal(None).goals["g"]
    assert status.rag == "green"
    assert "Conversion has no current value yet" in status.reasons


def test_metric_current_value_comes_from_updates():
    metric = Metric(name="NPS", unit=None, baseline=20, target=40, current=None, direction="increase")
    rm = roadmap(goals=[goal("g", start="2026-01-01", due="2026-04-11", metric=metric)],
                 updates=[update("u", "2026-02-01", item("g", kind="goal", metric=21))])
    assert judge(rm, plan(), "2026-02-20").goals["g"].rag == "red"  # 9 of 20 behind: 45%


@pytest.mark.parametrize("today, expected", [("2025-12-01", 20.0), ("2026-01-01", 20.0), ("2026-01-26", 25.0),
                                             ("2026-04-11", 40.0), ("2026-09-01", 40.0)])
def test_metric_path_is_clamped_to_start_and_due(today, expected):
    goal_ = goal("g", start="2026-01-01", due="2026-04-11",
                 metric=Metric("m", None, baseline=20, target=40, current=None, direction="increase"))
    assert metric_expected(goal_, goal_.start, d(today)) == expected


def test_metric_path_starts_at_the_roadmap_start_when_the_goal_has_none():
    metric = Metric("m", None, baseline=0, target=100, current=None, direction="increase")
    rm = roadmap(goals=[goal("g", start=None, due="2026-04-11", metric=metric)], start="2026-01-01")
    assert judge(rm, plan(), "2026-02-20").metric_expected["g"] == 50.0
    rm = roadmap(goals=[goal("g", start=None, due="2026-04-11", metric=metric)], start=None)
    assert judge(rm, plan(), "2026-02-20").metric_expected["g"] is None
    spans = {"g": Span(start=d("2026-01-01"), end=None, forecast_end=None, late_by=0)}
    assert judge(rm, plan(goals=spans), "2026-02-20").metric_expected["g"] == 50.0


def test_metric_is_judged_even_when_all_work_is_complete():
    metric = Metric(name="Conversion", unit="%", baseline=20, target=40, current=30, direction="increase")
    rm = roadmap(goals=[goal("g", start="2026-01-01", due="2026-04-11", metric=metric)],
                 activities=[activity("a", goal="g", status="done")])
    status = judge(rm, plan(planned("a")), "2026-04-20").goals["g"]
    assert status.rag == "red"  # the work is done but the goal missed its target
    assert status.reasons[0].startswith("Conversion is 30%, 40% expected by 2026-04-20: 50% of the change")


def test_goal_without_metric_has_no_expected_value():
    rm = roadmap(goals=[goal("g")])
    assert judge(rm, plan(), "2026-02-20").metric_expected == {"g": None}


# -- the report --------------------------------------------------------------------------------------------


def _bigger_roadmap():
    acts, planned_acts = [], []
    for i in range(30):
        start = CAL.add_working_days(d("2026-02-02"), 3 * i)
        end = CAL.add_working_days(start, 10)
        acts.append(activity(f"a{i:02}", strategy=f"s{i % 3}", duration=10, progress=(i * 7) % 100,
                             status=("blocked" if i % 11 == 0 else "in-progress"),
                             depends_on=(f"a{i - 1:02}",) if i else ()))
        planned_acts.append(planned(f"a{i:02}", start.isoformat(), end.isoformat()))
    rm = roadmap(goals=[goal("g")], strategies=[strategy(f"s{j}", "g") for j in range(3)], activities=acts)
    return rm, plan(*planned_acts)


def test_status_is_deterministic():
    rm, schedule = _bigger_roadmap()
    first, second = judge(rm, schedule, "2026-03-09"), judge(rm, schedule, "2026-03-09")
    assert first == second
    assert list(first.activities) == list(rm.activities)
    assert first.counts("activities") == second.counts("activity")
    assert sum(first.counts("activity").values()) == 30


def test_counts_cover_every_colour():
    report = _strategy_of(MIXED)
    assert report.counts("activity") == {"green": 1, "amber": 1, "red": 2, "complete": 1, "cancelled": 1}


def test_status_is_frozen():
    status = one("2026-03-09")
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.rag = "red"  # type: ignore[misc]


def test_report_date():
    assert judge(*_bigger_roadmap(), "2026-03-09").today == date(2026, 3, 9)


def test_with_the_real_schedule():
    rm = roadmap(goals=[goal("g", due="2026-06-30")], strategies=[strategy("s", "g", due="2026-03-13")], activities=[
        activity("a", strategy="s", start="2026-03-02", duration=10, progress=20, status="in-progress"),
        activity("b", strategy="s", duration=3, depends_on=("a",)),
    ])
    today = d("2026-03-09")
    tracking = track(rm, today)
    report = compute_status(rm, tracking, schedule_roadmap(rm, tracking, today, Diagnostics()), today)
    # a: 8 working days left from today end on Wed 03-18, 3 after the strategy's due date
    assert report.activities["a"].reasons == (
        "20% done, 50% expected by 2026-03-09 (30 points behind)",
        "forecast to end 2026-03-18, 3 working days after its strategy's deadline 2026-03-13",
    )
    assert report.activities["b"].rag == "amber"
    assert report.strategies["s"].reasons == (
        "1 of 2 activities is red: ‘A’", "1 of 2 activities is amber: ‘B’",
        "forecast to end 2026-03-23, 6 working days after its due date 2026-03-13",
    )
    assert (report.goals["g"].rag, report.goals["g"].reasons) == ("red", ("1 of 1 strategy is red: ‘S’",))


@pytest.mark.parametrize("state, rag", [("done", "complete"), ("cancelled", "cancelled"), ("paused", "red"),
                                        ("planned", "red")])
def test_goal_state_counts(state, rag):
    rm = roadmap(goals=[goal("g", status=state)], activities=[activity("x", goal="g", duration=10, status="blocked")])
    status = judge(rm, plan(planned("x")), "2026-03-09").goals["g"]
    assert status.rag == rag
    if state == "paused":
        assert status.reasons == ("paused", "1 of 1 activity is red: ‘X’")


def test_explain_false_gives_the_same_colours_without_reasons():
    rm, schedule = _bigger_roadmap()
    full = judge(rm, schedule, "2026-03-09")
    quiet = compute_status(rm, track(rm, d("2026-03-09")), schedule, d("2026-03-09"), explain=False)
    for kind in ("activities", "strategies", "goals"):
        assert {k: (s.rag, s.computed, s.progress, s.expected_progress) for k, s in getattr(quiet, kind).items()} == \
            {k: (s.rag, s.computed, s.progress, s.expected_progress) for k, s in getattr(full, kind).items()}
        assert all(s.reasons == () for s in getattr(quiet, kind).values())
    assert any(s.reasons for s in full.activities.values())


def test_goal_with_all_work_done_but_no_metric_reading_is_amber_not_complete():
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.schedule import schedule_roadmap
    from roadmapgen.engine.status import compute_status
    from roadmapgen.engine.tracking import track
    from roadmapgen.model import Metric
    from tests.builders import activity, d, goal, roadmap

    g = goal("churn", due="2027-03-31", metric=Metric("Churn", "%", 4, 2, None, "decrease"))
    r = roadmap(goals=[g], activities=[activity("a", goal="churn", start="2026-03-02", duration=5,
                                                status="done", progress=100)])
    today = d("2026-04-01")
    tracking = track(r, today)
    report = compute_status(r, tracking, schedule_roadmap(r, tracking, today, Diagnostics()), today)
    status = report.goals["churn"]
    assert status.rag == "amber"
    assert any("Churn has no current value" in reason for reason in status.reasons)


def test_moved_milestone_that_is_still_on_time_says_why_it_is_green():
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.schedule import schedule_roadmap
    from roadmapgen.engine.status import compute_status
    from roadmapgen.engine.tracking import track
    from tests.builders import activity, d, goal, roadmap, strategy

    r = roadmap(goals=[goal("g", due="2026-12-31")], strategies=[strategy("s", "g", due="2026-06-30")],
                activities=[activity("work", strategy="s", start="2026-03-02", duration=5, progress=30,
                                     status="in-progress"),
                            activity("gate", strategy="s", depends_on=("work",), duration=0)])
    today = d("2026-03-04")  # "work" is behind: its forecast end passes 2026-03-06 and pushes the milestone
    tracking = track(r, today)
    schedule = schedule_roadmap(r, tracking, today, Diagnostics())
    gate = schedule.activities["gate"]
    assert gate.forecast_end > gate.end and gate.late_by == 0
    status = compute_status(r, tracking, schedule, today).activities["gate"]
    assert status.rag == "green"
    assert status.reasons == (f"milestone planned for {gate.end}, now forecast {gate.forecast_end}: still "
                              f"{gate.total_slack} working days before its strategy is due (2026-06-30)",)
