"""The built-in theme's templates compiled ahead (site/compiled_theme.py): used when they match,
never different from compiling, and kept current."""

from __future__ import annotations

import json
import shutil
import traceback
from pathlib import Path

import jinja2
import pytest

from roadmapgen.build import render_site
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.site import compiled_theme
from roadmapgen.site.compiled_theme import COMPILED, CompiledTheme
from roadmapgen.site.precompile import builtin_environment, compiled_sources
from roadmapgen.site.render import template_environment, theme_dir

KEPT = json.loads(COMPILED.read_text("utf-8"))
SAME_JINJA = pytest.mark.skipif(
    json.loads(KEPT["environment"])[0] != jinja2.__version__,
    reason=f"compiled_theme.json was written with another Jinja than this {jinja2.__version__}: "
           "builds compile the templates, as before")


def _templates(environment: jinja2.Environment) -> list[str]:
    return [name for name in environment.list_templates() if not name.startswith("default/")]


def _count_compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


@SAME_JINJA
def test_the_kept_code_is_what_jinja_makes_of_the_theme_today():
    environment, templates = builtin_environment()
    assert compiled_sources(environment, templates) == KEPT, (
        "a template of the built-in theme changed: run `python -m roadmapgen.site.precompile`")


@SAME_JINJA
def test_the_built_in_theme_renders_without_compiling_a_template(monkeypatch):
    compiled = _count_compiles(monkeypatch)
    environment, _ = builtin_environment()
    for name in _templates(environment):
        environment.get_template(name)
    assert compiled == []
    assert len(_templates(environment)) == len(KEPT["templates"])


@SAME_JINJA
def test_an_edited_template_is_compiled_from_its_text_and_the_others_are_kept(tmp_path, monkeypatch):
    theme = tmp_path / "default"
    shutil.copytree(theme_dir(), theme)
    page = theme / "templates" / "404.html"
    page.write_text(page.read_text("utf-8").replace("{% block content %}", "{% block content %}EDITED"), "utf-8")
    compiled = _count_compiles(monkeypatch)
    environment = template_environment(theme, None)
    environment.filters.update(builtin_environment()[0].filters)  # the Renderer's, as a build has them
    environment.get_template("activity.html")
    environment.get_template("404.html")
    assert compiled == ["404.html"]
    constants = environment.get_template("404.html").blocks["content"].__code__.co_consts
    assert any(isinstance(text, str) and text.startswith("EDITED") for text in constants)


def test_a_custom_dir_is_sandboxed_and_compiles_everything(tmp_path):
    (tmp_path / "templates").mkdir()
    assert template_environment(theme_dir(), tmp_path).bytecode_cache is None
    assert isinstance(template_environment(theme_dir(), None).bytecode_cache, CompiledTheme)


def test_kept_code_for_another_environment_is_not_used(tmp_path):
    environment, templates = builtin_environment()
    other = dict(KEPT, environment=KEPT["environment"].replace("true", "false", 1))
    (tmp_path / "kept.json").write_text(json.dumps(other), "utf-8")
    cache = CompiledTheme(templates, tmp_path / "kept.json")
    source, filename, _ = environment.loader.get_source(environment, "activity.html")
    assert cache.get_bucket(environment, "activity.html", filename, source).code is None
    same = CompiledTheme(templates)
    assert (same.get_bucket(environment, "activity.html", filename, source).code is not None) == (
        json.loads(KEPT["environment"])[0] == jinja2.__version__)


@pytest.mark.parametrize("damage", ["no fields", "no code", "not a mapping", "code that is not text",
                                    "code that does not compile"])
def test_a_damaged_entry_is_compiled_from_the_template_instead(tmp_path, damage):
    environment, templates = builtin_environment()
    source, filename, _ = environment.loader.get_source(environment, "404.html")
    digest = compiled_theme.source_digest(source)
    entry = {"no fields": {}, "no code": {"sha256": digest}, "not a mapping": "404",
             "code that is not text": {"sha256": digest, "python": 3},
             "code that does not compile": {"sha256": digest, "python": "def ("}}[damage]
    (tmp_path / "kept.json").write_text(json.dumps(dict(KEPT, templates={"404.html": entry})), "utf-8")
    cache = CompiledTheme(templates, tmp_path / "kept.json")
    assert cache.get_bucket(environment, "404.html", filename, source).code is None


@pytest.mark.parametrize("text", ["", "[]", '{"templates": []}', "{not json"])
def test_a_damaged_file_is_no_kept_code(tmp_path, text):
    environment, templates = builtin_environment()
    source, filename, _ = environment.loader.get_source(environment, "404.html")
    (tmp_path / "kept.json").write_text(text, "utf-8")
    assert CompiledTheme(templates, tmp_path / "kept.json").get_bucket(environment, "404.html", filename, source).code is None


def _error_frames(environment: jinja2.Environment) -> list[tuple[str, int]]:
    with pytest.raises(jinja2.UndefinedError) as error:
        environment.get_template("activity.html").render()
    return [(frame.filename, frame.lineno) for frame in traceback.extract_tb(error.tb) if frame.filename.endswith(".html")]


@SAME_JINJA
def test_an_error_in_kept_code_names_the_template_file_and_line_as_compiled_code_does():
    kept, _ = builtin_environment()
    fresh, templates = builtin_environment()
    fresh.bytecode_cache = None
    frames = _error_frames(kept)
    assert frames and frames == _error_frames(fresh)
    assert all(Path(name).is_relative_to(templates) for name, _ in frames)


def test_the_site_is_the_same_bytes_with_and_without_the_kept_code(repo: Path, monkeypatch):
    computed = compute_roadmap(repo, Diagnostics())
    kept = render_site(computed)
    monkeypatch.setattr(compiled_theme.CompiledTheme, "_code", lambda self, *args: None)
    assert render_site(computed) == kept
