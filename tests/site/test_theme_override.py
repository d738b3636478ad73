"""A user's theme.custom_dir overrides templates and assets by file name, a template of theirs can
extend the original as "default/<name>", and docs/themes.md documents every block and page context."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from roadmapgen.site import views
from roadmapgen.site.render import theme_dir
from tests.conftest import REPO, write_project

TODAY = date(2026, 11, 25)
CONFIG = "title: Acme roadmap\nstart: 2026-01-05\ntheme:\n  custom_dir: my-theme\n"
CONTENT = {
    "content/people/pat.md": "---\nname: Pat Lee\nrole: Lead\n---\n",
    "content/goals/grow.md": "---\ntitle: Grow\nowner: pat\ndue: 2027-06-30\n---\nWhy we grow.\n",
    "content/strategies/sell.md": "---\ntitle: Sell more\ngoal: grow\ndue: 2027-03-31\n---\n",
    "content/activities/plan.md": "---\ntitle: Plan\nstrategy: sell\nowner: pat\nduration: 5d\n---\n",
}
BASE_OVERRIDE = """{% extends "default/base.html" %}
{% block footer %}<div class="wrap"><p class="acme-footer">Published by the Acme PMO</p></div>{% endblock %}
"""
CUSTOM_CSS = "/* acme */\n:root { --link: #7a1fa2; }\n"


@pytest.fixture(scope="module")
def custom_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("override")
    project = write_project(root / "project", {
        **CONTENT,
        "my-theme/templates/base.html": BASE_OVERRIDE,
        "my-theme/assets/css/site.css": CUSTOM_CSS,
    }, config=CONFIG)
    result = build_site(project, root / "site", TODAY)
    assert result.built, [d.as_text() for d in result.diagnostics]
    return root / "site"


def page_paths(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_a_base_template_that_extends_the_default_replaces_only_the_footer_block(custom_site):
    pages = page_paths(custom_site)
    assert len(pages) >= 8
    for page in pages:
        html = page.read_text("utf-8")
        assert html.count('<p class="acme-footer">Published by the Acme PMO</p>') == 1, page
        assert "built with roadmapgen" not in html, page  # the default footer is gone
        assert 'class="skip-link"' in html and 'aria-label="Main"' in html, page  # the rest is the default's
        assert '<main id="main"' in html, page
    goal = (custom_site / "goals" / "grow.html").read_text("utf-8")
    assert "<h1>Grow</h1>" in goal and 'aria-label="Breadcrumb"' in goal


def test_an_asset_of_the_same_name_replaces_the_themes_and_the_rest_are_the_themes(custom_site):
    assert (custom_site / "assets" / "css" / "site.css").read_text("utf-8") == CUSTOM_CSS
    shipped = theme_dir() / "assets"
    assert (custom_site / "assets" / "js" / "site.js").read_bytes() == (shipped / "js" / "site.js").read_bytes()
    assert (custom_site / "assets" / "favicon.svg").read_bytes() == (shipped / "favicon.svg").read_bytes()
    home = (custom_site / "index.html").read_text("utf-8")
    assert 'href="assets/css/site.css"' in home


def test_without_a_custom_dir_the_default_footer_and_css_are_used(tmp_path):
    project = write_project(tmp_path / "plain", CONTENT)
    result = build_site(project, tmp_path / "site", TODAY)
    assert result.built
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "acme-footer" not in home and "built with roadmapgen" in home
    assert (tmp_path / "site" / "assets" / "css" / "site.css").read_bytes() == \
        (theme_dir() / "assets" / "css" / "site.css").read_bytes()


def test_a_page_template_of_the_users_wins_over_the_themes_and_can_call_super(tmp_path):
    project = write_project(tmp_path / "project", {
        **CONTENT,
        "my-theme/templates/person.html": '{% extends "default/person.html" %}'
                                          '{% block content %}<p class="acme-note">Ask Pat first.</p>'
                                          '{{ super() }}{% endblock %}',
    }, config=CONFIG)
    result = build_site(project, tmp_path / "site", TODAY)
    assert result.built, [d.as_text() for d in result.diagnostics]
    person = (tmp_path / "site" / "people" / "pat.html").read_text("utf-8")
    assert person.index('class="acme-note"') < person.index("<h1>Pat Lee</h1>")


def test_the_update_history_partial_works_in_a_page_that_imported_no_macros(tmp_path):
    """partials/item_updates.html uses the `rag` its page imported, or imports it itself."""
    update = ("---\ndate: 2026-11-20\nauthor: pat\nitems:\n  - ref: plan\n    rag: red\n"
              "    rag_reason: \"Stuck on the vendor.\"\n---\n")
    own = ('{% extends "default/base.html" %}{% block content %}<h1>{{ activity.title }}</h1>'
           '{% with item = activity %}{% include "partials/item_updates.html" %}{% endwith %}{% endblock %}')
    pages = {}
    for name, files in (("default", {"my-theme/assets/extra.css": ""}),
                        ("own", {"my-theme/templates/activity.html": own})):
        project = write_project(tmp_path / name, {**CONTENT, "content/updates/2026-11-20.md": update, **files},
                                config=CONFIG)
        result = build_site(project, tmp_path / f"site-{name}", TODAY)
        assert result.built, [d.as_text() for d in result.diagnostics]
        html = (tmp_path / f"site-{name}" / "activities" / "plan.html").read_text("utf-8")
        pages[name] = re.search(r'<section class="notes item-updates">.*?</section>', html, re.S).group(0)
    assert 'class="rag rag-red"' in pages["default"]  # the colour the update set, drawn by the rag macro
    assert pages["own"] == pages["default"]


# -- docs/themes.md ------------------------------------------------------------------------------
DOC = REPO / "docs" / "themes.md"
PAGE_VIEWS = (views.GoalView, views.StrategyView, views.ActivityView, views.PersonView, views.ToolView,
              views.UpdateView, views.UpdateItemView, views.ReviewView, views.MetricView, views.RagView,
              views.Link, views.Note, views.Provenance)


def test_the_theme_docs_name_every_block_of_base_html():
    doc = DOC.read_text("utf-8")
    base = (theme_dir() / "templates" / "base.html").read_text("utf-8")
    blocks = set(re.findall(r"{%-?\s*block\s+(\w+)", base))
    assert {"head", "nav", "content", "footer", "scripts", "extra_head"} <= blocks
    missing = [b for b in sorted(blocks) if f"`{b}`" not in doc]
    assert missing == [], f"docs/themes.md does not document these blocks of base.html: {missing}"


def test_the_theme_docs_name_every_field_of_every_view_a_page_gets():
    doc = DOC.read_text("utf-8")
    missing = []
    for view in PAGE_VIEWS:
        section = doc.split(f"### {view.__name__}", 1)
        if len(section) == 1:
            missing.append(view.__name__)
            continue
        body = section[1].split("\n### ", 1)[0]
        missing += [f"{view.__name__}.{f.name}" for f in dataclasses.fields(view) if f"`{f.name}`" not in body]
    assert missing == [], f"docs/themes.md does not document: {missing}"
