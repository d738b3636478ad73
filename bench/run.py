"""Build benchmark: full builds of generated roadmaps, stage by stage, beside a floor.

    python bench/run.py                 # 100 and 1,000 activities
    python bench/run.py 100 1000 10000  # choose the sizes

The floor is the least any Python generator must do for the same content files: read
each, parse its YAML with the C loader, render its Markdown with markdown-it-py, render
one small Jinja template and write the page. The ratio build / floor is the figure that
holds on a noisy machine.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jinja2  # noqa: E402
import yaml  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from bench.generate import generate  # noqa: E402
from roadmapgen.build import build_site  # noqa: E402

FLOOR_TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ body|safe }}</body></html>")


def floor(project: Path, out: Path) -> tuple[float, int]:
    """Seconds for the minimal read → YAML → Markdown → template → write of every content file."""
    md = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    count = 0
    for path in sorted((project / "content").rglob("*.md")):
        text = path.read_text("utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.load(front, Loader=yaml.CSafeLoader)
        html = FLOOR_TEMPLATE.render(title=str(data.get("title", path.stem)), body=md.render(body))
        target = out / path.relative_to(project).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, "utf-8")
        count += 1
    return time.perf_counter() - started, count


def bench(size: int, work: Path) -> None:
    project = work / f"roadmap-{size}"
    generate(size, project)
    floor_seconds, floor_pages = floor(project, work / f"floor-{size}")
    cpu0 = time.process_time()
    started = time.perf_counter()
    result = build_site(project, work / f"site-{size}", today=date(2026, 11, 25))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    assert result.built, [d.as_text() for d in result.diagnostics.errors][:5]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = "  ".join(f"{name} {seconds:.2f}" for name, seconds in result.timings.stages.items())
    engine = sum(result.timings.stages.get(s, 0) for s in ("load", "validate", "schedule", "status"))
    print(f"\n{size:,} activities: {result.pages:,} pages, {result.files:,} files, {result.bytes / 1e6:.1f} MB")
    print(f"  build     {wall:6.2f} s wall, {cpu:6.2f} s CPU, {1000 * wall / result.pages:.2f} ms/page, "
          f"peak RSS {rss:.0f} MB (target < 1024 MB)")
    print(f"  floor     {floor_seconds:6.2f} s for {floor_pages:,} pages, {1000 * floor_seconds / floor_pages:.2f} ms/page")
    print(f"  ratio     {wall / floor_seconds:6.2f}× the floor's time (target ≤ 1.5×, for the performance issue)")
    print(f"  engine    {engine:6.2f} s (load → status; target < 2 s at 10,000)")
    print(f"  stages    {stages}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100, 1000]
    print(f"roadmapgen build benchmark, {date.today()}, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="roadmapgen-bench-") as tmp:
        for size in sizes:
            bench(size, Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
