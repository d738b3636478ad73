"""Plan history from git, on a repository built in the test run (tests/gitplan.py): `build
--as-of` reproduces a past version's site, `diff` lists exactly the moves made, in every format."""

from __future__ import annotations

import filecmp
import re
import os
from datetime import date
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmapgen.cli import main
from tests.gitplan import CUTOVER, TRAINING, git, make_plan_repo

# git is installed by .ci/run: under CI=true a missing git fails these tests instead of skipping them
pytestmark = pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true",
                                reason="git is not installed (apt-get install git)")


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return make_plan_repo(tmp_path_factory.mktemp("history") / "plan")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only."""
    found = []
    compared = filecmp.dircmp(a, b)
    found += compared.left_only + compared.right_only + compared.diff_files + compared.funny_files
    for sub in compared.common_dirs:
        found += [f"{sub}/{x}" for x in same_tree(a / sub, b / sub)]
    return found


def test_as_of_reproduces_the_site_of_that_commit_byte_for_byte(plan, tmp_path):
    repo, shas = plan
    first = run("build", "-f", str(repo), "--as-of", "2026-09-30", "-o", str(tmp_path / "a"), "-q")
    assert first.exit_code == 0, first.output
    again = run("build", "-f", str(repo), "--as-of", "2026-09-30", "-o", str(tmp_path / "b"), "-q")
    assert again.exit_code == 0
    assert same_tree(tmp_path / "a", tmp_path / "b") == []
    # the same commit checked out by hand, built with today set to that date
    checkout = tmp_path / "checkout"
    git(repo, "worktree", "add", "-q", str(checkout), shas[1])
    by_hand = run("build", "-f", str(checkout), "--today", "2026-09-30", "-o", str(tmp_path / "c"), "-q")
    assert by_hand.exit_code == 0, by_hand.output
    assert same_tree(tmp_path / "a", tmp_path / "c") == []
    # and it is the version of that day: five weeks of training, still James's
    page = (tmp_path / "a" / "activities" / "wms-training.html").read_text("utf-8")
    assert "James Okafor" in page and "25 working days" in page


def test_as_of_a_ref_uses_the_commit_day(plan, tmp_path):
    repo, shas = plan
    result = CliRunner().invoke(main, ["build", "-f", str(repo), "--as-of", shas[0][:10],
                                                       "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "as of 2026-08-03" in result.stderr
    assert "2026-08-03" in (tmp_path / "s" / "index.html").read_text("utf-8")


def test_as_of_outside_git_or_before_the_history_says_why(tmp_path, plan):
    project = tmp_path / "loose"
    shutil.copytree(plan[0] / "content", project / "content")
    shutil.copy(plan[0] / "roadmap.yml", project)
    result = run("build", "-f", str(project), "--as-of", "2026-09-30")
    assert result.exit_code == 1 and "not in a git repository" in result.output
    result = run("build", "-f", str(plan[0]), "--as-of", "2020-01-01")
    assert result.exit_code == 1 and "no commit on or before 2020-01-01" in result.output
    result = run("build", "-f", str(plan[0]), "--as-of", "no-such-ref")
    assert result.exit_code == 1 and "neither a date" in result.output


def changes(repo: Path, base: str, head: str) -> dict:
    result = CliRunner().invoke(main, ["diff", base, head, "-f", str(repo), "--today", "2026-11-25",
                                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_diff_lists_exactly_the_moves_a_longer_activity_makes(plan):
    repo, shas = plan
    document = changes(repo, shas[0], shas[1])
    moved = {(c["kind"], c["id"]): c["working_days"] for c in document["changes"] if c["what"] == "moved"}
    # two more weeks of training push the cutover that follows it, their strategy and its goal
    assert moved[("activity", "wms-training")] == 10
    assert moved[("activity", "wms-cutover")] == 10
    assert {k for k in moved if k[0] == "activity"} == {("activity", "wms-training"), ("activity", "wms-cutover")}
    assert {c["what"] for c in document["changes"]} <= {"moved", "due-at-risk", "colour"}
    assert not [c for c in document["changes"] if c["what"] in ("added", "removed", "owner")]


def test_diff_reports_a_new_owner_and_the_over_allocation_it_creates(plan):
    """Priya takes over the training while booked elsewhere: one owner change, one new over-allocation
    in the training's weeks (docs/rhythm.md), and no date moved."""
    repo, shas = plan
    document = changes(repo, shas[1], shas[2])
    found = [(c["what"], c["id"]) for c in document["changes"]]
    assert found == [("owner", "wms-training"), ("over-allocated", "priya-raman")]
    owner, over = document["changes"]
    assert (owner["before"], owner["after"]) == ("james-okafor", "priya-raman")
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap
    checkout = repo.parent / "after-owner"
    if not checkout.exists():
        git(repo, "worktree", "add", "-q", str(checkout), shas[2])
    c = compute_roadmap(checkout, Diagnostics(), date.fromisoformat("2026-11-25"), with_history=False)
    load = next(x for x in c.rhythm.capacity.over_allocated() if x.id == "priya-raman")
    training = c.schedule.activities["wms-training"]
    weeks = {w.label for w in load.over_weeks if any(a == "wms-training" for a, _ in w.activities)}
    assert set(over["after"]) == weeks and weeks  # the weeks the training books her beyond capacity
    assert all(training.forecast_start.isocalendar()[:2] <= tuple(map(int, w.split("-W"))) for w in weeks)
    assert sorted(document["triggered"]) == ["any", "over-allocated"]


