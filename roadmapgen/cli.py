"""The command line: parse options, call the pipeline, print diagnostics. Nothing else."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import sys
import time
from datetime import date
from pathlib import Path

import click

from roadmapgen import __version__
from roadmapgen.config import CONFIG_NAME, resolve_custom_dir
from roadmapgen.diagnostics import FORMATTERS, Diagnostics, escape_controls
from roadmapgen.names import SINGULAR

EXAMPLES = {
    "build": """
\b
Examples:
  roadmapgen build                      # the roadmap in this folder, into ./site
  roadmapgen build -f ../plan -o /tmp/x # another roadmap, another output folder
  roadmapgen build --today 2026-09-30   # status as of a date (reproducible)
  roadmapgen build --strict             # warnings fail the build too (for CI)
  roadmapgen build --as-of 2026-09-30 -o /tmp/q3   # the site as committed then (needs git)
""",
    "check": """
\b
Examples:
  roadmapgen check                      # every problem, as file:line:col
  roadmapgen check --strict             # exit 1 on warnings too
  roadmapgen check --format github      # annotations in a GitHub Actions run
  roadmapgen check --format json        # for other tools
""",
    "serve": """
\b
Examples:
  roadmapgen serve                      # preview at http://127.0.0.1:8000/, reloading on save
  roadmapgen serve --port 8001          # another port
  roadmapgen serve --host 0.0.0.0       # reachable from other machines (take care)
  roadmapgen serve --today 2026-09-30   # status as of a date
""",
    "explain": """
\b
Examples:
  roadmapgen explain wms-cutover        # why it starts, ends and is forecast then; its colour
  roadmapgen explain goal:on-time-delivery   # a goal: what drives its end, back to the root
  roadmapgen explain wms-cutover --today 2026-09-30
""",
    "diff": """
\b
Examples:
  roadmapgen diff                       # this branch's working tree against where it left main
  roadmapgen diff v2026-q3 HEAD         # between two commits, tags or branches
  roadmapgen diff origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
  roadmapgen diff origin/main --format github --fail-on new-red --fail-on due-at-risk
""",
    "baseline": """
\b
Examples:
  roadmapgen baseline q4                # save every item's start and end to baselines/q4.yml
  roadmapgen baseline q4 --force        # replace it
  # then compare against it: `baseline: q4` in roadmap.yml
""",
    "schema": """
\b
Examples:
  roadmapgen schema                     # all schemas as one JSON document
  roadmapgen schema -o .schemas/        # one file per content type and roadmap.schema.json
