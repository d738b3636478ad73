"""init, new, import and gh-deploy, run through the CLI on real folders and a real git repository."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner

from roadmapgen.build import render_site
from roadmapgen.cli import main
from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.publish.files import slugify
from roadmapgen.publish.new import due_soon_or_in_progress
from tests.conftest import EXAMPLE_TODAY

GIT = shutil.which("git")


def run(args: list[str], cwd: Path | None = None):
    with contextlib.chdir(cwd or Path.cwd()):
        return CliRunner().invoke(main, args, catch_exceptions=False)


# Warnings that judge the plan rather than the files: an imported plan may well book someone twice
# over; `check` passes (exit 0) and says so, and only `--strict` would count it (docs/rhythm.md)
PLAN_WARNINGS = ("over-allocated", "stale-update", "smart-")


def check(project: Path, strict: bool = True):
    """`check` (`--strict` by default, except for the warnings that judge the plan, not its files:
    a new goal is written with what its author must still fill in (its metric, its why, its
    strategies), which the SMART lint says as warnings (docs/smart.md))."""
    if not strict:
        return run(["check"], cwd=project)
    result = run(["check", "--format", "json"], cwd=project)
    found = json.loads(result.stdout)["diagnostics"]
    others = [d for d in found if not d["code"].startswith(PLAN_WARNINGS)]
    return SimpleNamespace(exit_code=1 if others or result.exit_code else 0, output=result.output)


# -- init -----------------------------------------------------------------------------------------

def test_init_writes_a_starter_that_builds_strictly(tmp_path):
    result = run(["init", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    demo = tmp_path / "demo"
    for folder in ("goals", "strategies", "activities", "people", "tools", "updates", "reviews"):
        files = list((demo / "content" / folder).glob("*.md"))
        assert len(files) == 1, folder  # one commented file of each content type
        assert "\n# " in files[0].read_text() or files[0].read_text().startswith("---\n#")
    build = run(["build", "--strict"], cwd=demo)
    assert build.exit_code == 0, build.output
    assert (demo / "site" / "index.html").is_file() and (demo / "site" / ".nojekyll").is_file()


def test_init_workflow_builds_strictly_and_deploys_with_the_official_pages_actions(tmp_path):
    run(["init", str(tmp_path / "demo")])
    workflow = yaml.safe_load((tmp_path / "demo" / ".github" / "workflows" / "roadmap.yml").read_text())
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"] + deploy["steps"]]
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "roadmapgen build --strict" in runs and "roadmapgen check --strict" in runs
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert True in workflow and "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    diff = next(step for step in build["steps"] if "roadmapgen diff" in step.get("run", ""))
    assert diff["if"] == "github.event_name == 'pull_request'"
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in diff["run"] and "--format github" in diff["run"]
    assert diff["env"]["BASE"] == "origin/${{ github.base_ref }}"


def test_init_never_overwrites(tmp_path):
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "roadmap.yml").write_text("title: Mine\n")
    result = run(["init", str(demo)])
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert (demo / "roadmap.yml").read_text() == "title: Mine\n"
    assert not (demo / "content").exists()  # nothing written at all


# -- new ------------------------------------------------------------------------------------------

@pytest.fixture
def starter(tmp_path) -> Path:
    run(["init", str(tmp_path / "demo")])
    return tmp_path / "demo"


@pytest.mark.parametrize("args, path", [
    (["goal", "Grow: 20% more \"repeat\" customers", "--owner", "alex-morgan"],
     "content/goals/grow-20-more-repeat-customers.md"),
    (["strategy", "Chat #support", "--goal", "answer-within-a-day"], "content/strategies/chat-support.md"),
    (["activity", "Record the videos", "--strategy", "self-service-help-centre"],
     "content/activities/record-the-videos.md"),
    (["activity", "Hire a writer", "--goal", "answer-within-a-day"], "content/activities/hire-a-writer.md"),
    (["person", "Zoë O'Brien"], "content/people/zoe-o-brien.md"),
    (["tool", "Zendesk: [help]"], "content/tools/zendesk-help.md"),
    (["review", "Q4 review", "--today", "2026-12-01"], "content/reviews/2026-12-01-q4-review.md"),
    (["update", "Stand-up", "--today", "2026-12-01"], "content/updates/2026-12-01-stand-up.md"),
])
def test_new_writes_a_file_that_passes_check_as_written(starter, args, path):
    result = run(["new", *args], cwd=starter)
    assert result.exit_code == 0, result.output
    assert (starter / path).is_file(), result.output
    checked = check(starter)
    assert checked.exit_code == 0, checked.output
    again = run(["new", *args], cwd=starter)
    assert again.exit_code == 1 and "never overwrites" in again.output


def test_new_asks_for_the_parent_it_needs(starter):
    result = run(["new", "strategy", "Chat"], cwd=starter)
    assert result.exit_code == 1 and "--goal" in result.output and "answer-within-a-day" in result.output
    result = run(["new", "activity", "X", "--strategy", "nope"], cwd=starter)
    assert result.exit_code == 1 and "no strategy 'nope'" in result.output


def test_new_update_lists_what_is_in_progress_or_due_soon(example_copy):
    result = run(["new", "update", "Weekly stand-up"], cwd=example_copy)
    assert result.exit_code == 0, result.output
    written = example_copy / "content" / "updates" / f"{EXAMPLE_TODAY}-weekly-stand-up.md"
    front = yaml.safe_load(written.read_text().split("---\n")[1])
    computed = compute_roadmap(example_copy, Diagnostics(), date.fromisoformat(EXAMPLE_TODAY), with_history=False)
    expected = due_soon_or_in_progress(computed)
    assert [item["ref"].split(":")[-1] for item in front["items"]] == [item_id for _, item_id in expected]
    in_progress = [a for a, t in computed.tracking.activities.items() if t.status == "in-progress"]
    assert in_progress and set(in_progress) <= {item["ref"] for item in front["items"]}
    done = [a for a, s in computed.status.activities.items() if s.rag == "complete"]
    assert not set(done) & {item["ref"] for item in front["items"]}
    for item in front["items"]:  # an activity's progress is restated as it stands: nothing moves until edited
        if item["ref"] in computed.status.activities and "progress" in item:
            assert item["progress"] == computed.status.activities[item["ref"]].progress
    checked = check(example_copy, strict=False)
    assert checked.exit_code == 0, checked.output
    before = compute_roadmap(example_copy, Diagnostics(), date.fromisoformat(EXAMPLE_TODAY), with_history=False)
    assert {a: s.rag for a, s in before.status.activities.items()} == \
        {a: s.rag for a, s in computed.status.activities.items()}


def test_slugify_makes_ids_the_loader_accepts():
    assert slugify("Pilot parcel lockers (Leeds)") == "pilot-parcel-lockers-leeds"
    assert slugify("Über Café — phase 2") == "uber-cafe-phase-2"
    assert slugify("!!!") == "item" and slugify("Index") == "index-1"
    assert len(slugify("x" * 500)) <= 60


# -- import ---------------------------------------------------------------------------------------

PLAN = '''kind,title,goal,strategy,owner,start,duration,due,depends_on,tags,progress,metric.name,metric.baseline,metric.target,body
goal,Halve support costs,,,alex-morgan,2026-12-07,,2027-06-30,,cost,,Cost per ticket,12,6,Costs per ticket.
strategy,Deflect tickets with bots,halve-support-costs,,alex-morgan,2026-12-07,,2027-03-31,,,,,,,
,Pick a chatbot vendor,,deflect-tickets-with-bots,alex-morgan,2026-12-07,2w,,,"bots; vendor",10,,,,"Shortlist of three, with ""quotes"""
activity,=Train the bot,,deflect-tickets-with-bots,,2026-12-21,3w,,pick-a-chatbot-vendor,,,,,,
'''


def test_import_writes_one_file_per_row_that_passes_check(starter):
    (starter / "plan.csv").write_text(PLAN, "utf-8")
    dry = run(["import", "plan.csv", "--dry-run"], cwd=starter)
    assert dry.exit_code == 0, dry.output
    assert "would write content/activities/pick-a-chatbot-vendor.md" in dry.output
    assert not (starter / "content" / "activities" / "pick-a-chatbot-vendor.md").exists()
    result = run(["import", "plan.csv"], cwd=starter)
    assert result.exit_code == 0, result.output
    vendor = yaml.safe_load((starter / "content/activities/pick-a-chatbot-vendor.md").read_text().split("---\n")[1])
    assert vendor == {"title": "Pick a chatbot vendor", "strategy": "deflect-tickets-with-bots", "owner": "alex-morgan",
                      "start": date(2026, 12, 7), "duration": "2w", "tags": ["bots", "vendor"], "progress": 10}
    goal = yaml.safe_load((starter / "content/goals/halve-support-costs.md").read_text().split("---\n")[1])
    assert goal["metric"] == {"name": "Cost per ticket", "baseline": 12, "target": 6}
    assert (starter / "content/activities/train-the-bot.md").is_file()
    checked = check(starter)
    assert checked.exit_code == 0, checked.output
    again = run(["import", "plan.csv"], cwd=starter)
    assert again.exit_code == 1 and "file-exists" in again.output


def test_import_reports_problems_as_file_row_column_and_writes_nothing(starter):
    (starter / "bad.csv").write_text(
        "title,strategy,owner,start,duration,progress,colour\n"
        "Train the bot,self-service-help-centre,nobody,2026-12-07,3x,150,red\n"
        "Another,no-such-strategy,,20261207,2w,,\n"
        ",self-service-help-centre,,,,,\n", "utf-8")
    result = run(["import", "bad.csv"], cwd=starter)
    assert result.exit_code == 1
    for expected in ("bad.csv:1:7: error[csv-unknown-column]", "bad.csv:2:3: error[unknown-ref]",
                     "bad.csv:2:5: error[invalid-value]", "bad.csv:2:6: error[out-of-range]",
                     "bad.csv:3:2: error[unknown-ref]", "bad.csv:3:4: error[invalid-date]",
                     "bad.csv:4:1: error[missing-field]"):
        assert expected in result.output, result.output
    assert "nothing was written" in result.output
    assert sorted(p.name for p in (starter / "content" / "activities").iterdir()) == ["write-top-answers.md"]


def test_import_checks_rows_as_check_will_across_fields_and_files(starter):
    """Rules beyond one field's schema (a duration or a due date; start before due; no dependency
    cycle) are checked as `check` will, and reported at the row."""
    (starter / "rules.csv").write_text(
        "title,strategy,duration,start,due,depends_on\n"
        "No length,self-service-help-centre,,,,\n"
        "Backwards,self-service-help-centre,2w,2027-05-03,2027-01-01,\n"
        "Chicken,self-service-help-centre,1w,,,egg\n"
        "Egg,self-service-help-centre,1w,,,chicken\n", "utf-8")
    result = run(["import", "rules.csv"], cwd=starter)
    assert result.exit_code == 1
    assert "rules.csv:2:1: error[missing-field] an activity needs 'due' or 'duration'" in result.output
    assert "rules.csv:3:5: error[date-order]" in result.output
    assert "error[dependency-cycle]" in result.output
    assert "nothing was written" in result.output
    assert not (starter / "content/activities/egg.md").exists()


def test_import_reports_an_empty_file_and_a_bad_kind(starter):
    (starter / "empty.csv").write_text("\n", "utf-8")
    result = run(["import", "empty.csv"], cwd=starter)
    assert result.exit_code == 1 and "empty.csv:1:1: error[csv-no-header]" in result.output
    (starter / "kinds.csv").write_text("title,kind,due,goal\nA,goals,2027-01-01,\nB,milestone,,\n", "utf-8")
    result = run(["import", "kinds.csv"], cwd=starter)
    assert result.exit_code == 1 and "kinds.csv:3:2: error[csv-bad-kind]" in result.output
    assert "kinds.csv:2" not in result.output  # 'goals' (plural) is a goal, and a good one


def test_import_takes_the_kind_option_and_numbers_duplicate_titles(starter):
    (starter / "goals.csv").write_text("title,due,id\nWin,2027-01-01,\nWin,2027-02-01,\nLose,2027-03-01,Bad Id\n",
                                       "utf-8")
    result = run(["import", "goals.csv", "--kind", "goal"], cwd=starter)
    assert result.exit_code == 1 and "goals.csv:4:3: error[invalid-id]" in result.output
    (starter / "goals.csv").write_text("title,due\nWin,2027-01-01\nWin,2027-02-01\n", "utf-8")
    result = run(["import", "goals.csv", "--kind", "goal"], cwd=starter)
    assert result.exit_code == 0, result.output
    assert (starter / "content/goals/win.md").is_file() and (starter / "content/goals/win-2.md").is_file()
    assert check(starter).exit_code == 0


def test_import_reads_a_spreadsheets_utf8_with_bom_and_refuses_other_encodings(starter):
    (starter / "bom.csv").write_bytes("\ufefftitle,strategy,duration\nCafé menu,self-service-help-centre,3d\n".encode("utf-8"))
    assert run(["import", "bom.csv"], cwd=starter).exit_code == 0
    assert "Café menu" in (starter / "content/activities/cafe-menu.md").read_text("utf-8")
    (starter / "latin.csv").write_bytes("title,strategy\nNa\xefve,self-service-help-centre\n".encode("latin-1"))
    result = run(["import", "latin.csv"], cwd=starter)
    assert result.exit_code == 1 and "latin.csv:2:1: error[not-utf8]" in result.output


# -- gh-deploy ------------------------------------------------------------------------------------

def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(starter, tmp_path, monkeypatch):
    if GIT is None:
        pytest.skip("git is not installed")
    for key, value in {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
                       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1",
                       "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    git(starter, "init", "-q", "-b", "main")
    git(starter, "add", "-A")
    git(starter, "commit", "-q", "-m", "roadmap")
    git(starter, "remote", "add", "origin", str(bare))
    return starter, bare


def _state(folder: Path) -> tuple[str, str, str, str]:
    return (git(folder, "symbolic-ref", "HEAD"), git(folder, "rev-parse", "HEAD"), git(folder, "status", "--porcelain"),
            git(folder, "ls-files", "--stage"))


def test_gh_deploy_pushes_the_site_and_touches_nothing_of_the_working_copy(repository):
    project, bare = repository
    (project / "notes.txt").write_text("not committed")  # an untracked file
    (project / "content/people/alex-morgan.md").open("a").write("\nEdited, not staged.\n")
    git(project, "add", "notes.txt")  # staged
    (project / "notes.txt").write_text("changed after staging")
    before = _state(project)
    result = run(["gh-deploy", "-m", "Publish the plan"], cwd=project)
    assert result.exit_code == 0, result.output
    assert _state(project) == before
    assert (project / "notes.txt").read_text() == "changed after staging"
    assert not (project / "site").exists()  # built in memory and a temporary folder, not into the working tree
    assert git(bare, "log", "-1", "--format=%s", "gh-pages").strip() == "Publish the plan"
    pushed = set(git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split())
    computed = compute_roadmap(project, Diagnostics())
    site = render_site(computed)
    assert pushed == set(site)
    assert ".nojekyll" in pushed
    for path in ("index.html", "roadmap.json", "calendar.ics", "assets/css/site.css"):
        assert subprocess.run(["git", "-C", str(bare), "show", f"gh-pages:{path}"], check=True,
                              capture_output=True).stdout == site[path]
    second = run(["gh-deploy"], cwd=project)  # a second deploy adds a commit on top
    assert second.exit_code == 0, second.output
    assert int(git(bare, "rev-list", "--count", "gh-pages").strip()) == 2
    assert "from " in git(bare, "log", "-1", "--format=%s", "gh-pages")


def test_gh_deploy_takes_remote_and_branch(repository, tmp_path):
    project, _ = repository
    other = tmp_path / "other.git"
    subprocess.run(["git", "init", "-q", "--bare", str(other)], check=True)
    git(project, "remote", "add", "upstream", str(other))
    result = run(["gh-deploy", "--remote", "upstream", "--branch", "pages"], cwd=project)
    assert result.exit_code == 0, result.output
    assert "index.html" in git(other, "ls-tree", "--name-only", "pages")


def test_gh_deploy_refuses_what_it_must_not_do(repository, tmp_path):
    project, _ = repository
    result = run(["gh-deploy", "--branch", "main"], cwd=project)
    assert result.exit_code == 1 and "checked out" in result.output
    result = run(["gh-deploy", "--remote", "nowhere"], cwd=project)
    assert result.exit_code == 1 and "no git remote 'nowhere'" in result.output
    outside = tmp_path / "plain"
    shutil.copytree(project, outside, ignore=shutil.ignore_patterns(".git"))
    result = run(["gh-deploy"], cwd=outside)
    assert result.exit_code == 1 and "not in a git repository" in result.output
    (project / "content/goals/answer-within-a-day.md").write_text("---\ntitle: Broken\n---\n")
    result = run(["gh-deploy"], cwd=project)
    assert result.exit_code == 1 and "deploy refused" in result.output


def test_json_schema_of_roadmap_yml_accepts_the_example_and_starter(starter, repo):
    import jsonschema

    from roadmapgen.publish.schemas import editor_schemas

    schema = editor_schemas()["roadmap"]
    for config in (repo / "roadmap.yml", starter / "roadmap.yml"):
        data = json.loads(json.dumps(yaml.safe_load(config.read_text()), default=str))
        jsonschema.Draft202012Validator(schema).validate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"titel": "typo"})


def test_the_editor_docs_problem_matcher_reads_checks_output(starter, repo):
    """docs/editors.md's VS Code problem matcher matches every line `check` prints for a problem."""
    import re

    doc = (repo / "docs" / "editors.md").read_text("utf-8")
    tasks = json.loads(doc.split("```json\n")[2].split("```")[0])
    pattern = re.compile(tasks["tasks"][0]["problemMatcher"]["pattern"]["regexp"])
    (starter / "content/activities/write-top-answers.md").write_text(
        "---\ntitle: X\nstrategy: nope\nduration: 3x\n---\n", "utf-8")
    result = run(["check"], cwd=starter)
    problems = [line for line in result.output.splitlines() if "error[" in line or "warning[" in line]
    assert len(problems) >= 2
    for line in problems:
        match = pattern.match(line)
        assert match, line
        assert (starter / match.group(1)).is_file() and match.group(4) in ("error", "warning")


def test_import_and_new_write_any_title_back_exactly(starter):
    """Titles that YAML would read as something else (a boolean, a date, a list, a comment, a key)
    are quoted, and come back as written."""
    titles = ["Yes", "null", "2026-01-01", "- item", "a: b", "#hash", "'quoted'", "\"dq\"", "Line one\nline two",
              "<script>alert(1)</script>", "{x}", "100%", "@mention", "  spaced  "]
    rows = "".join('"' + t.replace('"', '""') + '",self-service-help-centre,1w\n' for t in titles)
    (starter / "odd.csv").write_text("title,strategy,duration\n" + rows, "utf-8")
    result = run(["import", "odd.csv"], cwd=starter)
    assert result.exit_code == 0, result.output
    assert run(["new", "tool", "true"], cwd=starter).exit_code == 0
    assert check(starter).exit_code == 0
    computed = compute_roadmap(starter, Diagnostics(), with_history=False)
    found = {a.title for a in computed.roadmap.activities.values()}
    for title in titles:
        assert " ".join(title.split()) in {" ".join(t.split()) for t in found}, title
    assert computed.roadmap.tools["true"].name == "true"
