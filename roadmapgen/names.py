"""Every name the roadmap's values are shown with, in one table: kinds and their plurals, colours
and their order, labels, icons and the palette.

Plain data with no imports: the model, the engine's reasons, the CLI and the site all read it
from here, so that a kind, a colour or a label is spelled in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One content type: its singular, its plural (also its folder under content/ and on the
    site), and the labels a page shows for it."""

    name: str
    plural: str
    label: str
    plural_label: str


KIND_TABLE = (
    Kind("goal", "goals", "Goal", "Goals"),
    Kind("strategy", "strategies", "Strategy", "Strategies"),
    Kind("activity", "activities", "Activity", "Activities"),
    Kind("person", "people", "Person", "People"),
    Kind("tool", "tools", "Tool", "Tools"),
    Kind("update", "updates", "Update", "Updates"),
    Kind("review", "reviews", "Review", "Reviews"),
)
KINDS = tuple(k.name for k in KIND_TABLE)
PLURAL = {k.name: k.plural for k in KIND_TABLE}  # "activity" → "activities"
SINGULAR = {k.plural: k.name for k in KIND_TABLE}  # "activities" → "activity"
KIND_LABELS = {k.name: k.label for k in KIND_TABLE}  # "activity" → "Activity"
KIND_PLURAL_LABELS = {k.name: k.plural_label for k in KIND_TABLE}  # "activity" → "Activities"
JUDGED_KINDS = ("goal", "strategy", "activity")  # the kinds that have a colour
# what a resource in people/ is (its `type`): who or what owns and delivers work
RESOURCE_TYPES = {"person": "Person", "team": "Team", "organisation": "Organisation"}


def plural(kind: str, n: int = 2) -> str:
    """A kind's name for `n` of them: "1 activity", "3 activities"."""
    return kind if n == 1 else PLURAL.get(kind, kind + "s")


# -- colours -----------------------------------------------------------------------------------
# The order colours are listed, counted, stacked and offered in everywhere: worst first.
RAG_KEYS = ("red", "amber", "green", "complete", "cancelled")
RAG_RANK = {key: rank for rank, key in enumerate(RAG_KEYS)}
RAG_LABELS = {
    "green": "On track",
    "amber": "At risk",
    "red": "Needs attention",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
RAG_ICONS = {"green": "●", "amber": "▲", "red": "■", "complete": "✓", "cancelled": "✕"}
# The RAG palette: the colour of each key, and the text colour that reads on it, in light and
# dark mode. The default theme's site.css defines the same colours (--rag-<key>, --rag-<key>-text);
# tests/site/test_palette.py keeps the two in step and checks that people with red–green or
# blue–yellow colour-vision deficiency can tell all five apart. Charts, which cannot read CSS,
# take these. A label and an icon go with the colour always: colour is never the only signal.
RAG_PALETTE = {
    "light": {"green": "#009e73", "amber": "#e69f00", "red": "#b8201a", "complete": "#005a9c",
              "cancelled": "#afb8c1"},
    "dark": {"green": "#3cc99e", "amber": "#f2c230", "red": "#ff6b6b", "complete": "#6f8cff",
             "cancelled": "#8b949e"},
}
RAG_TEXT = {
    "light": {"green": "#000000", "amber": "#1b1f24", "red": "#ffffff", "complete": "#ffffff",
              "cancelled": "#1b1f24"},
    "dark": {"green": "#0d1117", "amber": "#0d1117", "red": "#0d1117", "complete": "#0d1117",
             "cancelled": "#0d1117"},
}

# -- states ------------------------------------------------------------------------------------
STATUS_LABELS = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "blocked": "Blocked",
    "paused": "Paused",
    "cancelled": "Cancelled",
    "planned": "Planned",
    "active": "Active",
}
NOT_REPORTED = "not reported"  # how a progress nobody reported is shown
DEADLINE_OF = {"own": "its own", "strategy": "strategy", "goal": "goal"}  # "Deadline 2026-12-01 (its own due)"


def status_label(status: str) -> str:
    """An item's state as a page shows it: "in-progress" → "In progress"."""
    return STATUS_LABELS.get(status, status)
