"""How long a save takes to reach the open page under `roadmapgen serve`, in headless Chromium.

    python bench/bench_serve.py            # the example, 1,000 and 10,000 activities
    python bench/bench_serve.py example 1000

For each roadmap: start `roadmapgen serve` on a copy, open an activity's page in Chromium, then
several times: write a new title into that activity's file (every other time with a new progress
figure too, which can move any colour and every history point after it) and time from the write
to the page having reloaded with the new title (its load event, by the page's own clock: the
system clock both sides read). Two rounds: "quick", each save 0.3 s after the last reload
(serve makes the rest of the site only once the files have been quiet for a second, so these
find nothing in their way), and "site finished", each save once serve has reported the whole
site made. Prints the median and the worst beside the target (the
example and 1,000 activities: under 0.3 s; 10,000: under 1.5 s), and the serve's own rebuild
line. Needs Debian's chromium and the test extras (Playwright).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path  # noqa: E402
from tests.site.test_serve import Served, free_port  # noqa: E402

TARGETS = {"example": 0.3, "1000": 0.3, "10000": 1.5}
# When the reloaded page finished loading, by the page's own clock (milliseconds since the epoch):
# Playwright notices a title that changed across a navigation only ~120 ms later (measured on a
# plain static page: its reload takes 40-60 ms, Playwright reports 155-170 ms).
LOADED = "performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd"
SAVES = 7


def project(size: str, root: Path) -> Path:
    folder = root / f"roadmap-{size}"
    if size == "example":
        folder.mkdir()
        shutil.copy(REPO / "roadmap.yml", folder / "roadmap.yml")
        shutil.copytree(REPO / "content", folder / "content")
    else:
        generate(int(size), folder)
    return folder


def measure(size: str, root: Path, browser) -> list[float]:
    folder = project(size, root)
    activity = sorted((folder / "content" / "activities").rglob("*.md"))[0]
    served = Served(folder, free_port())
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{served.port}/activities/{activity.stem}.html", wait_until="load")
        text = activity.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        times: dict[str, list[float]] = {}
        for n in range(2 * SAVES):
            marker = f"Saved {n} {time.time_ns()}"
            # a prose edit (the title), then one that moves a figure too: every colour may change;
            # the first saves each 0.3 s after the last reload (the rest of the site not made yet),
            # the others once serve has finished the whole site
            settled = n >= SAVES
            kind = ("title" if n % 2 == 0 else "title+progress") + (", site finished" if settled else ", quick")
            if settled:  # the last save's rebuild has made the whole site
                served.wait_for(lambda: _finished_lines(served) > finished_before_last, 600)
            finished_before_last = _finished_lines(served)
            edited = text.replace(title, f"title: {marker}", 1)
            if kind.startswith("title+progress"):
                edited = edited.replace("\n---\n", f"\nprogress: {10 + n}\n---\n", 1) if "progress:" not in edited \
                    else "\n".join(f"progress: {10 + n}" if ln.startswith("progress:") else ln
                                   for ln in edited.split("\n"))
            page.wait_for_timeout(300)  # the previous reload settled
            saved = time.time()
            activity.write_text(edited, "utf-8")
            page.wait_for_function(f"document.title.indexOf({marker!r}) === 0 && document.readyState === 'complete'",
                                   timeout=120_000, polling=5)
            times.setdefault(kind, []).append(page.evaluate(LOADED) / 1000 - saved)
        lines = [ln for ln in served.output().splitlines() if ln.startswith("content/")]
        for line in lines[-2:]:
            print(f"  serve: {line}")
        page.close()
        return times
    finally:
        served.stop()


def _finished_lines(served: Served) -> int:
    """How many rebuilds serve has reported with the whole site made."""
    return sum(1 for ln in served.output().splitlines() if "pages rendered" in ln and "the rest when" not in ln)


def main(sizes: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        print(f"save → page reloaded in headless Chromium, {SAVES} saves each")
        for size in sizes:
            for kind, times in measure(size, Path(tmp), browser).items():
                median, worst = statistics.median(times), max(times)
                target = TARGETS.get(size, 0.3)
                verdict = "meets" if median < target else "MISSES"
                print(f"{size:>8} {kind:>15}: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms "
                      f"(target under {target * 1000:.0f} ms: {verdict})")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["example", "1000", "10000"])
