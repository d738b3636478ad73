"""Builds that fail, and output folders that must not be replaced: the user's files are never lost.

A build that fails at any point leaves the previous site byte for byte as it was and no
staging folder behind; a roadmap with errors is refused; an output folder is replaced only
when roadmapgen wrote it; content/ is never written to; paths in roadmap.yml stay inside the
project unless absolute.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmapgen.build import build_site, resolve_custom_dir
from roadmapgen.cli import main
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.site import write as write_module
from roadmapgen.site.render import Renderer
from roadmapgen.site.write import MARKER, OutputError, StagedOutput
from tests.conftest import write_project

TODAY = "2026-03-04"
FILES = {
    "content/goals/grow.md": "---\ntitle: Grow revenue\nowner: maria\ndue: 2026-12-31\n"
                             "metric: {name: Revenue, baseline: 10, target: 12, current: 11}\n---\nThe goal.\n",
    "content/strategies/launch.md": "---\ntitle: Launch\ngoal: grow\ndue: 2026-09-30\n---\n",
    "content/people/maria.md": "---\nname: Maria Santos\n---\n",
    "content/activities/first.md": "---\ntitle: First\nstrategy: launch\nowner: maria\nstart: 2026-03-02\n"
                                   "duration: 5d\n---\n",
    "content/activities/second.md": "---\ntitle: Second\nstrategy: launch\ndepends_on: [first]\nduration: 3d\n---\n",
}


def tree_hash(root: Path) -> str:
    """Every path under root, its kind and its bytes (not times): equal hashes, equal trees."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            digest.update(f"L {rel} -> {os.readlink(path)}\n".encode())
        elif path.is_dir():
            digest.update(f"D {rel}\n".encode())
        else:
            digest.update(f"F {rel} {hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", FILES)


@pytest.fixture
def built(project: Path) -> Path:
    """The project with a first site built into project/site."""
    result = build_site(project, today=_date(TODAY))
    assert result.built, [d.as_text() for d in result.diagnostics]
    return project


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_untouched(project: Path, before: str, parent_before: set[str]) -> None:
    assert tree_hash(project / "site") == before
    assert listing(project) == parent_before, "a staging or old folder was left behind"


# -- a build that fails leaves the previous site as it was ----------------------------------------


class Boom(Exception):
    pass


def fail_while_writing(monkeypatch, error: BaseException, after: int = 0) -> list[str]:
    """Make the write stage raise `error` after `after` files are staged; returns the files staged."""
    original = StagedOutput.write_bytes
    written: list[str] = []

    def write_bytes(self, rel, data):
        if len(written) >= after:
            raise error
        written.append(rel)
        return original(self, rel, data)

    monkeypatch.setattr(StagedOutput, "write_bytes", write_bytes)
    return written

@pytest.mark.parametrize("after_pages", [1, 3])
def test_exception_after_some_pages_keeps_the_previous_site(built, after_pages, monkeypatch):
    before, parent_before = tree_hash(built / "site"), listing(built)
    fail_while_writing(monkeypatch, Boom("mid-write"), after_pages)
    with pytest.raises(Boom):
        build_site(built, today=_date(TODAY))
    monkeypatch.undo()
    assert_untouched(built, before, parent_before)


def test_exception_in_the_renderer_keeps_the_previous_site(built, monkeypatch):
    before, parent_before = tree_hash(built / "site"), listing(built)
    calls = []
    original = Renderer.render

    def render(self, page):
        calls.append(page)
        if len(calls) == 2:
            raise Boom("template error")
        return original(self, page)

    monkeypatch.setattr(Renderer, "render", render)
    with pytest.raises(Boom):
        build_site(built, today=_date(TODAY))
    assert_untouched(built, before, parent_before)


@pytest.mark.parametrize("after_writes", [0, 2, 10])
def test_full_disk_keeps_the_previous_site(built, monkeypatch, after_writes):
    before, parent_before = tree_hash(built / "site"), listing(built)
    original = StagedOutput.write_bytes
    count = []

    def write_bytes(self, rel, data):
        count.append(rel)
        if len(count) > after_writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, rel, data)

    monkeypatch.setattr(StagedOutput, "write_bytes", write_bytes)
    with pytest.raises(OSError) as raised:
        build_site(built, today=_date(TODAY))
    assert raised.value.errno == errno.ENOSPC
    assert_untouched(built, before, parent_before)


