"""Fuzz the loader for a fixed time: bytes in, an item or diagnostics out, never an exception.

    python bench/fuzz_loader.py [--seconds 120] [--engine atheris|hypothesis] [--keep DIR]

Each input is one file's bytes, preceded by one byte that picks what it is: a goal, strategy,
activity, person, tool, update or review (content/<type>/item.md), or roadmap.yml. It goes
through the real code — `load_file` (decoding, front matter split, YAML with positions and
limits, the pydantic schema, error reporting, conversion) or `load_config` — with the file
held in memory. A crash is any exception, a diagnostic whose code is not in
docs/diagnostics.md, a negative position, or a dropped file without an error.

The seeds are every file of the example roadmap and of tests/fixtures/broken. With atheris
(pip install atheris) the run is coverage-guided (libFuzzer); crashing inputs are written to
the current folder as crash-*. Without it, hypothesis generates inputs for the same time.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = ("goal", "strategy", "activity", "person", "tool", "update", "review", "config")
CODES = set(re.findall(r"^### `([a-z0-9-]+)`$", (ROOT / "docs/diagnostics.md").read_text("utf-8"), re.MULTILINE))


def _imports():
    from roadmapgen.config import load_config
    from roadmapgen.content.loader import ContentFile, load_file
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.model import PLURAL, Config

    return load_config, ContentFile, load_file, Diagnostics, PLURAL, Config


class MemoryPath:
    """Just enough of a Path for the loader: stat() and read_bytes(), from memory."""

    def __init__(self, data: bytes):
        self.data = data

    def stat(self) -> os.stat_result:
        return os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, len(self.data), 0, 0, 0))

    def read_bytes(self) -> bytes:
        return self.data


class Target:
    def __init__(self):
        (self.load_config, self.ContentFile, self.load_file, self.Diagnostics, self.PLURAL,
         self.Config) = _imports()
        self.config = self.Config()
        self.runs = 0

    def __call__(self, data: bytes) -> None:
        self.runs += 1
        if not data:
            return
        target, body = TARGETS[data[0] % len(TARGETS)], data[1:]
        diagnostics = self.Diagnostics()
        if target == "config":
            self.load_config(MemoryPath(body), diagnostics)
            dropped = False
        else:
            rel = f"content/{self.PLURAL[target]}/item.md"
            item = self.load_file(self.ContentFile(target, "item", MemoryPath(body), rel), self.config, diagnostics)
            dropped = item is None
        for d in diagnostics:
            if d.code not in CODES:
                raise AssertionError(f"undocumented code {d.code!r}: {d}")
            if d.line < 0 or d.column < 0:
                raise AssertionError(f"negative position: {d}")
            d.as_text(), d.as_github(), d.as_dict()
        if dropped and not diagnostics.has_errors():
            raise AssertionError("a file was dropped without an error")


def seeds() -> list[bytes]:
    found = []
    for base in (ROOT / "content", ROOT / "tests/fixtures/broken/content"):
        for path in sorted(base.rglob("*.md")):
            if not path.is_file() or path.is_symlink():
                continue
            folder = path.relative_to(base).parts[0]
            kind = {"goals": 0, "strategies": 1, "activities": 2, "people": 3, "tools": 4, "updates": 5,
                    "reviews": 6}.get(folder, 2)
            found.append(bytes([kind]) + path.read_bytes())
    for config in (ROOT / "roadmap.yml", ROOT / "tests/fixtures/broken/roadmap.yml"):
        found.append(bytes([7]) + config.read_bytes())
    return found


def run_atheris(seconds: int, keep: Path | None) -> int:
    import atheris

    with atheris.instrument_imports(include=["roadmapgen", "yaml"]):
        target = Target()
    corpus = keep or Path(tempfile.mkdtemp(prefix="roadmapgen-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(seeds()):
        (corpus / f"seed-{index:04d}").write_bytes(seed)
    args = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", "-print_final_stats=1", "-max_len=8192",
            "-timeout=10", "-rss_limit_mb=4096"]
    print(f"atheris: {len(seeds())} seeds in {corpus}, {seconds} s", file=sys.stderr)
    try:
        atheris.Setup(args, target)
        atheris.Fuzz()  # exits the process; libFuzzer prints stat::number_of_executed_units
    finally:
        if keep is None:
            shutil.rmtree(corpus, ignore_errors=True)
    return 0


def run_hypothesis(seconds: int) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    target = Target()
    start = time.monotonic()
    seed_list = seeds()

    def mutate(draw_seed: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
        data = bytearray(draw_seed)
        for position, chunk in cuts:
            position %= max(len(data), 1)
            data[position:position + len(chunk)] = chunk
        return bytes(data)

    inputs = (st.binary(max_size=2000)
              | st.builds(mutate, st.sampled_from(seed_list),
                          st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=6)))

    @settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def fuzz(data):
        if time.monotonic() - start < seconds:
            target(data)

    while time.monotonic() - start < seconds:
        fuzz()  # a failure raises, shrunk, with the input that causes it
    print(f"hypothesis: {target.runs} inputs in {time.monotonic() - start:.0f} s, no failure", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--engine", choices=["atheris", "hypothesis"], default=None)
    parser.add_argument("--keep", type=Path, help="keep the atheris corpus in DIR (resumes from it)")
    options = parser.parse_args()
    engine = options.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    sys.argv = sys.argv[:1]
    return run_atheris(options.seconds, options.keep) if engine == "atheris" else run_hypothesis(options.seconds)


if __name__ == "__main__":
    sys.exit(main())
