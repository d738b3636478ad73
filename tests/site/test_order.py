"""The `order` field as built: a numbered plan lists its goals 1, 2, 3, 4 on the goals page, the
home page, the status table and the timeline's rows, though their dates would list them 1, 3, 2, 4."""

from __future__ import annotations

import re

import pytest

from tests.conftest import write_project
from tests.site.test_charts import build, roadmap_json, timeline_data

# By when their work starts, the goals would be listed 1, 3, 2, 4.
STARTS = {1: "2026-01-05", 2: "2026-03-02", 3: "2026-02-02", 4: "2026-04-06"}


def numbered_plan() -> dict[str, str]:
    files = {}
    for n, start in STARTS.items():
        files[f"content/goals/goal-{n}.md"] = f"---\ntitle: Goal {n}\norder: {n}\nstart: {start}\ndue: 2026-12-31\n---\n"
        files[f"content/strategies/strategy-{n}.md"] = (
            f"---\ntitle: Strategy {n}\ngoal: goal-{n}\norder: 1\ndue: 2026-12-31\n---\n")
    # Within strategy-1, activity b (order 1) is listed before activity a (order 2), though a starts first.
    files["content/activities/a.md"] = "---\ntitle: A\nstrategy: strategy-1\norder: 2\nstart: 2026-01-05\nduration: 5d\n---\n"
    files["content/activities/b.md"] = "---\ntitle: B\nstrategy: strategy-1\norder: 1\nstart: 2026-02-02\nduration: 5d\n---\n"
    for n in (2, 3, 4):
        files[f"content/activities/work-{n}.md"] = (
            f"---\ntitle: Work {n}\nstrategy: strategy-{n}\nstart: {STARTS[n]}\nduration: 5d\n---\n")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("numbered") / "plan", numbered_plan())
    return build(root, root / "site")


def goal_links(html: str) -> list[str]:
    """The goals linked from a page, in order, each once."""
    return list(dict.fromkeys(re.findall(r'href="(?:\.\./)?(?:goals/)?(goal-\d)\.html"', html)))


def test_the_goals_page_lists_a_numbered_plan_in_its_order(site):
    assert goal_links((site / "goals" / "index.html").read_text("utf-8")) == ["goal-1", "goal-2", "goal-3", "goal-4"]


def test_home_and_status_table_list_goals_in_their_order(site):
    assert goal_links((site / "index.html").read_text("utf-8")) == ["goal-1", "goal-2", "goal-3", "goal-4"]
    assert goal_links((site / "status.html").read_text("utf-8")) == ["goal-1", "goal-2", "goal-3", "goal-4"]


def test_timeline_rows_follow_the_order(site):
    keys = [row["key"] for row in timeline_data(site)["rows"] if row["kind"] != "checkins"]
    goals = [k for k in keys if k.startswith("goal:")]
    assert goals == ["goal:goal-1", "goal:goal-2", "goal:goal-3", "goal:goal-4"]
    assert keys[:4] == ["goal:goal-1", "strategy:strategy-1", "activity:b", "activity:a"]


def test_a_strategy_page_lists_its_activities_in_their_order(site):
    html = (site / "strategies" / "strategy-1.html").read_text("utf-8")
    assert html.index('activities/b.html"') < html.index('activities/a.html"')


def test_roadmap_json_carries_order_as_written(site):
    doc = roadmap_json(site)
    assert {g["id"]: g["order"] for g in doc["goals"]} == {f"goal-{n}": n for n in STARTS}
    assert {a["id"]: a["order"] for a in doc["activities"]}["work-2"] is None