""",
}


def _project(config: str | None) -> Path:
    """The roadmap folder: the one holding roadmap.yml (from -f, or the current folder)."""
    path = Path(config).expanduser() if config else Path.cwd()
    if not path.exists():
        raise click.UsageError(f"{path} does not exist; point -f at a roadmap.yml or the folder holding it")
    if path.is_dir():
        folder = path
    elif path.name == CONFIG_NAME or path.suffix in {".yml", ".yaml"}:
        folder = path.parent
    else:
        raise click.UsageError(f"{path} is not a folder or a roadmap.yml file")
    if not (folder / CONFIG_NAME).is_file():
        where = "this folder" if not config else str(folder)
        raise click.UsageError(f"no {CONFIG_NAME} in {where}; run roadmapgen in a roadmap folder or point to one "
                               f"with -f PATH/{CONFIG_NAME}")
    return folder.resolve()


def _today(value: str | None) -> date | None:
    """--today as a date, by the same rules as every date in the content."""
    if value is None:
        return None
    from roadmapgen.content.schema import to_date

    try:
        return to_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--today") from None


def _print_diagnostics(diagnostics: Diagnostics, fmt: str, quiet: bool, project: Path, strict: bool = False) -> None:
    """Every diagnostic in `fmt`; with `quiet`, only those that fail the run (warnings too when `strict`)."""
    items = diagnostics.sorted()
    if fmt == "text":
        if quiet and not strict:
            items = [d for d in items if d.severity.value == "error"]
        if items:
            click.echo(FORMATTERS["text"](items), err=True)
        return
    if fmt == "github":
        items = _from_working_folder(items, project)
    if items or fmt == "json":
        click.echo(FORMATTERS[fmt](items))


def _from_working_folder(items: list, project: Path) -> list:
    """Paths relative to the current folder (the repository root in CI), for annotations to land
    on the right files when the roadmap is in a sub-folder."""
    prefix = os.path.relpath(project, Path.cwd())
    if prefix == ".":
        return items
    return [dataclasses.replace(d, path=posixpath.normpath(f"{Path(prefix).as_posix()}/{d.path}")) for d in items]


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _summary(diagnostics: Diagnostics) -> str:
    return f"{_count(len(diagnostics.errors), 'error')}, {_count(len(diagnostics.warnings), 'warning')}"


def _failed(diagnostics: Diagnostics, strict: bool) -> bool:
    return diagnostics.has_errors() or (strict and bool(diagnostics.warnings))



common_options = [
    click.option("-f", "--config", "config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: .)"),
    click.option("--today", metavar="YYYY-MM-DD", help="Compute status as of this date (default: roadmap.yml's "
                 "'today', else the current date)."),
    click.option("--strict", is_flag=True, help="Treat warnings as errors."),
    click.option("-q", "--quiet", is_flag=True, help="Print only what fails the run: errors (and warnings with --strict)."),
    click.option("-v", "--verbose", is_flag=True, help="Print the time taken by each stage."),
]


def with_common(func):
    for option in reversed(common_options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="roadmapgen")
def main() -> None:
    """Publish a strategy-execution roadmap, written as Markdown files, as a static website.

    \b
    Start with:
      roadmapgen check     # validate the roadmap in this folder
      roadmapgen build     # write the site to ./site
      roadmapgen serve     # preview it live while you edit
    """


@main.command(epilog=EXAMPLES["check"], short_help="Validate the roadmap; print every problem.")
@with_common
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="How to print the problems.")
def check(config, today, strict, quiet, verbose, fmt) -> None:
    """Validate the roadmap and print every problem found (exit 1 on errors)."""
    from roadmapgen.engine.pipeline import Timings, compute_roadmap

    project = _project(config)
    diagnostics = Diagnostics()
    timings = Timings()
    computed = compute_roadmap(project, diagnostics, _today(today), with_history=False, timings=timings)
    resolve_custom_dir(project, computed.roadmap.config, diagnostics)
    _print_diagnostics(diagnostics, fmt, quiet, project, strict)
    if verbose:
        _print_timings(timings)
    if fmt == "text" and not quiet:
        counts = ", ".join(_count(n, SINGULAR[kind], kind) for kind, n in computed.roadmap.counts().items())
        click.echo(f"{project.name}: {counts}; {_summary(diagnostics)}", err=True)
    sys.exit(1 if _failed(diagnostics, strict) else 0)


def _print_timings(timings) -> None:
    for stage, seconds in timings.stages.items():
        click.echo(f"  {stage:<9} {seconds * 1000:8.1f} ms", err=True)


class _ProgressLine:
    """A one-line page counter on a terminal; silent when output is piped or -q is given."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        click.echo(f"\rrendering pages {done}/{total}", err=True, nl=done == total)


