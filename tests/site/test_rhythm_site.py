"""The rhythm end to end, through the CLI, on the example roadmap: what updates moved, stale items
and the next meetings, a computed page per quarter whose Q3 figures match the content, load and
over-allocation, and a baseline that shows an activity's slip after it is moved."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.cli import main
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.load import load
from roadmapgen.engine.schedule import schedule_roadmap
from roadmapgen.engine.status import compute_status
from roadmapgen.engine.tracking import track
from roadmapgen.engine.validate import validate
from tests.conftest import EXAMPLE_TODAY, REPO


def text_of(path: Path) -> str:
    """A page's text, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))))


def build(runner, project: Path, output: Path, *extra: str):
    result = runner.invoke(main, ["build", "-f", str(project), "-o", str(output), "--today", EXAMPLE_TODAY, *extra])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    output = tmp_path_factory.mktemp("rhythm") / "site"
    build(CliRunner(), REPO, output)
    return output


def example_roadmap():
    diagnostics = Diagnostics()
    config, loaded = load(REPO, diagnostics)
    return validate(config, loaded.items, loaded.seen, diagnostics)


# -- updates ---------------------------------------------------------------------------------------

def test_the_updates_page_shows_what_each_update_moved(site):
    page = text_of(site / "updates" / "index.html")
    assert page.count("changed (before → after)") == 17  # every update of the example is dated by today
    checkin = text_of(site / "updates" / "2026-11-23-checkin.html")
    assert "Configure the cloud WMS 70% → 80%" in checkin  # its progress before and after the update
    assert "Grow to 220 active merchants" in checkin and "148 merchants → 151 merchants" in checkin  # a goal's metric


def test_an_item_lists_every_update_that_named_it(site):
    roadmap = example_roadmap()
    named = sorted({u.id for u in roadmap.updates.values() for it in u.items if it.ref == "wms-data-migration"})
    page = (site / "activities" / "wms-data-migration.html").read_text("utf-8")
    history = page[page.index("Update history"):]
    for update_id in named:
        assert f"updates/{update_id}.html" in history


# -- stale items and the next meetings ---------------------------------------------------------

def test_stale_items_are_a_warning_an_amber_reason_and_a_home_section(runner, site):
    result = runner.invoke(main, ["check", "-f", str(REPO), "--today", EXAMPLE_TODAY])
    stale = re.findall(r"^(\S+): warning\[stale-update\] ‘(.+?)’ is in progress with (no update since .+)$",
                       result.output, re.MULTILINE)
    assert stale, result.output
    home = text_of(site / "index.html")
    assert "Stale: in progress, no recent update" in home
    roadmap = example_roadmap()
    for where, title, reason in stale:
        [activity] = [a for a in roadmap.activities.values() if a.title == title]
        assert where.startswith(activity.source.path)
        assert f"{title} " in home and reason in home
        assert reason in text_of(site / "activities" / f"{activity.id}.html")
    # roadmap.json carries the same stale activities, with the same dates (one source)
    exported = {s["id"]: s for s in json.loads((site / "roadmap.json").read_text("utf-8"))["rhythm"]["stale"]}
    assert {a.id for a in roadmap.activities.values() if a.title in {t for _, t, _ in stale}} == set(exported)
    for item in exported.values():
        assert f"no update since {item['since']} ({item['missed']} stand-up" in home


def test_the_home_page_shows_the_next_stand_up_and_review(site):
    home = text_of(site / "index.html")
    assert "Next stand-up 2026-11-30" in home  # roadmap.yml: weekly on Monday; today is Wednesday 25 November
    assert "Next review 2027-01-04" in home  # quarterly: the first working day of Q1 (1 January is a holiday)


# -- quarters -------------------------------------------------------------------------------------

def test_every_quarter_up_to_today_has_a_page_listed_with_its_figures(site):
    for key in ("2026-q2", "2026-q3", "2026-q4"):  # roadmap.yml starts on 2026-04-01; today is in Q4
        assert (site / "quarters" / f"{key}.html").is_file()
        assert f'href="../quarters/{key}.html"' in (site / "reviews" / "index.html").read_text("utf-8")
    assert not (site / "quarters" / "2026-q1.html").exists() and not (site / "quarters" / "2027-q1.html").exists()
    assert "2026-Q4 (to date)" in text_of(site / "reviews" / "index.html")


