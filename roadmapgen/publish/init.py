"""`roadmapgen init DIR`: a small starter roadmap, one commented file of each content type, and a
GitHub Actions workflow that checks, builds and publishes it to GitHub Pages.

Dates are set from the day of `init` (the roadmap starts this week), so the starter builds with
`--strict` whenever it is made. Nothing is written if any of the starter's files exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template

from roadmapgen import __version__
from roadmapgen.publish.files import RefusedWrite, write_new

STARTER_DIR = Path(__file__).resolve().parent / "starter"

# where each file goes in the new roadmap ← the starter file it is made from
STARTER = {
    "roadmap.yml": "roadmap.yml",
    "content/goals/answer-within-a-day.md": "goal.md",
    "content/strategies/self-service-help-centre.md": "strategy.md",
    "content/activities/write-top-answers.md": "activity.md",
    "content/people/alex-morgan.md": "person.md",
    "content/tools/help-desk.md": "tool.md",
    "content/updates/$start-standup.md": "update.md",
    "content/reviews/kick-off-review.md": "review.md",
    ".github/workflows/roadmap.yml": "publish-workflow.yml",
    ".gitignore": "gitignore",
}


@dataclass(frozen=True)
class Starter:
    """The starter's files, ready to write."""

    files: dict[str, str]  # path in the new roadmap → text


def starter(today: date) -> Starter:
    """The starter's files, dated from `today`: the roadmap starts on this week's Monday."""
    start = today - timedelta(days=today.weekday())
    values = {
        "today": today.isoformat(), "start": start.isoformat(), "version": __version__,
        "goal_due": (start + timedelta(days=364)).isoformat(),
        "strategy_due": (start + timedelta(days=119)).isoformat(),
        "checkin": (start + timedelta(days=59)).isoformat(),
        "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
    }
    files = {}
    for target, source in STARTER.items():
        text = (STARTER_DIR / source).read_text("utf-8")
        files[Template(target).substitute(values)] = Template(text).safe_substitute(values)
    return Starter(files)


def init_roadmap(folder: Path, today: date) -> list[Path]:
    """Write the starter into `folder` (created if missing); refuse, writing nothing, if any of its
    files exists. Returns the files written."""
    if folder.exists() and not folder.is_dir():
        raise RefusedWrite(f"{folder} is a file; give init a folder (new or empty) for the roadmap")
    files = starter(today).files
    existing = [path for path in files if (folder / path).exists() or (folder / path).is_symlink()]
    if existing:
        raise RefusedWrite(f"{folder} already has {', '.join(existing)}; roadmapgen never overwrites your files "
                           "(choose a new folder)")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in files.items():
        write_new(folder / path, text, folder)
        written.append(folder / path)
    return written
