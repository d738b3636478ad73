"""The exports every build writes (site/outputs.py), each read back with a parser that is not ours:
jsonschema for roadmap.json, the csv module, icalendar with dateutil's rrule, feedparser."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from roadmapgen.build import render_site
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.site.feeds import CSV_COLUMNS, cadence_rule
from roadmapgen.site.outputs import OUTPUTS, export_links
from tests.conftest import EXAMPLE_TODAY, REPO, write_project

TODAY = date.fromisoformat(EXAMPLE_TODAY)


@pytest.fixture(scope="module")
def example():
    computed = compute_roadmap(REPO, Diagnostics(), TODAY)
    return computed, render_site(computed)


def test_every_export_is_written_and_linked_from_every_page(example):
    _, files = example
    exports = [link.path for link in export_links()]
    assert exports == ["roadmap.json", "activities.csv", "calendar.ics", "updates.xml"]
    for output in OUTPUTS:
        if output.path != "sitemap.xml":  # only with an absolute base_url (test_host_files)
            assert output.path in files, output.path
    for path, data in files.items():
        if path.endswith(".html"):
            text = data.decode()
            depth = "../" * path.count("/") if path != "404.html" else ""
            for export in exports:
                assert f'href="{depth}{export}"' in text, (path, export)


def test_roadmap_json_matches_its_json_schema(example):
    computed, files = example
    schema = json.loads((REPO / "docs" / "roadmap.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(files["roadmap.json"])
    jsonschema.Draft202012Validator(schema).validate(document)
    assert len(document["activities"]) == len(computed.roadmap.activities)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())  # spreadsheets read UTF-8 by its byte-order mark
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_activities_csv_has_a_row_per_activity_with_the_engines_values(example):
    computed, files = example
    rows = _csv_rows(files["activities.csv"])
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["id"] for row in rows] == list(computed.order.of_kind("activity"))
    for row in rows:
        planned = computed.schedule.activities[row["id"]]
        status = computed.status.activities[row["id"]]
        assert row["start"] == planned.start.isoformat() and row["end"] == planned.end.isoformat()
        assert date.fromisoformat(row["forecast_end"]) == planned.forecast_end
        assert row["rag"] == status.rag
        assert row["progress"] == ("" if status.progress is None else f"{status.progress:g}")
    assert b"\r\n" in files["activities.csv"]


def test_csv_neutralises_formulas_and_quotes_what_needs_it(tmp_path):
    titles = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2", "@SUM(A1)", "Comma, \"quote\"\nnew line", "Zoë — ünïcode"]
    files = {"content/people/p.md": "---\nname: \"=cmd|' /C calc'!A0\"\n---\n"}
    for index, title in enumerate(titles):
        files[f"content/activities/a{index}.md"] = (f"---\ntitle: {json.dumps(title)}\ngoal: g\nowner: p\n"
                                                   "start: 2026-01-05\nduration: 5d\n---\n")
    files["content/goals/g.md"] = "---\ntitle: G\ndue: 2026-12-31\n---\n"
    project = write_project(tmp_path / "p", files)
    computed = compute_roadmap(project, Diagnostics(), date(2026, 2, 1))
    rows = {row["id"]: row for row in _csv_rows(render_site(computed)["activities.csv"])}
    for index, title in enumerate(titles):
        cell = rows[f"a{index}"]["title"]
        if title[0] in "=+-@":
            assert cell == "'" + title
        else:
            assert cell == title
        assert rows[f"a{index}"]["owner_name"] == "'=cmd|' /C calc'!A0"
        assert rows[f"a{index}"]["slack"].lstrip("-").isdigit()  # numbers stay numbers


def test_calendar_ics_parses_with_due_dates_milestones_checkins_and_recurring_events(example):
    computed, files = example
    calendar = Calendar.from_ical(files["calendar.ics"])
    events = list(calendar.walk("VEVENT"))
    by_uid = {str(event["UID"]).split("@")[0]: event for event in events}
    assert len(by_uid) == len(events)  # UIDs are unique
    roadmap = computed.roadmap
    for goal in roadmap.goals.values():
        assert by_uid[f"goal-{goal.id}-due"].decoded("DTSTART") == goal.due
    for activity_id, planned in computed.schedule.activities.items():
        if planned.milestone:
            assert by_uid[f"activity-{activity_id}-milestone"].decoded("DTSTART") == planned.end
        elif roadmap.activities[activity_id].due:
            assert by_uid[f"activity-{activity_id}-due"].decoded("DTSTART") == roadmap.activities[activity_id].due
    titles = {str(e["SUMMARY"]) for e in events}
    assert {c.title for c in roadmap.config.checkins.stakeholder} <= titles
    standup = by_uid["standup-cadence"]
    rule = rrulestr(standup["RRULE"].to_ical().decode(), dtstart=_midnight(standup.decoded("DTSTART")))
    days = list(rule)
    assert days and all(day.weekday() == 0 for day in days)  # every Monday (checkins.standup)
    assert days[0].date() >= computed.schedule.start and days[-1].date() <= computed.schedule.end
    review = by_uid["review-cadence"]
    quarters = list(rrulestr(review["RRULE"].to_ical().decode(), dtstart=_midnight(review.decoded("DTSTART"))))
    assert [d.month for d in quarters[:4]] == [4, 7, 10, 1]
    assert all(d.day == 1 for d in quarters)


def _midnight(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


@pytest.mark.parametrize("every, weekday, start, first, count", [
    ("week", 2, date(2026, 4, 1), date(2026, 4, 1), 6),
    ("week", 0, date(2026, 4, 1), date(2026, 4, 6), 6),
    ("month", None, date(2026, 4, 15), date(2026, 5, 1), 1),
    ("month", 0, date(2026, 4, 1), date(2026, 4, 6), 2),
    ("quarter", 4, date(2026, 5, 3), date(2026, 7, 3), 0),  # after the span's end: no event
])
def test_cadences_start_on_their_first_day_and_repeat(every, weekday, start, first, count):
    day, rule = cadence_rule(every, weekday, start, start + timedelta(days=40))
    assert day == first
    text = ";".join(f"{k.upper()}={v.strftime('%Y%m%d') if isinstance(v, date) else v}" for k, v in rule.items())
    assert len(list(rrulestr(text, dtstart=_midnight(day)))) == count


def test_atom_feed_parses_with_an_entry_per_update_newest_first(example):
    computed, files = example
    feed = feedparser.parse(files["updates.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    updates = sorted(computed.roadmap.updates.values(), key=lambda u: (u.date, u.id), reverse=True)
    assert [entry.title for entry in feed.entries] == [u.title for u in updates]
    assert [entry.updated[:10] for entry in feed.entries] == [u.date.isoformat() for u in updates]
    first = feed.entries[0]
    assert first.link.endswith(f"updates/{updates[0].id}.html")
    assert first.author == computed.roadmap.people[updates[0].author].name


def test_exports_are_the_same_bytes_from_build_to_build(example):
    computed, files = example
    again = render_site(compute_roadmap(REPO, Diagnostics(), TODAY))
    for output in ("activities.csv", "calendar.ics", "updates.xml", "search-index.js"):
        assert files[output] == again[output], output


def test_hostile_text_in_exports_stays_data(tmp_path):
    from tests.hostile import write_hostile_project

    project = write_hostile_project(tmp_path / "h")
    computed = compute_roadmap(project, Diagnostics())
    files = render_site(computed)
    assert not feedparser.parse(files["updates.xml"]).bozo
    Calendar.from_ical(files["calendar.ics"])
    for row in _csv_rows(files["activities.csv"]):
        assert not row["title"].startswith(("=", "+", "-", "@"))
    assert b"</script" not in files["search-index.js"].lower()


def test_outputs_registry_paths_are_unique_and_none_is_extensionless():
    paths = [output.path for output in OUTPUTS]
    assert len(paths) == len(set(paths))
    assert all("." in Path(path).name for path in paths)




def test_control_characters_in_titles_do_not_break_the_feed_or_the_calendar(tmp_path):
    """YAML's "\\u0001" escapes put characters in a title that XML cannot hold at all and that
    iCalendar forbids: they become U+FFFD, and the files still parse."""
    project = write_project(tmp_path / "p", {
        "content/goals/g.md": '---\ntitle: "Goal \\u000b\\u0001 one"\ndue: 2026-12-31\n---\n',
        "content/updates/u.md": '---\ndate: 2026-02-02\ntitle: "Update \\u0002"\nitems:\n  - ref: g\n'
                                '    note: "n \\u0003"\n---\nBody \\u0004\n',
    })
    files = render_site(compute_roadmap(project, Diagnostics(), date(2026, 3, 1)))
    feed = feedparser.parse(files["updates.xml"])
    assert not feed.bozo and feed.entries[0].title == "Update \ufffd"
    events = list(Calendar.from_ical(files["calendar.ics"]).walk("VEVENT"))
    assert "Goal due: Goal \ufffd\ufffd one" in {str(event["SUMMARY"]) for event in events}