def _judged(roadmap, day: date) -> tuple[dict[str, date], dict[str, str]]:
    """Each activity's forecast end and colour, tracked, scheduled and judged from scratch on `day`."""
    tracking = track(roadmap, day)
    schedule = schedule_roadmap(roadmap, tracking, day, Diagnostics())
    status = compute_status(roadmap, tracking, schedule, day)
    return ({aid: s.forecast_end for aid, s in schedule.activities.items()},
            {aid: s.rag for aid, s in status.activities.items()})


def test_the_q3_page_shows_what_slipped_with_figures_that_match_the_content(site):
    """Tracked and scheduled from scratch at 30 June and 30 September (not through history's replay),
    every activity open on 30 June whose forecast end was later on 30 September is on the page with
    the working days between the two dates, and the total adds up."""
    roadmap = example_roadmap()
    calendar = WorkCalendar(roadmap.config.calendar)
    (before, colour_before), (after, colour_after) = _judged(roadmap, date(2026, 6, 30)), _judged(roadmap, date(2026, 9, 30))
    expected = {}
    for aid, old in before.items():
        if colour_before[aid] in ("complete", "cancelled") or colour_after[aid] == "cancelled" or after[aid] <= old:
            continue
        expected[aid] = sum(1 for n in range(1, (after[aid] - old).days + 1)
                            if calendar.is_working_day(date.fromordinal(old.toordinal() + n)))
    assert expected, "the example's Q3 should have slipped work"
    page = (site / "quarters" / "2026-q3.html").read_text("utf-8")
    rows = dict(re.findall(r'activities/([\w-]+)\.html">[^<]*</a></th><td>[^<]*</td><td>[^<]*</td>'
                           r'<td data-days="(\d+)">', page))
    assert {aid: int(days) for aid, days in rows.items()} == expected
    total = sum(expected.values())
    assert f"Slipped ({len(expected)}, {total} working days later in total)" in text_of(site / "quarters" / "2026-q3.html")
    assert f"{len(expected)} ({total} working days later)" in text_of(site / "reviews" / "index.html")


def test_a_quarter_page_carries_its_review_files_decisions_and_notes(site):
    page = text_of(site / "quarters" / "2026-q3.html")
    assert "Cancel the on-demand box-machine trial" in page  # a decision of content/reviews/2026-q3-review.md
    assert "Covering July to September" in page  # its notes
    assert "No review file for 2026-Q4" in text_of(site / "quarters" / "2026-q4.html")
    for heading in ("Goals", "Completed", "Slipped", "Started", "Changed colour"):
        assert f"{heading} (" in page or heading in page


# -- resources -----------------------------------------------------------------------------------

def test_an_over_allocated_person_is_named_by_check_and_the_resources_page(runner, site):
    result = runner.invoke(main, ["check", "-f", str(REPO), "--today", EXAMPLE_TODAY])
    over = re.findall(r"warning\[over-allocated\] (.+?) is over-allocated in \d+ weeks? \((\d{4}-W\d\d)", result.output)
    names = [name for name, _ in over]
    assert "Tom Becker" in names, result.output
    resources = text_of(site / "resources" / "index.html")
    for name, first_week in over:
        assert f"{name}" in resources and first_week in resources
    page = (site / "resources" / "index.html").read_text("utf-8")
    assert re.search(r'<td class="over">\d+!</td>', page)
    tom = text_of(site / "people" / "tom-becker.html")
    assert "Load per week" in tom and "Over-allocated in" in tom
    exported = json.loads((site / "roadmap.json").read_text("utf-8"))["rhythm"]["over_allocated"]
    people = example_roadmap().people
    assert sorted(people[o["id"]].name for o in exported) == sorted(names)
    assert all(o["weeks"][0] == dict(over)[people[o["id"]].name] for o in exported)


def test_teams_and_organisations_say_what_they_are(site):
    assert "Team Partner integrations team" in text_of(site / "people" / "integrations-team.html")
    assert "Organisation Voltline Vans" in text_of(site / "people" / "voltline-vans.html")
    assert "Person Tom Becker" in text_of(site / "people" / "tom-becker.html")


# -- baselines -------------------------------------------------------------------------------------

