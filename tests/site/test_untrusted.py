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

from roadmapgen.build import build_site
from roadmapgen.cli import main
from roadmapgen.site import assets
from roadmapgen.site.render import Renderer, SiteInfo, theme_dir
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
THEMED = "title: T\nstart: 2026-01-05\ntheme: {custom_dir: theme}\n"
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
    assert "theme/assets/env.txt: error[symlink-outside] this file is a link to a file outside the theme folder" \
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
