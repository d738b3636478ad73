"""What rendering in Jinja's sandbox costs: the render stage with the sandboxed environment
against a plain `jinja2.Environment`, on the same pages, alternating runs, median of each.

    python bench/bench_sandbox.py                  # the example roadmap of this repository
    python bench/bench_sandbox.py /tmp/roadmap-1k  # e.g. one from bench/generate.py 1000
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

import jinja2

from roadmapgen.build import build_site
from roadmapgen.site import render

REPO = Path(__file__).resolve().parent.parent
SANDBOX = render.ThemeSandbox


class Plain(jinja2.Environment):
    """No sandbox: what the built-in theme's own templates run in (a custom_dir's are sandboxed)."""


def render_seconds(project: Path, environment: type, output: Path) -> float:
    # the built-in theme alone (no custom_dir) renders in render.BuiltInEnvironment
    render.BuiltInEnvironment = environment
    try:
        result = build_site(project, output, today=date(2026, 11, 25))
    finally:
        render.BuiltInEnvironment = jinja2.Environment
    assert result.built, [d.as_text() for d in result.diagnostics][:5]
    return result.timings.stages["render"]


def main(project: Path, runs: int = 5) -> None:
    times: dict[str, list[float]] = {"plain": [], "sandbox": []}
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "site"
        render_seconds(project, SANDBOX, output)  # warm caches and imports
        for _ in range(runs):
            times["plain"].append(render_seconds(project, Plain, output))
            times["sandbox"].append(render_seconds(project, SANDBOX, output))
    plain, sandbox = (statistics.median(times[k]) for k in ("plain", "sandbox"))
    print(f"{project}: render stage, median of {runs}: plain {plain * 1000:.0f} ms, sandbox {sandbox * 1000:.0f} ms "
          f"(+{(sandbox / plain - 1) * 100:.0f}%, +{(sandbox - plain) * 1000:.0f} ms)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO)
