"""Render stage: finished pages through the Jinja theme, with a user's `custom_dir` searched first,
into bytes in memory.

Templates are looked up by file name in the user's folder, then in the theme; a user's
template can extend the original as "default/<name>". Rendering decides nothing: a page's
context is complete before it gets here (pages.py), and `url()` and `asset()` read the page
being rendered from the template's context, so one Renderer can render pages in any order.

A theme may come from someone else, so templates run in Jinja's immutable sandbox: they
can read the values they are given and call their public methods, but not reach Python's
internals (`cycler.__init__.__globals__` …), change a value, or touch modules, paths or
files. The loader reads only files inside the template folders: a link out is refused.
"""

from __future__ import annotations

import io
import os
import threading
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePath
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from roadmapgen.site.charts import json_for_script
from roadmapgen.site.compiled_theme import CompiledTheme
from roadmapgen.site.pages import NavEntry, Page
from roadmapgen.site.urls import SitePaths

PACKAGE_DIR = Path(__file__).resolve().parent.parent

__all__ = ["LazySite", "Renderer", "SiteInfo", "json_for_script", "render_pages", "template_environment", "theme_dir"]


def theme_dir(name: str = "default") -> Path:
    """The built-in theme: inside the package when installed, beside it in a source checkout."""
    for candidate in (PACKAGE_DIR / "themes" / name, PACKAGE_DIR.parent / "themes" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the '{name}' theme is missing from this installation of roadmapgen")


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files inside its folders, links resolved."""

    def __init__(self, searchpath: list[str]):
        super().__init__(searchpath)
        self._roots = [os.path.realpath(folder) for folder in self.searchpath]

    def get_source(self, environment: jinja2.Environment, template: str):
        """The template's source, refusing one that is a link out of its folder or not a regular file."""
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
        """Jinja's answer, remembered per (type, name); modules, paths and open files never."""
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
        """An attribute known to be safe directly; anything else through the sandbox's checks."""
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
    exports: tuple[NavEntry, ...] = ()  # the files every page's footer links to (site/outputs.py)

    @cached_property
    def nav_paths(self) -> frozenset[str]:
        """The site paths the navigation links to (a page among them is marked as the current one)."""
        return frozenset(entry.path for entry in self.nav)


class FragmentCache(Extension):
    """`{% cache key, … %}…{% endcache %}`: the part between rendered once per key, then its text
    reused, for as long as the renderer lives (one build; a live preview's, while the site's title,
    date and theme stay).

    The key must name everything the part shows besides `site`: the page frame's navigation and
    footer are the same on every page at the same depth (their links are relative) and in the
    same section, and were about a third of the render stage's time. docs/themes.md says how a theme
    uses it; the built-in theme caches only a block's default content, so that a block a theme
    replaces is never cached.
    """

    tags = {"cache"}

    def __init__(self, environment: jinja2.Environment):
        super().__init__(environment)
        environment.extend(fragments={})

    def parse(self, parser) -> nodes.Node:
        """`cache` then the key's expressions, separated by commas; the body up to `endcache`."""
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_cached", [nodes.Tuple(key, "load")]), [], [], body).set_lineno(lineno)

    def _cached(self, key: tuple, caller: Callable[[], str]) -> str:
        fragments = self.environment.fragments  # type: ignore[attr-defined]
        text = fragments.get(key)
        if text is None:
            text = fragments[key] = caller()
        return text


BuiltInEnvironment: type[jinja2.Environment] = jinja2.Environment  # the built-in theme's, alone


def template_environment(theme: Path, custom_dir: Path | None) -> jinja2.Environment:
    """The Jinja environment over the user's templates, then the theme's ("default/<name>" for the
    original), reading only files inside those folders: sandboxed whenever a `custom_dir` brings
    templates of someone else's; the built-in theme's own are roadmapgen's code, as trusted as its
    Python, and run without the sandbox's checks (a third of the render stage at 1,000 activities),
    from the code compiled ahead for them (site/compiled_theme.py)."""
    search = [str(custom_dir / "templates")] if custom_dir else []
    search.append(str(theme / "templates"))
    loader = jinja2.ChoiceLoader([
        ConfinedLoader(search),
        jinja2.PrefixLoader({"default": ConfinedLoader([str(theme / "templates")])}),
    ])
    environment = ThemeSandbox if custom_dir is not None else BuiltInEnvironment
    return environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,  # a plain dict: a theme's templates are few, and the LRU's upkeep was 6% of a page's render
        extensions=[FragmentCache],
        bytecode_cache=CompiledTheme(theme / "templates") if custom_dir is None else None,
    )


