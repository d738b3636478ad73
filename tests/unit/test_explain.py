"""Why this date (engine/explain.py): each sentence names what the schedule recorded."""

from __future__ import annotations

from dataclasses import replace

from click.testing import CliRunner

from roadmapgen.cli import main
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.explain import Explainer, as_text, find_item
from roadmapgen.engine.pipeline import compute_loaded
from tests.builders import activity, d, goal, item, roadmap, strategy, update
from tests.conftest import EXAMPLE_TODAY, REPO


def computed(*activities, today="2026-01-05", holidays=(), updates=(), start="2026-01-05"):
    rm = roadmap(goals=[goal("g")], strategies=[strategy("s", "g")], activities=activities, holidays=holidays,
                 updates=updates, start=start)
    return compute_loaded(rm, Diagnostics(), d(today), with_history=False)


def test_a_dependency_start_names_the_driver_and_the_holiday_skipped():
    # a ends Thu 2026-01-08; Fri 01-09 is a holiday, then the weekend: b starts Mon 01-12
    c = computed(activity("a", "s", start="2026-01-05", duration=4), activity("early", "s", start="2026-01-05", duration=1),
                 activity("b", "s", duration=3, depends_on=("a", "early")), holidays=("2026-01-09",))
    e = Explainer(c).explain("activity", "b")
    assert e.dates[0] == ("starts Mon 2026-01-12 because `a` ends Thu 2026-01-08 (the next working day after it ends; "
                          "Fri 2026-01-09 is a holiday (Holiday), 2 non-working days skipped); its 1 other dependency "
                          "ends earlier")
    assert [step for step, _ in e.chain] == ["b", "a"]
    assert e.chain[-1][1] == "starts Mon 2026-01-05 because its `start` is set to 2026-01-05"


def test_the_chain_follows_the_forecast_driver_and_says_what_pushed_it():
    # a is half done on day 6 of a 4-day plan: it runs late and pushes b
    c = computed(activity("a", "s", start="2026-01-05", duration=4), activity("b", "s", duration=2, depends_on=("a",)),
                 updates=[update("u", "2026-01-12", item("a", progress=50))], today="2026-01-12")
    x = Explainer(c)
    sa = c.schedule.activities["a"]
    assert c.schedule.activities["b"].forecast_driver == "a"
    forecast = x.dates("b")[-1]
    assert forecast.startswith(f"is forecast to start {x_day(c.schedule.activities['b'].forecast_start)} "
                               f"because `a` is forecast to end {x_day(sa.forecast_end)}")
    assert "50% done as of today (Mon 2026-01-12): 2 working days of work left" in x.dates("a")[-1]


def x_day(value):
    from roadmapgen.engine.explain import day
    return day(value)


def test_free_slack_is_the_room_before_the_first_successor_moves():
    # a ends 01-06; b is pinned to 01-12, so a can slip 3 working days (01-07, 01-08, 01-09)
    c = computed(activity("a", "s", start="2026-01-05", duration=2),
                 activity("b", "s", start="2026-01-12", duration=2, depends_on=("a",)))
    assert Explainer(c).free_slack("a") == (3, "b")
    assert Explainer(c).free_slack("b") is None
    assert "free slack is 3 working days" in " ".join(Explainer(c).slack("a"))


def test_target_dates_and_counted_back_dues_say_so():
    c = computed(activity("t", "s", due="2026-03-02", target_only=True), activity("back", "s", due="2026-01-16", duration=5))
    x = Explainer(c)
    assert x.start("t").startswith("is a target date: due Mon 2026-03-02")
    assert x.start("back") == ("starts Mon 2026-01-12, counted back 5 working days from its due Fri 2026-01-16 "
                               "(no start and no dependency of its own)")


def test_a_goal_is_explained_by_its_last_activity():
    c = computed(activity("a", "s", start="2026-01-05", duration=4), activity("b", "s", duration=3, depends_on=("a",)))
    e = Explainer(c).explain("goal", "g")
    assert "with `b`, the last of its 2 activities to finish" in e.dates[1]
    assert [step for step, _ in e.chain] == ["b", "a"]
    assert e.colour == c.status.goals["g"].rag


def test_find_item_resolves_kinds_and_suggests():
    c = computed(activity("a", "s", start="2026-01-05", duration=4))
    assert find_item(c.roadmap, "a") == ("activity", "a")
    assert find_item(c.roadmap, "goal:g") == ("goal", "g")
    assert find_item(c.roadmap, "ss") == "no goal, strategy or activity has the id 'ss'; did you mean 's'?"
    assert "not a kind" in find_item(c.roadmap, "person:a")


def test_explain_on_the_example_names_the_right_driver_and_matches_the_page(tmp_path):
    result = CliRunner().invoke(main, ["explain", "wms-integration-testing", "-f", str(REPO), "--today", EXAMPLE_TODAY])
    assert result.exit_code == 0, result.output
    # two dependencies: configuration (forecast to end later) drives it, not data migration
    assert "because `wms-configuration` is forecast to end" in result.output
    lines = result.output.splitlines()
    chain = [line.split(". ", 1)[1].split(" ", 1)[0] for line in lines if line[:4].strip().rstrip(".").isdigit()]
    assert chain == ["wms-integration-testing", "wms-configuration", "wms-process-mapping", "wms-vendor-selection"]
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", "-f", str(REPO), "--today", EXAMPLE_TODAY, "-o", str(out), "-q"])
    page = (out / "activities" / "wms-integration-testing.html").read_text("utf-8")
    assert "Why this date" in page and "‘Configure the cloud WMS’ is forecast to end" in page


def test_explain_refuses_an_unknown_id_with_a_suggestion():
    result = CliRunner().invoke(main, ["explain", "wms-cutovr", "-f", str(REPO)])
    assert result.exit_code == 1
    assert "did you mean 'wms-cutover'" in result.output