def test_diff_fails_on_a_new_red_when_asked(plan):
    repo, shas = plan
    document = changes(repo, shas[2], shas[3])
    reds = [c for c in document["changes"] if c["what"] == "colour" and c["after"] == "red"]
    assert [c["id"] for c in reds] == ["wms-cutover"]
    assert "The vendor cannot staff the cutover weekend." in reds[0]["text"]
    failed = run("diff", shas[2], shas[3], "-f", str(repo), "--today", "2026-11-25", "--fail-on", "new-red")
    assert failed.exit_code == 1 and "triggers new-red" in failed.output
    passed = run("diff", shas[1], shas[2], "-f", str(repo), "--today", "2026-11-25", "--fail-on", "new-red")
    assert passed.exit_code == 0


def test_diff_in_markdown_and_github_formats(plan):
    repo, shas = plan
    markdown = run("diff", shas[0], shas[3], "-f", str(repo), "--today", "2026-11-25", "--format", "markdown")
    assert markdown.exit_code == 0
    assert "| Dates moved |" in markdown.output and "**Owners changed**" in markdown.output
    github = run("diff", shas[0], shas[3], "-f", str(repo), "--today", "2026-11-25", "--format", "github")
    lines = github.output.splitlines()
    assert any(line.startswith(f"::notice file={TRAINING},line=") and "owner" in line for line in lines)
    assert any(line.startswith(f"::warning file={CUTOVER},line=") for line in lines)


