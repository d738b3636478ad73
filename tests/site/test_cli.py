"""End-to-end: the CLI on content folders, reading the built HTML and roadmap.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from click.testing import CliRunner

from roadmapgen.cli import main
from tests.conftest import EXAMPLE_TODAY, write_project

GOAL = """---
title: Grow revenue
owner: maria
due: 2026-12-31
metric: {name: Revenue, unit: M€, baseline: 10, target: 12, current: 11}
---
Body of the goal with a table:

| a | b |
|---|---|
| 1 | 2 |
"""
PERSON = "---\nname: Maria Santos\nrole: COO\n---\n"
ACTIVITY = """---
title: First step
goal: grow
owner: maria
start: 2026-03-02
duration: 5d
---
- [x] done task
- [ ] open task

A footnote.[^1]

[^1]: The note.
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_project(tmp_path / "small", {
        "content/goals/grow.md": GOAL,
        "content/people/maria.md": PERSON,
        "content/activities/first-step.md": ACTIVITY,
    })


def run(runner, args, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_check_passes_on_the_example(runner, repo):
    result = run(runner, ["check", "-f", str(repo), "--today", EXAMPLE_TODAY])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_build_with_no_arguments_writes_site_beside_roadmap_yml(runner, small):
    result = run(runner, ["build", "--today", "2026-03-04"], cwd=small)
    assert result.exit_code == 0, result.output
    site = small / "site"
    for page in ["index.html", "goals/grow.html", "activities/first-step.html", "people/maria.html",
                 "goals/index.html", "roadmap.json", "assets/vendor/plotly.min.js", ".roadmapgen-site"]:
        assert (site / page).is_file(), page
    html = (site / "goals/grow.html").read_text("utf-8")
    assert "<table>" in html and "Grow revenue" in html
    activity = (site / "activities/first-step.html").read_text("utf-8")
    assert 'type="checkbox"' in activity and "footnote" in activity
    assert 'href="../goals/grow.html"' in activity  # relative links: works under any sub-path


def test_build_with_config_and_output_options(runner, small, tmp_path):
    out = tmp_path / "elsewhere"
    result = run(runner, ["build", "-f", str(small / "roadmap.yml"), "-o", str(out), "--today", "2026-03-04"])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    assert not (small / "site").exists()


def test_roadmap_json_has_versioned_shape_with_ids(runner, small):
    run(runner, ["build", "--today", "2026-03-04"], cwd=small)
    document = json.loads((small / "site/roadmap.json").read_text("utf-8"))
    assert document["format"] == "roadmapgen/roadmap" and document["version"] == 1
    assert document["today"] == "2026-03-04"
    for key in ("goals", "strategies", "activities", "people", "tools", "updates", "reviews"):
        assert all("id" in item for item in document[key])
    activity = document["activities"][0]
    assert activity["id"] == "first-step"
    assert activity["schedule"]["start"] == "2026-03-02" and activity["schedule"]["end"] == "2026-03-06"
    assert activity["rag"]["rag"] in {"green", "amber", "red", "complete", "cancelled"}
    assert document["goals"][0]["metric"]["current"] == 11


def test_build_refuses_on_errors_and_keeps_previous_site(runner, small):
    assert run(runner, ["build", "--today", "2026-03-04"], cwd=small).exit_code == 0
    before = (small / "site/index.html").read_bytes()
    (small / "content/activities/first-step.md").write_text(ACTIVITY.replace("owner: maria", "owner: mraia"))
    result = run(runner, ["build", "--today", "2026-03-04"], cwd=small)
    assert result.exit_code == 1
    assert "error[unknown-ref] owner 'mraia' is not a person (did you mean 'maria'?)" in result.output
    assert "content/activities/first-step.md:4:1" in result.output
    assert "build refused" in result.output
    assert (small / "site/index.html").read_bytes() == before


def test_check_reports_every_problem_in_one_run(runner, small):
    (small / "content/activities/first-step.md").write_text(
        ACTIVITY.replace("owner: maria", "owner: mraia\nprogres: 5").replace("duration: 5d", "duration: 5 days"))
    result = run(runner, ["check"], cwd=small)
    assert result.exit_code == 1
    assert "error[unknown-field] unknown field 'progres' (did you mean 'progress'?)" in result.output
    assert "error[invalid-value] 'duration'" in result.output
    assert "error[unknown-ref] owner 'mraia'" in result.output  # the file's other fields are still checked
    assert "3 errors" in result.output


def test_check_json_and_github_formats(runner, small):
    (small / "content/activities/first-step.md").write_text(ACTIVITY.replace("owner: maria", "owner: mraia"))
    result = run(runner, ["check", "--format", "json"], cwd=small)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == 1
    assert document["diagnostics"][0]["code"] == "unknown-ref"
    assert document["diagnostics"][0]["line"] == 4
    result = run(runner, ["check", "--format", "github"], cwd=small)
    assert result.stdout.startswith("::error file=content/activities/first-step.md,line=4,col=1,title=unknown-ref::")


def test_strict_fails_on_warnings(runner, small):
    (small / "content/notes").mkdir()
    (small / "content/notes/x.md").write_text("---\ntitle: x\n---\n")
    assert run(runner, ["check"], cwd=small).exit_code == 0
    result = run(runner, ["check", "--strict"], cwd=small)
    assert result.exit_code == 1 and "warning[unknown-folder]" in result.output


def test_missing_roadmap_yml_is_a_usage_error(runner, tmp_path):
    result = run(runner, ["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "no roadmap.yml" in result.output


def test_bad_today_is_a_usage_error(runner, small):
    result = run(runner, ["build", "--today", "2026-02-30"], cwd=small)
    assert result.exit_code == 2 and "--today" in result.output


def test_schema_command_exports_json_schema(runner, tmp_path):
    result = run(runner, ["schema"])
    schemas = json.loads(result.stdout)
    assert set(schemas) == {"goal", "strategy", "activity", "person", "tool", "update", "review", "roadmap"}
    assert all(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema" for schema in schemas.values())
    assert "base_url" in schemas["roadmap"]["properties"] and "checkins" in schemas["roadmap"]["properties"]
    assert "due" in schemas["goal"]["required"]
    assert "from" in json.dumps(schemas["person"])
    for kind in ("goal", "strategy", "activity"):
        assert schemas[kind]["properties"]["order"]["anyOf"][0]["type"] == "integer"
    out = tmp_path / "schemas"
    assert run(runner, ["schema", "-o", str(out)]).exit_code == 0
    assert (out / "activity.schema.json").is_file() and (out / "roadmap.schema.json").is_file()
    (out / "goal.schema.json").write_text("{}")
    result = run(runner, ["schema", "-o", str(out)])
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert (out / "goal.schema.json").read_text() == "{}"


def test_help_has_examples(runner):
    for command in ("build", "check", "schema", "init", "new", "import", "gh-deploy"):
        assert "Examples:" in run(runner, [command, "--help"]).output


def test_same_input_and_today_give_identical_output(runner, small, tmp_path):
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        run(runner, ["build", "--today", "2026-03-04", "-o", str(out)], cwd=small)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


def test_check_reports_a_theme_folder_outside_the_project(runner, small):
    (small / "roadmap.yml").write_text("title: T\nstart: 2026-01-05\ntheme:\n  custom_dir: ../elsewhere\n")
    result = run(runner, ["check"], cwd=small)
    assert result.exit_code == 1
    assert "roadmap.yml:4:3: error[path-outside-project]" in result.output


# -- did-you-mean (issue: what a new user trips over) --------------------------------------------


def _check_output(tmp_path, files):
    from tests.conftest import write_project

    project = write_project(tmp_path / "p", {
        "content/goals/g.md": "---\ntitle: G\ndue: 2026-12-31\n---\n",
        "content/people/gsa.md": "---\nname: General Services\n---\n",
        **files,
    })
    return CliRunner().invoke(main, ["check", "-f", str(project)])


def test_did_you_mean_ignores_case(tmp_path):
    result = _check_output(tmp_path, {"content/activities/a.md": "---\ntitle: A\ngoal: g\nowner: GSA\nduration: 5d\n---\n"})
    assert "owner 'GSA' is not a person (did you mean 'gsa'?)" in result.output


def test_an_id_of_another_kind_is_named_as_such(tmp_path):
    result = _check_output(tmp_path, {"content/activities/a.md": "---\ntitle: A\ngoal: gsa\nduration: 5d\n---\n"})
    assert "goal 'gsa' is a person, not a goal" in result.output
    assert "create content/goals/gsa.md" not in result.output


def test_a_field_of_another_kind_is_suggested(tmp_path):
    result = _check_output(tmp_path, {"content/people/p.md": "---\ntitle: Pat\n---\n",
                                      "content/activities/a.md": "---\ntitle: A\ngoal: g\ndeadline: 2026-05-01\n---\n"})
    assert "unknown field 'title' (did you mean 'name'?)" in result.output
    assert "unknown field 'deadline' (did you mean 'due'?)" in result.output


def test_the_summary_line_is_as_docs_cli_shows_it(tmp_path, repo):
    """docs/cli.md's example summary line has the shape check prints: '<folder>: <counts>; <problems>'."""
    import re
    import shutil

    project = tmp_path / "northwind"
    project.mkdir()
    shutil.copy(repo / "roadmap.yml", project / "roadmap.yml")
    shutil.copytree(repo / "content", project / "content")
    printed = CliRunner().invoke(main, ["check", "-f", str(project)]).output.strip().splitlines()[-1]
    documented = next(line for line in (repo / "docs" / "cli.md").read_text("utf-8").splitlines()
                      if line.startswith("northwind: "))
    shape = re.compile(r"^northwind: \d+ goals, \d+ strategies, \d+ activities, \d+ people, \d+ tools, "
                       r"\d+ updates, \d+ reviews; \d+ errors?, \d+ warnings?$")
    assert shape.match(printed) and shape.match(documented), (printed, documented)
    assert printed.split(";")[0] == documented.split(";")[0]  # the same counts as the example roadmap


def test_a_duration_without_its_unit_is_told_the_unit(tmp_path):
    """`duration: 10` is the most common slip: the message and the hint say what to write."""
    from tests.conftest import write_project

    project = write_project(tmp_path / "p", {
        "content/goals/g.md": "---\ntitle: Grow the north region\ndue: 2026-12-31\n---\n",
        "content/activities/a.md": "---\ntitle: A\ngoal: g\nduration: 10\n---\n",
        "content/activities/b.md": "---\ntitle: B\ngoal: g\nduration: 3\n---\n",
    })
    result = CliRunner().invoke(main, ["check", "-f", str(project)])
    assert result.exit_code == 1
    assert ("content/activities/a.md:4:1: error[invalid-type] 'duration' is 10: expected a number with its unit, "
            "working days (d) or weeks (w)\n    hint: write '10d' for 10 working days, or '2w' for 2 weeks") in result.output
    assert "hint: write '3d' for 3 working days\n" in result.output
