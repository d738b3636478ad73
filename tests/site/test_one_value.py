"""One computed value per fact: for every goal, strategy and activity, its page, its row on the Gantt
timeline, its row in the status table and its entry in roadmap.json show the same progress (or
completion), colour and dates. Checked on the example roadmap and on random roadmaps that mix
progress in files and updates, `status: done` with a lower progress, and activities with none."""

from __future__ import annotations

import html
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from tests.conftest import EXAMPLE_TODAY, REPO, write_project
from tests.site.test_charts import timeline_data

JUDGED = ("goal", "strategy", "activity")
FOLDER = {"goal": "goals", "strategy": "strategies", "activity": "activities"}


def built(project: Path, output: Path, today: date) -> Path:
    result = build_site(project, output, today)
    assert result.built, [d.as_text() for d in result.diagnostics]
    return output


def json_figures(site: Path) -> dict[str, tuple[float | None, str]]:
    """'kind:id' → (progress or completion, colour) as roadmap.json has them."""
    doc = json.loads((site / "roadmap.json").read_text("utf-8"))
    out = {}
    for a in doc["activities"]:
        out[f"activity:{a['id']}"] = (a["progress"], a["rag"]["rag"])
    for kind in ("goal", "strategy"):
        for item in doc[FOLDER[kind]]:
            out[f"{kind}:{item['id']}"] = (item["completion"]["percent"], item["rag"]["rag"])
    return out


def gantt_figures(site: Path) -> dict[str, tuple[float | None, str]]:
    """'kind:id' → (progress, colour) of each row of the roadmap timeline."""
    return {row["key"]: (row["progress"], row["rag"]) for row in timeline_data(site)["rows"]
            if row["kind"] in JUDGED}


def status_table_figures(site: Path) -> dict[str, tuple[str, str]]:
    """'kind:id' → (the progress cell's data-value, colour) of each row of the status table."""
    page = (site / "status.html").read_text("utf-8")
    rows = re.findall(r'<tr class="status-row[^"]*"[^>]*data-kind="(\w+)"[^>]*data-rag="(\w+)"[^>]*'
                      r'data-id="([^"]+)">(.*?)</tr>', page, re.S)
    out = {}
    for kind, rag, item_id, cells in rows:
        values = re.findall(r'<td[^>]*data-value="([^"]*)"', cells)
        out[f"{kind}:{html.unescape(item_id)}"] = (values[-1], rag)
    return out


def page_figures(site: Path, kind: str, item_id: str) -> tuple[str, str]:
    """(the progress or completion text, colour key) on an item's own page."""
    page = (site / FOLDER[kind] / f"{item_id}.html").read_text("utf-8")
    label = "Progress" if kind == "activity" else "Completion"
    dd = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page, re.S).group(1)
    text = re.search(r'<span class="progress-text[^"]*">([^<]*)</span>', dd).group(1)
    rag = re.search(r'<div class="item-status"><span class="rag rag-(\w+)"', page).group(1)
    return text, rag


def assert_one_value_per_item(site: Path) -> int:
    exported = json_figures(site)
    gantt = gantt_figures(site)
    table = status_table_figures(site)
    assert set(gantt) == set(exported) == set(table)
    for key, (value, rag) in exported.items():
        kind, item_id = key.split(":", 1)
        rounded = None if value is None else round(value, 1)
        shown = "not reported" if value is None else f"{value:.0f}%"
        assert gantt[key] == (rounded, rag), key
        assert table[key] == ("" if value is None else str(value), rag), key
        assert page_figures(site, kind, item_id) == (shown, rag), key
    return len(exported)


def test_the_example_shows_one_value_per_item(tmp_path):
    site = built(REPO, tmp_path / "site", date.fromisoformat(EXAMPLE_TODAY))
    assert assert_one_value_per_item(site) > 60


def random_roadmap(root: Path, seed: int) -> Path:
    """A roadmap whose progress comes from files and updates, with `done` said beside a lower progress."""
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    files: dict[str, str] = {"content/people/pat.md": "---\nname: Pat\n---\n"}
    for g in range(2):
        files[f"content/goals/g{g}.md"] = f"---\ntitle: Goal {g}\nowner: pat\ndue: 2026-12-31\n---\n"
    for s in range(4):
        files[f"content/strategies/s{s}.md"] = f"---\ntitle: Strategy {s}\ngoal: g{s % 2}\ndue: 2026-11-30\n---\n"
    for a in range(24):
        lines = [f"title: Activity {a}", f"strategy: s{a % 4}" if a % 6 else f"goal: g{a % 2}",
                 f"start: {start + timedelta(days=rng.randint(0, 120))}", f"duration: {rng.choice([0, 5, 10, 20])}d"]
        state = rng.choice(["not-started", "in-progress", "done", "blocked", None])
        if state:
            lines.append(f"status: {state}")
        if rng.random() < 0.6:
            lines.append(f"progress: {rng.choice([0, 15, 40, 80, 100])}")
        files[f"content/activities/a{a}.md"] = "---\n" + "\n".join(lines) + "\n---\n"
    for week in range(8):
        items = []
        for _ in range(4):
            ref, choice = f"a{rng.randrange(24)}", rng.random()
            if choice < 0.3:
                items.append(f"  - {{ref: {ref}, status: done, progress: {rng.choice([60, 80])}}}")
            elif choice < 0.5:
                items.append(f"  - {{ref: {ref}, status: done}}")
            else:
                items.append(f"  - {{ref: {ref}, progress: {rng.randint(0, 100)}, status: in-progress}}")
        on = start + timedelta(weeks=10 + week)
        files[f"content/updates/u{week}.md"] = f"---\ndate: {on}\nauthor: pat\nitems:\n" + "\n".join(items) + "\n---\n"
    return write_project(root, files, "title: Random roadmap\nstart: 2026-01-05\n")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_roadmap_shows_one_value_per_item(tmp_path, seed):
    project = random_roadmap(tmp_path / "project", seed)
    site = built(project, tmp_path / "site", date(2026, 4, 20))
    assert assert_one_value_per_item(site) == 2 + 4 + 24


def test_done_with_a_lower_progress_is_100_everywhere(tmp_path):
    """The case that used to give four answers: `status: done` and `progress: 80` in one update."""
    project = write_project(tmp_path / "project", {
        "content/goals/g.md": "---\ntitle: G\ndue: 2026-12-31\n---\n",
        "content/activities/a.md": "---\ntitle: A\ngoal: g\nstart: 2026-01-05\nduration: 10d\n---\n",
        "content/updates/u.md": "---\ndate: 2026-01-12\nitems:\n  - {ref: a, status: done, progress: 80}\n---\n",
    })
    site = built(project, tmp_path / "site", date(2026, 1, 20))
    assert json_figures(site)["activity:a"] == (100.0, "complete")
    assert page_figures(site, "activity", "a") == ("100%", "complete")
    assert gantt_figures(site)["activity:a"] == (100.0, "complete")
    assert table_value(site, "activity:a") == "100.0"
    doc = json.loads((site / "roadmap.json").read_text("utf-8"))
    assert doc["activities"][0]["tracking"]["progress"] == 80  # as reported, with its source
    provenance = (site / "activities" / "a.html").read_text("utf-8")
    assert "Progress 100%, from" in provenance


def table_value(site: Path, key: str) -> str:
    return status_table_figures(site)[key][0]
