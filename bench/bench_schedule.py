"""Time schedule_roadmap on a generated 10,000-activity roadmap (target: under one second).

    python bench/bench_schedule.py [--activities 10000] [--repeat 3]

The roadmap is built in memory: 10 goals of 5 strategies each; every strategy is a chain of
activities (each depends on the one before), every 10th activity is a milestone, every 7th
also depends on an activity of the neighbouring strategy, every 25th has a pinned start;
ten years of holidays; a tenth of the activities have progress.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmapgen.diagnostics import Diagnostics  # noqa: E402
from roadmapgen.engine.schedule import schedule_roadmap  # noqa: E402
from roadmapgen.engine.tracking import track  # noqa: E402
from roadmapgen.model import (  # noqa: E402
    Activity, CalendarConfig, Config, Goal, Holiday, Roadmap, Source, Strategy,
)

TARGET_SECONDS = 1.0
START = date(2026, 1, 5)


def generate(n: int, goals: int = 10, strategies_per_goal: int = 5, seed: int = 7) -> Roadmap:
    rng = random.Random(seed)
    holidays = tuple(Holiday(date(y, m, dd), "Holiday") for y in range(2026, 2036)
                     for m, dd in ((1, 1), (5, 1), (7, 14), (11, 11), (12, 25), (12, 26)))
    config = Config(start=START, calendar=CalendarConfig(holidays=holidays))
    goal_items, strategy_items, activity_items = {}, {}, {}
    strategy_ids = []
    for g in range(goals):
        gid = f"goal-{g:02d}"
        goal_items[gid] = Goal(gid, gid, None, START, date(2029, 12, 31), None, None, "active", None, None, (), None,
                               "", Source(f"content/goals/{gid}.md"))
        for s in range(strategies_per_goal):
            sid = f"{gid}-strategy-{s}"
            strategy_ids.append(sid)
            strategy_items[sid] = Strategy(sid, sid, gid, None, None, date(2028, 6, 30 - s), "active", None, None,
                                           (), None, "", Source(f"content/strategies/{sid}.md"))
    per_strategy = -(-n // len(strategy_ids))
    for i in range(n):
        k, position = divmod(i, per_strategy)
        sid = strategy_ids[k]
        aid = f"{sid}-{position:04d}"
        deps = [f"{sid}-{position - 1:04d}"] if position else []
        if position and i % 7 == 0 and k + 1 < len(strategy_ids):
            deps.append(f"{strategy_ids[k + 1]}-{position - 1:04d}")
        duration = 0 if i % 10 == 9 else rng.randint(1, 8)
        pinned = START + timedelta(days=position * 2) if i % 25 == 0 else None
        progress = float(rng.choice((10, 50, 90))) if i % 10 == 3 else None
        activity_items[aid] = Activity(
            id=aid, title=aid, strategy=sid, goal=None, owner=None, start=pinned, due=None, duration=duration,
            depends_on=tuple(deps), progress=progress, status="in-progress" if progress else "not-started",
            resources=(), rag=None, rag_reason=None, tags=(), updated=None, body="",
            source=Source(f"content/activities/{aid}.md"))
    return Roadmap(config=config, goals=goal_items, strategies=strategy_items, activities=activity_items,
                   people={}, tools={}, updates={}, reviews={})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    roadmap = generate(args.activities)
    today = START + timedelta(days=200)
    tracking = track(roadmap, today)
    edges = sum(len(a.depends_on) for a in roadmap.activities.values())
    times = []
    for _ in range(args.repeat):
        diagnostics = Diagnostics()
        started = time.perf_counter()
        schedule = schedule_roadmap(roadmap, tracking, today, diagnostics)
        times.append(time.perf_counter() - started)
    best = min(times)
    verdict = "OK" if best < TARGET_SECONDS else "TOO SLOW"
    print(f"schedule_roadmap: {len(roadmap.activities):,} activities, {edges:,} dependencies, "
          f"{len(roadmap.config.calendar.holidays)} holidays")
    print(f"  best of {args.repeat}: {best:.3f} s   (target < {TARGET_SECONDS:.0f} s)   {verdict}")
    print(f"  schedule {schedule.start} → {schedule.end}, critical path {len(schedule.critical_path)} activities, "
          f"{len(diagnostics)} diagnostics")
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
