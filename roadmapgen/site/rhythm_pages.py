"""The rhythm's pages: a computed review per quarter, the resources page and "what changed" since
the baseline (docs/rhythm.md, docs/rhythm.md, docs/baselines.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from roadmapgen.site.rhythm_views import ChangesView, QuarterView, ResourcesView

if TYPE_CHECKING:
    from roadmapgen.site.pages import Page, PageSet

from roadmapgen.site.pages import Page, PageContext  # noqa: E402,F811


@dataclass(frozen=True)
class QuarterContext(PageContext):
    """A quarter's computed review."""

    quarter: QuarterView


@dataclass(frozen=True)
class ResourcesContext(PageContext):
    """The resources page: load per person and team per week, and the over-allocations."""

    resources: ResourcesView


@dataclass(frozen=True)
class ChangesContext(PageContext):
    """What changed between the baseline and now."""

    changes: ChangesView


def rhythm_pages(pages: PageSet) -> Iterator[Page]:
    """The quarters' pages, the resources page and, with a baseline, the "what changed" page."""
    rhythm = pages.views.rhythm
    reviews = (pages.home(), pages.section("reviews"))
    for quarter in rhythm.quarters:
        yield Page(quarter.path, "quarter.html", f"{quarter.title} quarterly review", "reviews", reviews,
                   QuarterContext(quarter), description=f"How the roadmap moved in {quarter.label}, computed from "
                                                        "its updates.")
    if pages.views.computed.rhythm is not None:
        yield Page(pages.paths.section("resources"), "resources.html", "Resources and load", "people",
                   (pages.home(), pages.section("people")), ResourcesContext(rhythm.resources),
                   description="Load per person and team per week against their capacity.")
    if rhythm.changes is not None:
        yield Page(pages.paths.section("changes"), "changes.html", f"What changed since baseline {rhythm.changes.name}",
                   "timeline", (pages.home(), pages.section("timeline")), ChangesContext(rhythm.changes),
                   description="The items added, removed, moved and re-owned since the baseline.")