def test_keyboard_interrupt_keeps_the_previous_site(built, monkeypatch):
    before, parent_before = tree_hash(built / "site"), listing(built)
    fail_while_writing(monkeypatch, KeyboardInterrupt(), 1)
    with pytest.raises(KeyboardInterrupt):
        build_site(built, today=_date(TODAY))
    monkeypatch.undo()
    assert_untouched(built, before, parent_before)


@pytest.mark.parametrize("error", [OSError(errno.EXDEV, "cannot move the staged site"), KeyboardInterrupt()],
                         ids=["os-error", "ctrl-c"])
def test_failure_while_swapping_in_restores_the_previous_site(built, monkeypatch, error):
    """Where the one-step exchange is not available, the fallback's two renames are undone,
    whatever stops the second one (an OS error, Ctrl-C between them)."""
    before, parent_before = tree_hash(built / "site"), listing(built)
    real_replace = os.replace
    monkeypatch.setattr(write_module, "exchange", lambda a, b: False)

    def replace(source, target):
        if ".building-" in str(source):
            raise error
        return real_replace(source, target)

    monkeypatch.setattr(write_module.os, "replace", replace)
    with pytest.raises(type(error)):
        build_site(built, today=_date(TODAY))
    monkeypatch.undo()
    assert_untouched(built, before, parent_before)


def test_a_failed_first_build_leaves_nothing(project, monkeypatch):
    parent_before = listing(project)
    fail_while_writing(monkeypatch, Boom("mid-write"), 1)
    with pytest.raises(Boom):
        build_site(project, today=_date(TODAY))
    assert listing(project) == parent_before


def test_a_roadmap_with_errors_is_refused_and_the_previous_site_kept(built):
    before, parent_before = tree_hash(built / "site"), listing(built)
    (built / "content/activities/first.md").write_text(FILES["content/activities/first.md"].replace("maria", "mraia"))
    result = cli("build", "-f", str(built), "--today", TODAY)
    assert result.exit_code == 1
    assert "build refused" in result.output and "error[unknown-ref]" in result.output
    assert "Traceback" not in result.output
    assert_untouched(built, before, parent_before)


