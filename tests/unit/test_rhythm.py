"""The rhythm on hand-built roadmaps: stale activities, the next meetings, what each update moved,
load per week against capacity, quarters computed from the data, and baselines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.baseline import compare, current_plan, read_baseline, slip_days, to_yaml
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine import capacity as capacity_module
from roadmapgen.engine.capacity import compute_capacity, report_over_allocation
from roadmapgen.engine.pipeline import compute_loaded
from roadmapgen.engine.quarters import Quarter, quarter_reports
from roadmapgen.engine.rhythm import (
    GRACE_DAYS, next_meetings, occurrences, stale_items, staleness, update_changes, updates_of,
)
from roadmapgen.engine.schedule import schedule_roadmap
from roadmapgen.engine.tracking import track
from roadmapgen.model import (
    Assignment, Cadence, CalendarConfig, CheckinConfig, DateRange, Holiday, Review, Source,
)
from tests.builders import activity, d, goal, item, person, roadmap, strategy, update

WEEKLY = Cadence("week", 0)


def with_standup(r, cadence=WEEKLY):
    return replace(r, config=replace(r.config, checkins=CheckinConfig(standup=cadence)))


def computed_at(r, today: str, baseline=None):
    return compute_loaded(r, Diagnostics(), d(today), baseline=baseline)


# -- cadences --------------------------------------------------------------------------------------

def test_weekly_stand_ups_fall_on_their_weekday_after_a_date():
    assert list(occurrences(WEEKLY, d("2026-05-04"), d("2026-05-25"))) == [d("2026-05-11"), d("2026-05-18"),
                                                                           d("2026-05-25")]
    assert list(occurrences(Cadence("week", 2), d("2026-05-04"), d("2026-05-14"))) == [d("2026-05-06"),
                                                                                     d("2026-05-13")]


def test_monthly_and_quarterly_meetings_fall_on_the_first_such_weekday():
    assert list(occurrences(Cadence("month", 0), d("2026-04-30"), d("2026-07-01"))) == [
        d("2026-05-04"), d("2026-06-01")]
    assert list(occurrences(Cadence("quarter"), d("2026-01-01"), d("2026-12-31"))) == [
        d("2026-04-01"), d("2026-07-01"), d("2026-10-01")]


# -- stale -----------------------------------------------------------------------------------------

def _stale_roadmap(*updates, status="in-progress"):
    return with_standup(roadmap(goals=[goal("g")], activities=[
        activity("a", goal="g", start="2026-04-06", duration=60, status=status, progress=10)],
        updates=updates))


def test_an_activity_three_stand_ups_without_an_update_is_amber_with_the_reason():
    r = _stale_roadmap(update("u1", "2026-05-04", item("a", progress=50)))
    c = computed_at(r, "2026-05-25")
    status = c.status.activities["a"]
    assert status.rag == "amber"
    assert "no update since 2026-05-04 (3 stand-ups missed)" in status.reasons
    assert [s.id for s in c.rhythm.stale] == ["a"]


def test_within_the_cadence_and_its_grace_an_activity_is_not_stale():
    r = _stale_roadmap(update("u1", "2026-05-04", item("a", progress=50)))
    assert staleness(WEEKLY, r.activities["a"], track(r, d("2026-05-14")).activities["a"], None,
                     d("2026-05-04") + (d("2026-05-11") - d("2026-05-04")) + _days(GRACE_DAYS)) is None
    c = computed_at(r, "2026-05-14")  # 10 days: one week and its three days of grace
    assert c.status.activities["a"].rag == "green"
    assert c.rhythm.stale == ()
    assert computed_at(r, "2026-05-15").status.activities["a"].rag == "amber"


def _days(n):
    from datetime import timedelta
    return timedelta(days=n)


def test_without_a_stand_up_rhythm_nothing_is_stale():
    r = replace(_stale_roadmap(update("u1", "2026-05-04", item("a", progress=50))),
                config=roadmap().config)
    c = computed_at(r, "2026-07-01")
    assert c.rhythm.stale == ()
    assert not any("stand-up" in reason for reason in c.status.activities["a"].reasons)


def test_only_activities_in_progress_go_stale_and_done_ones_never():
    for status in ("not-started", "done", "paused", "cancelled"):
        r = _stale_roadmap(update("u1", "2026-05-04", item("a", progress=20)), status=status)
        assert computed_at(r, "2026-06-15").rhythm.stale == (), status


def test_never_updated_it_is_stale_from_its_planned_start():
    c = computed_at(_stale_roadmap(), "2026-04-27")
    [stale] = c.rhythm.stale
    assert stale.stale.reason() == "no update since it started on 2026-04-06 (3 stand-ups missed)"


def test_stale_is_a_check_warning_at_the_status_line():
    r = _stale_roadmap(update("u1", "2026-05-04", item("a", progress=50)))
    diagnostics = Diagnostics()
    compute_loaded(r, diagnostics, d("2026-05-25"))
    [warning] = [x for x in diagnostics if x.code == "stale-update"]
    assert warning.severity.value == "warning" and warning.path == "content/activities/a.md"
    assert "3 stand-ups missed" in warning.message


def test_the_next_stand_up_and_review():
    r = with_standup(roadmap(goals=[goal("g")]))
    calendar = WorkCalendar(r.config.calendar)
    meetings = next_meetings(r, d("2026-05-26"), calendar)
    assert meetings.standup == d("2026-06-01")
    assert meetings.review == d("2026-07-01")
    review = Review("q2", "Q2 review", "2026-Q2", d("2026-07-08"), (), (), "", Source("content/reviews/q2.md"))
    meetings = next_meetings(replace(r, reviews={"q2": review}), d("2026-05-26"), calendar)
    assert (meetings.review, meetings.review_title) == (d("2026-07-08"), "Q2 review")


# -- what updates moved ----------------------------------------------------------------------------

def test_each_update_says_what_it_moved_before_and_after():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g", start="2026-01-05", duration=20,
                                                        status="in-progress", progress=10),
                                               activity("b", goal="g", start="2026-01-05", duration=20)],
                updates=[update("u1", "2026-01-12", item("a", progress=30)),
                         update("u2", "2026-01-19", item("a", progress=35, note="slow week"),
                                item("b", status="done"))])
    c = computed_at(r, "2026-01-26")
    changes = update_changes(r, c.today, c.history, c.schedule.activities)
    [a1] = changes["u1"]
    assert {x.field: (x.before, x.after) for x in a1.changes}["progress"] == (10.0, 30.0)
    a2, b2 = changes["u2"]
    assert {x.field: (x.before, x.after) for x in a2.changes}["progress"] == (30.0, 35.0)
    assert a2.note == "slow week"
    assert {x.field: (x.before, x.after) for x in b2.changes}["progress"] == (None, 100.0)
    assert {x.field: x.after for x in b2.changes}["colour"] == "complete"
    assert updates_of(r)[("activity", "a")] == ("u1", "u2")


def test_an_update_that_only_leaves_a_note_still_counts():
    r = roadmap(goals=[goal("g")], activities=[activity("a", goal="g")],
                updates=[update("u1", "2026-01-12", item("a", note="just a note"))])
    assert updates_of(r)[("activity", "a")] == ("u1",)


def test_a_goal_update_moves_its_metric():
    from roadmapgen.model import Metric

    metric = Metric("Conversion", "%", 20, 40, 22, "increase")
    r = roadmap(goals=[goal("g", metric=metric)], activities=[activity("a", goal="g")],
                updates=[update("u1", "2026-02-02", item("g", kind="goal", metric=25))])
    c = computed_at(r, "2026-02-09")
    [g] = update_changes(r, c.today, c.history)["u1"]
    assert {x.field: (x.before, x.after) for x in g.changes}["metric"] == (22, 25)


# -- load per week -----------------------------------------------------------------------------

def _load_roadmap(**person_args):
    return roadmap(goals=[goal("g")], people=[replace(person("p"), **person_args)], activities=[
        activity("a", goal="g", start="2026-03-02", duration=10, resources=(Assignment("p", 100),)),
        activity("b", goal="g", start="2026-03-09", duration=10, resources=(Assignment("p", 50),)),
        activity("c", goal="g", start="2026-03-23", duration=0, resources=(Assignment("p", 100),)),
    ])


def _weeks(r, today="2026-03-01"):
    c = computed_at(r, today)
    return c, {w.label: w for w in c.rhythm.capacity.resources["p"].weeks}


def test_load_per_week_adds_up_the_activities_of_that_week():
    _, weeks = _weeks(_load_roadmap())
    assert weeks["2026-W10"].load == pytest.approx(100)
    assert weeks["2026-W11"].load == pytest.approx(150)  # a and b overlap all week
    assert weeks["2026-W12"].load == pytest.approx(50)
    assert "2026-W13" not in weeks  # a milestone books nobody
    assert [w.label for w in _weeks(_load_roadmap())[0].rhythm.capacity.resources["p"].over_weeks] == ["2026-W11"]


def test_a_part_week_is_pro_rated_by_its_working_days():
    r = roadmap(goals=[goal("g")], people=[person("p")], activities=[
        activity("a", goal="g", start="2026-03-02", duration=2, resources=(Assignment("p", 100),)),
        activity("b", goal="g", start="2026-03-04", duration=3, resources=(Assignment("p", 100),))])
    _, weeks = _weeks(r)
    assert weeks["2026-W10"].load == pytest.approx(100)  # 2/5 + 3/5 of the week: full, not 200%
    assert not weeks["2026-W10"].over


def test_capacity_less_time_off_is_what_is_available():
    _, weeks = _weeks(_load_roadmap(capacity=200.0))
    assert not any(w.over for w in weeks.values())
    off = (DateRange(d("2026-03-02"), d("2026-03-03")),)
    _, weeks = _weeks(_load_roadmap(time_off=off))
    assert weeks["2026-W10"].available == pytest.approx(60)
    assert weeks["2026-W10"].over


def test_over_allocation_is_a_warning_naming_the_person_the_weeks_and_the_activities():
    r = _load_roadmap()
    c = computed_at(r, "2026-03-01")
    diagnostics = Diagnostics()
    report_over_allocation(r, c.rhythm.capacity, c.today, diagnostics)
    [warning] = list(diagnostics)
    assert warning.code == "over-allocated" and warning.path == "content/people/p.md"
    assert "P is over-allocated in 1 week (2026-W11" in warning.message
    assert "‘A’" in warning.message and "‘B’" in warning.message
    late = Diagnostics()
    report_over_allocation(r, c.rhythm.capacity, d("2026-04-01"), late)
    assert list(late) == []  # weeks gone by are shown, not warned about


def test_a_team_can_hold_the_capacity_of_several_people():
    _, weeks = _weeks(_load_roadmap(type="team", capacity=300.0))
    assert not any(w.over for w in weeks.values())


def test_paused_and_cancelled_activities_book_nobody():
    r = _load_roadmap()
    r = replace(r, activities={**r.activities, "b": replace(r.activities["b"], status="paused")})
    _, weeks = _weeks(r)
    assert weeks["2026-W11"].load == pytest.approx(100)


def _fresh_load(r, today="2026-03-01"):
    c = compute_loaded(r, Diagnostics(), d(today), with_history=False)
    people = tuple((p.id, p.capacity, p.time_off) for p in r.people.values())
    bookings = tuple(capacity_module._bookings(r, c.schedule, c.tracking))  # noqa: SLF001
    return c.rhythm.capacity, capacity_module._Ledger(r, bookings, people, c.schedule.calendar).capacity  # noqa: SLF001


@pytest.mark.parametrize("seed", range(6))
def test_the_load_kept_from_the_last_call_equals_a_fresh_one_after_any_change(seed):
    # a live preview's save changes a few bookings; the ledger takes them out and back in
    import random

    rng = random.Random(seed)
    people = [person(f"p{n}", capacity=rng.choice((50.0, 80.0, 100.0))) for n in range(4)]
    # many overlapping bookings of odd shares: a week's total depends on the order it is summed in
    acts = [activity(f"a{n}", goal="g", start=f"2026-03-{rng.randint(10, 28)}", duration=rng.randint(0, 30),
                     resources=(Assignment(f"p{rng.randrange(2)}", rng.choice((7, 13, 33, 71))),))
            for n in range(20)]
    r = roadmap(goals=[goal("g")], people=people, activities=acts)
    for step in range(25):
        aid = f"a{rng.randrange(20)}"
        a = r.activities.get(aid)
        change = rng.randrange(6)
        if change == 0 and a is not None:
            r = replace(r, activities={**r.activities, aid: replace(a, duration=rng.randint(0, 40))})
        elif change == 1 and a is not None:
            load = Assignment(f"p{rng.randrange(4)}", rng.choice((11, 33, 70)))
            r = replace(r, activities={**r.activities, aid: replace(a, resources=a.resources + (load,))})
        elif change == 2 and a is not None:
            r = replace(r, activities={**r.activities, aid: replace(a, status=rng.choice(("paused", "in-progress")))})
        elif change == 3 and a is not None:
            r = replace(r, activities={k: v for k, v in r.activities.items() if k != aid})
        elif change == 4:
            pid = f"p{rng.randrange(4)}"
            r = replace(r, people={**r.people, pid: replace(r.people[pid], capacity=rng.choice((40.0, 100.0)))})
        else:
            r = replace(r, activities={**r.activities, aid: activity(aid, goal="g", start="2026-04-01",
                                                                     duration=rng.randint(1, 20),
                                                                     resources=(Assignment("p0", 60),))})
        kept, fresh = _fresh_load(r)
        assert kept == fresh, f"step {step}"


def _shares_day_by_day(calendar, start, end):
    """The share of each week a span covers, counted by working_days_between, week by week."""
    shares, monday = {}, capacity_module.week_of(start)
    while monday <= end:
        sunday = monday + timedelta(days=6)
        in_week = calendar.working_days_between(monday, sunday)
        covered = calendar.working_days_between(max(start, monday), min(end, sunday))
        if in_week and covered:
            shares[monday] = covered / in_week
        monday += timedelta(days=7)
    return shares


@pytest.mark.parametrize("seed", range(4))
def test_the_week_table_gives_the_shares_of_counting_day_by_day(seed):
    # any workdays, holidays on working and other days, spans starting and ending anywhere
    import random

    rng = random.Random(seed)
    for _ in range(40):
        workdays = tuple(sorted(rng.sample(range(7), rng.randint(1, 7))))
        holidays = tuple(Holiday(d("2026-01-01") + timedelta(days=rng.randrange(400)))
                         for _ in range(rng.randint(0, 40)))
        calendar = WorkCalendar(CalendarConfig(workdays=workdays, holidays=holidays))
        weeks = capacity_module._Weeks(calendar)  # noqa: SLF001
        for _ in range(30):
            start = d("2025-12-01") + timedelta(days=rng.randrange(450))
            end = start + timedelta(days=rng.choice((0, 1, 2, 5, 6, 7, 13, 40, 200)))
            assert _by_monday(weeks, start, end) == _shares_day_by_day(calendar, start, end), (workdays, start, end)
            first, after, monday = weeks.week((start.toordinal() - 1) // 7)
            assert monday == capacity_module.week_of(start)
            assert after - first == calendar.working_days_between(monday, monday + timedelta(days=6))
    far = WorkCalendar()  # the first and last weeks a booking may fall in
    for start, end in ((capacity_module.FIRST_DAY, d("0001-03-01")), (d("9999-10-01"), capacity_module.LAST_DAY)):
        weeks = capacity_module._Weeks(far)  # noqa: SLF001
        assert _by_monday(weeks, start, end) == _shares_day_by_day(far, start, end)


def _by_monday(weeks, start, end):
    return {weeks.week(number)[2]: share for number, share in weeks.shares(start, end).items()}


def test_a_week_lists_its_activities_largest_load_first_and_ties_by_id():
    import random

    rng = random.Random(3)
    for _ in range(200):
        ids = rng.sample([f"a{n}" for n in range(30)], rng.randint(0, 12))
        loads = {aid: rng.choice((12.5, 20.0, 33.3, 50.0, 100.0)) for aid in ids}
        expected = tuple(sorted(loads.items(), key=lambda kv: (-kv[1], kv[0])))
        assert capacity_module._largest_first(loads) == expected  # noqa: SLF001


def test_the_load_is_kept_for_equal_bookings():
    r = _load_roadmap()
    first = computed_at(r, "2026-03-01").rhythm.capacity
    renamed = replace(r, activities={**r.activities, "a": replace(r.activities["a"], title="New")})
    assert computed_at(renamed, "2026-03-01").rhythm.capacity is first  # a title books nobody


# -- quarters --------------------------------------------------------------------------------------

def _quarter_roadmap():
    return roadmap(goals=[goal("g", start="2026-01-05", due="2026-12-31")],
                   strategies=[strategy("s", goal="g")],
                   activities=[activity("a", strategy="s", start="2026-01-05", duration=20, status="in-progress",
                                        progress=0),
                               activity("b", strategy="s", start="2026-04-06", duration=20),
                               activity("c", strategy="s", start="2026-02-02", duration=10,
                                        status="in-progress", progress=0)],
                   updates=[update("u1", "2026-02-27", item("a", status="done")),
                            update("u2", "2026-04-15", item("b", status="in-progress", progress=10)),
                            update("u3", "2026-06-30", item("c", progress=50))],
                   start="2026-01-05")


def test_every_quarter_the_roadmap_spans_up_to_today_has_a_report():
    reports = quarter_reports(computed_at(_quarter_roadmap(), "2026-07-10"))
    assert [r.quarter.label for r in reports] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert reports[-1].current and reports[-1].end == d("2026-07-10")
    assert Quarter(2026, 4).end == d("2026-12-31")


def test_a_quarter_says_what_was_completed_started_and_slipped():
    q1, q2, _ = quarter_reports(computed_at(_quarter_roadmap(), "2026-07-10"))
    assert q1.completed == ("a",)
    assert q1.started == ()  # a and c are in progress in their (undated) files: under way from the start
    assert q2.started == ("b",)
    # c (10 days from 2 Feb, nothing reported) was forecast at its plan as Q2 opened and later by 30 June:
    slips = {s.id: s for s in q2.slipped}
    assert "c" in slips
    first = schedule_roadmap(_quarter_roadmap(), track(_quarter_roadmap(), d("2026-03-31")), d("2026-03-31"),
                             Diagnostics()).activities["c"].forecast_end
    last = schedule_roadmap(_quarter_roadmap(), track(_quarter_roadmap(), d("2026-06-30")), d("2026-06-30"),
                            Diagnostics()).activities["c"].forecast_end
    calendar = WorkCalendar(_quarter_roadmap().config.calendar)
    assert (slips["c"].before, slips["c"].after) == (first, last)
    assert slips["c"].days == slip_days(first, last, calendar) > 0
    assert q2.slipped_days == sum(s.days for s in q2.slipped)


def test_a_quarter_lists_the_items_that_changed_colour_with_their_reasons():
    q1, q2, _ = quarter_reports(computed_at(_quarter_roadmap(), "2026-07-10"))
    changed = {(c.kind, c.id): c for c in q1.changed}
    assert changed[("activity", "a")].after == "complete"
    assert all(c.reasons for c in q2.changed)


def test_a_review_file_joins_its_quarter():
    review = Review("q2", "Q2 review", "2026-Q2", d("2026-07-08"), (), ("Ship it",), "", Source("r.md"))
    r = replace(_quarter_roadmap(), reviews={"q2": review})
    q1, q2, q3 = quarter_reports(computed_at(r, "2026-07-10"))
    assert q2.review is review and q1.review is None and q3.review is None


# -- baselines -------------------------------------------------------------------------------------

def _plan(r, today):
    c = computed_at(r, today)
    return current_plan(r, c.schedule, "q4", c.today)


def test_a_baseline_round_trips_through_its_file():
    r = _quarter_roadmap()
    plan = _plan(r, "2026-03-01")
    diagnostics = Diagnostics()
    back = read_baseline(to_yaml(plan), "q4", "baselines/q4.yml", r, diagnostics)
    assert list(diagnostics) == []
    assert back.items == plan.items and back.saved == plan.saved


def test_titles_with_quotes_colons_and_controls_survive_the_file():
    r = roadmap(goals=[replace(goal("g"), title='A "goal": with\ttabs \\ and \u202e')])
    plan = _plan(r, "2026-03-01")
    back = read_baseline(to_yaml(plan), "q4", "baselines/q4.yml", r, Diagnostics())
    assert back.items[("goal", "g")].title == r.goals["g"].title


def test_moving_an_activity_shows_its_slip_and_the_moves():
    r = _quarter_roadmap()
    baseline = _plan(r, "2026-03-01")
    moved = replace(r, activities={**r.activities, "b": replace(r.activities["b"], start=d("2026-04-13"))})
    c = computed_at(moved, "2026-03-01", baseline=baseline)
    comparison = c.rhythm.comparison
    assert comparison.slips[("activity", "b")].days == 5
    assert ("activity", "b") in comparison.moved
    assert comparison.total() == 5
    assert comparison.added == () and comparison.removed == ()


def test_added_removed_and_reowned_items():
    r = _quarter_roadmap()
    baseline = _plan(r, "2026-03-01")
    activities = {k: v for k, v in r.activities.items() if k != "c"}
    activities["a"] = replace(activities["a"], owner="someone")
    activities["new"] = activity("new", strategy="s", start="2026-05-04", duration=5)
    comparison = compare(baseline, _plan(replace(r, activities=activities), "2026-03-01"),
                         WorkCalendar(r.config.calendar))
    assert comparison.added == (("activity", "new"),)
    assert [item.id for item in comparison.removed] == ["c"]
    assert comparison.reowned == ((("activity", "a"), None, "someone"),)


@pytest.mark.parametrize("text", [
    "", "- a list\n", "goal: [1, 2]\n", "activity:\n  a: 3\n", "activity:\n  a: {start: soon, end: 2026-01-01}\n",
    "activity: {a: {start: 2026-01-01, end: 2026-99-01}}\n", ": : :\n", "activity:\n  a: {owner: [x]}\n",
    "activity:\n  [1]: {start: 2026-01-01}\n", "\x00\x01", "a: &x [*x]\n",
])
def test_a_broken_baseline_is_diagnostics_never_a_crash(text):
    diagnostics = Diagnostics()
    read_baseline(text, "q4", "baselines/q4.yml", None, diagnostics)
    for found in diagnostics:
        assert found.path == "baselines/q4.yml" and found.line >= 1


def test_slip_counts_working_days_later_or_earlier():
    calendar = WorkCalendar(roadmap().config.calendar)
    assert slip_days(d("2026-03-02"), d("2026-03-09"), calendar) == 5
    assert slip_days(d("2026-03-09"), d("2026-03-02"), calendar) == -5
    assert slip_days(d("2026-03-02"), d("2026-03-02"), calendar) == 0
