"""A test repository of the example roadmap, committed in steps that move dates, re-own an item
and turn one red: what the plan-history features read (tests/site/test_plan_history.py)."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tests.conftest import REPO

TRAINING = "content/activities/wms/wms-training.md"
CUTOVER = "content/activities/wms/wms-cutover.md"

# (committer date, author, message, {file: (old text, new text)})
STEPS = (
    ("2026-08-03T10:00:00+00:00", "Ann Admin", "Start the roadmap",  # a live roadmap: status as of each day
     {"roadmap.yml": ("today: 2026-11-25", "# today: set by each build")}),
    ("2026-09-07T10:00:00+00:00", "Bob Builder", "Training takes five weeks, not three",
     {TRAINING: ("duration: 3w", "duration: 5w")}),
    ("2026-10-05T10:00:00+00:00", "Cy Coordinator", "Priya takes over the training",
     {TRAINING: ("owner: james-okafor", "owner: priya-raman")}),
    ("2026-11-02T10:00:00+00:00", "Ann Admin", "Cutover at risk: vendor capacity",
     {CUTOVER: ("duration: 0d\n", "duration: 0d\nrag: red\nrag_reason: The vendor cannot staff the cutover weekend.\n")}),
)


def git(cwd: Path, *args: str, when: str | None = None, author: str = "Ann Admin") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(cwd)}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def make_plan_repo(root: Path) -> tuple[Path, list[str]]:
    """The example roadmap in a new git repository at `root`, one commit per step; the commits' shas."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "roadmap.yml", root / "roadmap.yml")
    shutil.copytree(REPO / "content", root / "content")
    git(root, "init", "-q", "-b", "main")
    shas = []
    for when, author, message, edits in STEPS:
        for rel, (old, new) in edits.items():
            path = root / rel
            text = path.read_text("utf-8")
            assert old in text, (rel, old)
            path.write_text(text.replace(old, new, 1), "utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, when=when, author=author)
        shas.append(git(root, "rev-parse", "HEAD").strip())
    return root, shas


# -- a long random history: every kind of change a commit makes to a plan ------------------

CHANGE_KINDS = ("duration", "depends", "add", "remove", "config", "update", "goal", "strategy", "membership",
                "status", "broken", "pin", "prose", "updated", "duplicate", "rename")


def make_random_plan_repo(root: Path, commits: int, seed: int) -> list[str]:
    """The example roadmap (its `today` removed: each version is judged as of its commit's day) in a
    new git repository, then `commits` random commits, each of one of CHANGE_KINDS in turn (shuffled),
    over about seven months, one dated earlier than the one before; a cycle made by one commit is
    taken back by the next, and a file given a twin (the same id) has the twin edited next. The
    kinds committed, in order."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copy(REPO / "roadmap.yml", root / "roadmap.yml")
    shutil.copytree(REPO / "content", root / "content")
    _edit(root / "roadmap.yml", lambda t: t.replace("today: 2026-11-25", "# today: set by each build"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", when="2026-08-03T10:00:00+00:00")
    kinds = [CHANGE_KINDS[n % len(CHANGE_KINDS)] for n in range(commits)]
    rng.shuffle(kinds)
    follow_up = None  # what the commit before left for the next one to do as well
    for n, kind in enumerate(kinds, start=1):
        if follow_up:
            follow_up()
        follow_up = CHANGES[kind](root, rng, n)
        hours = 50 * n if n != commits // 2 else 50 * n - 120  # one commit dated before the one before it
        when = (START + timedelta(hours=hours)).isoformat()
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"{kind} {n}", when=when)
    return kinds


START = datetime(2026, 8, 3, 10, tzinfo=timezone.utc)


def _edit(path: Path, change) -> None:
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def _activities(root: Path) -> list[Path]:
    return sorted((root / "content" / "activities").rglob("*.md"))


def _ids(root: Path, folder: str) -> list[str]:
    return sorted({p.stem for p in (root / "content" / folder).rglob("*.md")})


def _set_field(text: str, name: str, value: str | None) -> str:
    """The front matter with `name: value` (replaced, or added after the title; removed when None)."""
    head, sep, body = text.partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{name}:")]
    if value is not None:
        at = next((i for i, line in enumerate(lines) if line.startswith("title:")), 0)
        lines.insert(at + 1, f"{name}: {value}")
    return "\n".join(lines) + sep + body


def _day(rng, first: str = "2026-07-01", days: int = 240) -> str:
    return (date.fromisoformat(first) + timedelta(days=rng.randrange(days))).isoformat()


def _change_duration(root, rng, n):
    path = rng.choice(_activities(root))
    _edit(path, lambda t: _set_field(t, "duration", rng.choice(["0d", "3d", "8d", "2w", "15d", "6w"])))


def _change_depends(root, rng, n):
    path = rng.choice(_activities(root))
    others = _ids(root, "activities")
    deps = rng.sample(others, rng.choice([0, 1, 1, 2]))  # itself now and then, a cycle now and then
    if rng.random() < 0.2:
        deps.append("no-such-activity")  # an invalid version: an unknown reference
    _edit(path, lambda t: _set_field(t, "depends_on", "[" + ", ".join(deps) + "]"))
    if deps and rng.random() < 0.3:  # a cycle for one version: the dependency depends on it in turn
        other = next((p for p in _activities(root) if p.stem == deps[0]), None)
        if other is not None and other != path:
            text = other.read_text("utf-8")
            other.write_text(_set_field(text, "depends_on", f"[{path.stem}]"), "utf-8")
            return lambda: other.write_text(text, "utf-8")
    return None


def _add_activity(root, rng, n):
    strategy = rng.choice(_ids(root, "strategies"))
    dep = rng.choice(_ids(root, "activities"))
    path = root / "content" / "activities" / "extra" / f"extra-{n}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"---\ntitle: Extra work {n}\nstrategy: {strategy}\nowner: priya-raman\n"
                    f"depends_on: [{dep}]\nduration: {rng.randint(1, 20)}d\n---\nMore work.\n", "utf-8")


def _remove_activity(root, rng, n):
    path = rng.choice(_activities(root))
    text = path.read_text("utf-8")
    path.unlink()
    if rng.random() < 0.5:  # back with the next commit: gone for one version
        return lambda: path.write_text(text, "utf-8")
    return None


def _change_config(root, rng, n):
    choice = rng.choice(["today", "no-today", "holiday", "start"])
    if choice == "today":  # a version that pins its status date
        _edit(root / "roadmap.yml", lambda t: t.replace("# today: set by each build", f"today: {_day(rng)}", 1))
    elif choice == "no-today":
        _edit(root / "roadmap.yml", lambda t: re.sub(r"^today: \S+", "# today: set by each build", t, flags=re.M))
    elif choice == "holiday":
        _edit(root / "roadmap.yml", lambda t: t.replace("  holidays:\n", f"  holidays:\n    - {_day(rng)}\n", 1))
    else:
        _edit(root / "roadmap.yml", lambda t: re.sub(r"^start: \S+", f"start: {_day(rng, '2026-03-01', 60)}", t,
                                                     flags=re.M))


def _add_update(root, rng, n):
    refs = rng.sample(_ids(root, "activities"), 3)
    items = []
    for ref in refs:
        status = rng.choice(["in-progress", "done", "not-started", "cancelled", "blocked"])
        items.append(f"  - ref: {ref}\n    progress: {rng.choice([0, 10, 40, 75, 100])}\n    status: {status}\n")
    if rng.random() < 0.3:
        items.append(f"  - ref: {rng.choice(_ids(root, 'strategies'))}\n    status: at-risk\n")
    if rng.random() < 0.2:
        items.append("  - ref: no-such-item\n    progress: 50\n")
    path = root / "content" / "updates" / f"random-{n}.md"
    path.write_text(f"---\ndate: {_day(rng, '2026-07-15', 200)}\nauthor: priya-raman\nkind: standup\nitems:\n"
                    + "".join(items) + "---\nAn update.\n", "utf-8")


def _change_goal(root, rng, n):
    path = rng.choice(sorted((root / "content" / "goals").glob("*.md")))
    field = rng.choice(["start", "due"])
    day = _day(rng, "2026-03-01", 120) if field == "start" else _day(rng, "2027-01-01", 300)
    _edit(path, lambda t: _set_field(t, field, day))


def _change_strategy(root, rng, n):
    path = rng.choice(sorted((root / "content" / "strategies").glob("*.md")))
    goal = rng.choice(_ids(root, "goals"))
    _edit(path, lambda t: _set_field(t, "goal", goal))


def _change_membership(root, rng, n):
    path = rng.choice(_activities(root))
    if rng.random() < 0.3:
        _edit(path, lambda t: _set_field(t, "goal", rng.choice(_ids(root, "goals"))))
    else:
        _edit(path, lambda t: _set_field(t, "strategy", rng.choice(_ids(root, "strategies"))))


def _change_status(root, rng, n):
    path = rng.choice(_activities(root))
    status = rng.choice(["cancelled", "done", "in-progress", "not-started", "blocked"])
    _edit(path, lambda t: _set_field(_set_field(t, "status", status), "progress", str(rng.choice([0, 30, 60]))))


def _break_file(root, rng, n):
    path = rng.choice(_activities(root))
    if rng.random() < 0.5:
        _edit(path, lambda t: t.replace("title:", "title: [unclosed", 1))  # not YAML: the item is left out
    else:
        _edit(path, lambda t: _set_field(t, "duration", "soon"))  # not a duration


def _pin_start(root, rng, n):
    path = rng.choice(_activities(root))
    _edit(path, lambda t: _set_field(t, "start", _day(rng) if rng.random() < 0.7 else None))


def _change_prose(root, rng, n):
    _edit(rng.choice(_activities(root)), lambda t: t + f"\nA note ({n}).\n")


def _change_updated(root, rng, n):  # a file dated after some versions' day: its values did not count yet
    _edit(rng.choice(_activities(root)), lambda t: _set_field(t, "updated", _day(rng, "2026-08-01", 200)))


def _duplicate_id(root, rng, n):
    """A twin of an activity in a new sub-folder: of one in a sub-folder, walked after it; of one
    directly in activities/, walked after it too, though its path sorts before the original's."""
    top = sorted((root / "content" / "activities").glob("*.md"))
    path = rng.choice(top if top and n % 2 else _activities(root))
    folder = f"a-twin-{n}" if n % 2 else f"zz-twin-{n}"
    twin = root / "content" / "activities" / folder / path.name
    twin.parent.mkdir()
    twin.write_text(_set_field(path.read_text("utf-8"), "duration", f"{n % 9 + 1}d"), "utf-8")
    # the twin edited next: the file that comes first in the load stage's walk keeps the id
    return lambda: _edit(twin, lambda t: _set_field(t, "duration", f"{n % 9 + 11}d"))


def _rename(root, rng, n):
    path = rng.choice(_activities(root))
    path.rename(path.with_name(f"renamed-{n}.md"))


CHANGES = {"duration": _change_duration, "depends": _change_depends, "add": _add_activity,
           "remove": _remove_activity, "config": _change_config, "update": _add_update, "goal": _change_goal,
           "strategy": _change_strategy, "membership": _change_membership, "status": _change_status,
           "broken": _break_file, "pin": _pin_start, "prose": _change_prose, "updated": _change_updated,
           "duplicate": _duplicate_id, "rename": _rename}
