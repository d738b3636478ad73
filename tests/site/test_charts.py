"""The Gantt timeline's data, as built: every activity with its scheduled dates, grouping, colours with
text labels, progress, milestones, due dates, dependency arrows, critical path, today, check-ins,
click paths, the shared data file and the per-page subsets, escaping, and the "flex" scenario."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from roadmapgen.build import build_site
from roadmapgen.site import gantt
from roadmapgen.site.charts import DAY_MS, json_for_script, plotly_text
from roadmapgen.site.views import RAG_ICONS, RAG_LABELS
from tests.conftest import EXAMPLE_TODAY, REPO

TODAY = date.fromisoformat(EXAMPLE_TODAY)
HOSTILE = "</script><img src=x onerror=alert(1)>"


# -- helpers (also used by test_dashboard.py) --------------------------------------------------


def build(project: Path, output: Path) -> Path:
    result = build_site(project, output, TODAY)
    assert result.built, [d.as_text() for d in result.diagnostics]
    return output


def timeline_data(site: Path) -> dict:
    """The spec in data/timeline.js (a script assigning one global)."""
    text = (site / gantt.TIMELINE_DATA).read_text("utf-8")
    match = re.search(r"window\.roadmapgenTimeline = (.*);\s*$", text, re.S)
    assert match, text[:200]
    return json.loads(match.group(1))


def inline_specs(html: str) -> dict[str, dict]:
    """Every inline chart spec of a page, by the chart's id."""
    found = re.findall(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', html, re.S)
    return {chart_id: json.loads(text) for chart_id, text in found}


def roadmap_json(site: Path) -> dict:
    return json.loads((site / "roadmap.json").read_text("utf-8"))


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def trace(spec: dict, name_part: str) -> tuple[int, dict]:
    for i, t in enumerate(spec["figure"]["data"]):
        if name_part in t.get("name", ""):
            return i, t
    raise AssertionError(f"no trace named like {name_part!r}")


def rag_traces(spec: dict) -> list[tuple[int, dict]]:
    labels = set(RAG_LABELS.values())  # the legend names a colour by its word; the swatch shows it
    return [(i, t) for i, t in enumerate(spec["figure"]["data"]) if t["type"] == "bar" and t["name"] in labels]


def bars_by_path(spec: dict) -> dict[str, dict]:
    """Each RAG bar by the page it opens: {path: {base, x, y, trace name, outline}}."""
    out = {}
    for _, t in rag_traces(spec):
        for k, path in enumerate(t["customdata"]):
            out[path] = {"base": t["base"][k], "x": t["x"][k], "y": t["y"][k], "name": t["name"],
                         "outline": t["marker"]["line"]["width"][k], "hover": t["hovertext"][k]}
    return out


def edges_of(doc: dict) -> set[tuple[str, str]]:
    known = {a["id"] for a in doc["activities"]}
    return {(dep, a["id"]) for a in doc["activities"] for dep in a["depends_on"] if dep in known and dep != a["id"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(REPO, tmp_path_factory.mktemp("charts") / "site")


@pytest.fixture(scope="module")
def doc(site) -> dict:
    return roadmap_json(site)


@pytest.fixture(scope="module")
def spec(site) -> dict:
    return timeline_data(site)


# -- the roadmap timeline ------------------------------------------------------------------------


def test_every_activity_has_a_row_with_its_scheduled_dates(spec, doc):
    rows = {row["key"]: row for row in spec["rows"]}
    for a in doc["activities"]:
        row = rows[f"activity:{a['id']}"]
        assert (row["start"], row["end"]) == (a["schedule"]["start"], a["schedule"]["end"]), a["id"]
        assert row["forecast_end"] == a["schedule"]["forecast_end"]
        assert row["rag"] == a["rag"]["rag"]
        assert row["path"] == a["page"]
    assert sum(1 for row in spec["rows"] if row["kind"] == "activity") == len(doc["activities"])


def test_each_activity_is_drawn_as_a_bar_or_milestone_at_its_dates(spec, doc):
    bars = bars_by_path(spec)
    m_index, milestones = trace(spec, "Milestone")
    marks = dict(zip(milestones["customdata"], milestones["x"]))
    _, targets = trace(spec, "Target date")
    flags = dict(zip(targets["customdata"], targets["x"]))
    for a in doc["activities"]:
        s = a["schedule"]
        if s["target_only"]:  # a target date is a flag on its date, never an invented bar
            assert flags[a["page"]] == f"{s['end']} 12:00" and a["page"] not in bars
            continue
        if s["milestone"]:
            assert marks[a["page"]] == f"{s['end']} 12:00"
            continue
        bar = bars[a["page"]]
        days = (date.fromisoformat(s["end"]) - date.fromisoformat(s["start"])).days + 1
        assert bar["base"] == s["start"] and bar["x"] == days * DAY_MS, a["id"]
        assert bar["name"] == RAG_LABELS[a['rag']['rag']]  # the legend: a swatch and the word, the symbol once


def test_rows_are_grouped_goal_strategy_activity_in_schedule_order(spec, doc):
    rows = spec["rows"]
    assert rows[0]["kind"] == "checkins"
    position = {row["key"]: i for i, row in enumerate(rows)}
    order = {aid: i for i, aid in enumerate(doc["schedule"]["order"])}
    for i, row in enumerate(rows):
        if row["kind"] == "strategy":
            assert rows[row["parent"]]["key"] == f"goal:{row['goal']}" and row["parent"] < i
        if row["kind"] == "activity":
            parent = rows[row["parent"]]
            assert parent["kind"] in ("strategy", "goal") and row["parent"] < i
            assert parent["key"] == (f"strategy:{row['strategy']}" if row["strategy"] else f"goal:{row['goal']}")
    for s in doc["strategies"]:
        mine = sorted((a["id"] for a in doc["activities"] if a["strategy"] == s["id"]), key=order.get)
        keys = [position[f"activity:{aid}"] for aid in mine]  # in schedule order …
        start = position[f"strategy:{s['id']}"]
        assert keys == list(range(start + 1, start + 1 + len(mine)))  # … right under their strategy


def test_colour_is_never_the_only_signal(spec):
    for _, t in rag_traces(spec):
        icon = RAG_ICONS[t["legendgroup"]]  # the legend names the colour; every bar of it shows its symbol
        assert all(text.startswith(icon) and text.endswith("%") for text in t.get("text", [])), t["name"]
    for row in spec["rows"]:
        if row["kind"] in ("goal", "strategy", "activity"):
            label = row["label"].replace("<b>", "").lstrip("\u2002")
            assert label.startswith(RAG_ICONS[row["rag"]]), row["label"]


def test_progress_overlay_has_progress_length(spec, doc):
    i, overlay = trace(spec, "Progress")
    rows = spec["rows"]
    by_key = {a["id"]: a for a in doc["activities"]}
    checked = 0
    for k, y in enumerate(overlay["y"]):
        row = rows[y]
        if row["kind"] != "activity":
            continue
        a = by_key[row["key"].split(":", 1)[1]]
        days = (date.fromisoformat(row["end"]) - date.fromisoformat(row["start"])).days + 1
        assert overlay["x"][k] == pytest.approx(days * DAY_MS * row["progress"] / 100, abs=1)
        assert row["progress"] == round(a["progress"], 1)  # the one effective progress, rounded for the chart
        checked += 1
    assert checked > 10


def test_strategy_and_goal_due_dates_are_diamonds(spec, doc):
    _, dues = trace(spec, "Due date")
    assert dues["marker"]["symbol"] == "diamond-open"
    marks = dict(zip(dues["customdata"], dues["x"]))
    for item in doc["strategies"] + doc["goals"]:
        assert marks[item["page"]] == f"{item['due']} 12:00"


def test_dependency_arrows_one_per_edge(spec, doc):
    edges = edges_of(doc)
    assert spec["edges"] == len(edges) > 0
    _, lines = trace(spec, "Dependency")
    _, heads = trace(spec, "arrowheads")
    assert len(heads["x"]) == len(edges)
    assert lines["x"].count(None) == len(edges)
    rows = spec["rows"]
    head_rows = spec["points"][spec["figure"]["data"].index(heads)]
    pairs = {(rows[a]["key"].split(":")[1], rows[b]["key"].split(":")[1]) for a, b in head_rows}
    assert pairs == edges  # each arrowhead names its predecessor's and successor's rows
    assert all(heads["y"][k] == pytest.approx(b - 0.42 if b > a else b + 0.42) for k, (a, b) in enumerate(head_rows))


def test_critical_path_is_marked(spec, doc):
    bars = bars_by_path(spec)
    rows = {row["key"]: row for row in spec["rows"]}
    critical = [a for a in doc["activities"] if a["schedule"]["critical"]]
    assert critical
    for a in doc["activities"]:
        row = rows[f"activity:{a['id']}"]
        assert row["label"].endswith(" ★") == a["schedule"]["critical"], a["id"]
        if a["page"] in bars:
            assert (bars[a["page"]]["outline"] == 3) == a["schedule"]["critical"]


def test_today_line_and_checkins(spec, doc):
    layout = spec["figure"]["layout"]
    today = [s for s in layout["shapes"] if s.get("name") == "today"]
    assert len(today) == 1 and today[0]["x0"] == today[0]["x1"] == doc["today"] == EXAMPLE_TODAY
    assert any(a["text"] == f"Today {EXAMPLE_TODAY}" for a in layout["annotations"])
    _, checkins = trace(spec, "Stakeholder check-in")
    assert [x[:10] for x in checkins["x"]] == [c["date"] for c in doc["checkins"]]
    assert all(c["title"] in h for c, h in zip(doc["checkins"], checkins["hovertext"]))
    assert set(checkins["y"]) == {0}


def test_date_axis_readable_from_a_week_to_two_years(spec):
    x = spec["figure"]["layout"]["xaxis"]
    assert x["type"] == "date" and "rangebreaks" not in x  # weekends and holidays are not hidden
    assert [b["label"] for b in x["rangeselector"]["buttons"]] == ["1m", "3m", "6m", "1y", "all"]
    assert len(x["tickformatstops"]) >= 4
    assert x["rangeslider"]["visible"] is True  # the example is small enough for one


def test_hover_has_title_owner_dates_progress_status_and_reason(spec, doc):
    bars = bars_by_path(spec)
    a = next(a for a in doc["activities"] if a["id"] == "wms-data-migration")
    hover = bars[a["page"]]["hover"]
    for part in (a["title"], "Priya Raman" if a["owner"] == "priya-raman" else "", a["schedule"]["start"],
                 a["schedule"]["end"], f"Progress {a['progress']:.0f}%", RAG_LABELS[a["rag"]["rag"]]):
        assert plotly_text(part) in hover
    assert plotly_text(a["rag"]["reasons"][0])[:40] in hover.replace("<br>", " ")


def test_click_paths_are_pages_of_the_site(spec, site):
    paths = {p for t in spec["figure"]["data"] for p in t.get("customdata", []) if isinstance(p, str)}
    assert paths and all((site / p).is_file() for p in paths)
    assert any(p.startswith("activities/") for p in paths)


def test_points_name_a_row_for_every_point(spec):
    for t, rows in zip(spec["figure"]["data"], spec["points"]):
        assert len(rows) == len(t["x"]), t["name"]


# -- where the data lives ------------------------------------------------------------------------


def test_timeline_page_loads_the_shared_data_file_once(site):
    html = (site / "timeline.html").read_text("utf-8")
    assert html.count('src="data/timeline.js"') == 1
    assert html.count('src="assets/vendor/plotly.min.js"') == 1
    assert 'data-global="roadmapgenTimeline"' in html
    assert "application/json" not in html  # no second copy inline
    assert 'data-root=""' in html
    plotly = [p for p in site.rglob("*.js") if p.stat().st_size > 1_000_000 and "plotly" in p.name]
    assert [p.relative_to(site).as_posix() for p in plotly] == ["assets/vendor/plotly.min.js"]


def test_goal_page_embeds_only_its_own_subset(site, doc):
    for goal in doc["goals"]:
        html = (site / goal["page"]).read_text("utf-8")
        specs = inline_specs(html)
        gantt = specs[f"chart-timeline-{goal['id']}"]
        assert {row["goal"] for row in gantt["rows"] if row["kind"] != "checkins"} == {goal["id"]}
        acts = [row for row in gantt["rows"] if row["kind"] == "activity"]
        assert len(acts) == sum(1 for a in doc["activities"] if a["goal"] == goal["id"])
        assert "data/timeline.js" not in html and 'data-root="../"' in html
        assert ('src="../assets/vendor/plotly.min.js"') in html
        if goal["metric"]:
            assert f"chart-metric-{goal['id']}" in specs


def test_strategy_page_has_a_compact_timeline_of_its_activities(site, doc):
    for s in doc["strategies"]:
        html = (site / s["page"]).read_text("utf-8")
        gantt = inline_specs(html)[f"chart-timeline-{s['id']}"]
        keys = [row["key"] for row in gantt["rows"] if row["kind"] != "checkins"]
        assert keys[0] == f"strategy:{s['id']}"
        assert sorted(keys[1:]) == sorted(f"activity:{a['id']}" for a in doc["activities"] if a["strategy"] == s["id"])
        assert gantt["figure"]["layout"]["showlegend"] is False and gantt["rangeslider"] is False


def test_each_chart_has_a_text_summary(site):
    for page in ("timeline.html", "goals/on-time-delivery.html", "strategies/wms-migration.html"):
        tree = parse((site / page).read_text("utf-8"))
        charts_ = tree.findall(".//div[@data-kind]")
        assert charts_
        for el in charts_:
            summary = tree.find(f".//p[@id='{el.get('aria-describedby')}']")
            assert summary is not None and len(summary.text or "") > 40, page


# -- escaping ----------------------------------------------------------------------------------


def test_plotly_text_escapes_markup():
    assert plotly_text(HOSTILE) == "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert plotly_text("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert plotly_text("&lt;") == "&amp;lt;"  # shown as written, not decoded


def _set_title(path: Path, title: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: " + json.dumps(title), text, count=1, flags=re.M), "utf-8")


def test_hostile_title_lands_as_data(example_copy, tmp_path):
    _set_title(example_copy / "content/activities/wms/wms-cutover.md", HOSTILE)
    _set_title(example_copy / "content/goals/cost-per-order.md", "Cost & " + HOSTILE)
    site = build(example_copy, tmp_path / "site")
    raw = (site / gantt.TIMELINE_DATA).read_text("utf-8")
    assert "</script" not in raw.lower() and "<img" not in raw
    spec = timeline_data(site)
    row = next(row for row in spec["rows"] if row["key"] == "activity:wms-cutover")
    assert plotly_text(HOSTILE) in row["label"]
    assert any(plotly_text(HOSTILE) in h for t in spec["figure"]["data"] for h in t.get("hovertext", []))
    assert any("Cost &amp; &lt;/script&gt;" in row["label"] for row in spec["rows"])
    for page in ("goals/cost-per-order.html", "strategies/wms-migration.html", "timeline.html", "index.html",
                 "status.html"):
        html = (site / page).read_text("utf-8")
        assert HOSTILE not in html, page
        tree = parse(html)
        assert not [img for img in tree.iter("img") if img.get("onerror")], page
        for spec_ in inline_specs(html).values():  # the JSON still parses and holds the escaped text
            assert HOSTILE not in json.dumps(spec_)


# -- the "flex" scenario: one activity starts two weeks later ------------------------------------------

FLEXED = "tracking-page-ab-test"  # the first not-started activity of the tracking-page chain


def test_flex_moves_dependents_and_flags_milestones_at_risk(example_copy, tmp_path):
    before_site = build(example_copy, tmp_path / "before")
    before = timeline_data(before_site)
    path = example_copy / "content/activities/customer/tracking-page-ab-test.md"
    text = path.read_text("utf-8")
    assert "start: 2027-01-04" in text
    path.write_text(text.replace("start: 2027-01-04", "start: 2027-01-18"), "utf-8")
    after_site = build(example_copy, tmp_path / "after")
    after = timeline_data(after_site)
    doc = roadmap_json(after_site)

    rows_before = {row["key"]: row for row in before["rows"]}
    rows_after = {row["key"]: row for row in after["rows"]}
    assert rows_after[f"activity:{FLEXED}"]["start"] == "2027-01-18"
    dependents = [a["id"] for a in doc["activities"] if FLEXED in a["depends_on"]]
    assert dependents == ["tracking-live"]
    for aid in dependents:  # each dependent moved by the same two weeks, in the drawn data too
        b, a = rows_before[f"activity:{aid}"], rows_after[f"activity:{aid}"]
        shift = (date.fromisoformat(a["start"]) - date.fromisoformat(b["start"])).days
        assert shift == 14, (aid, b["start"], a["start"])
        _, miles = trace(after, "Milestone")
        assert f"{a['end']} 12:00" in miles["x"]
    # the milestone is now at risk, with the reason, in the data, the hover and the status table
    live = next(a for a in doc["activities"] if a["id"] == "tracking-live")
    assert rows_before["activity:tracking-live"]["rag"] == "green"
    assert live["rag"]["rag"] in ("amber", "red") and rows_after["activity:tracking-live"]["rag"] == live["rag"]["rag"]
    assert any("deadline" in r for r in live["rag"]["reasons"])
    _, miles = trace(after, "Milestone")
    k = miles["customdata"].index(live["page"])
    assert plotly_text(live["rag"]["reasons"][0]) in miles["hovertext"][k]
    assert rows_after["activity:tracking-live"]["label"].lstrip("\u2002").startswith(RAG_ICONS[live["rag"]["rag"]])
    status = (after_site / "status.html").read_text("utf-8")
    row = re.search(r'<tr [^>]*data-id="tracking-live".*?</tr>', status, re.S).group(0)
    assert f'data-rag="{live["rag"]["rag"]}"' in row and "deadline" in row


# -- very large roadmaps: collapsed to strategies ----------------------------------------------------


def test_large_timeline_opens_collapsed_to_strategies(monkeypatch, tmp_path):
    monkeypatch.setattr(gantt, "COLLAPSE_ABOVE", 10)
    site = build(REPO, tmp_path / "site")
    spec = timeline_data(site)
    assert spec["collapsed"] is True
    html = (site / "timeline.html").read_text("utf-8")
    assert 'name="expand"' in html
    shown = sum(1 for row in spec["rows"] if row["kind"] != "activity")
    assert spec["height"] == gantt._gantt_height(min(shown, gantt.WINDOW_ROWS), spec["rangeslider"])
    goal_spec = inline_specs((site / "goals/on-time-delivery.html").read_text("utf-8"))["chart-timeline-on-time-delivery"]
    assert goal_spec["collapsed"] is False  # a goal's own timeline always shows its activities


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" ab\tc\n d  e\u00a0f<&>\u2002\u3000\r\x0b\x0c", max_size=120))
def test_hover_lines_are_wrapped_as_textwrap_wraps_them(text):
    """The short-line fast path of _lines gives exactly what textwrap gives."""
    from roadmapgen.site.charts import _lines
    expected = "<br>".join(plotly_text(line) for line in (textwrap.wrap(text, 90) or [""])) if text else ""
    assert _lines(text) == expected


_HOSTILE = st.text(alphabet=st.sampled_from(list("<>&'\"/!-\\\u2028\u2029 aé😀\n\x00")), max_size=30)
_JSONABLE = st.recursive(st.none() | st.booleans() | st.integers() | _HOSTILE,
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_HOSTILE, inner, max_size=4),
                         max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_JSONABLE)
def test_json_for_script_is_jinjas_tojson_with_the_line_separators_escaped(value):
    text = json_for_script(value)
    jinja = htmlsafe_json_dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert isinstance(text, Markup)
    assert str(text) == str(jinja).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    assert json.loads(str(text)) == value
    assert not any(c in text for c in "<>&'\u2028\u2029")
