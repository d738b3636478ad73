"""The SMART lint end to end: `check` prints its findings at the goal's file and line, the goal
page shows the same card, and roadmap.json carries it."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from roadmapgen.cli import main
from tests.conftest import EXAMPLE_TODAY, REPO, write_project

WEAK = {
    "content/goals/vague.md": "---\ntitle: Improve things a lot\ndue: 2026-12-31\n---\n",
    "content/goals/good.md": (
        "---\ntitle: Raise on-time delivery in the north region\nowner: ann\ndue: 2026-12-31\n"
        "why: Merchants leave us over late parcels.\n"
        "metric: {name: On time, unit: '%', baseline: 80, target: 95, current: 88}\n---\n"),
    "content/activities/work.md": "---\ntitle: Route planning\ngoal: good\nduration: 10d\n---\n",
    "content/people/ann.md": "---\nname: Ann\n---\n",
}


def test_check_reports_a_weak_goal_letter_by_letter_at_its_file(tmp_path):
    project = write_project(tmp_path / "p", WEAK, config="title: T\nstart: 2026-01-05\ntoday: 2026-03-02\n")
    result = CliRunner().invoke(main, ["check", "-f", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output  # warnings, not errors
    found = {(d["path"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {("content/goals/vague.md", code) for code in (
        "smart-no-owner", "smart-vague-title", "smart-no-metric", "smart-no-why", "smart-unserved")}
    strict = CliRunner().invoke(main, ["check", "-f", str(project), "--strict"])
    assert strict.exit_code == 1
    assert "content/goals/vague.md:2:1: warning[smart-vague-title]" in strict.output


def test_the_goal_page_and_roadmap_json_show_the_same_card(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "-f", str(REPO), "--today", EXAMPLE_TODAY, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    page = (out / "goals" / "delivery-emissions.html").read_text("utf-8")
    card = page.split('class="smart-card"', 1)[1].split("</section>", 1)[0]
    states = re.findall(r'<strong>(\w[\w-]*)</strong>: <span class="smart-state">(met|not met|not judged)</span>', card)
    document = json.loads((out / "roadmap.json").read_text("utf-8"))
    goal = next(g for g in document["goals"] if g["id"] == "delivery-emissions")
    expected = [(name.capitalize() if name != "time-bound" else "Time-bound",
                 {True: "met", False: "not met", None: "not judged"}[letter["met"]])
                for name, letter in goal["smart"].items()]
    assert states == expected
    assert ("Achievable", "not met") in states
    assert goal["smart"]["achievable"]["codes"] == ["smart-not-achievable"]
    assert "(4 of 5 met)" in card