@main.command(epilog=EXAMPLES["build"], short_help="Build the static site into site/.")
@with_common
@click.option("-o", "--output", metavar="DIR", help="Where to write the site (default: site/ beside roadmap.yml).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="How to print problems.")
@click.option("--as-of", "as_of", metavar="DATE|REF", help="Build the roadmap as committed at the end of DATE "
              "(YYYY-MM-DD) or at a commit, branch or tag, with today set to that date (needs git).")
def build(config, today, strict, quiet, verbose, output, fmt, as_of) -> None:
    """Build the static site (refuses, leaving the previous site untouched, on errors)."""
    project = _project(config)
    target = (Path(output).expanduser() if output else project / "site").resolve()
    if not as_of:
        return _build(project, target, _today(today), strict, quiet, verbose, fmt)
    from roadmapgen.config import load_config
    from roadmapgen.versions import GitUnavailable, plan_history_of, project_as_of

    try:
        with project_as_of(project, as_of) as (folder, commit, day):
            if not quiet:
                click.echo(f"as of {day}: commit {commit.short} ({commit.day}, {escape_controls(commit.subject)})",
                           err=True)
            _build(folder, target, _today(today) or day, strict, quiet, verbose, fmt,
                   plan_history_of(project, load_config(folder / CONFIG_NAME, Diagnostics()), commit.sha))
    except GitUnavailable as error:
        raise click.ClickException(f"--as-of {as_of}: {error}") from None


def _build(project: Path, target: Path, today, strict, quiet, verbose, fmt, plan_history=None) -> None:
    from jinja2 import TemplateError

    from roadmapgen.build import build_site
    from roadmapgen.site.write import OutputError, has_site

    kept = f"the previous site in {target} was left untouched" if has_site(target) else f"nothing was written to {target}"
    started = time.perf_counter()
    try:
        result = build_site(project, target, today, strict, progress=_ProgressLine(not quiet),
                            plan_history=plan_history)
    except OutputError as error:
        raise click.ClickException(str(error)) from None
    except TemplateError as error:  # a theme's template, sandboxed: a mistake or a refused escape
        raise click.ClickException(f"a template of the theme failed: {escape_controls(str(error))}; fix the "
                                   f"template in the theme folder; {kept}") from None
    except OSError as error:  # a full disk, a read-only folder: the previous site is still in place
        where = f" ({error.filename})" if error.filename else ""
        raise click.ClickException(f"could not write the site: {error.strerror or error}{where}; {kept}") from None
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: {kept}", err=True)
        sys.exit(130)
    _print_diagnostics(result.diagnostics, fmt, quiet, project, strict)
    for note in result.notes:
        click.echo(f"warning: {escape_controls(note)}", err=True)
    if verbose:
        _print_timings(result.timings)
    if not result.built:
        click.echo(f"build refused: {_summary(result.diagnostics)}; {kept}", err=True)
        sys.exit(1)
    if not quiet:
        elapsed = time.perf_counter() - started
        click.echo(f"built {result.pages} pages ({result.files} files, {result.bytes / 1e6:.1f} MB) into "
                   f"{result.output} in {elapsed:.2f} s; {_summary(result.diagnostics)}", err=True)


@main.command(epilog=EXAMPLES["serve"], short_help="Preview the site live, rebuilding on every save.")
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: this folder).")
@click.option("--today", metavar="YYYY-MM-DD", help="Compute status as of this date (default: roadmap.yml's "
              "'today', else the current date).")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print every request too.")
def serve(config, today, host, port, quiet, verbose) -> None:
    """Serve the site from memory at http://HOST:PORT/ under its base_url, rebuild it when
    roadmap.yml, content/, baselines/ or the theme change, and reload the open pages. An edit
    with errors keeps the last good site, with the errors over every page. Ctrl-C stops."""
    from roadmapgen.serve.preview import FINISH_AFTER_SECONDS, Preview, describe, no_collections
    from roadmapgen.serve.server import LiveSite, PortInUse, PreviewServer
    from roadmapgen.serve.watch import Watcher

    project = _project(config)
    preview, site = Preview(project, _today(today)), LiveSite()
    watcher = None

    def rebuild(changed: set[str]) -> None:
        try:
            with no_collections():
                outcome = preview.rebuild(changed, site.open_pages())
                if site.publish(outcome.files, outcome.problems, changed=outcome.changed):  # reload now if a shown page changed
                    site.let_readers_reload()  # the open pages reload before the rest is rendered
            _print_diagnostics(outcome.diagnostics, "text", quiet, project)
            if watcher is not None:
                watcher.watch(preview.watched()[0])  # baselines/, a theme folder: once they exist
            # the rest of the site waits for the files to be quiet, unless a reader waits for it:
            # a save that follows soon then finds no rendering in its way
            if watcher is None or preview.readers_waiting(outcome, site.open_pages()) or \
                    watcher.quiet_for(FINISH_AFTER_SECONDS):
                outcome = preview.finish(outcome, stop=watcher.pending if watcher is not None else lambda: False,
                                         pause=site.wait_for_readers)
        except Exception as error:  # noqa: BLE001 - a preview outlives a failed rebuild (a theme's template), and says why
            problem = f"rebuild failed: {escape_controls(repr(error))}"
            site.publish(preview.last or None, (problem,), changed=())
            click.echo(f"{problem}; still serving the last good site", err=True)
            return
        files_changed = len(site.publish(outcome.files, outcome.problems, changed=outcome.changed))
        if not quiet or outcome.files is None:
            click.echo(escape_controls(describe(changed, project, outcome, files_changed)), err=True)

    rebuild(set())
    try:
        server = PreviewServer(host, port, site, base=preview.base, verbose=verbose)
    except PortInUse as error:
        raise click.ClickException(str(error)) from None
    folders, singles = preview.watched()
    watcher = Watcher(rebuild, folders, singles)
    watcher.start()
    click.echo(f"serving {server.url} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        watcher.stop()
        server.stop()


@main.command(epilog=EXAMPLES["explain"], short_help="Why an item has its dates and its colour.")
@click.argument("item")
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: this folder).")
@click.option("--today", metavar="YYYY-MM-DD", help="Explain as of this date (default: roadmap.yml's today, else the date).")
def explain(item, config, today) -> None:
    """Explain ITEM (an id, or goal:ID, strategy:ID, activity:ID): what set its start, its end and its
    forecast, back to the root of its chain of dependencies, and the reasons for its colour."""
    from roadmapgen.engine.explain import Explainer, as_text, find_item
    from roadmapgen.engine.pipeline import compute_roadmap

    project = _project(config)
    diagnostics = Diagnostics()
    computed = compute_roadmap(project, diagnostics, _today(today), with_history=False)
    if diagnostics.has_errors():
        _print_diagnostics(diagnostics, "text", True, project)
        raise click.ClickException("the roadmap has errors (above): fix them first, `roadmapgen check` lists them")
    found = find_item(computed.roadmap, item)
    if isinstance(found, str):
        raise click.ClickException(found)
    click.echo(as_text(Explainer(computed).explain(*found)))


