"""Time the roadmap timeline (timeline.html) in headless Chromium on generated 1,000- and 10,000-activity roadmaps.

    python bench/bench_timeline.py [--sizes 1000 10000] [--runs 3] [--keep DIR] [--plotly FILE]

Each roadmap is written as content files into a temporary folder (the format of docs/format.md:
10 goals of 5 strategies each; every strategy a chain of activities, every 10th a milestone,
every 7th also depending on the neighbouring strategy's chain; progress on the work before
"today"; 20 people as owners; 5 stakeholder check-ins), built with roadmapgen, served over HTTP
and opened in Chromium (/usr/bin/chromium, the flags of tests/browser/conftest.py).

Printed per size: build time, then for a cold load (new browser context each run) and a warm
load (the same page again, scripts compiled and cached):
  drawn   - navigation start until the chart is drawn (charts.js sets data-drawn)
  plotly  - of that, until plotly.min.js and data/timeline.js have loaded and run
  chart   - of that, from charts.js starting until drawn (our part: data, filter, Plotly.newPlot)
The target (a 1,000-activity timeline in under 2 s) is printed beside "drawn". 10,000 activities
open collapsed to one bar per strategy (docs/timeline.md); choosing one goal then expands its
1,000 activities, timed as "expand".
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmapgen.build import build_site  # noqa: E402

TARGET_MS = 2000
TODAY = date(2026, 11, 25)
START = date(2026, 1, 5)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
         "--no-first-run", "--disable-component-update", "--disable-sync"]


def generate(root: Path, n: int, goals: int = 10, strategies_per_goal: int = 5, seed: int = 11) -> Path:
    """A roadmap project of `n` activities as files under `root`."""
    rng = random.Random(seed)
    content = root / "content"
    for folder in ("goals", "strategies", "activities", "people"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    holidays = "".join(f"    - {date(y, m, d)}\n" for y in (2026, 2027, 2028) for m, d in ((1, 1), (5, 1), (12, 25)))
    checkins = "".join(f"    - {{date: {START + timedelta(days=91 * k + 40)}, title: \"Board check-in {k + 1}\"}}\n"
                       for k in range(5))
    (root / "roadmap.yml").write_text(
        f"title: Generated roadmap of {n} activities\nstart: {START}\ntoday: {TODAY}\n"
        f"calendar:\n  holidays:\n{holidays}checkins:\n  stakeholder:\n{checkins}", "utf-8")
    people = [f"person-{k:02d}" for k in range(20)]
    for pid in people:
        (content / "people" / f"{pid}.md").write_text(f"---\nname: Person {pid[-2:]}\n---\n", "utf-8")
    strategy_ids = []
    for g in range(goals):
        gid = f"goal-{g:02d}"
        (content / "goals" / f"{gid}.md").write_text(
            f"---\ntitle: Goal {g} <of the generated roadmap>\nowner: {people[g % 20]}\nstart: {START}\n"
            f"due: 2029-12-31\nmetric:\n  name: Score\n  baseline: 10\n  target: 90\n  current: {20 + g}\n---\n", "utf-8")
        for s in range(strategies_per_goal):
            sid = f"{gid}-s{s}"
            strategy_ids.append(sid)
            (content / "strategies" / f"{sid}.md").write_text(
                f"---\ntitle: Strategy {s} of goal {g}\ngoal: {gid}\nowner: {people[(g + s) % 20]}\n"
                f"due: 2029-06-{28 - s:02d}\n---\n", "utf-8")
    per = -(-n // len(strategy_ids))
    for i in range(n):
        k, pos = divmod(i, per)
        sid = strategy_ids[k]
        aid = f"{sid}-{pos:04d}"
        deps = [f"{sid}-{pos - 1:04d}"] if pos else []
        if pos and i % 7 == 0 and k + 1 < len(strategy_ids) and (pos - 1) < per:
            deps.append(f"{strategy_ids[k + 1]}-{pos - 1:04d}")
        milestone = i % 10 == 9
        days = 0 if milestone else rng.randint(2, 8)
        lines = [f"title: Activity {pos} of {sid}", f"strategy: {sid}", f"owner: {people[i % 20]}", f"duration: {days}d"]
        if deps:
            lines.append(f"depends_on: [{', '.join(deps)}]")
        # roughly: the first part of each chain is done, then some in progress
        share = pos / per
        if share < 0.25:
            lines += ["status: done", "progress: 100"]
        elif share < 0.3:
            lines += ["status: in-progress", f"progress: {rng.choice((20, 50, 80))}"]
        (content / "activities" / f"{aid}.md").write_text("---\n" + "\n".join(lines) + "\n---\n", "utf-8")
    return root


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Handler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


PROBE = """() => {
  const el = document.querySelector('#chart-timeline');
  const mark = performance.getEntriesByName('roadmapgen-charts-start')[0];
  const plotly = performance.getEntriesByType('resource').find(r => r.name.endsWith('plotly.min.js'));
  return {drawn: Number(el.dataset.drawn), start: mark ? mark.startTime : null,
          plotlyEnd: plotly ? plotly.responseEnd : null,
          bars: el.querySelectorAll('.cartesianlayer .bars .point').length, rows: Number(el.dataset.rows)};
}"""


def measure(browser, url: str, runs: int, expand: bool) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"drawn": [], "plotly": [], "chart": [], "warm": [], "expand": []}
    bars = rows = 0
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_selector("#chart-timeline[data-drawn]", timeout=120_000)
        got = page.evaluate(PROBE)
        if errors:
            raise SystemExit(f"page errors: {errors}")
        out["drawn"].append(got["drawn"])
        out["chart"].append(got["drawn"] - got["start"])
        out["plotly"].append(got["start"])
        bars, rows = got["bars"], got["rows"]
        page.reload(wait_until="load")
        page.wait_for_selector("#chart-timeline[data-drawn]", timeout=120_000)
        out["warm"].append(page.evaluate(PROBE)["drawn"])
        if expand:
            started = time.perf_counter()
            page.select_option("select[name=goal]", index=1)
            page.wait_for_function("Number(document.querySelector('#chart-timeline').dataset.rows) > 100",
                                   timeout=120_000)
            out["expand"].append((time.perf_counter() - started) * 1000)
        context.close()
    out["bars"] = [bars]
    out["rows"] = [rows]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the projects and sites here instead of a temporary folder")
    parser.add_argument("--plotly", type=Path, help="use this plotly.js build instead of the one the site ships")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base = args.keep or Path(tempfile.mkdtemp(prefix="roadmapgen-bench-"))
    failed = False
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            for n in args.sizes:
                project = generate(base / f"roadmap-{n}", n)
                started = time.perf_counter()
                result = build_site(project, base / f"site-{n}", TODAY)
                built = time.perf_counter() - started
                if not result.built:
                    print("\n".join(d.as_text() for d in result.diagnostics.items[:20]))
                    return 2
                size = (base / f"site-{n}" / "data" / "timeline.js").stat().st_size
                if args.plotly:
                    shutil.copyfile(args.plotly, base / f"site-{n}" / "assets" / "vendor" / "plotly.min.js")
                httpd, origin = serve(base / f"site-{n}")
                try:
                    got = measure(browser, origin + "timeline.html", args.runs, expand=n > 2000)
                finally:
                    httpd.shutdown()
                    httpd.server_close()
                med = {k: statistics.median(v) for k, v in got.items() if v}
                best = min(got["drawn"])
                verdict = "" if n > 2000 else (" ✓ under target" if med["drawn"] < TARGET_MS else " ✗ OVER TARGET")
                failed |= n <= 2000 and med["drawn"] >= TARGET_MS
                print(f"{n:>6,} activities: built in {built:.1f} s ({result.pages:,} pages), data/timeline.js "
                      f"{size / 1e6:.1f} MB; {int(med['rows']):,} rows, {int(med['bars']):,} bars drawn")
                print(f"        drawn   {med['drawn']:6.0f} ms median, {best:.0f} ms best of {args.runs} "
                      f"(target {TARGET_MS} ms for 1,000 activities){verdict}")
                print(f"        plotly+data {med['plotly']:6.0f} ms   chart {med['chart']:6.0f} ms   "
                      f"warm reload drawn {med['warm']:6.0f} ms")
                if got["expand"]:
                    print(f"        expand  {med['expand']:6.0f} ms (one goal's activities after choosing it)")
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
