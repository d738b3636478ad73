"""Writes `compiled_theme.json` (site/compiled_theme.py): the Python Jinja makes of each template
of the built-in theme, with the environment a build renders it in. A command for roadmapgen's
developers, run after editing a template of the built-in theme:

    python -m roadmapgen.site.precompile
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from roadmapgen.site.compiled_theme import COMPILED, environment_signature, source_digest
from roadmapgen.site.pages import navigation
from roadmapgen.site.render import Renderer, SiteInfo, theme_dir
from roadmapgen.site.urls import SitePaths


def builtin_environment() -> tuple[jinja2.Environment, Path]:
    """The environment a build renders the built-in theme with (no custom_dir), and its templates' folder."""
    paths = SitePaths("/")
    theme = theme_dir("default")
    site = SiteInfo("", None, "", navigation(paths), "", "/")
    return Renderer(theme, None, site, paths).env, theme / "templates"


def compiled_sources(environment: jinja2.Environment, templates: Path) -> dict:
    """What `compiled_theme.json` holds for the templates in `templates`, compiled by `environment`."""
    entries = {}
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        name = path.relative_to(templates).as_posix()
        source, filename, _ = environment.loader.get_source(environment, name)
        entries[name] = {"sha256": source_digest(source), "python": environment.compile(source, name, filename, raw=True)}
    return {"generated_by": "python -m roadmapgen.site.precompile", "environment": environment_signature(environment),
            "templates": entries}


def main() -> None:
    """Write compiled_theme.json from the built-in theme's templates."""
    data = compiled_sources(*builtin_environment())
    COMPILED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {COMPILED} ({len(data['templates'])} templates, Jinja {jinja2.__version__})")


if __name__ == "__main__":
    main()