@main.command(epilog=EXAMPLES["diff"], short_help="What a change does to the plan (between git versions).")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: this folder).")
@click.option("--today", metavar="YYYY-MM-DD", help="Compare both as of this date (default: HEAD's roadmap.yml "
              "'today', else the current date).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "github"]), default="text",
              show_default=True, help="text; markdown for a pull-request comment; json; github annotations.")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice(["new-red", "due-at-risk", "removed",
              "over-allocated", "critical-path", "any"]), help="Exit 1 when the change does this (repeatable).")
def diff(base, head, config, today, fmt, fail_on) -> None:
    """Compare the plan at BASE (default: the merge base with the default branch) with HEAD (default:
    the working tree): items added and removed, dates moved in working days, dues now at risk,
    colours and owners changed, and the critical path."""
    from roadmapgen.engine import plandiff
    from roadmapgen.versions import GitUnavailable, default_base, version_folder

    project = _project(config)
    try:
        base = base or default_base(project)
        with version_folder(project, head) as (head_dir, head_name):
            after = _computed_version(head_dir, head_name, _today(today))
            with version_folder(project, base) as (base_dir, base_name):
                before = _computed_version(base_dir, base_name, after.today)
    except GitUnavailable as error:
        raise click.ClickException(str(error)) from None
    result = plandiff.diff_plans(before, after, base_name, head_name)
    writers = {"text": plandiff.as_text, "markdown": plandiff.as_markdown, "github": plandiff.as_github,
               "json": lambda d: json.dumps(plandiff.as_json(d), indent=2)}
    click.echo(writers[fmt](result))
    failed = sorted(set(fail_on) & result.triggered)
    if failed:
        click.echo(f"diff: the change triggers {', '.join(failed)} (--fail-on)", err=True)
        sys.exit(1)


def _computed_version(folder: Path, name: str, today):
    from roadmapgen.engine.pipeline import compute_roadmap

    diagnostics = Diagnostics()
    computed = compute_roadmap(folder, diagnostics, today, with_history=False)
    if diagnostics.has_errors():
        _print_diagnostics(diagnostics, "text", True, folder)
        raise click.ClickException(f"{name} has errors (above): the plan cannot be compared until they are fixed")
    return computed
@main.command(epilog=EXAMPLES["baseline"], short_help="Save the current schedule as a baseline.")
@click.argument("name")
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: this folder).")
@click.option("--today", metavar="YYYY-MM-DD", help="Schedule as of this date (default: roadmap.yml's 'today', else "
              "the current date).")