def test_diff_defaults_to_the_working_tree_against_the_merge_base(plan, tmp_path):
    repo, shas = plan
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    path = clone / TRAINING
    path.write_text(path.read_text("utf-8").replace("owner: priya-raman", "owner: james-okafor"), "utf-8")
    result = CliRunner().invoke(main, ["diff", "-f", str(clone), "--today", "2026-11-25",
                                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["head"] == "working tree"
    # giving the training back to James eases the over-allocation Priya had from it
    assert [(c["what"], c["id"]) for c in document["changes"]] == [("owner", "wms-training"),
                                                                   ("allocation-eased", "priya-raman")]
    assert document["changes"][0]["after"] == "james-okafor"


def test_a_shallow_clone_is_reported_with_the_fix(plan, tmp_path):
    repo, _ = plan
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    result = run("build", "-f", str(shallow), "--as-of", "2026-09-30")
    assert result.exit_code == 1 and "fetch-depth: 0" in result.output


def test_slip_history_matches_the_commits(plan, tmp_path):
    """Each trend point is that commit's own forecast (its checkout scheduled as of its day); the
    changes are the differences between consecutive points; a slip is a move later."""
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap
    from roadmapgen.versions import read_plan_history

    repo, shas = plan
    history = read_plan_history(repo)
    assert history.unavailable is None
    assert [v.sha for v in history.versions] == shas
    days = ["2026-08-03", "2026-09-07", "2026-10-05", "2026-11-02"]
    forecasts = {}
    for n, sha in enumerate(shas):
        checkout = tmp_path / f"v{n}"
        git(repo, "worktree", "add", "-q", str(checkout), sha)
        c = compute_roadmap(checkout, Diagnostics(), date.fromisoformat(days[n]), with_history=False)
        forecasts[sha] = {aid: s.forecast_end for aid, s in c.schedule.activities.items()}
    for aid in ("wms-training", "wms-cutover", "wms-data-migration"):
        h = history.of("activity", aid)
        assert [(d.isoformat(), f) for d, f in h.trend] == [(days[n], forecasts[sha][aid]) for n, sha in enumerate(shas)]
        moves = [(b, a) for b, a in zip([forecasts[s][aid] for s in shas], [forecasts[s][aid] for s in shas][1:])]
        assert [(c.forecast_before, c.forecast_after) for c in h.changes if c.forecast_before != c.forecast_after] == \
            [m for m in moves if m[0] != m[1]]
        assert h.slips == sum(1 for b, a in moves if a > b)
    training = history.of("activity", "wms-training")
    assert training.first.sha == shas[0]
    # the commit that made the training five weeks long moved its planned end by exactly 10 working days
    change = next(c for c in training.changes if c.version.sha == shas[1])
    assert (change.version.author, change.version.subject) == ("Bob Builder", "Training takes five weeks, not three")
    assert change.planned_after > change.planned_before and change.days >= 10
    assert training.slipped_days == sum(c.days for c in training.changes if c.days > 0)


def test_slip_history_outside_git_says_so_in_one_line(tmp_path, plan):
    from roadmapgen.versions import read_plan_history

    project = tmp_path / "loose"
    shutil.copytree(plan[0] / "content", project / "content")
    shutil.copy(plan[0] / "roadmap.yml", project)
    history = read_plan_history(project)
    assert history.items == {} and "not in a git repository" in history.unavailable
    out = tmp_path / "site"
    assert run("build", "-f", str(project), "-o", str(out), "-q").exit_code == 0
    home = (out / "index.html").read_text("utf-8")
    assert "No slip history: the roadmap&#39;s folder is not in a git repository" in home
    leaked = [p.name for p in out.rglob("*.html") if str(tmp_path) in p.read_text("utf-8")]
    assert leaked == []  # the pages carry no path of the machine that built them


def test_the_executive_summary_figures_match_the_data(plan, tmp_path):
    from dataclasses import replace as with_
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap
    from roadmapgen.engine.summary import executive_summary
    from roadmapgen.versions import read_plan_history

    repo, _ = plan
    c = compute_roadmap(repo, Diagnostics(), date.fromisoformat("2026-11-25"), with_history=False)
    c = with_(c, plan_history=read_plan_history(repo))
    summary = executive_summary(c)
    assert sum(summary.goals.values()) == len(c.roadmap.goals)
    assert summary.goals == {rag: n for rag in ("red", "amber", "green", "complete", "cancelled")
                             if (n := sum(1 for s in c.status.goals.values() if s.rag == rag))}
    open_milestones = [aid for aid, s in c.schedule.activities.items() if (s.milestone or s.target_only)
                       and c.tracking.activities[aid].status not in ("done", "cancelled")]
    assert summary.milestones == len(open_milestones)
    assert summary.milestones_late == sum(1 for a in open_milestones if c.schedule.activities[a].late_by > 0)
    assert summary.critical_path == c.schedule.critical_path
    assert summary.critical_end == c.schedule.activities[c.schedule.critical_path[-1]].forecast_end
    # this quarter (since 2026-10-01) the training's forecast moved at the 2026-10-05 and 11-02 commits
    kind, item_id, days = summary.largest_slip
    h = c.plan_history.of(kind, item_id)
    assert days == sum(x.days for x in h.changes if x.days > 0 and x.version.day >= date(2026, 10, 1)) > 0
    assert all(sum(x.days for x in other.changes if x.days > 0 and x.version.day >= date(2026, 10, 1)) <= days
               for other in c.plan_history.items.values())
    title = c.roadmap.items_of(kind)[item_id].title
    assert f"The largest slip committed this quarter was ‘{title}’, +{days} working days." in summary.sentences
    out = tmp_path / "site"
    assert run("build", "-f", str(repo), "--today", "2026-11-25", "-o", str(out), "-q").exit_code == 0
    home = (out / "index.html").read_text("utf-8")
    assert f"{summary.milestones_late} of {summary.milestones} open milestone" in home


def test_a_baseline_from_git_compares_against_that_commit(plan, tmp_path):
    """`baseline: git:REF` and `baseline: DATE` are the schedule as committed then, with no file."""
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap

    repo, shas = plan
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "tag", "before-training", shas[0])
    config = clone / "roadmap.yml"
    for named in ("git:before-training", "2026-08-31"):
        config.write_text(config.read_text("utf-8").split("\nbaseline:")[0] + f"\nbaseline: {named}\n", "utf-8")
        diagnostics = Diagnostics()
        c = compute_roadmap(clone, diagnostics, date.fromisoformat("2026-11-25"), with_history=False)
        assert not diagnostics.has_errors(), [x.as_text() for x in diagnostics]
        baseline = c.rhythm.baseline
        assert baseline.source.startswith(f"git {shas[0][:9]}")
        # the training was three weeks then, five now: its end moved later than the baseline's
        was = baseline.items[("activity", "wms-training")].end
        assert c.schedule.activities["wms-training"].forecast_end > was
    out = tmp_path / "site"
    result = run("build", "-f", str(clone), "--today", "2026-11-25", "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    assert "wms-training" in (out / "changes" / "index.html").read_text("utf-8")
    config.write_text(config.read_text("utf-8").split("\nbaseline:")[0] + "\nbaseline: git:no-such-tag\n", "utf-8")
    broken = run("check", "-f", str(clone))
    assert broken.exit_code == 1 and "error[baseline-git]" in broken.output and "no-such-tag" in broken.output


def test_each_quarter_page_has_its_summary_and_the_slips_committed_in_it(plan, tmp_path):
    from roadmapgen.engine.slips import slipped_days
    from roadmapgen.versions import read_plan_history

    repo, _ = plan
    out = tmp_path / "site"
    assert run("build", "-f", str(repo), "--today", "2026-11-25", "-o", str(out), "-q").exit_code == 0
    history = read_plan_history(repo)
    q3 = (out / "quarters" / "2026-q3.html").read_text("utf-8")
    section = q3.split('id="git-slips-heading"', 1)[1].split("</section>", 1)[0]
    training = history.of("activity", "wms-training")
    days = slipped_days(training, date(2026, 7, 1), date(2026, 9, 30))
    assert days >= 10  # the 2026-09-07 commit made it five weeks long
    assert re.search(r'wms-training\.html">[^<]+</a></td><td>1</td><td>\+%d</td><td>2026-09-07' % days, section)
    assert "Summary as it closed" in q3 and "The largest slip committed this quarter was" in q3
    home = (out / "index.html").read_text("utf-8")
    assert "What slipped most across 4 committed versions of the roadmap" in home
    early = tmp_path / "early"  # as of a day before the last two commits: only what was committed by then
    assert run("build", "-f", str(repo), "--today", "2026-09-30", "-o", str(early), "-q").exit_code == 0
    assert "across 2 committed versions of the roadmap" in (early / "index.html").read_text("utf-8")
    q2 = (out / "quarters" / "2026-q2.html").read_text("utf-8")
    assert "No version of the roadmap was committed this quarter." in q2


def test_git_history_can_be_turned_off_in_roadmap_yml(plan, tmp_path):
    repo, _ = plan
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    config = clone / "roadmap.yml"
    config.write_text(config.read_text("utf-8") + "\ngit_history: false\n", "utf-8")
    out = tmp_path / "site"
    assert run("build", "-f", str(clone), "--today", "2026-11-25", "-o", str(out), "-q").exit_code == 0
    home = (out / "index.html").read_text("utf-8")
    assert "No slip history: turned off in roadmap.yml (git_history: false)." in home
    assert "Slip history" in (out / "activities" / "wms-training.html").read_text("utf-8")
    assert "chart-trend-" not in (out / "goals" / "cost-per-order.html").read_text("utf-8")
