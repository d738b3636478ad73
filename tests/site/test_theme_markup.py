"""The default theme's markup on every page of the example site, read without a browser:
landmarks, skip link, navigation, breadcrumbs goal → strategy → activity, one h1, alt text,
RAG badges with an icon and a word, nothing loaded from outside the site, and small
CSS and JS shipped with the theme."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from roadmapgen.site.pages import NAV
from roadmapgen.site.render import theme_dir
from tests.conftest import EXAMPLE_TODAY, REPO

ITEM_FOLDERS = ("goals", "strategies", "activities", "people", "tools", "updates", "reviews")
RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
                  "embed": "src", "object": "data", "link": "href"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("markup") / "site"
    result = build_site(REPO, out, date.fromisoformat(EXAMPLE_TODAY))
    assert result.built, [d.as_text() for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def trees(built):
    import html5lib

    parsed = {}
    for page in sorted(built.rglob("*.html")):
        parsed[page.relative_to(built).as_posix()] = html5lib.parse(page.read_bytes(), transport_encoding="utf-8",
                                                                    namespaceHTMLElements=False)
    assert len(parsed) > 50
    return parsed


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def by_class(root, name: str, tag: str = "*") -> list:
    return [el for el in root.iter(tag) if name in classes(el)]


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_every_page_has_lang_title_landmarks_and_one_h1(trees):
    problems = []
    for path, tree in trees.items():
        body = tree.find("body")
        if not tree.get("lang"):
            problems.append(f"{path}: no <html lang>")
        title = tree.find("head/title")
        if title is None or not text(title):
            problems.append(f"{path}: no title")
        for tag, count in (("main", 1), ("h1", 1)):
            found = len(list(body.iter(tag)))
            if found != count:
                problems.append(f"{path}: {found} <{tag}> (want {count})")
        main = next(body.iter("main"))
        if main.get("id") != "main":
            problems.append(f"{path}: <main> has no id=main (the skip link's target)")
        if body.find("header") is None or body.find("footer") is None:
            problems.append(f"{path}: no page <header> or <footer>")
        navs = [n for n in body.iter("nav") if n.get("aria-label") == "Main"]
        if len(navs) != 1:
            problems.append(f"{path}: {len(navs)} main navigations")
    assert problems == []


def test_the_skip_link_is_the_first_link_and_targets_main(trees):
    for path, tree in trees.items():
        first = next(tree.find("body").iter("a"))
        assert "skip-link" in classes(first) and first.get("href") == "#main", path


def test_navigation_shows_the_model_in_order_and_marks_the_current_section(trees):
    expected = [title for _, title in NAV]
    for path, tree in trees.items():
        nav = next(n for n in tree.iter("nav") if n.get("aria-label") == "Main")
        links = list(nav.iter("a"))
        assert [text(a) for a in links] == expected, path
        current = [text(a) for a in links if a.get("aria-current")]
        assert len(current) <= 1, path
    assert [text(a) for a in next(n for n in trees["index.html"].iter("nav")).iter("a") if a.get("aria-current")] \
        == ["Home"]
    goal = next(p for p in trees if p.startswith("goals/") and p != "goals/index.html")
    nav = next(n for n in trees[goal].iter("nav") if n.get("aria-label") == "Main")
    assert [(text(a), a.get("aria-current")) for a in nav.iter("a") if a.get("aria-current")] == [("Goals", "true")]


def crumbs(tree) -> list[tuple[str, str | None]]:
    nav = next((n for n in tree.iter("nav") if n.get("aria-label") == "Breadcrumb"), None)
    if nav is None:
        return []
    return [(text(li), (li.find("a").get("href") if li.find("a") is not None else None)) for li in nav.iter("li")]


def test_every_item_page_has_breadcrumbs_down_to_itself(trees):
    for path, tree in trees.items():
        folder = path.split("/")[0]
        if folder not in ITEM_FOLDERS:
            continue
        trail = crumbs(tree)
        assert trail, f"{path}: no breadcrumbs"
        assert trail[0][0] == "Home", path
        assert trail[-1][1] is None and trail[-1][0] == text(tree.find(".//h1")), path
        assert [li for li in tree.iter("li") if li.find("span[@aria-current='page']") is not None], path


def test_breadcrumbs_run_goal_then_strategy_then_activity(trees):
    strategy_pages = [p for p in trees if p.startswith("strategies/") and p != "strategies/index.html"]
    activity_pages = [p for p in trees if p.startswith("activities/") and p != "activities/index.html"]
    assert strategy_pages and activity_pages
    for path in strategy_pages:
        hrefs = [href or "" for _, href in crumbs(trees[path])]
        assert any(h.startswith("../goals/") and h != "../goals/index.html" for h in hrefs), path
    in_strategy = 0
    for path in activity_pages:
        hrefs = [href or "" for _, href in crumbs(trees[path])]
        goal_at = [i for i, h in enumerate(hrefs) if h.startswith("../goals/") and h != "../goals/index.html"]
        strategy_at = [i for i, h in enumerate(hrefs) if h.startswith("../strategies/")]
        assert goal_at, f"{path}: no goal in the breadcrumbs"
        if strategy_at:
            in_strategy += 1
            assert goal_at[0] < strategy_at[0], path
    assert in_strategy > 10


def test_every_image_has_alt_text_and_decorative_svg_is_hidden(trees):
    for path, tree in trees.items():
        for img in tree.iter("img"):
            assert img.get("alt") is not None, f"{path}: <img src={img.get('src')}> has no alt"
        for svg in tree.find("body").iter("svg"):
            assert svg.get("aria-hidden") == "true" or svg.get("role") == "img" and svg.get("aria-label"), path


def test_every_rag_badge_has_an_icon_and_a_word(trees):
    seen = set()
    for path, tree in trees.items():
        for badge in by_class(tree, "rag", "span"):
            icons = [el for el in badge.iter("span") if "rag-icon" in classes(el)]
            assert icons and icons[0].get("aria-hidden") == "true", f"{path}: RAG badge without an icon"
            label = text(badge).replace(text(icons[0]), "", 1).strip()
            assert re.search(r"[A-Za-z]{3}", label), f"{path}: RAG badge without a label"
            seen.update(c for c in classes(badge) if c.startswith("rag-") and c != "rag-icon")
    assert {"rag-green", "rag-amber", "rag-red", "rag-complete", "rag-cancelled"} <= seen


def test_nothing_is_loaded_from_outside_the_site(trees):
    for path, tree in trees.items():
        for tag, attr in RESOURCE_ATTRS.items():
            for el in tree.iter(tag):
                value = el.get(attr) or ""
                if tag == "link" and not ({"stylesheet", "icon", "preload", "modulepreload", "manifest"}
                                          & set((el.get("rel") or "").split())):
                    continue
                assert not re.match(r"^([a-z]+:)?//", value, re.I), f"{path}: <{tag} {attr}={value}> is external"


def test_plotly_is_loaded_only_by_pages_with_a_chart(built, trees):
    with_plotly = set()
    for path, tree in trees.items():
        scripts = [s.get("src") or "" for s in tree.iter("script")]
        if any(s.endswith("vendor/plotly.min.js") for s in scripts):
            with_plotly.add(path)
            assert len([s for s in scripts if s.endswith("vendor/plotly.min.js")]) == 1, f"{path}: plotly twice"
    for path in sorted(with_plotly):
        assert by_class(trees[path], "js-chart") or by_class(trees[path], "chart"), f"{path}: plotly.js, no chart"
    assert "people/index.html" not in with_plotly and "updates/index.html" not in with_plotly
    assert (built / "assets" / "vendor" / "plotly.min.js").is_file()


def test_the_theme_ships_small_css_and_js_with_no_web_fonts_or_outside_files():
    assets = theme_dir() / "assets"
    css = (assets / "css" / "site.css").read_text("utf-8")
    js = (assets / "js" / "site.js").read_text("utf-8")
    assert len(css.encode()) < 20_000 and len(js.encode()) < 8_000
    for name in ("css/site.css", "css/charts.css"):
        path = assets / name
        if path.is_file():
            sheet = path.read_text("utf-8")
            assert "@font-face" not in sheet and "@import" not in sheet, name
            assert not re.search(r"url\(\s*['\"]?([a-z]+:)?//", sheet, re.I), name
    assert not [p for p in assets.rglob("*") if p.suffix.lower() in {".woff", ".woff2", ".ttf", ".otf", ".eot"}]
