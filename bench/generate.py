"""A deterministic generator of realistic roadmaps of any size, for benchmarks.

    python bench/generate.py 1000 /tmp/roadmap-1k
    python bench/generate.py 1000 /tmp/roadmap-1k-long --long-bodies

Goals, strategies and people grow in proportion to the activities; there is a year of weekly
updates (52), each moving about 1% of the activities (at least 8); activities form dependency
chains within a strategy; bodies are a few hundred words. With `long_bodies` (`--long-bodies`),
each body also gets about 6 kB of richer Markdown (headings, lists of links, a table, a code
block, a quotation): a roadmap whose descriptions are long documents, where rendering Markdown is
most of the work.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

WORDS = ("plan deliver carrier warehouse route customer merchant parcel label volume cost margin team "
         "pilot rollout review risk vendor data platform integration slot pick pack ship return locker "
         "driver van depot forecast capacity budget contract quality training metric target baseline").split()


def _prose(rng: random.Random, words: int) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        sentences.append(sentence.capitalize() + ".")
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs) + "\n"


def _long_markdown(rng: random.Random, blocks: int = 12) -> str:
    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def block(kind: int) -> str:
        if kind == 0:
            return f"## {words(4).capitalize()}\n\n{words(60).capitalize()}."
        if kind == 1:
            items = (f"- **{rng.choice(WORDS)}**: {words(12)} [more](https://example.com/{i})" for i in range(5))
            return "\n".join(items)
        if kind == 2:
            rows = "\n".join(f"| {words(3)} | `{rng.choice(WORDS)}` | {rng.randrange(100)} |" for _ in range(6))
            return f"| item | code | value |\n|---|---|---|\n{rows}"
        if kind == 3:
            return "```\n" + "\n".join(words(8) for _ in range(6)) + "\n```"
        return f"> {words(40).capitalize()} *{words(5)}* and _{words(3)}_."

    return "\n\n".join(block(rng.randrange(5)) for _ in range(blocks)) + "\n"


def generate(activities: int, root: Path, seed: int = 7, long_bodies: bool = False) -> dict[str, int]:
    """Write a roadmap with `activities` activities into `root`; return the counts written."""
    rng = random.Random(seed)
    extra = random.Random(seed + 1)  # its own stream: the rest is the same with or without long bodies
    root.mkdir(parents=True, exist_ok=True)
    content = root / "content"
    goals = max(3, activities // 200)
    strategies = max(6, activities // 12)
    people = max(8, activities // 10)
    weeks = 52  # a year of weekly updates
    moves = max(8, activities // 100)  # items per update
    start = date(2026, 1, 5)
    today = date(2026, 11, 25)
    (root / "roadmap.yml").write_text(
        f"title: Generated roadmap ({activities} activities)\nstart: {start}\ntoday: {today}\n"
        "calendar:\n  holidays: [2026-12-25, 2027-01-01, 2026-04-03]\n"
        "checkins:\n  stakeholder:\n    - {date: 2026-12-10, title: Board check-in}\n", "utf-8")

    def write(rel: str, front: str, body: str) -> None:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if long_bodies:
            body += "\n" + _long_markdown(extra)
        path.write_text(f"---\n{front}---\n{body}", "utf-8")

    for p in range(people):
        write(f"people/person-{p}.md", f"name: Person {p}\nrole: Engineer\nteam: Team {p % 12}\n"
              f"capacity: {rng.choice([100, 100, 80, 50])}\n", _prose(rng, 40))
    for g in range(goals):
        due = start + timedelta(days=rng.randint(300, 700))
        write(f"goals/goal-{g}.md",
              f"title: Goal {g}\nowner: person-{g % people}\nstart: {start}\ndue: {due}\n"
              f"metric: {{name: Metric {g}, unit: '%', baseline: 10, target: 50, current: {rng.randint(10, 40)}}}\n"
              f"why: Because goal {g} matters.\n", _prose(rng, 300))
    for s in range(strategies):
        due = start + timedelta(days=rng.randint(200, 650))
        write(f"strategies/strategy-{s}.md",
              f"title: Strategy {s}\ngoal: goal-{s % goals}\nowner: person-{s % people}\ndue: {due}\n",
              _prose(rng, 250))
    per_strategy: dict[int, list[int]] = {}
    for a in range(activities):
        s = a % strategies
        chain = per_strategy.setdefault(s, [])
        lines = [f"title: Activity {a}", f"strategy: strategy-{s}", f"owner: person-{a % people}"]
        if chain and rng.random() < 0.8:
            lines.append(f"depends_on: [activity-{chain[-1]}]")
        else:
            lines.append(f"start: {start + timedelta(days=rng.randint(0, 200))}")
        lines.append(f"duration: {rng.choice(['0d', '3d', '5d', '2w', '3w'])}")
        progress = rng.choice([0, 0, 10, 30, 50, 80, 100])
        lines.append(f"progress: {progress}")
        lines.append(f"status: {'done' if progress == 100 else 'in-progress' if progress else 'not-started'}")
        lines.append(f"resources: [{{id: person-{a % people}, load: {rng.choice([50, 100])}}}]")
        chain.append(a)
        write(f"activities/area-{s % 20}/activity-{a}.md", "\n".join(lines) + "\n", _prose(rng, 200))
    for w in range(weeks):
        on = today - timedelta(weeks=weeks - 1 - w)
        items = "".join(f"  - {{ref: activity-{rng.randrange(activities)}, progress: {rng.randint(0, 100)}, "
                        f"note: Moved on week {w}}}\n" for _ in range(moves))
        write(f"updates/update-{w}.md", f"date: {on}\nauthor: person-{w % people}\nitems:\n{items}",
              _prose(rng, 120))
    return {"activities": activities, "goals": goals, "strategies": strategies, "people": people, "updates": weeks}


if __name__ == "__main__":
    flags = {"--long-bodies"}
    unknown = [a for a in sys.argv[1:] if a.startswith("--") and a not in flags]
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    if unknown or len(positional) != 2:
        sys.exit("usage: python bench/generate.py ACTIVITIES FOLDER [--long-bodies]")
    counts = generate(int(positional[0]), Path(positional[1]), long_bodies="--long-bodies" in sys.argv)
    print(counts)