@click.option("--force", is_flag=True, help="Replace the baseline if it exists.")
def baseline(name, config, today, force) -> None:
    """Save every item's start and end, as scheduled now, to baselines/NAME.yml beside roadmap.yml
    (refuses on errors in the roadmap, and to replace a baseline without --force)."""
    from roadmapgen.build import save_current_baseline
    from roadmapgen.engine.baseline import BaselineExists, valid_name

    if not valid_name(name):
        raise click.BadParameter("use letters, digits, '.', '_' or '-' (it names a file)", param_hint="NAME")
    project = _project(config)
    diagnostics = Diagnostics()
    try:
        path = save_current_baseline(project, name, diagnostics, _today(today), force)
    except BaselineExists as error:
        raise click.ClickException(f"{error}; add --force to replace it, or choose another name") from None
    except OSError as error:
        raise click.ClickException(f"could not save the baseline: {error.strerror or error}") from None
    _print_diagnostics(diagnostics, "text", True, project)
    if path is None:
        raise click.ClickException(f"the roadmap has errors ({_summary(diagnostics)}); fix them before saving a baseline")
    click.echo(f"saved {path.relative_to(project).as_posix()}; compare against it with `baseline: {name}` in "
               f"{CONFIG_NAME}", err=True)


@main.command(epilog=EXAMPLES["schema"], short_help="Print JSON Schema of the front matter and roadmap.yml.")
@click.option("-o", "--output", metavar="DIR", help="Write one <type>.schema.json per content type, and "
              "roadmap.schema.json, into DIR.")
def schema(output) -> None:
    """Print the JSON Schema of each content type's front matter and of roadmap.yml (for editor
    completion and checks; see docs/editors.md)."""
    from roadmapgen.publish.schemas import editor_schemas

    schemas = editor_schemas()
    if not output:
        click.echo(json.dumps(schemas, indent=2))
        return
    folder = Path(output)
    if folder.is_symlink():
        raise click.ClickException(f"{folder} is a symbolic link; give -o a real folder (roadmapgen does not write "
                                   "through links)")
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder} is a file; give -o a folder for the schema files")
    folder.mkdir(parents=True, exist_ok=True)
    for kind, document in schemas.items():
        target = folder / f"{kind}.schema.json"
        text = json.dumps(document, indent=2) + "\n"
        if target.is_symlink():
            raise click.ClickException(f"{target} is a symbolic link; remove it (roadmapgen does not write through "
                                       "links)")
        if target.exists():
            if target.read_text("utf-8") != text:
                raise click.ClickException(f"{target} exists and differs; remove it first (roadmapgen never "
                                           "overwrites your files)")
            continue
        _write_new(target, text)
        click.echo(f"wrote {target}", err=True)


def _write_new(target: Path, text: str) -> None:
    """Create `target` with `text`; never through a link, never over a file that appeared meanwhile."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


EXAMPLES.update({
    "init": """
\b
Examples:
  roadmapgen init roadmap               # a starter roadmap in ./roadmap
  cd roadmap && roadmapgen serve        # preview it while you edit
""",
    "new": """
\b
Examples:
  roadmapgen new goal "Answer every question within a day" --owner alex-morgan
  roadmapgen new activity "Write the FAQ" --strategy self-service-help-centre
  roadmapgen new update "Stand-up"      # this week's update, listing what is in progress or due soon
""",
    "import": """
\b
Examples:
  roadmapgen import plan.csv --dry-run  # the files it would write, and any problems
  roadmapgen import plan.csv            # one file per row (activities unless a kind column says)
  roadmapgen import goals.csv --kind goal
""",
    "gh-deploy": """
\b
Examples:
  roadmapgen gh-deploy                  # build, commit to gh-pages, push to origin
  roadmapgen gh-deploy --remote upstream --branch pages -m "Publish the Q3 plan"
""",
})


@main.command(epilog=EXAMPLES["init"], short_help="Start a new roadmap in DIR.")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Write a small starter roadmap into DIR (one commented file of each content type and a GitHub
    Actions workflow that publishes it to GitHub Pages). Refuses if any of its files exists."""
    from roadmapgen.publish.files import RefusedWrite
    from roadmapgen.publish.init import init_roadmap

    try:
        written = init_roadmap(folder, date.today())
    except RefusedWrite as error:
        raise click.ClickException(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}", err=True)
    click.echo(f"next: cd {folder} && roadmapgen serve", err=True)