def _page_of(context) -> Page:
    page = context.get("page")
    if not isinstance(page, Page):
        raise jinja2.TemplateRuntimeError(
            "url() and asset() need the page being rendered: import macros that link with "
            "{% from \"partials/macros.html\" import link with context %}")
    return page


def _pct(value: float | None) -> str:
    return f"{value:.0f}%" if value is not None else "—"


class Renderer:
    """Renders pages through the theme; holds no per-page state."""

    def __init__(self, theme: Path, custom_dir: Path | None, site: SiteInfo, paths: SitePaths):
        self.env = template_environment(theme, custom_dir)
        self.paths = paths
        self.env.filters["json_script"] = self.env.filters["tojson"] = json_for_script  # one JSON for scripts
        self.env.filters["pct"] = _pct
        self.env.globals.update(site=site, url=self._url_global(), asset=self._asset_global())

    def _url_global(self) -> Callable:
        relative = self.paths.relative

        @jinja2.pass_context
        def url(context, target: str) -> str:
            """The link from the page being rendered to a site path."""
            return relative(_page_of(context).path, target)

        return url

    def _asset_global(self) -> Callable:
        relative, asset_path = self.paths.relative, self.paths.asset

        @jinja2.pass_context
        def asset(context, name: str) -> str:
            """The link from the page being rendered to an asset of the theme."""
            return relative(_page_of(context).path, asset_path(name))

        return asset

    def compile_for(self, pages: Iterable[Page]) -> None:
        """Compile the templates of `pages` here and now: the processes forked after share them,
        where each would compile its own (at 1,000 activities, a tenth of a second each)."""
        for name in sorted({page.template for page in pages}):
            self.env.get_template(name)

    def render(self, page: Page) -> str:
        """One page's text."""
        template = self.env.get_template(page.template)
        variables = page.context.variables() if page.context is not None else {}
        return template.render(page=page, **variables)


@dataclass
class RenderCache:
    """What the last render made, kept between rebuilds (`serve`): the renderer, and each page's
    value with its bytes, so that only pages whose value changed are rendered again."""

    key: tuple = ()  # what every page depends on (site info, theme folders); a change renders all
    renderer: Renderer | None = None
    pages: dict[str, tuple[Page, bytes]] = field(default_factory=dict)
    rendered: int = 0  # pages the last render actually rendered

    def renderer_for(self, key: tuple, make: Callable[[], Renderer]) -> Renderer:
        """The kept renderer, or a new one (and nothing reused) when `key` changed."""
        if self.renderer is None or key != self.key:
            self.key, self.renderer, self.pages = key, make(), {}
        return self.renderer

    def forget(self) -> None:
        """Start again: the theme's files changed under the kept renderer."""
        self.key, self.renderer, self.pages = (), None, {}


def render_pages(renderer: Renderer, pages: Sequence[Page],
                 progress: Callable[[int, int | None], None] | None = None,
                 cache: RenderCache | None = None) -> dict[str, bytes]:
    """Each page's bytes by its output path, in the pages' order; `progress` is called with
    (pages rendered, pages in all) as it goes. With a `cache`, a page equal to the one rendered
    last time at its path keeps its bytes."""
    total, out = len(pages), {}
    kept = cache.pages if cache is not None else {}
    fresh: dict[str, tuple[Page, bytes]] = {}
    rendered = 0
    for done, page in enumerate(pages, 1):
        previous = kept.get(page.path)
        if previous is not None and previous[0] == page:
            data = previous[1]
        else:
            data = renderer.render(page).encode("utf-8")
            rendered += 1
        out[page.path] = data
        fresh[page.path] = (page, data)
        if progress:
            progress(done, total)
    if cache is not None:
        cache.pages, cache.rendered = fresh, rendered
    return out


