"""Building a roadmap or a theme that someone else wrote: what it must not do to the machine.

Each test is one attack of issue 20 ("Hostile roadmaps and themes, round 2"): a theme that
links to the build's secrets or runs code, names that drive the terminal, placeholders that
Plotly would fill in, a schema folder that links out, raw HTML with script links.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.sandbox import SandboxedEnvironment

from roadmapgen.build import build_site
from roadmapgen.cli import main
from roadmapgen.site import assets
from roadmapgen.site.render import Renderer, SiteInfo, ThemeSandbox, theme_dir
from roadmapgen.site.urls import SitePaths
from roadmapgen.site.write import OutputError
from tests.conftest import write_project

TODAY = "2026-03-04"
FILES = {
    "content/goals/grow.md": "---\ntitle: Grow revenue\ndue: 2026-12-31\n"
                             "metric: {name: Revenue, baseline: 10, target: 12, current: 11}\n---\nThe goal.\n",
    "content/strategies/launch.md": "---\ntitle: Launch\ngoal: grow\ndue: 2026-09-30\n---\n",
    "content/activities/first.md": "---\ntitle: First\nstrategy: launch\nstart: 2026-03-02\nduration: 5d\n---\n",
}
THEMED = "title: T\nstart: 2026-01-05\ntheme: {custom_dir: theme}\nsmart: {lint: false}\n"
SECRET = "TOKEN-never-to-be-published"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def codes(result) -> set[tuple[str, str]]:
    return {(d["path"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]}


@pytest.fixture
def themed(tmp_path: Path) -> Path:
    project = write_project(tmp_path / "project", FILES, config=THEMED)
    (project / "theme" / "assets").mkdir(parents=True)
    (project / "theme" / "templates").mkdir()
    return project


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "id_rsa"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


def assert_nothing_published(project: Path) -> None:
    site = project / "site"
    assert not site.exists() or not any(SECRET in p.read_text("utf-8", "replace")
                                        for p in site.rglob("*") if p.is_file())


# -- 1. theme assets that link out ------------------------------------------------------------------


def test_theme_assets_linking_out_of_the_project_are_errors_at_their_paths(themed, secret, monkeypatch):
    monkeypatch.setenv("ROADMAPGEN_TEST_SECRET", SECRET)
    (themed / "theme/assets/env.txt").symlink_to("/proc/self/environ")
    (themed / "theme/assets/key.txt").symlink_to(secret)
    (themed / "theme/assets/fine.txt").write_text("a plain asset")
    (themed / "theme/assets/also-fine.txt").symlink_to("fine.txt")  # stays inside the theme: fine
    result = cli("check", "-f", str(themed), "--format", "json")
    assert result.exit_code == 1
    assert codes(result) == {("theme/assets/env.txt", "symlink-outside"), ("theme/assets/key.txt", "symlink-outside")}
    build = cli("build", "-f", str(themed), "--today", TODAY)
    assert build.exit_code == 1 and "build refused" in build.output
    assert "theme/assets/env.txt:1:1: error[symlink-outside] this file is a link to a file outside the theme folder" \
        in build.output
    assert_nothing_published(themed)


def test_theme_folders_that_link_out_or_loop_and_pipes_are_errors(themed, secret):
    (themed / "theme/assets/keys").symlink_to(secret.parent, target_is_directory=True)
    (themed / "theme/assets/loop").symlink_to("loop")
    (themed / "theme/assets/up").symlink_to("..", target_is_directory=True)
    (themed / "theme/assets/gone.css").symlink_to("nowhere.css")
    os.mkfifo(themed / "theme/assets/pipe.css")
    result = cli("check", "-f", str(themed), "--format", "json")
    assert codes(result) == {("theme/assets/keys", "symlink-outside"), ("theme/assets/loop", "symlink-loop"),
                             ("theme/assets/up", "symlink-loop"), ("theme/assets/gone.css", "unreadable"),
                             ("theme/assets/pipe.css", "unreadable")}
    assert "Traceback" not in result.output


def test_the_asset_copy_refuses_a_link_out_even_if_check_was_skipped(themed, secret):
    (themed / "theme/assets/key.txt").symlink_to(secret)
    with pytest.raises(OutputError, match="key.txt"):
        assets._files(themed / "theme/assets")


# -- 2. templates are sandboxed ------------------------------------------------------------------------


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ site.__class__.__init__.__globals__ }}",
    "{{ url.__self__.env }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{% set x = {} %}{{ x.update({'a': 1}) }}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_a_template_cannot_reach_python(themed, payload, monkeypatch):
    monkeypatch.chdir(themed)
    (themed / "theme/templates/home.html").write_text('{% extends "default/home.html" %}{% block content %}'
                                                      + payload + "{% endblock %}")
    result = cli("build", "-f", str(themed), "--today", TODAY)
    assert result.exit_code == 1, result.output
    assert "a template of the theme failed" in result.output and "Traceback" not in result.output
    assert not (themed / "PWNED").exists()
    assert not (themed / "site").exists()


def test_an_include_of_a_link_out_is_refused_by_check_and_by_the_loader(themed, secret):
    (themed / "theme/templates/home.html").write_text('{% include "passwd.html" %}')
    (themed / "theme/templates/passwd.html").symlink_to(secret)
    result = cli("check", "-f", str(themed), "--format", "json")
    assert codes(result) == {("theme/templates/passwd.html", "symlink-outside")}
    renderer = Renderer(theme_dir(), themed / "theme", SiteInfo("T", None, TODAY, (), "g", "/"), SitePaths())
    with pytest.raises(Exception, match="link out of the theme folder") as raised:
        renderer.env.get_template("home.html").render()
    assert SECRET not in str(raised.value)


def test_a_theme_of_plain_templates_still_works_in_the_sandbox(themed):
    (themed / "theme/templates/base.html").write_text(
        '{% extends "default/base.html" %}{% block footer %}<p class="mine">{{ site.title|upper }} '
        '{{ cycler("a", "b").next() }} {{ range(3)|join(",") }}</p>{% endblock %}')
    result = build_site(themed, today=__import__("datetime").date.fromisoformat(TODAY))
    assert result.built, [d.as_text() for d in result.diagnostics]
    assert '<p class="mine">T a 0,1,2</p>' in (themed / "site/index.html").read_text("utf-8")


# -- 3 and 10. ids the site cannot hold ------------------------------------------------------------------


def test_every_page_the_site_writes_beside_items_is_a_reserved_id(example_copy):
    """Ids are file names: whatever the site writes in an item folder must be refused as an id."""
    from roadmapgen.model import FOLDERS, RESERVED_IDS

    site = example_copy / "site"
    assert build_site(example_copy, site, today=__import__("datetime").date(2026, 11, 25)).built
    written = {path.stem for folder in FOLDERS for path in (site / folder).glob("*")}
    items = {path.stem for path in (example_copy / "content").rglob("*.md")}
    assert written - items == set(RESERVED_IDS)


@pytest.mark.parametrize("rel", ["content/goals/index.md", "content/activities/index.md", "content/people/index.md"])
def test_an_item_called_index_is_refused_with_a_hint(tmp_path, rel):
    text = {"goals": "---\ntitle: I\ndue: 2026-12-31\n---\n", "people": "---\nname: I\n---\n",
            "activities": "---\ntitle: I\nstrategy: launch\nduration: 1d\n---\n"}[rel.split("/")[1]]
    project = write_project(tmp_path / "p", {**FILES, rel: text})
    result = cli("check", "-f", str(project))
    assert result.exit_code == 1
    assert f"{rel}:1:1: error[reserved-id] 'index' cannot be an id: the site writes its own" in result.output
    assert "hint: rename the file, e.g. to 'index-" in result.output


def test_an_id_of_more_than_200_characters_is_refused_by_check_not_by_the_file_system(tmp_path):
    long_id = "a" * 252
    project = write_project(tmp_path / "p", {**FILES, f"content/activities/{long_id}.md":
                                             "---\ntitle: Long\nstrategy: launch\nduration: 1d\n---\n"})
    result = cli("check", "-f", str(project), "--format", "json")
    assert codes(result) == {(f"content/activities/{long_id}.md", "invalid-id")}
    assert "more than the 200 an id may have" in result.output
    build = cli("build", "-f", str(project), "--today", TODAY)
    assert build.exit_code == 1 and "build refused" in build.output and "File name too long" not in build.output
    exact = write_project(tmp_path / "q", {**FILES, f"content/activities/{'b' * 200}.md":
                                           "---\ntitle: Long\nstrategy: launch\nduration: 1d\n---\n"})
    assert cli("build", "-f", str(exact), "--today", TODAY).exit_code == 0


# -- 5. aliases that expand to a lot of text ------------------------------------------------------------------


def test_aliases_repeating_a_long_text_are_refused_at_the_file(tmp_path):
    """The issue's review: 86 kB of `*d`, where `&d` is 10,000 characters, made 190 MB pages."""
    review = ("---\ntitle: R\nquarter: 2026-Q1\ndate: 2026-03-03\nsummary: &d " + "x" * 10_000
              + "\ndecisions:\n" + "  - *d\n" * 19_000 + "---\n")
    project = write_project(tmp_path / "p", {**FILES, "content/reviews/q1.md": review})
    result = cli("check", "-f", str(project), "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    [problem] = json.loads(result.stdout)["diagnostics"]
    assert (problem["path"], problem["line"], problem["code"]) == ("content/reviews/q1.md", 6, "yaml-too-complex")
    assert "1,000,000 characters" in problem["message"]


# -- 6 and 13. folders that cannot be read, links between folders --------------------------------------------


def _unreadable(monkeypatch, folder: Path) -> None:
    """Make `folder` unreadable to the loader (chmod does not stop root, which runs CI containers)."""
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_in_content_is_a_diagnostic_not_a_silent_skip(tmp_path, monkeypatch):
    project = write_project(tmp_path / "p", {**FILES, "content/activities/team/second.md":
                                             "---\ntitle: Second\nstrategy: launch\nduration: 1d\n---\n"})
    _unreadable(monkeypatch, project / "content/activities/team")
    result = cli("check", "-f", str(project), "--format", "json")
    assert result.exit_code == 1
    assert codes(result) == {("content/activities/team", "unreadable")}
    assert "cannot read this folder: Permission denied" in result.output


def test_an_unreadable_content_folder_is_a_diagnostic_in_check_and_build(tmp_path, monkeypatch):
    project = write_project(tmp_path / "p", FILES)
    _unreadable(monkeypatch, project / "content")
    result = cli("check", "-f", str(project), "--format", "json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert codes(result) == {("content", "unreadable")}
    build = cli("build", "-f", str(project), "--today", TODAY)
    assert build.exit_code == 1 and "content:1:1: error[unreadable]" in build.output
    assert "could not write the site" not in build.output and "build refused" in build.output


def test_links_between_folders_inside_content_are_followed_and_loops_named(tmp_path):
    project = write_project(tmp_path / "p", {**FILES, "content/_shared/second.md":
                                             "---\ntitle: Second\nstrategy: launch\nduration: 1d\n---\n"})
    (project / "content/activities/shared").symlink_to("../_shared", target_is_directory=True)
    (project / "content/activities/again").symlink_to("../_shared", target_is_directory=True)
    (project / "content/activities/self.md").symlink_to("self.md")
    (project / "content/activities/up").symlink_to(".", target_is_directory=True)
    result = cli("check", "-f", str(project), "--format", "json")
    assert codes(result) == {("content/activities/self.md", "symlink-loop"), ("content/activities/up", "symlink-loop"),
                             ("content/activities/shared", "symlink-loop")}  # `again` was read first
    assert "loop" in result.output and "outside content/" not in result.output
    (project / "content/activities/self.md").unlink()
    (project / "content/activities/up").unlink()
    (project / "content/activities/again").unlink()
    result = cli("check", "-f", str(project), "--format", "json")
    assert result.exit_code == 0, result.output
    assert build_site(project, today=__import__("datetime").date.fromisoformat(TODAY)).built
    assert (project / "site/activities/second.html").is_file()


# -- 9. a schedule that runs past the dates Python can hold --------------------------------------------------


def test_a_roadmap_that_passes_check_never_overflows_in_build(tmp_path):
    files = {"content/goals/g.md": "---\ntitle: G\ndue: 2999-12-31\n---\n"}
    for i in range(1, 73):
        depends = f"depends_on: [a{i - 1}]\n" if i > 1 else ""
        files[f"content/activities/a{i}.md"] = f"---\ntitle: A{i}\ngoal: g\nduration: 5000d\n{depends}---\n"
    project = write_project(tmp_path / "p", files, config="title: Far\ntoday: 2999-01-01\ncalendar:\n  workdays: [sun]\nsmart: {lint: false}\n")
    result = cli("check", "-f", str(project), "--format", "json")
    assert result.exit_code == 1
    assert codes(result) == {("content/activities/a1.md", "out-of-range")}  # once, where the chain crosses
    build = cli("build", "-f", str(project))
    assert build.exit_code == 1 and isinstance(build.exception, SystemExit), build.output
    assert "OverflowError" not in build.output and "build refused" in build.output


# -- 11. names and values that drive the terminal ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_control_characters_are_escaped_in_every_format(tmp_path, fmt, monkeypatch):
    value = "\x1b[2J\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\x07\x9b31m\u202e"
    name = "content/activities/x\x1b]2;owned\x07.md"
    project = write_project(tmp_path / "p", {**FILES, "content/activities/bad.md":
                                             f"---\ntitle: B\nstrategy: launch\nduration: 1d\nstatus: {json.dumps(value)}\n---\n",
                                             name: "---\ntitle: C\n---\n"})
    monkeypatch.chdir(project)
    result = cli("check", "-f", str(project), "--format", fmt)
    assert result.exit_code == 1
    output = result.stdout if fmt != "text" else result.output
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", output), repr(output)
    assert "\\x1b" in output and "\\x07" in output
    if fmt == "json":
        messages = " ".join(d["message"] + (d["hint"] or "") + d["path"] for d in json.loads(output)["diagnostics"])
        assert "\\x1b[2J" in messages and "x\\x1b]2;owned\\x07.md" in messages


# -- 12. body headings never take the page's ids ---------------------------------------------------------------


def _ids(html: str) -> list[str]:
    return re.findall(r"\sid=\"([^\"]*)\"", html)


def test_body_headings_never_repeat_or_break_the_pages_ids(tmp_path):
    body = "## Chart timeline grow data\n\n## Main\n\n## Why heading\n\n## Goal charts heading\n\nText.\n"
    project = write_project(tmp_path / "p", {**FILES, "content/goals/grow.md": FILES["content/goals/grow.md"] + body})
    assert build_site(project, today=__import__("datetime").date.fromisoformat(TODAY)).built
    pages = sorted((project / "site").rglob("*.html"))
    for page in pages:
        ids = _ids(page.read_text("utf-8"))
        assert len(ids) == len(set(ids)), (page.name, sorted(i for i in ids if ids.count(i) > 1))
    html = (project / "site/goals/grow.html").read_text("utf-8")
    assert 'id="h-chart-timeline-grow-data"' in html and 'id="h-main"' in html
    data = re.search(r'<script type="application/json" id="chart-timeline-grow-data">(.*?)</script>', html, re.S)
    assert json.loads(data.group(1))["kind"] == "gantt"


# -- 14. Plotly placeholders in author text ----------------------------------------------------------------------


def test_placeholders_in_author_text_never_reach_a_plotly_template(tmp_path):
    unit = "€ %{x} %{y:,.1000000f}"
    goal = ("---\ntitle: Grow %{y}\ndue: 2026-12-31\n"
            f"metric: {{name: \"Revenue %{{x}}\", unit: {json.dumps(unit)}, baseline: 10, target: 12, current: 11}}\n---\n")
    updates = "---\ndate: 2026-03-02\nitems:\n  - {ref: grow, metric: 11}\n---\n"
    project = write_project(tmp_path / "p", {**FILES, "content/goals/grow.md": goal,
                                             "content/updates/u.md": updates})
    assert build_site(project, today=__import__("datetime").date.fromisoformat(TODAY)).built
    html = (project / "site/goals/grow.html").read_text("utf-8")
    specs = re.findall(r'<script type="application/json" id="chart-[^"]*-data">(.*?)</script>', html, re.S)
    assert len(specs) == 2
    templates = [trace.get("hovertemplate", "") for spec in specs for trace in json.loads(spec)["figure"]["data"]]
    placeholders = {p for template in templates for p in re.findall(r"%\{([^}]*)\}", template)}
    assert placeholders <= {"y", "y:.2f", "customdata"}, placeholders
    assert any("€ &#37;{x} &#37;{y:,.1000000f}" in template for template in templates)
    assert "Revenue &#37;{x}" in json.dumps([json.loads(spec) for spec in specs], ensure_ascii=False)


# -- 15. schema -o never writes through a link -------------------------------------------------------------------


def test_schema_output_refuses_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "goal.schema.json").symlink_to(outside / "planted.json")  # dangling: would create it
    result = cli("schema", "-o", str(folder))
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    assert not (outside / "planted.json").exists()
    linked = tmp_path / "linked"
    linked.symlink_to(outside, target_is_directory=True)
    result = cli("schema", "-o", str(linked))
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    assert list(outside.iterdir()) == []


# -- 16. raw HTML is sanitised ------------------------------------------------------------------------------------


def test_raw_html_allowed_never_emits_script_links_or_event_handlers(tmp_path):
    from tests.hostile import write_hostile_project
    from tests.site.test_hostile_static import _Scan

    project = write_hostile_project(tmp_path / "project")
    config = project / "roadmap.yml"
    config.write_text(config.read_text("utf-8") + "markdown:\n  html: true\n", "utf-8")
    extra = ('\n<a href="javascript:window.__pwned=1">a</a> <a href=" JaVa&#x09;script:x">b</a> '
             '<a href="vbscript:x">c</a> <a href="data:text/html,x">d</a> <div onmouseover="x()" id="main">e</div>'
             '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><button>f</button></form>'
             '<style>body{display:none}</style><b style="position:fixed">g</b>\n')
    goal = project / "content/goals/grow.md"
    goal.write_text(goal.read_text("utf-8") + extra, "utf-8")
    assert build_site(project, project / "site").built
    problems = {}
    for page in sorted((project / "site").rglob("*.html")):
        html = page.read_text("utf-8")
        scan = _Scan()
        scan.feed(html)
        lowered = html.lower()
        found = scan.problems + [bad for bad in ("<form action", "<style>body", "position:fixed") if bad in lowered]
        ids = _ids(html)
        found += [f"duplicate id {i}" for i in set(ids) if ids.count(i) > 1]
        if found:
            problems[page.name] = found
    assert problems == {}
    html = (project / "site/goals/grow.html").read_text("utf-8")
    assert "<b>bold</b>" in html or "<b>" in html  # raw HTML is still allowed, only made safe


def test_only_templates_of_a_custom_dir_run_in_the_sandbox(themed):
    # the built-in theme's templates are roadmapgen's own code; a custom_dir brings someone else's
    site = SiteInfo("T", None, TODAY, (), "g", "/")
    assert not isinstance(Renderer(theme_dir(), None, site, SitePaths()).env, SandboxedEnvironment)
    assert isinstance(Renderer(theme_dir(), themed / "theme", site, SitePaths()).env, ThemeSandbox)
