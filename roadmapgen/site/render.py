"""Render stage: pages through the Jinja theme, with a user's `custom_dir` searched first.

Templates are looked up by file name in the user's folder, then in the theme; a user's
template can extend the original as "default/<name>".

A theme may come from someone else, so templates run in Jinja's immutable sandbox: they
can read the values they are given and call their public methods, but not reach Python's
internals (`cycler.__init__.__globals__` …), change a value, or touch modules, paths or
files. The loader reads only files inside the template folders: a link out is refused.
"""

from __future__ import annotations

import io
import json
import os
import types
from dataclasses import dataclass
from pathlib import PurePath
from pathlib import Path
from typing import Mapping

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from roadmapgen.site.pages import NavEntry, Page
from roadmapgen.site.urls import SitePaths

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def theme_dir(name: str = "default") -> Path:
    """The built-in theme: inside the package when installed, beside it in a source checkout."""
    for candidate in (PACKAGE_DIR / "themes" / name, PACKAGE_DIR.parent / "themes" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the '{name}' theme is missing from this installation of roadmapgen")


def json_for_script(value: object) -> Markup:
    """JSON that is safe inside <script>: no '</script>', '<!--' or U+2028 can end or break it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files inside its folders, links resolved."""

    def __init__(self, searchpath: list[str]):
        super().__init__(searchpath)
        self._roots = [os.path.realpath(folder) for folder in self.searchpath]

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = split_template_path(template)
        for folder, root in zip(self.searchpath, self._roots):
            candidate = os.path.join(folder, *pieces)
            if os.path.lexists(candidate):
                real = os.path.realpath(candidate)
                if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
                    raise jinja2.TemplateError(f"refusing to read template {template!r}: {candidate} is a link out of "
                                               "the theme folder, or not a regular file")
                break
        return super().get_source(environment, template)


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also keeps modules, paths and open files out of reach.

    Whether an attribute is safe depends only on the object's type and the attribute's name
    (Jinja's rules: no `_name`, no internals of functions, frames or types, no method that
    changes a list, dict or set), so the answer is kept per (type, name), and an attribute
    known to be safe is read without the sandbox's checks again. `format` and `format_map`
    always take Jinja's path, which makes `str.format` safe.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}
        self._fast: set[tuple[type, str]] = set()  # safe, and not a `format` that Jinja must wrap

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        if isinstance(value, types.ModuleType):
            return False
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = (not isinstance(obj, (types.ModuleType, PurePath, io.IOBase))
                                      and super().is_safe_attribute(obj, attr, value))
            if safe and attr not in ("format", "format_map"):
                self._fast.add(key)
        return safe

    def getattr(self, obj: object, attribute: str) -> object:
        if (type(obj), attribute) in self._fast:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not isinstance(value, types.ModuleType):
                    return value
        return super().getattr(obj, attribute)


@dataclass(frozen=True)
class SiteInfo:
    """What every page may show about the site as a whole."""

    title: str
    description: str | None
    today: str
    nav: tuple[NavEntry, ...]
    generator: str
    base_url: str


class Renderer:
    def __init__(self, theme: Path, custom_dir: Path | None, site: SiteInfo, paths: SitePaths):
        search = [str(custom_dir / "templates")] if custom_dir else []
        search.append(str(theme / "templates"))
        loader = jinja2.ChoiceLoader([
            ConfinedLoader(search),
            jinja2.PrefixLoader({"default": ConfinedLoader([str(theme / "templates")])}),
        ])
        self.env = ThemeSandbox(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.filters["json_script"] = json_for_script
        self.env.filters["pct"] = lambda value: f"{value:.0f}%" if value is not None else "—"
        self.env.globals.update(site=site, url=self.url, asset=self.asset)
        self.paths = paths
        self._page: Page | None = None

    # `url` and `asset` are globals (not per-page context) so that imported macro files need
    # no context and Jinja caches them: they read the page being rendered from the renderer.
    def url(self, target: str) -> str:
        """The link from the page being rendered to a site path."""
        return self.paths.relative(self._page.path if self._page else "index.html", target)

    def asset(self, name: str) -> str:
        return self.url(self.paths.asset(name))

    def render(self, page: Page, extra: Mapping[str, object] | None = None) -> str:
        template = self.env.get_template(page.template)
        self._page = page
        try:
            return template.render(page=page, **page.context, **(extra or {}))
        finally:
            self._page = None
