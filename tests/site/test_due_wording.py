""""Milestone" means one thing: an activity of no length. A strategy's or goal's due date is
called "due" on goal and strategy pages, in hovers and on the dashboards (issue 21)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from roadmapgen.build import build_site
from tests.conftest import EXAMPLE_TODAY, REPO


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("due-wording") / "site"
    assert build_site(REPO, output, date.fromisoformat(EXAMPLE_TODAY)).built
    return output


def _text(path) -> str:
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


def test_a_strategy_due_is_called_due_on_goal_and_strategy_pages(site):
    doc = json.loads((site / "roadmap.json").read_text(encoding="utf-8"))
    strategies = [s for s in doc["strategies"] if s.get("due")]
    assert strategies
    for s in strategies:
        goal_page = (site / "goals" / f"{s['goal']}.html").read_text(encoding="utf-8")
        assert f'<p class="meta">Milestone {s["due"]}' not in goal_page
        assert f'<p class="meta">Due {s["due"]} ' in goal_page
        strategy_page = (site / s["page"]).read_text(encoding="utf-8")
        assert "Milestone (due)" not in strategy_page and "<dt>Due</dt>" in strategy_page


def test_no_strategy_or_goal_is_called_a_milestone_anywhere(site):
    for page in site.rglob("*.html"):
        text = _text(page)
        assert "Milestone (due)" not in text, page
        for line in re.findall(r"[^\n]*milestone due[^\n]*", text):
            assert "strateg" not in line.lower() and "goal" not in line.lower(), (page, line)


def test_a_strategy_due_soon_on_the_home_page_is_due_not_a_milestone(tmp_path):
    output = tmp_path / "site"
    assert build_site(REPO, output, date(2026, 12, 10)).built
    doc = json.loads((output / "roadmap.json").read_text(encoding="utf-8"))
    soon = [s for s in doc["strategies"] if s.get("due") and "2026-12-10" <= s["due"] <= "2026-12-24"]
    assert soon
    home = _text(output / "index.html")
    for s in soon:
        assert f"milestone due {s['due']}" not in home
        assert f"due {s['due']} (in " in home
