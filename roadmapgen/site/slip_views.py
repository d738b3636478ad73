"""What the pages show of the plan's git history (engine/slips.py): an item's slip history and
the home page's table of slips. Values only; the templates print them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmapgen.engine.slips import slip_changes, slipped_days
from roadmapgen.quantities import fmt_date


HOME_SLIPS = 10  # rows of the home page's slips table


@dataclass(frozen=True)
class SlipChangeView:
    """One committed version that moved an item's end."""

    day: str
    commit: str  # short sha
    author: str
    subject: str
    before: str  # forecast end before
    after: str
    days: int  # working days later (+) or earlier (-)


@dataclass(frozen=True)
class SlipHistoryView:
    """An item across the committed versions of the roadmap, or why there is no history."""

    unavailable: str | None = None
    first_day: str = ""
    first_commit: str = ""
    first_subject: str = ""
    first_end: str = ""
    changes: tuple[SlipChangeView, ...] = ()
    slips: int = 0
    slipped_days: int = 0


@dataclass(frozen=True)
class SlipRow:
    """One row of the home page's slips table."""

    item: object  # a views.Link
    slips: int
    slipped_days: int
    last: str  # the day of its latest slip


@dataclass(frozen=True)
class SlipsView:
    """The items that slipped most across the history (the home page), or why there is no history."""

    unavailable: str | None
    versions: int
    rows: tuple[SlipRow, ...]
    more: int  # slipped items not listed

    @property
    def versions_words(self) -> str:
        """"3 committed versions of the roadmap", as the pages say it."""
        return f"{self.versions} committed version{'s' if self.versions != 1 else ''} of the roadmap"


def slip_history_view(computed, kind: str, item_id: str) -> SlipHistoryView | None:
    """An item's slip history; None when the plan history was not read at all (a library call)."""
    plan = computed.plan_history
    if plan is None:
        return None
    if plan.unavailable:
        return SlipHistoryView(unavailable=plan.unavailable)
    h = plan.of(kind, item_id)
    if h is None:
        return SlipHistoryView(unavailable="not committed yet: it has no history in git")
    changes = tuple(SlipChangeView(c.version.day.isoformat(), c.version.short, c.version.author, c.version.subject,
                                   fmt_date(c.forecast_before), fmt_date(c.forecast_after), c.days)
                    for c in h.changes if c.days)
    return SlipHistoryView(None, h.first.day.isoformat(), h.first.short, h.first.subject, fmt_date(h.first_end),
                           changes, h.slips, h.slipped_days)


def slips_view(computed, link, since: date | None = None, until: date | None = None,
               limit: int = HOME_SLIPS) -> SlipsView | None:
    """The items that slipped (between two dates, when given), most working days first;
    `link(kind, id)` makes the link to an item (views.Views.link)."""
    plan = computed.plan_history
    if plan is None:
        return None
    if plan.unavailable:
        return SlipsView(plan.unavailable, 0, (), 0)
    slipped = [h for h in plan.slipped(since, until) if h.id in computed.roadmap.items_of(h.kind)]
    rows = tuple(SlipRow(link(h.kind, h.id), len(slip_changes(h, since, until)), slipped_days(h, since, until),
                         max(c.version.day for c in slip_changes(h, since, until)).isoformat()) for h in slipped[:limit])
    versions = sum(1 for v in plan.versions if (since is None or v.day >= since) and (until is None or v.day <= until))
    return SlipsView(None, versions, rows, max(0, len(slipped) - limit))
