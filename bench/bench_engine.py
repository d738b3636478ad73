"""The engine alone, in one process: a cold computation, and a save under `serve`'s memory.

    python bench/bench_engine.py                 # 1,000 and 10,000 activities
    python bench/bench_engine.py 10000 --runs 5  # one size, best of five

For each size (a roadmap from bench/generate.py): the CPU seconds of each engine stage of a
cold `compute_roadmap` (every file parsed again), best of `--runs`; then, as `serve` does after a
save, `compute_roadmap` with a `Memory` kept from the computation before, after a new progress
figure was written into one activity's file, best of `--runs` saves. CPU time, not wall time:
the steadier figure on a shared machine (bench/run.py's ratio to the floor is the other one).
The issue's engine target: load → history under 2 s at 10,000 activities.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from roadmapgen.content import loader  # noqa: E402
from roadmapgen.diagnostics import Diagnostics  # noqa: E402
from roadmapgen.engine.pipeline import Memory, Timings, compute_roadmap  # noqa: E402

TODAY = date(2026, 11, 25)
ENGINE = ("load", "validate", "schedule", "status", "history")
TARGET = 2.0  # seconds, load → history, at 10,000 activities


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each stage's least CPU time over the runs."""
    return {stage: min(run[stage] for run in runs) for stage in runs[0]}


def cold(project: Path, runs: int) -> dict[str, float]:
    """A cold computation's CPU seconds per stage (the loader's memory of files emptied first)."""
    found = []
    for _ in range(runs):
        loader._parsed.clear()  # noqa: SLF001 - a cold build parses every file
        loader._texts.clear()  # noqa: SLF001
        timings = Timings()
        compute_roadmap(project, Diagnostics(), TODAY, timings=timings)
        found.append(timings.cpu)
    return best(found)


def saves(project: Path, runs: int) -> dict[str, float]:
    """A save's CPU seconds per stage: a new progress figure in one activity, computed with the
    memory of the computation before (what `serve` does)."""
    activity = sorted((project / "content" / "activities").rglob("*.md"))[0]
    memory, found = Memory(), []
    compute_roadmap(project, Diagnostics(), TODAY, memory=memory)
    for n in range(runs):
        text = activity.read_text("utf-8")
        figure = f"progress: {11 + n}"
        text = re.sub(r"^progress: .*$", figure, text, flags=re.M) if re.search(r"^progress:", text, re.M) \
            else text.replace("\n", f"\n{figure}\n", 1)
        activity.write_text(text, "utf-8")
        time.sleep(loader.RACY_SECONDS)  # so that the file is not taken as possibly still changing
        timings = Timings()
        compute_roadmap(project, Diagnostics(), TODAY, timings=timings, memory=memory)
        found.append(timings.cpu)
    return best(found)


def line(name: str, stages: dict[str, float]) -> str:
    engine = sum(stages.get(stage, 0.0) for stage in ENGINE)
    return (f"  {name:5} " + "  ".join(f"{stage} {seconds:.3f}" for stage, seconds in stages.items())
            + f"  | load → history {engine:.3f} s")


def main(argv: list[str]) -> None:
    runs = 3
    if "--runs" in argv:
        at = argv.index("--runs")
        runs, argv = int(argv[at + 1]), argv[:at] + argv[at + 2:]
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"the engine alone, CPU seconds per stage, best of {runs}")
    with tempfile.TemporaryDirectory(prefix="roadmapgen-engine-") as tmp:
        for size in sizes:
            project = Path(tmp) / f"roadmap-{size}"
            generate(size, project)
            first = cold(project, runs)
            print(f"{size:,} activities")
            print(line("cold", first))
            print(line("save", saves(project, runs)))
            if size == 10000:
                engine = sum(first[stage] for stage in ENGINE)
                verdict = "met" if engine < TARGET else "NOT met"
                print(f"  cold load → history {engine:.2f} s, target < {TARGET} s: {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
