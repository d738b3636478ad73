"""How long reading the plan's history from git takes (issue "Plan intelligence").

    python bench/bench_git_history.py            # 1,000 activities, 500 commits
    python bench/bench_git_history.py 1000 100   # activities, commits
    python bench/bench_git_history.py 1000 500 --keep /tmp/plan-1000x500   # make the repository once, reuse it

Builds a git repository of the benchmark roadmap (bench/generate.py) and commits N changes, each
lengthening or shortening one activity (a slip somewhere downstream), spread over a year. Then
times, in fresh processes: reading the history cold (`versions.read_plan_history`: git log --raw,
one cat-file --batch, every version loaded and scheduled); and the live preview's second read
with nothing committed since (`versions.PlanHistoryCache`).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate  # noqa: E402


def git(cwd: Path, *args: str, when: datetime | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.org", "HOME": str(cwd)}
    if when:
        env.update(GIT_AUTHOR_DATE=when.isoformat(), GIT_COMMITTER_DATE=when.isoformat())
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def make_repo(root: Path, activities: int, commits: int) -> None:
    generate(activities, root)
    git(root, "init", "-q", "-b", "main")
    start = datetime(2026, 1, 5, 10, tzinfo=timezone.utc)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", when=start)
    files = sorted((root / "content" / "activities").rglob("*.md"))
    rng = random.Random(11)
    for n in range(1, commits):
        path = rng.choice(files)
        text = path.read_text("utf-8")
        changed = re.sub(r"duration: (\d+)([dw])", lambda m: f"duration: {_changed(m, rng)}d", text, count=1)
        text = changed if changed != text else text + f"\nNote {n}.\n"
        path.write_text(text, "utf-8")
        git(root, "commit", "-q", "-am", f"change {n}", when=start + timedelta(hours=17 * n))


def _changed(match: re.Match, rng: random.Random) -> int:
    days = int(match.group(1)) * (5 if match.group(2) == "w" else 1)
    return max(1, days + rng.choice((-2, 3, 5))) if days else 0  # a milestone stays one


def timed(code: str, root: Path) -> float:
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return float(out.stdout.strip().splitlines()[-1])


COLD = """
import sys, time
from pathlib import Path
from roadmapgen.versions import read_plan_history
t = time.perf_counter(); h = read_plan_history(Path(sys.argv[1])); elapsed = time.perf_counter() - t
assert h.unavailable is None, h.unavailable
print(len(h.versions), sum(x.slips for x in h.items.values()), file=sys.stderr)
print(elapsed)
"""

WARM = """
import sys, time
from pathlib import Path
from roadmapgen.versions import PlanHistoryCache
cache = PlanHistoryCache(Path(sys.argv[1])); cache.get()
t = time.perf_counter(); cache.get(); print(time.perf_counter() - t)
"""


def main() -> None:
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        at = args.index("--keep")
        keep, args = Path(args[at + 1]), args[:at] + args[at + 2:]
    activities = int(args[0]) if args else 1000
    commits = int(args[1]) if len(args) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp) / "plan"
        started = time.perf_counter()
        made = "reused"
        if not (root / ".git").is_dir():  # making 500 commits takes minutes: --keep makes them once
            make_repo(root, activities, commits)
            made = f"made in {time.perf_counter() - started:.0f} s"
        print(f"repository: {activities:,} activities, {commits} commits ({made})")
        report(timed(COLD, root), timed(WARM, root))


def report(cold: float, warm: float) -> None:
    print(f"history cold        {cold:7.2f} s   target < 5 s: {'met' if cold < 5 else 'NOT met'}")
    print(f"history, no change  {warm:7.3f} s   target < 0.5 s: {'met' if warm < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