def test_a_successful_build_replaces_the_site_and_marks_it(built):
    (built / "site" / "stale.html").write_text("old page")
    (built / "content/goals/grow.md").write_text(FILES["content/goals/grow.md"].replace("Grow revenue", "Grow more"))
    result = cli("build", "-f", str(built), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert not (built / "site" / "stale.html").exists()
    assert (built / "site" / MARKER).is_file()
    assert "Grow more" in (built / "site/goals/grow.html").read_text("utf-8")
    assert {name for name in listing(built) if name.startswith(".")} == set()


# -- the output folder ----------------------------------------------------------------------


def _refused(args: list[str], protected: Path, expect: str):
    before = tree_hash(protected)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert expect in result.output, result.output
    assert tree_hash(protected) == before, "something of the user's was changed"
    return result


def test_output_dot_is_the_project_and_refused(project, monkeypatch):
    monkeypatch.chdir(project)
    _refused(["build", "-o", ".", "--today", TODAY], project.parent, "refusing to write the site to")


def test_output_content_is_refused(project, monkeypatch):
    monkeypatch.chdir(project)
    _refused(["build", "-o", "content", "--today", TODAY], project.parent, "inside or around content/")
    _refused(["build", "-o", "content/goals", "--today", TODAY], project.parent, "inside or around content/")


def test_output_home_is_refused(project, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.txt").write_text("precious")
    (home / ".bashrc").write_text("export X=1")
    monkeypatch.setenv("HOME", str(home))
    _refused(["build", "-f", str(project), "-o", "~", "--today", TODAY], home, "refusing to write the site to")
    _refused(["build", "-f", str(project), "-o", str(home), "--today", TODAY], home, "refusing")
    assert (home / "Documents" / "thesis.txt").read_text() == "precious"


def test_output_project_parent_is_refused(project):
    _refused(["build", "-f", str(project), "-o", str(project.parent), "--today", TODAY], project.parent,
             "refusing to write the site to")
    _refused(["build", "-f", str(project), "-o", "/", "--today", TODAY], project.parent, "refusing")


def test_output_non_empty_foreign_folder_is_refused(project, tmp_path):
    foreign = tmp_path / "my-documents"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    (foreign / "index.html").write_text("my own site")
    result = _refused(["build", "-f", str(project), "-o", str(foreign), "--today", TODAY], foreign,
                      "it is not empty and was not written by roadmapgen")
    assert MARKER in result.output


def test_output_another_roadmap_project_is_refused(project, tmp_path):
    other = write_project(tmp_path / "other", {"content/goals/x.md": "---\ntitle: X\ndue: 2026-12-31\n---\n"})
    (other / MARKER).write_text("a marker does not make a project a site")
    _refused(["build", "-f", str(project), "-o", str(other), "--today", TODAY], other, "roadmap project")


def test_output_that_is_a_file_is_refused(project, tmp_path):
    target = tmp_path / "site.html"
    target.write_text("a file")
    _refused(["build", "-f", str(project), "-o", str(target), "--today", TODAY], tmp_path, "a file of that name exists")


def test_output_link_to_the_project_is_refused(project, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(project, target_is_directory=True)
    _refused(["build", "-f", str(project), "-o", str(link), "--today", TODAY], project, "refusing")


def test_empty_folder_or_marked_site_is_accepted(project, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("build", "-f", str(project), "-o", str(empty), "--today", TODAY).exit_code == 0
    assert (empty / MARKER).is_file()
    (empty / "extra.txt").write_text("left by an old build")  # the marker makes it roadmapgen's
    assert cli("build", "-f", str(project), "-o", str(empty), "--today", TODAY).exit_code == 0
    assert not (empty / "extra.txt").exists()


def test_build_site_raises_output_error_before_reading_anything(project, tmp_path):
    with pytest.raises(OutputError):
        build_site(project, output=project, today=_date(TODAY))
    assert not any(name.startswith(".") for name in listing(project))


# -- the engine never writes into content/, and leaves nothing beside the site -----------------------


def test_build_and_check_never_write_into_content(project):
    content_before = tree_hash(project / "content")
    stats_before = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*")}
    assert cli("check", "-f", str(project), "--today", TODAY).exit_code == 0
    assert cli("build", "-f", str(project), "--today", TODAY).exit_code == 0
    assert cli("build", "-f", str(project), "--today", TODAY).exit_code == 0
    assert tree_hash(project / "content") == content_before
    assert {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*")} == stats_before
    assert listing(project) == {"roadmap.yml", "content", "site"}


def test_names_that_are_not_utf8_are_refused_not_a_traceback(project):
    folder = Path(os.fsdecode(os.fsencode(project / "content/activities") + b"/caf\xe9"))
    folder.mkdir()
    (folder / "third.md").write_text("---\ntitle: Third\nstrategy: launch\nduration: 1d\n---\n")
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "content/activities/caf\ufffd:1:1: error[not-utf8]" in result.output
    assert not (project / "site").exists()


# -- user mistakes on the command line are messages, not tracebacks ---------------------------------


@pytest.mark.parametrize("command", ["check", "build"])
def test_user_mistakes_are_usage_errors(command, project, tmp_path, monkeypatch):
    folder_config = tmp_path / "dir-config"
    (folder_config / "roadmap.yml").mkdir(parents=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (["-f", str(project), "--today", "2026-02-30"], "--today"),
        (["-f", str(project), "--today", "next week"], "--today"),
        (["-f", str(empty)], "no roadmap.yml"),
        (["-f", str(tmp_path / "nowhere")], "nowhere"),
        (["-f", str(project / "content/goals/grow.md")], "not a folder or a roadmap.yml"),
        (["-f", str(folder_config)], "no roadmap.yml"),
    ]
    for args, message in cases:
        result = cli(command, *args)
        assert result.exit_code == 2, (args, result.output)
        assert isinstance(result.exception, SystemExit), (args, result.exception)
        assert message in result.output, (args, result.output)
    monkeypatch.chdir(empty)
    result = cli(command)
    assert result.exit_code == 2 and "no roadmap.yml in this folder" in result.output


def test_unwritable_output_is_a_message(project, monkeypatch):
    def no_space(self, rel, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(StagedOutput, "write_bytes", no_space)
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "No space left on device" in result.output
    assert "nothing was written" in result.output and "left untouched" not in result.output  # there was no site
    monkeypatch.undo()
    assert cli("build", "-f", str(project), "--today", TODAY).exit_code == 0
    monkeypatch.setattr(StagedOutput, "write_bytes", no_space)
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert "the previous site in" in result.output and "was left untouched" in result.output


def test_refused_first_build_does_not_claim_a_previous_site(project):
    (project / "content/activities/first.md").write_text(FILES["content/activities/first.md"].replace("maria", "x"))
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert result.exit_code == 1 and "build refused" in result.output
    assert "left untouched" not in result.output and "nothing was written to" in result.output


# -- paths in roadmap.yml stay inside the project -------------------------------------------------------


def _with_custom_dir(project: Path, value: str) -> Path:
    (project / "roadmap.yml").write_text(f"title: T\nstart: 2026-01-05\ntheme:\n  custom_dir: {value}\n")
    return project


def _resolve(project: Path, value: str, diagnostics: Diagnostics):
    """resolve_custom_dir on roadmap.yml as written with `value`, positions and all."""
    from roadmapgen.config import load_config

    _with_custom_dir(project, value)
    config = load_config(project / "roadmap.yml", Diagnostics())
    return resolve_custom_dir(project, config, diagnostics)


@pytest.mark.parametrize("value", ["../outside", "overrides/../../outside", "../project/../outside"])
def test_custom_dir_outside_the_project_is_refused(project, tmp_path, value):
    (tmp_path / "outside" / "templates").mkdir(parents=True)
    diagnostics = Diagnostics()
    assert _resolve(project, value, diagnostics) is None
    [problem] = diagnostics.items
    assert (problem.path, problem.line, problem.code) == ("roadmap.yml", 4, "path-outside-project")
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert result.exit_code == 1 and "error[path-outside-project]" in result.output
    assert "roadmap.yml:4:3" in result.output
    assert not (project / "site").exists()


def test_custom_dir_link_out_of_the_project_is_refused(project, tmp_path):
    (tmp_path / "outside").mkdir()
    (project / "overrides").symlink_to(tmp_path / "outside", target_is_directory=True)
    diagnostics = Diagnostics()
    assert _resolve(project, "overrides", diagnostics) is None
    assert [d.code for d in diagnostics] == ["path-outside-project"]


def test_custom_dir_absolute_or_home_outside_the_project_is_refused(project, tmp_path, monkeypatch):
    """A stranger's roadmap.yml could name any folder of the build machine: only the project's own count."""
    outside = tmp_path / "shared-theme"
    (outside / "assets").mkdir(parents=True)
    (outside / "assets" / "secret.txt").write_text("token")
    diagnostics = Diagnostics()
    assert _resolve(project, str(outside), diagnostics) is None
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _resolve(project, "~/shared-theme", diagnostics) is None
    assert [d.code for d in diagnostics] == ["path-outside-project", "path-outside-project"]
    _with_custom_dir(project, str(outside))
    assert cli("build", "-f", str(project), "--today", TODAY).exit_code == 1
    assert not (project / "site").exists()
    inside = project / "my-theme"
    inside.mkdir()
    assert _resolve(project, str(inside), Diagnostics()) == inside.resolve()  # absolute, but inside: fine


def test_custom_dir_inside_the_project_is_allowed(project):
    (project / "overrides" / "assets").mkdir(parents=True)
    (project / "overrides" / "assets" / "extra.css").write_text("body { color: black }")
    diagnostics = Diagnostics()
    assert _resolve(project, "overrides", diagnostics) == (project / "overrides").resolve()
    assert _resolve(project, "./overrides/../overrides", diagnostics) == (project / "overrides").resolve()
    assert not diagnostics.items
    _with_custom_dir(project, "overrides")
    assert cli("build", "-f", str(project), "--today", TODAY).exit_code == 0
    assert (project / "site/assets/extra.css").read_text() == "body { color: black }"


def test_custom_dir_that_does_not_exist_is_reported(project):
    _with_custom_dir(project, "no-such-folder")
    result = cli("build", "-f", str(project), "--today", TODAY)
    assert result.exit_code == 1
    assert "roadmap.yml:4:3: error[missing-folder] theme.custom_dir 'no-such-folder' is not a folder" in result.output
    assert not (project / "site").exists()


# -- the swap is one step; leftovers are removed; one build at a time ---------------------------------------


@pytest.mark.skipif(write_module._renameat2 is None, reason="renameat2(RENAME_EXCHANGE) is Linux only")
def test_the_swap_is_one_exchange_not_two_renames(built, monkeypatch):
    def no_rename(*args):
        raise AssertionError("the swap must not rename the site away first")

    monkeypatch.setattr(write_module.os, "replace", no_rename)
    monkeypatch.setattr(write_module.os, "rename", no_rename)
    (built / "content/goals/grow.md").write_text(FILES["content/goals/grow.md"].replace("Grow revenue", "Grow more"))
    result = build_site(built, today=_date(TODAY))
    assert result.built
    assert "Grow more" in (built / "site/goals/grow.html").read_text("utf-8")
    assert listing(built) == {"roadmap.yml", "content", "site"}


def test_a_site_stranded_by_kill_9_is_put_back_by_the_next_build(built, monkeypatch):
    """`kill -9` between the fallback's two renames leaves only .site.old-N: the next build,
    even one that then fails, puts it back."""
    before, parent_before = tree_hash(built / "site"), listing(built)
    os.rename(built / "site", built / ".site.old-99999")
    fail_while_writing(monkeypatch, Boom("mid-write"), 1)
    with pytest.raises(Boom):
        build_site(built, today=_date(TODAY))
    monkeypatch.undo()
    assert_untouched(built, before, parent_before)


def test_the_next_good_build_removes_leftovers_of_killed_builds(built):
    for name in (".site.building-abc123", ".site.old-4242"):
        (built / name / "goals").mkdir(parents=True)
        (built / name / "goals" / "x.html").write_text("half a site")
    (built / ".other.building-1").mkdir()  # not this output's: left alone
    result = cli("build", "-f", str(built), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert listing(built) == {"roadmap.yml", "content", "site", ".other.building-1"}


def test_a_leftover_that_cannot_be_removed_is_reported(built, monkeypatch):
    (built / ".site.old-4242").mkdir()
    real_rmdir = os.rmdir

    def rmdir(path, *args, **kwargs):
        if ".site.old-4242" in os.fsdecode(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", rmdir)
    result = cli("build", "-f", str(built), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "warning: could not remove" in result.output and ".site.old-4242" in result.output
    assert "Permission denied" in result.output


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(built):
    before = tree_hash(built / "site")
    lock = write_module.OutputLock((built / "site").resolve())
    lock.acquire()
    try:
        result = cli("build", "-f", str(built), "--today", TODAY)
        assert result.exit_code == 1, result.output
        assert "another roadmapgen build" in result.output and str(os.getpid()) in result.output
        assert "Traceback" not in result.output
        assert tree_hash(built / "site") == before
    finally:
        lock.release()
    assert cli("build", "-f", str(built), "--today", TODAY).exit_code == 0
    assert listing(built) == {"roadmap.yml", "content", "site"}, "the lock file was left behind"


def _spawn_build(project: Path):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "roadmapgen", "build", "-f", str(project), "--today", TODAY, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_builds_at_once_and_killed_builds_never_leave_the_output_without_a_site(built):
    import random
    import signal
    import time

    together = [_spawn_build(built) for _ in range(3)]
    for process in together:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0 or "another roadmapgen build" in err, err
        assert "Traceback" not in err
    assert (built / "site" / MARKER).is_file()
    rng = random.Random(20)
    for _ in range(5):
        process = _spawn_build(built)
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (built / "site" / MARKER).is_file(), "a killed build left no site"
    assert cli("build", "-f", str(built), "--today", TODAY).exit_code == 0
    assert listing(built) == {"roadmap.yml", "content", "site"}


@pytest.mark.parametrize("rel", ["../escaped.html", "a/../../escaped.html", "/tmp/escaped.html", ".."])
def test_a_staged_path_that_leaves_the_staging_folder_is_refused(tmp_path, rel):
    staged = StagedOutput(tmp_path / "site")
    try:
        with pytest.raises(ValueError, match="refusing to write outside the site"):
            staged.write_bytes(rel, b"x")
        staged.write_bytes("goals/./a/../g.html", b"kept")  # what stays inside is written, normalised
        assert (staged.root / "goals" / "g.html").read_bytes() == b"kept"
    finally:
        staged.discard()
    assert not (tmp_path / "escaped.html").exists() and sorted(p.name for p in tmp_path.iterdir()) == []