@main.command("new", epilog=EXAMPLES["new"], short_help="Write a new goal, strategy, activity, … file.")
@click.argument("kind", type=click.Choice(("goal", "strategy", "activity", "person", "tool", "update", "review")))
@click.argument("title")
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: .)")
@click.option("--owner", metavar="ID", help="The accountable person (goal, strategy, activity) or the update's author.")
@click.option("--goal", metavar="ID", help="The goal a strategy (or an activity) serves.")
@click.option("--strategy", metavar="ID", help="The strategy an activity serves.")
@click.option("--today", metavar="YYYY-MM-DD", help="Date the file as of this day (default: roadmap.yml's 'today', "
              "else the current date).")
def new(kind, title, config, owner, goal, strategy, today) -> None:
    """Write content/<kind>/<id>.md for TITLE (the id is made from the title), with the front matter
    its kind needs; it passes `check` as written. Never overwrites."""
    from roadmapgen.publish.files import RefusedWrite
    from roadmapgen.publish.new import NewError, new_file, write_new_file
    from roadmapgen.publish.project import computed_roadmap

    project = _project(config)
    computed, _ = computed_roadmap(project, _today(today))
    try:
        made = new_file(project, computed, kind, title, owner=owner, goal=goal, strategy=strategy)
        write_new_file(project, made, _today(today))
    except (NewError, RefusedWrite) as error:
        raise click.ClickException(str(error)) from None
    listed = f" listing {_count(made.items, 'item')} in progress or due soon" if kind == "update" else ""
    click.echo(f"wrote {made.path.relative_to(project)}{listed}", err=True)


@main.command("import", epilog=EXAMPLES["import"], short_help="Turn a CSV of goals, strategies or activities into files.")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: .)")
@click.option("--kind", type=click.Choice(("goal", "strategy", "activity")), help="The kind of every row (default: "
              "the 'kind' column, else activity).")
@click.option("--dry-run", is_flag=True, help="List the files it would write; write nothing.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="How to print problems.")
def import_csv(csv_file, config, kind, dry_run, fmt) -> None:
    """Write one content file per row of FILE.csv. Columns are front-matter field names; problems are
    reported as FILE.csv:ROW:COLUMN and then nothing is written. Never overwrites."""
    from roadmapgen.publish.importer import plan_import, write_import
    from roadmapgen.publish.project import computed_roadmap

    project = _project(config)
    computed, _ = computed_roadmap(project)
    diagnostics = Diagnostics()
    plan = plan_import(project, csv_file, computed.roadmap, diagnostics, kind)
    _print_diagnostics(diagnostics, fmt, False, project)
    if diagnostics.has_errors():
        click.echo(f"import refused: {_summary(diagnostics)}; nothing was written", err=True)
        sys.exit(1)
    if not dry_run:
        write_import(project, plan)
    for path in plan.files:
        click.echo(f"{'would write' if dry_run else 'wrote'} {path.relative_to(project)}", err=True)
    click.echo(f"{_count(len(plan.files), 'file')} {'to write' if dry_run else 'written'}", err=True)


@main.command("gh-deploy", epilog=EXAMPLES["gh-deploy"], short_help="Publish the site to a gh-pages branch.")
@click.option("-f", "--config", metavar="PATH", help="roadmap.yml, or the folder holding it (default: .)")
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch to commit the site to.")
@click.option("-m", "--message", help="The commit message (default: names the commit the site was built from).")
@click.option("--today", metavar="YYYY-MM-DD", help="Compute status as of this date.")
def gh_deploy(config, remote, branch, message, today) -> None:
    """Build the site (strictly: warnings refuse too), commit it with .nojekyll as the new tip of
    BRANCH and push it to REMOTE. Never touches your working tree, index or current branch."""
    from roadmapgen.publish.deploy import DeployError, deploy, find_repository, strict_site

    project = _project(config)
    try:
        repository = find_repository(project)
    except DeployError as error:
        raise click.ClickException(str(error)) from None
    files, diagnostics = strict_site(project, _today(today))
    _print_diagnostics(diagnostics, "text", True, project, strict=True)
    if files is None:
        click.echo(f"deploy refused: {_summary(diagnostics)}; nothing was committed or pushed", err=True)
        sys.exit(1)
    try:
        deploy(files, repository, remote, branch, message)
    except DeployError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"deployed {len(files)} files to {remote}/{branch}", err=True)