class LazySite(Mapping[str, bytes]):
    """A whole site whose pages are made when first read: {site path: bytes}, for `serve`.

    The site starts with `first`, the pages about what a save changed, as finished values; the
    value of every other page comes from `every()` (the whole pages stage, which gives the first
    pages again, equal) when the site is first asked for a page it does not hold yet, for its
    list of paths, or to `finish`; the `warm_up` steps come first (`finish` may stop between
    two). Reading a page renders it from its value (or takes the cache's bytes when the value is
    unchanged), and gives the same bytes whenever and in whichever thread it is read. The live preview can thus serve a new site at once, the pages
    about the save first, and `finish` the others afterwards. `others` are files that are not
    pages; `later` makes the rest (the exports, one (path, bytes) at a time) when one of them, or
    the list of every path, is first asked for.
    """

    def __init__(self, first: Sequence[Page], every: Callable[[], Iterable[Page]], renderer: Renderer,
                 cache: RenderCache, others: Mapping[str, bytes], later: Callable[[], Iterable[tuple[str, bytes]]],
                 warm_up: Iterable[None] = ()):
        self.first = [page.path for page in first]
        self._pages = {page.path: page for page in first}
        self._every, self._all = every, False
        self._making: Iterator[Page] | None = None  # the pages stage, while it runs
        self._warm_up = iter(warm_up)  # small steps that make what the pages share, before the stage
        self._made: dict[str, Page] = {}
        self._renderer, self._cache = renderer, cache
        self._bytes: dict[str, bytes] = dict(others)
        self._others = list(others)
        self._later, self._later_files = later, None
        self._making_later: Iterator[tuple[str, bytes]] | None = None
        self._made_files: dict[str, bytes] = {}
        self._lock = threading.RLock()  # the exports read every page
        self.rendered: set[str] = set()  # paths rendered, not taken from the cache

    def __getitem__(self, path: str) -> bytes:
        data = self._bytes.get(path)
        if data is not None:
            return data
        if path in self._pages or path in self._all_pages():
            return self._make(path)
        return self._made_later()[path]

    def __iter__(self) -> Iterator[str]:
        pages = self._all_pages()
        later = [path for path in self._made_later() if path not in pages and path not in self._bytes]
        return iter([*pages, *(p for p in self._others if p not in pages), *later])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, path: object) -> bool:
        return path in self._pages or path in self._bytes or path in self._all_pages() or path in self._made_later()

    @property
    def pages(self) -> int:
        """How many of the files are pages."""
        return len(self._all_pages())

    def every_page(self) -> tuple[Page, ...]:
        """Every page, in the pages stage's order."""
        return tuple(self._all_pages().values())

    def _all_pages(self, stop: Callable[[], bool] | None = None) -> dict[str, Page] | None:
        """Every page by path, made once however many threads ask; None when `stop()` said to
        leave off (what was made is kept: the next call goes on from there)."""
        with self._lock:
            if not self._all:
                for _ in self._warm_up:
                    if stop is not None and stop():
                        return None
                if self._making is None:
                    self._making, self._made = iter(self._every()), {}
                for page in self._making:
                    self._made[page.path] = page
                    if stop is not None and stop():
                        return None
                every = self._made
                every.update((path, page) for path, page in self._pages.items() if path in every)  # equal values
                self._pages, self._all, self._making = every, True, None
            return self._pages

    def _make(self, path: str) -> bytes:
        page = self._pages[path]
        kept = self._cache.pages.get(path)
        if kept is not None and kept[0] == page:
            data = kept[1]
        else:
            data = self._renderer.render(page).encode("utf-8")
            self.rendered.add(path)
            self._cache.pages[path] = (page, data)
        return self._bytes.setdefault(path, data)  # two threads may make one page: the first one's bytes stay

    def _made_later(self, stop: Callable[[], bool] | None = None) -> Mapping[str, bytes] | None:
        """The other files, made once however many threads ask; None when `stop()` said to
        leave off between two (the next call goes on from there)."""
        with self._lock:
            if self._later_files is None:
                if self._making_later is None:
                    self._making_later, self._made_files = iter(self._later()), {}
                for path, data in self._making_later:
                    self._made_files[path] = data
                    if stop is not None and stop():
                        return None
                self._later_files, self._making_later = self._made_files, None
            return self._later_files

    def finish(self, stop: Callable[[], bool] = lambda: False, pause: Callable[[], None] = lambda: None) -> bool:
        """Make every file not read yet, the pages of single items first, the lists last; False
        when `stop()` said to leave the rest (a newer change is waiting). `pause()` runs before
        each page."""
        pages = self._all_pages(stop)  # a long stage at 1,000 activities and more: a newer save cuts it short
        if pages is None:
            return False
        lists = [path for path, page in pages.items() if page.shows_everything]
        singles = [path for path, page in pages.items() if not page.shows_everything]
        for path in [*singles, *lists]:
            if path not in self._bytes:
                if stop():
                    return False
                pause()
                self._make(path)
        if stop() or self._made_later(stop) is None:
            return False
        self._cache.pages = {path: self._cache.pages[path] for path in self._pages if path in self._cache.pages}
        self._cache.rendered = len(self.rendered)
        return True
