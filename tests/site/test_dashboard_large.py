"""The home page of a roadmap of 1,000 activities (bench/generate.py): every attention list is cut
to ATTENTION_SHOWN items, the rest are counted by kind with links to the status table filtered to
them, and reasons on cards and in lists are cut short (the item's page has them in full)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bench.generate import generate
from roadmapgen.site.dashboard import ATTENTION_SHOWN, REASON_CHARS
from tests.site.test_charts import build, parse, roadmap_json

LARGE_TODAY = "2026-11-25"  # the generator's `today`
KINDS = {"goal": "goals", "strategy": "strategies", "activity": "activities"}


def large_project(root: Path) -> Path:
    """A generated roadmap of 1,000 activities (five goals, 83 strategies) in `root`."""
    generate(1000, root)
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = large_project(tmp_path_factory.mktemp("large") / "plan")
    output = root / "site"
    from roadmapgen.build import build_site
    result = build_site(root, output, date.fromisoformat(LARGE_TODAY))
    assert result.built, [d.as_text() for d in result.diagnostics if d.severity == "error"]
    return output


@pytest.fixture(scope="module")
def home(site):
    return parse((site / "index.html").read_text("utf-8"))


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def attention_sections(home) -> dict[str, object]:
    return {s.get("class").split()[-1].removeprefix("attention-"): s for s in home.iter("section")
            if "attention" in (s.get("class") or "").split()}


def more_links(section) -> list[tuple[int, dict[str, list[str]]]]:
    """(count, query) of each "and N more" link of a list."""
    more = next((p for p in section.iter("p") if p.get("class") == "more"), None)
    if more is None:
        return []
    out = []
    for a in more.iter("a"):
        path, _, query = a.get("href").partition("?")
        assert path == "status.html"
        out.append((int(text(a).split()[0]), parse_qs(query)))
    return out


def test_every_attention_list_is_capped_and_counts_the_rest(home):
    sections = attention_sections(home)
    assert int(sections["red"].get("data-count")) > 100 and int(sections["overdue"].get("data-count")) > 100
    for key in ("red", "overdue", "blocked", "due-soon"):
        section = sections[key]
        total, shown = int(section.get("data-count")), len(section.findall(".//ul/li"))
        assert shown == min(total, ATTENTION_SHOWN)
        links = more_links(section)
        assert sum(n for n, _ in links) == total - shown
        if links:
            assert f"and {total - shown} more" in text(section)


def test_red_items_left_out_link_to_the_status_table_filtered_to_exactly_them(home, site):
    doc = roadmap_json(site)
    section = attention_sections(home)["red"]
    shown = [li.get("data-kind") for li in section.findall(".//ul/li")]
    links = more_links(section)
    kinds = [query["kind"][0] for _, query in links]
    assert kinds and kinds == sorted(kinds, key=list(KINDS).index)  # goals, then strategies, then activities
    for n, query in links:
        kind = query["kind"][0]
        assert query["rag"] == ["red"]
        red_of_kind = sum(1 for item in doc[KINDS[kind]] if item["rag"]["rag"] == "red")
        assert n == red_of_kind - shown.count(kind)


def test_reasons_on_cards_and_in_lists_are_short(home, site):
    doc = roadmap_json(site)
    long_reasons = [g["rag"]["reasons"][0] for g in doc["goals"] if len(g["rag"]["reasons"][0]) > REASON_CHARS]
    assert long_reasons  # the goals' reasons name many strategies
    details = [text(span) for span in home.iter("span") if span.get("class") == "attention-detail"]
    reasons = [text(p) for p in home.iter("p") if p.get("class") == "card-reason"]
    assert details and len(reasons) == len(doc["goals"])
    for words in details + reasons:
        assert len(re.sub(r" \((\+\d+ more|in full)\)$", "", words)) <= REASON_CHARS + 2, words
    for reason in long_reasons:
        assert reason not in text(home.find(".//body"))
