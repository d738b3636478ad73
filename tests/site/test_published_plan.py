"""A published plan with only target dates (tests/fixtures/published-plan, modelled on a public
federal data-strategy action plan), built through the CLI at a date midway through its year.

Every colour is checked against a hand count written here from the plan's dates and its
check-ins, not from the engine: on 15 July 2020, with `due_soon_days: 14`, a milestone done is
complete; past its date and not done is red; due within 14 days is amber; otherwise green. A
milestone that waits on a red one is amber. Strategies take their worst child; goals theirs.
Then the same plan with only the figures it publishes, and what the site shows of it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from roadmapgen.cli import main
from tests.conftest import REPO

PLAN = REPO / "tests" / "fixtures" / "published-plan"
TODAY = "2020-07-15"

HAND_COUNT = {
    "activities": {
        # done, as the agency's check-ins report
        "maturity-method": "complete", "governance-chartered": "complete", "skills-survey": "complete",
        "learning-agenda-draft": "complete", "governance-first-meeting": "complete",
        "priority-assets-list": "complete",
        # past their target date, not done
        "maturity-initial": "red",  # 30 June
        "skills-pilot": "red",  # 31 March
        # due within 14 days, not done
        "learning-agenda-questions": "amber",  # 24 July
        "ethics-draft": "amber",  # 17 July
        # waits on a red milestone
        "skills-launch": "amber",
        # later target dates; one in progress with no figure; a milestone whose dependency is on time
        "data-needs-assessment": "green", "maturity-report": "green", "ethics-final": "green",
        "open-data-plan-update": "green", "open-data-plan-published": "green",
    },
    "strategies": {
        "data-needs": "amber", "maturity": "red", "governance-body": "complete",
        "priority-assets": "green", "ethics": "amber", "skills": "red",
    },
    "goals": {"culture": "red", "governance": "green", "use": "red"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner
    out = tmp_path_factory.mktemp("published") / "site"
    result = CliRunner().invoke(main, ["build", "-f", str(PLAN), "--today", TODAY, "-o", str(out), "--strict", "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def doc(site: Path) -> dict:
    return json.loads((site / "roadmap.json").read_text("utf-8"))


def test_every_colour_matches_the_hand_count(doc):
    for kind, expected in HAND_COUNT.items():
        got = {item["id"]: item["rag"]["rag"] for item in doc[kind]}
        assert got == expected, kind


def test_a_target_date_is_not_judged_along_an_invented_span(doc):
    acts = {a["id"]: a for a in doc["activities"]}
    questions = acts["learning-agenda-questions"]
    assert questions["schedule"]["target_only"] and questions["schedule"]["start"] == "2020-07-24"
    assert questions["rag"]["reasons"] == ["due 2020-07-24 (in 9 days), not done"]
    assert questions["progress"] is None and questions["expected_progress"] is None
    assert acts["maturity-report"]["rag"]["reasons"] == ["no start date: judged on its due date 2020-12-31"]
    assert acts["maturity-report"]["schedule"]["forecast_end"] == "2020-12-31"


def test_a_milestone_with_a_dependency_and_a_due_is_accepted_and_held_to_its_due(doc):
    acts = {a["id"]: a for a in doc["activities"]}
    published = acts["open-data-plan-published"]
    assert published["schedule"]["deadline_of"] == "own" and published["schedule"]["late_by"] == 0
    assert published["rag"]["reasons"] == ["milestone due 2020-10-30, forecast 2020-09-30"]


def test_completion_counts_the_milestones_and_says_what_is_unreported(doc, site):
    strategies = {s["id"]: s for s in doc["strategies"]}
    assert strategies["governance-body"]["completion"]["percent"] == 100.0
    data_needs = strategies["data-needs"]["completion"]  # 1 of 3 done; 2 open target dates gave no figure
    assert (round(data_needs["percent"], 1), data_needs["activities"], data_needs["unreported"]) == (33.3, 3, 2)
    page = (site / "strategies" / "data-needs.html").read_text("utf-8")
    assert "progress not reported for 2 of 3 activities" in page


def test_in_progress_with_no_figure_reads_not_reported_on_every_surface(doc, site):
    update = {a["id"]: a for a in doc["activities"]}["open-data-plan-update"]
    assert (update["status"], update["progress"], update["progress_source"]) == ("in-progress", None, None)
    page = (site / "activities" / "open-data-plan-update.html").read_text("utf-8")
    progress_cell = re.search(r"<dt>Progress</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert "not reported" in progress_cell and "%" not in progress_cell
    timeline = (site / "data" / "timeline.js").read_text("utf-8")
    spec = json.loads(re.search(r"window\.roadmapgenTimeline = (.*);\s*$", timeline, re.S).group(1))
    row = next(r for r in spec["rows"] if r["key"] == "activity:open-data-plan-update")
    assert row["progress"] is None and row["target"] is True
    flags = next(t for t in spec["figure"]["data"] if t.get("name", "").startswith("Target date"))
    hover = flags["hovertext"][flags["customdata"].index(row["path"])]
    assert "Progress not reported" in hover
