"""The RAG dashboards as built: home counts, goal cards, the attention list and next check-in, the
status table (every item once, with colour and reasons, readable without JavaScript), and the
history, burn-up and metric charts with their summaries and data tables."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from roadmapgen.site.dashboard import short_reason
from roadmapgen.site.views import RAG_LABELS
from tests.conftest import EXAMPLE_TODAY, REPO
from tests.site.test_charts import build, inline_specs, parse, roadmap_json

TODAY = date.fromisoformat(EXAMPLE_TODAY)
KINDS = {"goal": "goals", "strategy": "strategies", "activity": "activities"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(REPO, tmp_path_factory.mktemp("dashboard") / "site")


@pytest.fixture(scope="module")
def doc(site):
    return roadmap_json(site)


@pytest.fixture(scope="module")
def home(site):
    return parse((site / "index.html").read_text("utf-8"))


@pytest.fixture(scope="module")
def status_page(site):
    return parse((site / "status.html").read_text("utf-8"))


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def counts_on(tree) -> dict[str, dict[str, int]]:
    table = tree.find(".//table[@class='data dashboard-counts']")
    out: dict[str, dict[str, int]] = {}
    for tr in table.iter("tr"):
        kind = tr.get("data-kind")
        if kind:
            out[kind] = {td.get("data-rag"): int(td.get("data-count")) for td in tr.iter("td") if td.get("data-rag")}
    return out


# -- home ------------------------------------------------------------------------------------


def test_home_counts_equal_roadmap_json(home, doc, status_page):
    assert counts_on(home) == doc["counts"]
    assert counts_on(status_page) == doc["counts"]


def test_home_has_a_card_per_goal_with_colour_reason_owner_metric_due_and_completion(home, doc, site):
    cards = {c.get("data-goal"): c for c in home.iter("article") if c.get("data-goal")}
    assert set(cards) == {g["id"] for g in doc["goals"]}
    people = {p["id"]: p["name"] for p in doc["people"]}
    for g in doc["goals"]:
        card, words = cards[g["id"]], text(cards[g["id"]])
        assert card.get("data-rag") == g["rag"]["rag"]
        assert RAG_LABELS[g["rag"]["rag"]] in words
        assert short_reason(g["rag"]["reasons"][0]) in words
        assert people[g["owner"]] in words and g["due"] in words
        assert "Completion" in words and re.search(r"\d+%", words)
        if g["metric"]:
            assert g["metric"]["name"] in words and "now" in words and "target" in words
            assert "should be" in words and "today" in words  # where it should be on the path
            assert re.search(r"\((ahead of|on|behind) the path\)", words)


def test_attention_lists_red_overdue_blocked_and_due_soon(home, doc):
    sections = {s.get("class").split()[-1]: s for s in home.iter("section") if "attention" in (s.get("class") or "")}
    red = [(k, item) for k, items in KINDS.items() for item in doc[items] if item["rag"]["rag"] == "red"]
    assert int(sections["attention-red"].get("data-count")) == len(red)
    red_text = text(sections["attention-red"])
    for _, item in red:
        assert item["title"] in red_text

    closed = ("complete", "cancelled")
    overdue = [a for a in doc["activities"] if a["rag"]["rag"] not in closed and a["schedule"]["end"] < EXAMPLE_TODAY]
    overdue += [s for s in doc["strategies"] + doc["goals"] if s["rag"]["rag"] not in closed and s["due"] < EXAMPLE_TODAY]
    assert int(sections["attention-overdue"].get("data-count")) == len(overdue) > 0
    assert all(a["title"] in text(sections["attention-overdue"]) for a in overdue)

    blocked = [a for a in doc["activities"] if a["status"] in ("blocked", "paused")]
    assert int(sections["attention-blocked"].get("data-count")) >= len(blocked) > 0
    assert all(a["title"] in text(sections["attention-blocked"]) for a in blocked)

    horizon = (TODAY + timedelta(days=doc["status_rules"]["due_soon_days"])).isoformat()
    soon = [a for a in doc["activities"] if a["rag"]["rag"] not in closed and EXAMPLE_TODAY <= a["schedule"]["end"] <= horizon]
    soon += [s for s in doc["strategies"] + doc["goals"] if s["rag"]["rag"] not in closed and EXAMPLE_TODAY <= s["due"] <= horizon]
    assert int(sections["attention-due-soon"].get("data-count")) == len(soon) > 0
    assert f"next {doc['status_rules']['due_soon_days']} days" in text(sections["attention-due-soon"])


def test_next_stakeholder_checkin(home, doc):
    nxt = min((c for c in doc["checkins"] if c["date"] >= EXAMPLE_TODAY), key=lambda c: c["date"])
    section = next(s for s in home.iter("section") if "attention-checkin" in (s.get("class") or ""))
    assert nxt["title"] in text(section) and nxt["date"] in text(section)
    assert "in 15 days" in text(section)


def test_home_trend_charts_match_history(site, doc):
    html = (site / "index.html").read_text("utf-8")
    specs = inline_specs(html)
    colours, burnup = specs["chart-colours"], specs["chart-burnup"]
    points = doc["history"]["points"]
    dates = [p["date"] for p in points]
    for t in colours["figure"]["data"]:
        key = next(k for k, label in RAG_LABELS.items() if t["name"].endswith(label))
        assert t["x"] == dates and t["y"] == [p["activities"][key] for p in points]
        assert t["stackgroup"] == "rag"
    done = next(t for t in burnup["figure"]["data"] if t["name"] == "Work done")
    assert done["x"] == dates
    assert [c for c in done["customdata"]] == [f"{p['completion']:.0f}%" for p in points]
    tree = parse(html)
    for chart_id in ("chart-colours", "chart-burnup"):
        div = tree.find(f".//div[@id='{chart_id}']")
        summary = tree.find(f".//p[@id='{chart_id}-summary']")
        assert div.get("aria-describedby") == f"{chart_id}-summary" and EXAMPLE_TODAY in text(summary)
    table = next(d for d in tree.iter("details") if "chart-table" in (d.get("class") or ""))
    assert len(table.findall(".//tbody/tr")) == len(points)


# -- the status page --------------------------------------------------------------------------


def status_rows(tree):
    return [tr for tr in tree.iter("tr") if "status-row" in (tr.get("class") or "")]


def test_status_table_has_every_item_once_with_colour_and_reasons(status_page, doc):
    rows = status_rows(status_page)
    seen = [(tr.get("data-kind"), tr.get("data-id")) for tr in rows]
    expected = [(k, item["id"]) for k, items in KINDS.items() for item in doc[items]]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    by_key = {(k, item["id"]): item for k, items in KINDS.items() for item in doc[items]}
    for tr in rows:
        item = by_key[(tr.get("data-kind"), tr.get("data-id"))]
        assert tr.get("data-rag") == item["rag"]["rag"]
        words = text(tr)
        assert RAG_LABELS[item["rag"]["rag"]] in words  # the colour in words, not only as a colour
        for reason in item["rag"]["reasons"]:
            assert " ".join(reason.split()) in words


def test_status_table_is_in_roadmap_order_and_readable_without_js(status_page, site):
    rows = status_rows(status_page)
    assert [int(tr.get("data-order")) for tr in rows] == list(range(len(rows)))
    kinds = [tr.get("data-kind") for tr in rows]
    assert kinds[0] == "goal"
    current_goal = None
    for tr in rows:  # goal → its strategies → their activities
        if tr.get("data-kind") == "goal":
            current_goal = tr.get("data-id")
        assert tr.get("data-goal") == current_goal
    html = (site / "status.html").read_text("utf-8")
    assert 'class="status-filters" data-table="status-table" hidden' in html  # filters appear with JS only
    headers = [th.get("data-sort") for th in status_page.find(".//table[@id='status-table']/thead").iter("th")]
    assert {"order", "kind", "rag", "owner", "end", "progress"} <= set(headers)


def test_status_page_has_each_goals_metric_chart_against_its_path(site, doc):
    specs = inline_specs((site / "status.html").read_text("utf-8"))
    for g in doc["goals"]:
        if not g["metric"]:
            continue
        spec = specs[f"chart-metric-{g['id']}"]
        traces = {t["name"]: t for t in spec["figure"]["data"]}
        path = traces["Path to target"]
        assert path["y"] == [g["metric"]["baseline"], g["metric"]["target"]] and path["x"][1] == g["due"]
        actual = next(t for name, t in traces.items() if name.endswith("(actual)"))
        series = doc["history"]["metrics"][g["id"]]
        assert actual["x"] == [p["date"] for p in series] and actual["y"] == [p["value"] for p in series]
        assert traces["Expected today"]["y"] == [pytest.approx(g["metric"]["expected"])]
        assert traces["Expected today"]["x"] == [EXAMPLE_TODAY]


def test_goal_and_strategy_pages_show_colour_reasons_metric_chart_and_children(site, doc):
    for g in doc["goals"]:
        tree = parse((site / g["page"]).read_text("utf-8"))
        words = text(tree.find(".//main"))
        assert RAG_LABELS[g["rag"]["rag"]] in words
        assert all(" ".join(r.split()) in words for r in g["rag"]["reasons"])
        if g["metric"]:
            assert tree.find(f".//div[@id='chart-metric-{g['id']}']") is not None
        assert tree.find(f".//div[@id='chart-timeline-{g['id']}']") is not None
        for s in doc["strategies"]:
            if s["goal"] == g["id"]:
                assert s["title"] in words
    for s in doc["strategies"]:
        tree = parse((site / s["page"]).read_text("utf-8"))
        assert tree.find(f".//div[@id='chart-timeline-{s['id']}']") is not None
        words = text(tree.find(".//main"))
        assert RAG_LABELS[s["rag"]["rag"]] in words


def test_dashboards_on_a_roadmap_without_history_or_checkins(tmp_path):
    from tests.conftest import write_project

    project = write_project(tmp_path / "p", {
        "content/goals/g.md": "---\ntitle: G\ndue: 2026-12-31\n---\n",
        "content/strategies/s.md": "---\ntitle: S\ngoal: g\ndue: 2026-12-31\n---\n",
        "content/activities/a.md": "---\ntitle: A\nstrategy: s\nduration: 5d\n---\n",
    })
    site = build(project, tmp_path / "site")
    home = (site / "index.html").read_text("utf-8")
    assert "No stakeholder check-in is planned." in home
    timeline = (site / "timeline.html").read_text("utf-8")
    assert "data/timeline.js" in timeline


@pytest.mark.parametrize("reason, short", [
    ("due 2026-10-30, not done", "due 2026-10-30, not done"),
    ("17 of 17 strategies are red: " + ", ".join(f"‘Strategy number {n}’" for n in range(5)) + " and 12 more",
     "17 of 17 strategies are red: …"),
    ("The supplier " + "has moved the vans again " * 6, "The supplier" + " has moved the vans again" * 3 + "…"),
])
def test_short_reason_keeps_what_is_the_matter(reason, short):
    assert short_reason(reason) == short
    assert len(short_reason(reason)) <= 92
