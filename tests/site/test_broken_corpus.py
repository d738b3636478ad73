"""`roadmapgen check` on tests/fixtures/broken: every problem reported at its place, never a traceback.

Each broken file states what it expects as `expect: CODE @ LINE` (line 1: the whole file);
files that cannot (empty ones, ignored folders) are listed in the corpus's expected.txt. What
git should not hold is added to a copy here: symlinks out of content/, a file over 1 MB and a
named pipe.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmapgen.cli import main
from roadmapgen.config import load_config
from roadmapgen.content.loader import MAX_FILE_BYTES
from roadmapgen.diagnostics import Diagnostics
from tests.conftest import REPO, write_project

CORPUS = REPO / "tests" / "fixtures" / "broken"
DOCS = REPO / "docs" / "diagnostics.md"
EXPECT = re.compile(r"expect: ([a-z0-9-]+) @ (\d+)")
TEXT_LINE = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
                       r"(?P<sev>error|warning)\[(?P<code>[a-z0-9-]+)\] .+$")
NOT_CONTENT = {"README.md", "expected.txt", ".gitattributes"}
NOT_IN_CORPUS = {  # codes a single content folder cannot show; each has its own test below
    "missing-content": "test_missing_content_folder",
    "config-unreadable": "test_roadmap_yml_that_is_a_folder",
    "path-outside-project": "tests/site/test_build_safety.py::test_custom_dir_outside_the_project_is_refused",
    "missing-folder": "tests/site/test_build_safety.py::test_custom_dir_that_does_not_exist_is_reported",
    # the corpus turns the SMART lint off (its goals are broken in format): tests/unit/test_smart.py
    **{code: "tests/unit/test_smart.py" for code in (
        "smart-no-owner", "smart-vague-title", "smart-no-metric", "smart-metric-no-unit", "smart-metric-no-current",
        "smart-not-achievable", "smart-no-why", "smart-unserved", "smart-due-before-start", "smart-beyond-horizon")},
    # roadmapgen import reads a CSV, not a content folder (tests/site/test_publish.py)
    "csv-no-header": "test_import_reports_an_empty_file_and_a_bad_kind",
    "csv-bad-kind": "test_import_reports_an_empty_file_and_a_bad_kind",
    "csv-unknown-column": "test_import_reports_problems_as_file_row_column_and_writes_nothing",
    "file-exists": "test_import_writes_one_file_per_row_that_passes_check",
    # the rhythm's: they need a stand-up rhythm, a plan booked over capacity or a baseline file
    "stale-update": "tests/site/test_rhythm_site.py::test_stale_items_are_a_warning_an_amber_reason_and_a_home_section",
    "over-allocated": "tests/site/test_rhythm_site.py::test_an_over_allocated_person_is_named_by_check_and_the_resources_page",
    "baseline-name": "tests/site/test_rhythm_site.py::test_a_missing_or_hostile_baseline_name_is_refused",
    "baseline-missing": "tests/site/test_rhythm_site.py::test_a_missing_or_hostile_baseline_name_is_refused",
    "baseline-git": "tests/site/test_plan_history.py::test_a_baseline_from_git_compares_against_that_commit",
    "baseline-invalid": "tests/site/test_rhythm_site.py::test_a_broken_baseline_is_a_diagnostic_with_its_line",
}
LONG_ID = "a" * 201
GENERATED = {  # added to the copy of the corpus: (path, code, line)
    ("content/people/link-out.md", "symlink-outside", 1),
    ("content/activities/linked-folder", "symlink-outside", 1),
    ("content/linked-type", "symlink-outside", 1),
    ("content/activities/loop-up", "symlink-loop", 1),
    ("content/activities/files/self-link.md", "symlink-loop", 1),
    ("content/people/dead-link.md", "unreadable", 1),
    ("content/activities/linked-inside/followed.md", "unknown-ref", 4),  # a link inside content/ is followed
    (f"content/activities/ids/{LONG_ID}.md", "invalid-id", 1),
    ("content/activities/files/huge.md", "file-too-large", 1),
    ("content/activities/files/pipe.md", "unreadable", 1),
    ("content/activities/files/latin1-name-caf\ufffd.md", "not-utf8", 1),
    ("content/people/caf\ufffd", "not-utf8", 1),
}


def documented_codes() -> set[str]:
    return set(re.findall(r"^### `([a-z0-9-]+)`$", DOCS.read_text("utf-8"), re.MULTILINE))


def expectations(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name not in NOT_CONTENT:
            rel = path.relative_to(root).as_posix()
            for match in EXPECT.finditer(path.read_bytes().decode("utf-8", "replace")):
                found.add((rel, int(match.group(2)), match.group(1)))
    for line in (root / "expected.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rel, rest = line.split(": ", 1)
            code, number = rest.split(" @ ")
            found.add((rel, int(number), code))
    return found | {(rel, line, code) for rel, code, line in GENERATED}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "broken"
    shutil.copytree(CORPUS, root, symlinks=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\nname: Not yours\n---\n", "utf-8")
    (root / "content/people/link-out.md").symlink_to("../../outside/secret.md")
    (root / "content/activities/linked-folder").symlink_to("../../outside", target_is_directory=True)
    (root / "content/linked-type").symlink_to("../outside", target_is_directory=True)
    (root / "content/people/link-inside.md").symlink_to("maria.md")  # inside content/: fine
    (root / "content/activities/loop-up").symlink_to("..", target_is_directory=True)
    (root / "content/activities/files/self-link.md").symlink_to("self-link.md")
    (root / "content/people/dead-link.md").symlink_to("nobody.md")
    (root / "content/_shared").mkdir()
    (root / "content/_shared/followed.md").write_text("---\ntitle: Read through a link\nstrategy: launch\n"
                                                      "owner: nobody-here\nduration: 1d\n---\n", "utf-8")
    (root / "content/activities/linked-inside").symlink_to("../_shared", target_is_directory=True)
    (root / f"content/activities/ids/{LONG_ID}.md").write_text("---\ntitle: Long\n---\n", "utf-8")
    huge = "---\ntitle: Huge\nstrategy: launch\nduration: 1d\n---\n" + "lorem ipsum " * (MAX_FILE_BYTES // 10)
    (root / "content/activities/files/huge.md").write_text(huge, "utf-8")
    os.mkfifo(root / "content/activities/files/pipe.md")
    latin1_file = os.fsencode(root / "content/activities/files") + b"/latin1-name-caf\xe9.md"
    Path(os.fsdecode(latin1_file)).write_text("---\ntitle: A Latin-1 file name\n---\n", "utf-8")
    latin1_folder = Path(os.fsdecode(os.fsencode(root / "content/people") + b"/caf\xe9"))
    latin1_folder.mkdir()
    (latin1_folder / "x.md").write_text("---\nname: In a Latin-1 folder\n---\n", "utf-8")
    return root


def check(project: Path, *args: str):
    return CliRunner().invoke(main, ["check", "-f", str(project), *args])


@pytest.fixture(scope="module")
def checked(corpus):
    result = check(corpus, "--format", "json")
    return result, json.loads(result.stdout)


def reported(document: dict) -> set[tuple[str, int, str]]:
    return {(d["path"], d["line"], d["code"]) for d in document["diagnostics"]}


def test_fixture_bytes_survived_git():
    """The files about encodings must be byte-exact (see the corpus's .gitattributes)."""
    goals = CORPUS / "content/goals"
    assert (goals / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")
    assert (goals / "crlf.md").read_bytes().count(b"\r\n") == 6
    assert b"\n" not in (goals / "cr-only.md").read_bytes()
    assert b"Caf\xe9" in (CORPUS / "content/activities/files/latin1.md").read_bytes()
    assert b"\t- maria" in (CORPUS / "content/activities/yaml/tab-indent.md").read_bytes()
    assert (CORPUS / "content/activities/files/empty.md").read_bytes() == b""


def test_check_exits_1_without_a_traceback(checked):
    result, document = checked
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert document["summary"]["errors"] > 100


def test_every_expected_diagnostic_is_reported_at_its_line(corpus, checked):
    missing = sorted(expectations(corpus) - reported(checked[1]))
    assert not missing, "not reported:\n" + "\n".join(f"  {path}:{line} {code}" for path, line, code in missing)


def test_nothing_is_reported_that_no_file_expects(corpus, checked):
    """One mistake, one diagnostic: no cascades, no duplicates, nothing from the valid files."""
    expected = expectations(corpus)
    extra = [d for d in checked[1]["diagnostics"] if (d["path"], d["line"], d["code"]) not in expected]
    assert not extra, "unexpected:\n" + "\n".join(
        f"  {d['path']}:{d['line']}:{d['column']} {d['code']} {d['message']}" for d in extra)


def test_every_documented_code_is_in_the_corpus(checked):
    codes = {d["code"] for d in checked[1]["diagnostics"]}
    assert documented_codes() - set(NOT_IN_CORPUS) <= codes, documented_codes() - set(NOT_IN_CORPUS) - codes


NOT_CODES = {"not-started", "in-progress", "goal-start", "roadmap-start", "utf-8", "utf-8-sig", "constrained-str",
             "stand-up", "stand-ups"}
EMITTERS = ["content/*.py", "config.py", "links.py", "build.py", "engine/validate.py", "engine/schedule.py", "engine/load.py",
            "engine/pipeline.py", "engine/tracking.py", "engine/status.py", "engine/history.py", "engine/smart.py",
            "publish/importer.py",
            "engine/rhythm.py", "engine/cadence.py", "engine/capacity.py", "engine/baseline.py", "engine/quarters.py"]


def test_docs_list_every_code_the_source_can_emit():
    """Every code-like string literal in the stages that report diagnostics is documented, and vice versa."""
    literals = set()
    for pattern in EMITTERS:
        for path in (REPO / "roadmapgen").glob(pattern):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+|unreadable", node.value):
                    literals.add(node.value)
    emitted = literals - NOT_CODES
    assert emitted >= {"unknown-ref", "yaml-syntax", "dependency-cycle", "conflicting-fields", "unreadable"}
    assert emitted == documented_codes(), (sorted(emitted - documented_codes()), sorted(documented_codes() - emitted))


def test_every_diagnostic_has_a_place_a_code_and_a_message(checked):
    for d in checked[1]["diagnostics"]:
        assert d["path"] and not d["path"].startswith("/") and "\\" not in d["path"]
        assert d["line"] >= 0 and d["column"] >= 0 and d["code"] and d["message"]
        assert "Traceback" not in d["message"] and "<unicode string>" not in d["message"]
        assert len(d["message"]) < 400, d["message"]
        if d["path"].endswith(".md") and d["code"] not in {"invalid-id", "reserved-id", "duplicate-id", "symlink-outside",
                                                           "symlink-loop", "file-too-large", "unreadable",
                                                           "outside-type-folder"}:
            if not (d["code"] == "not-utf8" and ("NUL" in d["message"] or "name of this" in d["message"])):
                assert d["line"] >= 1, d


def test_text_format_is_one_line_per_diagnostic_then_a_summary(corpus, checked):
    result = check(corpus)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("    hint: ")]
    *diagnostics, summary = lines
    assert [line for line in diagnostics if not TEXT_LINE.match(line)] == []
    assert len(diagnostics) == len(checked[1]["diagnostics"])
    errors, warnings = checked[1]["summary"]["errors"], checked[1]["summary"]["warnings"]
    assert summary.endswith(f"{errors} errors, {warnings} warnings")
    assert "content/activities/unknown-refs.md:4:1: error[unknown-ref] owner 'mraia' is not a person " \
           "(did you mean 'maria'?)" in diagnostics


def test_github_format_annotates_every_diagnostic(corpus, checked, monkeypatch):
    monkeypatch.chdir(corpus)  # annotation paths are relative to the working folder (the repository in CI)
    result = check(corpus, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(checked[1]["diagnostics"])
    # every annotation has a line and a column, whole-file problems included (line 1)
    assert all(re.match(r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=[a-z0-9-]+::\S", line)
               for line in lines), lines[:3]
    assert ("::error file=content/activities/unknown-refs.md,line=4,col=1,title=unknown-ref::owner 'mraia'"
            in result.stdout)
    assert "::warning file=content/misc,line=1,col=1,title=unknown-folder::" in result.stdout


def test_github_paths_are_relative_to_the_working_folder(corpus, monkeypatch):
    monkeypatch.chdir(corpus.parent)
    result = check(corpus, "--format", "github")
    assert (f"::error file={corpus.name}/content/activities/unknown-refs.md,line=4,col=1,title=unknown-ref::"
            in result.stdout)


def test_json_format_is_versioned_and_counts_match(checked):
    document = checked[1]
    assert document["version"] == 1
    severities = [d["severity"] for d in document["diagnostics"]]
    assert document["summary"] == {"errors": severities.count("error"), "warnings": severities.count("warning")}
    assert set(document["diagnostics"][0]) == {"path", "line", "column", "severity", "code", "message", "hint"}


def test_quiet_prints_errors_only(corpus):
    result = check(corpus, "-q")
    assert result.exit_code == 1
    assert "error[" in result.output and "warning[" not in result.output


# -- strict ----------------------------------------------------------------------------------

WARNINGS_ONLY = {
    "content/goals/g.md": "---\ntitle: G\ndue: 2026-12-31\n---\n",
    "content/strategies/s.md": "---\ntitle: S\ngoal: g\ndue: 2027-01-29\n---\n",  # due-after-goal
    "content/activities/first.md": "---\ntitle: First\nstrategy: s\nstart: 2026-01-05\nduration: 10d\n---\n",
    "content/activities/second.md": "---\ntitle: Second\nstrategy: s\ndepends_on: [first]\n"
                                    "start: 2026-01-07\nduration: 2d\n---\n",  # start-before-dependency
    "content/activities/weekend.md": "---\ntitle: Weekend\nstrategy: s\nstart: 2026-01-10\nduration: 1d\n---\n",
    "content/notes/x.md": "---\ntitle: x\n---\n",  # unknown-folder
}


def test_strict_turns_warnings_into_failure(tmp_path):
    project = write_project(tmp_path / "p", WARNINGS_ONLY)
    relaxed = check(project, "--format", "json")
    assert relaxed.exit_code == 0, relaxed.output
    codes = {d["code"]: d["severity"] for d in json.loads(relaxed.stdout)["diagnostics"]}
    assert codes == {"due-after-goal": "warning", "start-before-dependency": "warning",
                     "start-not-working-day": "warning", "unknown-folder": "warning"}
    strict = check(project, "--strict", "--format", "json")
    assert strict.exit_code == 1
    severities = {d["code"]: d["severity"] for d in json.loads(strict.stdout)["diagnostics"]}
    assert severities == codes  # --strict decides at the end; the engine reports the same diagnostics
    assert "Traceback" not in strict.output


def test_strict_and_quiet_still_print_what_fails_the_run(tmp_path):
    project = write_project(tmp_path / "p", WARNINGS_ONLY)
    quiet = check(project, "--strict", "-q")
    assert quiet.exit_code == 1
    assert "warning[start-before-dependency]" in quiet.output and "warning[unknown-folder]" in quiet.output
    relaxed = check(project, "-q")
    assert relaxed.exit_code == 0 and relaxed.output == ""  # nothing fails: nothing to say
    build = CliRunner().invoke(main, ["build", "-f", str(project), "--strict", "-q"])
    assert build.exit_code == 1 and "warning[start-before-dependency]" in build.output


def test_strict_build_is_refused_on_warnings(tmp_path):
    project = write_project(tmp_path / "p", WARNINGS_ONLY)
    result = CliRunner().invoke(main, ["build", "-f", str(project), "--strict", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "build refused" in result.output
    assert not (tmp_path / "out").exists()


# -- what one content folder cannot show -------------------------------------------------------


def test_missing_content_folder(tmp_path):
    project = write_project(tmp_path / "p", {})
    result = check(project, "--format", "json")
    assert result.exit_code == 1
    assert reported(json.loads(result.stdout)) == {("content", 1, "missing-content")}


def test_roadmap_yml_that_is_a_folder(tmp_path):
    (tmp_path / "roadmap.yml").mkdir()
    diagnostics = Diagnostics()
    load_config(tmp_path / "roadmap.yml", diagnostics)
    assert [(d.path, d.code) for d in diagnostics] == [("roadmap.yml", "config-unreadable")]
    result = check(tmp_path)  # the CLI does not even try: a usage error, not a traceback
    assert result.exit_code == 2 and "no roadmap.yml" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


GOAL = {"content/goals/g.md": "---\ntitle: G\ndue: 2026-12-31\n---\n"}
CONFIGS = [  # (roadmap.yml bytes, code, line)
    (b"title: T\ncalendar:\n\tworkdays: [mon]\n", "yaml-syntax", 3),
    (b"- title: T\n", "not-a-mapping", 1),
    (b"title: Caf\xe9\n", "not-utf8", 1),
    (b"title: A\ntitle: B\n", "duplicate-key", 2),
    (b"title: T\ntoday: 2026-02-30\n", "invalid-date", 2),
    (b"title: T\nstart: 30/01/2026\n", "invalid-date", 2),
    (b"title: T\ncalender: {}\n", "unknown-field", 2),
    (b"title: T\ncalendar: 5\n", "invalid-type", 2),
    (b"title: T\ncalendar:\n  workdays: []\n", "invalid-type", 3),
    (b"title: T\ncalendar:\n  workdays: [mon, funday]\n", "invalid-value", 3),
    (b"title: T\ncalendar:\n  holidays: [2026-01-01, {date: soon}]\n", "invalid-date", 3),
    (b"title: T\nstatus:\n  amber_behind: 150\n", "out-of-range", 3),
    (b"title: T\nstatus:\n  amber_behind: .nan\n", "out-of-range", 3),
    (b"title: T\nstatus: {amber_behind: 30, red_behind: 20}\n", "invalid-value", 2),
    (b"title: T\ncheckins:\n  standup: {every: fortnight}\n", "invalid-value", 3),
    (b"title: T\ntheme: {name: fancy}\n", "invalid-value", 2),
    (b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "yaml-too-complex", 5),
    (b"title: T\n" + b"# padding\n" * 110_000, "file-too-large", 1),
    (b"title: T\r\ntitel: x\r\n", "unknown-field", 2),
    (b"\xef\xbb\xbftitle: T\ntitel: x\n", "unknown-field", 2),
]


@pytest.mark.parametrize("text, code, line", CONFIGS, ids=[f"{c[1]}-{i}" for i, c in enumerate(CONFIGS)])
def test_broken_roadmap_yml(tmp_path, text, code, line):
    project = write_project(tmp_path / "p", GOAL)
    (project / "roadmap.yml").write_bytes(text)
    result = check(project, "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("roadmap.yml", line, code) in reported(json.loads(result.stdout)), result.stdout


def test_empty_roadmap_yml_means_the_defaults(tmp_path):
    project = write_project(tmp_path / "p", GOAL, config="")
    assert check(project).exit_code == 0
