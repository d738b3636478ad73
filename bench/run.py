"""Build benchmark: cold full builds of generated roadmaps, stage by stage, beside a floor, each
figure printed beside its target (the issue "The site as values").

    python bench/run.py                          # 1,000, 10,000 and 50,000 activities
    python bench/run.py 1000 10000               # choose the sizes
    python bench/run.py 1000 --write bench/RESULTS.md   # also write the results as Markdown
    BENCH_WORKERS=1 python bench/run.py 1000     # render in one process (default: one per idle core)
    python bench/run.py 1000 10000 --long-bodies # bodies of about 7 kB of rich Markdown each

Each roadmap has a year of weekly updates (bench/generate.py); its bodies are a few hundred words
of plain paragraphs, or with `--long-bodies` long documents (headings, lists, tables, code).
Every build and every floor runs in a fresh process of its own, so that its CPU time and peak RSS
are its own and no cache is warm.

The floor is the least any Python generator must do for the same content files: read each,
parse its YAML with the C loader, render its Markdown with markdown-it-py, render one small
Jinja template and write the page. It is measured in the same run, on the same machine, so the
ratio build / floor is the figure that holds on a noisy machine: once before the build and once
after it, and the ratio is taken to the faster of the two. Before each run the time to create a
file is probed (`file_creation`): on this machine's file system that cost swings tenfold with how
many files were deleted in the minutes before, and in its slow state it is most of the floor.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 25)
ENGINE = ("load", "validate", "schedule", "status", "history")
TARGETS = {
    "ratio": 1.5,  # a cold build at most 1.5× the single-process floor (1,000 and 10,000)
    "engine": 2.0,  # load → status, history included, under 2 s at 10,000
    "rss_mb": 1024,  # peak RSS under 1 GB at 10,000
    "per_page": 1.3,  # 50,000: cost per page within 1.3× of 10,000's
}


# -- what runs in the child processes ----------------------------------------------------------

def _child_build(project: Path, output: Path) -> dict:
    import resource

    from roadmapgen.build import build_site

    workers = int(os.environ["BENCH_WORKERS"]) if os.environ.get("BENCH_WORKERS") else None
    load = os.getloadavg()[0]
    cpu0, started = _cpu_with_children(), time.perf_counter()
    result = build_site(project, output, today=TODAY, workers=workers)
    wall, cpu = time.perf_counter() - started, _cpu_with_children() - cpu0
    assert result.built, [d.as_text() for d in result.diagnostics.errors][:5]
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"wall": wall, "cpu": cpu, "rss_mb": rss / 1024, "workers": result.workers, "load": load,
            "pages": result.pages, "files": result.files, "bytes": result.bytes, "stages": result.timings.stages,
            "stages_cpu": getattr(result.timings, "cpu", {})}


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (the processes that render pages)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _child_floor(project: Path, output: Path) -> dict:
    import resource

    import jinja2
    import yaml
    from markdown_it import MarkdownIt

    template = jinja2.Environment(autoescape=True).from_string(
        "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ body|safe }}"
        "</body></html>")
    md = MarkdownIt("commonmark").enable("table")
    cpu0, started = time.process_time(), time.perf_counter()
    pages = written = 0
    writing = 0.0  # of which creating folders and files and writing them
    for path in sorted((project / "content").rglob("*.md")):
        text = path.read_text("utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.load(front, Loader=yaml.CSafeLoader)
        html = template.render(title=str(data.get("title", path.stem)), body=md.render(body))
        target = output / path.relative_to(project).with_suffix(".html")
        before = time.perf_counter()
        target.parent.mkdir(parents=True, exist_ok=True)
        written += target.write_bytes(html.encode("utf-8"))
        writing += time.perf_counter() - before
        pages += 1
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    return {"wall": wall, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "pages": pages, "bytes": written, "writing": writing}


def _in_child(what: str, project: Path, output: Path) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
            f"from bench.run import _child_{what}; "
            f"print(json.dumps(_child_{what}(Path({str(project)!r}), Path({str(output)!r}))))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the run -----------------------------------------------------------------------------------

def file_creation(folder: Path, count: int = 2000) -> float:
    """Microseconds to create one empty file in a fresh folder, here and now.

    Creating files is a third of the floor's time when it is cheap, and on some file systems its
    cost moves tenfold within minutes: ext4 without a journal (this machine's) skips, at every
    new file, each inode deleted in the last minute or more, so a folder of 10,000 files removed
    just before makes each new file cost 0.4-1 ms instead of 0.03 ms (bench/RESULTS.md). The
    figure says which state a floor and a build met; the probe deletes nothing, so that it
    changes no later measurement.
    """
    folder.mkdir(parents=True)
    started = time.perf_counter()
    for i in range(count):
        (folder / f"{i}.html").write_bytes(b"")
    return 1e6 * (time.perf_counter() - started) / count


def measure(size: int, work: Path, long_bodies: bool = False) -> dict:
    """Generate a roadmap of `size` activities; build it between two runs of its floor, each in a
    fresh process, probing the cost of a new file before each."""
    from bench.generate import generate

    project = work / f"roadmap-{size}"
    counts = generate(size, project, long_bodies=long_bodies)
    creates = [file_creation(work / f"probe-{size}-floor")]
    floor = _in_child("floor", project, work / f"floor-{size}")
    creates.append(file_creation(work / f"probe-{size}-build"))
    build = _in_child("build", project, work / f"site-{size}")
    creates.append(file_creation(work / f"probe-{size}-again"))
    again = _in_child("floor", project, work / f"floor-{size}-again")
    return {"size": size, "counts": counts, "long_bodies": long_bodies,
            "floor": min(floor, again, key=lambda f: f["wall"]),
            "floors": [floor["wall"], again["wall"]], "creates": creates, "build": build}


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(run: dict, per_page_10k: float | None) -> list[str]:
    """The lines printed for one size, each figure beside its target."""
    size, b, f = run["size"], run["build"], run["floor"]
    engine = sum(b["stages"].get(s, 0.0) for s in ENGINE)
    engine_cpu = sum(b.get("stages_cpu", {}).get(s, 0.0) for s in ENGINE)
    ratio = b["wall"] / f["wall"]
    per_page = 1000 * b["wall"] / b["pages"]
    lines = [
        f"{size:,} activities ({run['counts']['updates']} weekly updates"
        f"{', long bodies' if run.get('long_bodies') else ''}): {b['pages']:,} pages, "
        f"{b['files']:,} files, {b['bytes'] / 1e6:,.1f} MB written",
        f"  build   {b['wall']:7.2f} s wall  {b['cpu']:7.2f} s CPU  {per_page:5.2f} ms/page  "
        f"peak RSS {b['rss_mb']:,.0f} MB  ({b.get('workers', 1)} rendering process(es), load average "
        f"{b.get('load', 0):.1f} at the start)",
        f"  floor   {f['wall']:7.2f} s wall  {f['cpu']:7.2f} s CPU  {1000 * f['wall'] / f['pages']:5.2f} ms/page  "
        f"peak RSS {f['rss_mb']:,.0f} MB  ({f['pages']:,} pages, {f['bytes'] / 1e6:,.1f} MB; the faster of "
        f"{run['floors'][0]:.2f} s before the build and {run['floors'][1]:.2f} s after; {f['writing']:.2f} s of it "
        "creating and writing files)",
        "  files   a new file took " + ", ".join(
            f"{us:,.0f} µs {when}" for us, when in zip(run["creates"], ("before the floor", "before the build",
                                                                       "before the second floor")))
        + " (2,000 empty files in a fresh folder)",
        "  stages  " + "  ".join(f"{name} {seconds:.2f}" for name, seconds in b["stages"].items()),
    ]
    if b.get("stages_cpu"):
        lines.append("  CPU     " + "  ".join(f"{name} {seconds:.2f}" for name, seconds in b["stages_cpu"].items()))
    if size in (1000, 10000):
        lines.append(f"  ratio   {ratio:7.2f}× the floor        target ≤ {TARGETS['ratio']}×: {_verdict(ratio <= 1.5)}")
    cpu = f", {engine_cpu:.2f} s CPU" if engine_cpu else ""
    if size == 10000:
        lines.append(f"  engine  {engine:7.2f} s (load → history{cpu})  target < {TARGETS['engine']} s: "
                     f"{_verdict(engine < TARGETS['engine'])}")
        lines.append(f"  RSS     {b['rss_mb']:7.0f} MB               target < {TARGETS['rss_mb']} MB: "
                     f"{_verdict(b['rss_mb'] < TARGETS['rss_mb'])}")
    else:
        lines.append(f"  engine  {engine:7.2f} s (load → history{cpu})")
    if size == 50000 and per_page_10k:
        growth = per_page / per_page_10k
        lines.append(f"  linear  {growth:7.2f}× the cost per page at 10,000   target ≤ {TARGETS['per_page']}×: "
                     f"{_verdict(growth <= TARGETS['per_page'])}")
    return lines


def environment() -> list[str]:
    """The machine, the versions and the date, for RESULTS.md."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("jinja2", "markdown-it-py", "PyYAML"))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    return [f"- date: {date.today()}",
            f"- machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}",
            f"- Python {platform.python_version()}; {versions}; roadmapgen at commit {commit}"]


def main(argv: list[str]) -> None:
    write = None
    if "--write" in argv:
        at = argv.index("--write")
        write, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2:]
    long_bodies = "--long-bodies" in argv
    argv = [a for a in argv if a != "--long-bodies"]
    sizes = [int(a) for a in argv] or [1000, 10000, 50000]
    print(f"roadmapgen build benchmark (cold builds, each in its own process), {date.today()}, "
          f"Python {platform.python_version()}")
    lines: list[str] = []
    per_page_10k = None
    with tempfile.TemporaryDirectory(prefix="roadmapgen-bench-") as tmp:
        for size in sizes:
            run = measure(size, Path(tmp), long_bodies)
            if size == 10000:
                per_page_10k = 1000 * run["build"]["wall"] / run["build"]["pages"]
            block = report(run, per_page_10k)
            print("\n" + "\n".join(block), flush=True)
            lines += ["", *block]
    if write:
        text = ["# Benchmark results", "", "`python bench/run.py " + " ".join(str(s) for s in sizes) + "`", "",
                *environment(), "", "```", *lines[1:], "```", ""]
        write.write_text("\n".join(text), "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