def test_a_baseline_then_a_moved_activity_shows_the_slip_everywhere(runner, example_copy, tmp_path):
    saved = runner.invoke(main, ["baseline", "q4", "-f", str(example_copy), "--today", EXAMPLE_TODAY])
    assert saved.exit_code == 0, saved.output
    assert (example_copy / "baselines" / "q4.yml").is_file()
    again = runner.invoke(main, ["baseline", "q4", "-f", str(example_copy)])
    assert again.exit_code == 1 and "--force" in again.output
    config = example_copy / "roadmap.yml"
    config.write_text(config.read_text("utf-8") + "baseline: q4\n", "utf-8")
    activity = example_copy / "content" / "activities" / "customer" / "returns-portal-build.md"
    activity.write_text(activity.read_text("utf-8").replace("start: 2026-10-12", "start: 2026-11-02"), "utf-8")
    output = tmp_path / "site"
    build(runner, example_copy, output)

    changes = text_of(output / "changes" / "index.html")
    moved = re.search(r"Activity: Build the self-service returns portal 2026-10-12 → (\S+) 2026-11-02 → (\S+) "
                      r"(\d+) working days later", changes)
    assert moved, changes
    calendar = WorkCalendar(example_roadmap().config.calendar)
    before, after = date.fromisoformat(moved[1]), date.fromisoformat(moved[2])
    assert int(moved[3]) == calendar.working_days_between(before, after) - 1 > 0
    page = text_of(output / "activities" / "returns-portal-build.html")
    assert f"Against the baseline {moved[3]} working days later (ended {before} in the baseline, now {after})" in page
    assert "Against baseline q4" in text_of(output / "index.html")
    gantt = (output / "strategies" / "self-service-returns.html").read_text("utf-8")
    assert "Baseline (thin grey bar)" in gantt and before.isoformat() in gantt
    assert "Against baseline q4" in text_of(output / "quarters" / "2026-q4.html")
    assert "what changed since baseline q4" in text_of(output / "timeline.html")
    exported = json.loads((output / "roadmap.json").read_text("utf-8"))["rhythm"]["baseline"]
    assert exported["name"] == "q4" and exported["source"] == "baselines/q4.yml"
    [slip] = [x for x in exported["slips"] if x["id"] == "returns-portal-build"]
    assert (slip["before"], slip["after"], slip["working_days"]) == (before.isoformat(), after.isoformat(), int(moved[3]))

    from tests.site.test_html_valid import run_vnu, vnu_command

    shown = [output / "changes" / "index.html", output / "activities" / "returns-portal-build.html",
             output / "quarters" / "2026-q4.html", output / "index.html", output / "timeline.html"]
    errors = run_vnu(vnu_command(), [], shown)
    assert errors == [], "vnu found errors:\n" + "\n".join(errors[:50])


@pytest.mark.parametrize("text", ["[1, 2]\n", "activity: {wms-cutover: {start: when, end: 2027-01-01}}\n",
                                  "goal: {a: {start: 2026-01-01}}\nactivity: :\n  - ::\n", "\xff\xfe"])
def test_a_broken_baseline_is_a_diagnostic_with_its_line(runner, example_copy, text):
    (example_copy / "baselines").mkdir()
    (example_copy / "baselines" / "q4.yml").write_text(text, "utf-8", errors="surrogateescape")
    config = example_copy / "roadmap.yml"
    config.write_text(config.read_text("utf-8") + "baseline: q4\n", "utf-8")
    result = runner.invoke(main, ["check", "-f", str(example_copy), "--today", EXAMPLE_TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(r"^baselines/q4\.yml:\d+(:\d+)?: (error|warning)\[", result.output, re.MULTILINE), result.output


def test_a_missing_or_hostile_baseline_name_is_refused(runner, example_copy, tmp_path):
    config = example_copy / "roadmap.yml"
    original = config.read_text("utf-8")
    config.write_text(original + "baseline: ../../etc/passwd\n", "utf-8")
    result = runner.invoke(main, ["check", "-f", str(example_copy)])
    assert result.exit_code == 1 and "error[baseline-name]" in result.output
    config.write_text(original + "baseline: nowhere\n", "utf-8")
    result = runner.invoke(main, ["check", "-f", str(example_copy)])
    assert result.exit_code == 1 and "error[baseline-missing]" in result.output
    outside = tmp_path / "outside.yml"
    outside.write_text("goal: {}\n", "utf-8")
    (example_copy / "baselines").mkdir()
    (example_copy / "baselines" / "nowhere.yml").symlink_to(outside)
    result = runner.invoke(main, ["check", "-f", str(example_copy)])
    assert result.exit_code == 1 and "error[symlink-outside]" in result.output
    bad = runner.invoke(main, ["baseline", "../x", "-f", str(example_copy)])
    assert bad.exit_code == 2
