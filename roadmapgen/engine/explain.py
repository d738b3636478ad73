"""Why this date: the facts that set an item's start, end and forecast, as plain sentences.

Nothing here decides a date: every sentence reads what the schedule recorded (`start_reason`,
`driver`, `forecast_driver`, slack, deadline) and the calendar, so the explanation cannot
disagree with the dates it explains. `roadmapgen explain ID` prints an item's whole chain back to
its root; an item's page shows its own sentences ("Why this date"). docs/scheduling.md has the
rules being explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from roadmapgen.engine.calendar import WorkCalendar
from roadmapgen.engine.schedule import CLOSED, ScheduledActivity
from roadmapgen.engine.tracking import effective_progress

_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_CHAIN = 200  # steps `explain` walks back; a longer chain is cut with a sentence saying so


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an item has its dates and its colour."""

    kind: str
    id: str
    title: str
    dates: tuple[str, ...]  # its own start, end and forecast
    slack: tuple[str, ...]  # total and free slack, as whole sentences
    chain: tuple[tuple[str, str], ...]  # (activity id, why its start is what it is), back to the root
    colour: str
    colour_reasons: tuple[str, ...]


def day(d: date | None) -> str:
    """"Tue 2026-03-03"."""
    return f"{_DAY[d.weekday()]} {d.isoformat()}" if d else "no date"


def _days(n: int) -> str:
    return f"{n} working day" + ("" if abs(n) == 1 else "s")


class Explainer:
    """Explains any item of one computed roadmap; built once (it indexes successors) and asked per item."""

    def __init__(self, computed, name: Callable[[str], str] | None = None) -> None:
        """`name` writes an activity's name in a sentence: its id in backticks by default (the CLI);
        pages pass one that gives its title."""
        self.name = name or (lambda aid: f"`{aid}`")
        self.c = computed
        self.roadmap = computed.roadmap
        self.schedule = computed.schedule
        self.cal: WorkCalendar = computed.schedule.calendar
        self._successors: dict[str, list[str]] = {}
        for aid, activity in self.roadmap.activities.items():
            for dep in activity.depends_on:
                if dep in self.roadmap.activities and dep != aid:
                    self._successors.setdefault(dep, []).append(aid)

    # -- the whole answer ------------------------------------------------------------------

    def explain(self, kind: str, item_id: str) -> Explanation:
        """The explanation of one goal, strategy or activity (`kind` as in names.py)."""
        if kind == "activity":
            return self._activity(item_id)
        return self._span_item(kind, item_id)

    def _activity(self, aid: str) -> Explanation:
        status = self.c.status.activities[aid]
        return Explanation("activity", aid, self.roadmap.activities[aid].title, self.dates(aid), self.slack(aid),
                           tuple(self.chain(aid)), status.rag, tuple(status.reasons))

    def _span_item(self, kind: str, item_id: str) -> Explanation:
        item = (self.roadmap.goals if kind == "goal" else self.roadmap.strategies)[item_id]
        span = (self.schedule.goals if kind == "goal" else self.schedule.strategies).get(item_id)
        status = (self.c.status.goals if kind == "goal" else self.c.status.strategies)[item_id]
        members = [a for a in self._members(kind, item_id) if self.c.tracking.activities[a].status != "cancelled"]
        dates: list[str] = []
        chain: tuple[tuple[str, str], ...] = ()
        if span is None or span.start is None or not members:
            dates.append(f"has no activities to schedule: its only date is its due, {day(item.due)}")
        else:
            first = min(members, key=lambda a: (self.schedule.activities[a].start, a))
            last = max(members, key=lambda a: (self.schedule.activities[a].forecast_end, a))
            dates.append(f"starts {day(span.start)} with its earliest activity, {self.name(first)}")
            dates.append(f"is forecast to end {day(span.forecast_end)} with {self.name(last)}, the last of its "
                         f"{len(members)} activities to finish")
            dates.append(self._against_due(item.due, span.forecast_end))
            chain = tuple(self.chain(last))
        return Explanation(kind, item_id, item.title, tuple(dates), (), chain, status.rag, tuple(status.reasons))

    def _members(self, kind: str, item_id: str) -> list[str]:
        if kind == "strategy":
            return [a.id for a in self.roadmap.activities.values() if a.strategy == item_id]
        return [a.id for a in self.roadmap.activities.values() if self.roadmap.goal_of(a) == item_id]

    def _against_due(self, due: date, forecast_end: date | None) -> str:
        if forecast_end is None:
            return f"is due {day(due)}"
        late = self.cal.working_day_offset(due, forecast_end) if forecast_end > due else 0
        if late > 0:
            return f"is due {day(due)}: the forecast is {_days(late)} late"
        return f"is due {day(due)}: the forecast is in time"

    # -- an activity's own sentences -------------------------------------------------------

    def dates(self, aid: str) -> tuple[str, ...]:
        """Its start, its end and its forecast, each with what set it."""
        s = self.schedule.activities[aid]
        return tuple(x for x in (self.start(aid), self._end(s), self._forecast(aid, s)) if x)

    def start(self, aid: str) -> str:
        """Why it starts when it does (for a target date: that it is one)."""
        s = self.schedule.activities[aid]
        a = self.roadmap.activities[aid]
        reason = s.start_reason
        if reason == "target":
            return f"is a target date: due {day(s.due)}, with no start, duration or dependency of its own"
        if reason == "pinned":
            moved = "" if a.start == s.start else f" ({self._not_working(a.start)}; moved to the next working day)"
            return f"starts {day(s.start)} because its `start` is set to {a.start.isoformat()}{moved}"
        if reason == "dependency" and s.driver:
            driver = self.schedule.activities[s.driver]
            skipped = self._skipped(driver.end, s.start)
            verb = "falls on" if s.milestone else "starts"
            when = "the day" if s.milestone else "the next working day after"
            text = f"{verb} {day(s.start)} because {self.name(s.driver)} ends {day(driver.end)} ({when} it ends"
            text += f"; {skipped})" if skipped else ")"
            others = len([d for d in a.depends_on if d in self.schedule.activities]) - 1
            return text + (f"; its {others} other dependenc{'y ends' if others == 1 else 'ies end'} earlier"
                           if others > 0 else "")
        if reason == "due":
            return (f"starts {day(s.start)}, counted back {_days(s.duration)} from its due {day(a.due)} "
                    f"(no start and no dependency of its own)")
        if reason == "goal-start":
            return f"starts {day(s.start)}, its goal's start (no start or dependency of its own)"
        return f"starts {day(s.start)}, the roadmap's start (no start, dependency or goal start of its own)"

    def _end(self, s: ScheduledActivity) -> str | None:
        if s.target_only:
            return None
        if s.milestone:
            return "is a milestone: it has no length"
        inside = self._holidays(s.start, s.end)
        text = f"ends {day(s.end)}: it lasts {_days(s.duration)}"
        return text + (f" (not counting the holidays inside: {inside})" if inside else "")

    def _forecast(self, aid: str, s: ScheduledActivity) -> str | None:
        tracked = self.c.tracking.activities[aid]
        today = self.c.today
        if tracked.status in CLOSED:
            return f"is {tracked.status}: its dates are its plan's"
        progress = effective_progress(tracked, s.milestone)
        if s.forecast_driver:
            dep = self.schedule.activities[s.forecast_driver]
            text = f"is forecast to start {day(s.forecast_start)} because {self.name(s.forecast_driver)} is forecast to end " \
                   f"{day(dep.forecast_end)}"
        elif s.forecast_assumed:
            text = ("has no progress reported: the forecast assumes the plan holds, "
                    f"ending {day(s.forecast_end)}")
        elif progress is not None and 0 < progress < 100 or tracked.status == "in-progress":
            done = f"is {progress:g}% done" if progress is not None else "is in progress"
            if s.forecast_end <= s.end:
                text = f"{done} as of today ({day(today)}): it can still end as planned, {day(s.end)}"
            else:  # the forecast end is today plus the work left (docs/scheduling.md, section 5)
                left = self.cal.index(s.forecast_end) - self.cal.index(today) + 1
                text = (f"{done} as of today ({day(today)}): {_days(left)} of work left, "
                        f"so it is forecast to end {day(s.forecast_end)}")
        elif s.forecast_start > s.start:
            text = f"has not started by today ({day(today)}): it is forecast to start {day(s.forecast_start)}"
        else:
            text = f"is forecast as planned, ending {day(s.forecast_end)}"
        moved = self.cal.working_day_offset(s.end, s.forecast_end) if s.forecast_end > s.end else 0
        return text + (f", {_days(moved)} after its planned end" if moved else "")

    def slack(self, aid: str) -> tuple[str, ...]:
        """Total slack (against its deadline) and free slack (before its first successor moves)."""
        s = self.schedule.activities[aid]
        out = []
        whose = {"own": "its own due", "strategy": "its strategy's due", "goal": "its goal's due"}.get(s.deadline_of or "")
        if s.total_slack < 0:
            out.append(f"Its total slack is {s.total_slack}: it is forecast to end {_days(-s.total_slack)} too late "
                       f"for {whose or 'what follows it'}" + (f" ({day(s.deadline)})" if s.deadline else ""))
        else:
            limit = f" ({whose}, {day(s.deadline)}, or what follows it)" if whose else " (before the roadmap's end)"
            out.append(f"Its total slack is {_days(s.total_slack)}: it can end that much later without moving a "
                       f"deadline{limit}")
        free = self.free_slack(aid)
        if free is None:
            out.append("No open activity depends on it")
        else:
            n, first = free
            out.append(f"Its free slack is {_days(n)}: it can slip that much before {self.name(first)} has to move" if n > 0
                       else f"Its free slack is 0: any slip moves {self.name(first)}")
        return tuple(out)

    def free_slack(self, aid: str) -> tuple[int, str] | None:
        """Working days it can slip before its first open successor's forecast start moves, and that one."""
        s = self.schedule.activities[aid]
        best: tuple[int, str] | None = None
        for nxt in self._successors.get(aid, ()):
            if self.c.tracking.activities[nxt].status in CLOSED:
                continue
            n = self.schedule.activities[nxt]
            gap = 0 if n.milestone else 1
            room = self.cal.index(n.forecast_start) - gap - self.cal.index(s.forecast_end)
            if best is None or (room, nxt) < best:
                best = (max(room, 0), nxt)
        return best

    # -- back to the root --------------------------------------------------------------------

    def chain(self, aid: str) -> Iterator[tuple[str, str]]:
        """(id, why it starts then) for `aid` and each dependency that drives it, back to the root.

        The walk follows the forecast: where a dependency's forecast pushes a step, that one is
        the next step, else the dependency that set the plan."""
        seen: set[str] = set()
        step: str | None = aid
        while step is not None and step not in seen:
            if len(seen) == MAX_CHAIN:
                yield step, f"… and more: the chain goes on past {MAX_CHAIN} steps"
                return
            seen.add(step)
            s = self.schedule.activities[step]
            sentence = self.start(step)
            if s.forecast_start != s.start or s.forecast_end != s.end:
                sentence += "; it " + self._forecast(step, s)
            yield step, sentence
            step = s.forecast_driver or (s.driver if s.start_reason == "dependency" else None)

    # -- the calendar's part ---------------------------------------------------------------

    def _skipped(self, after: date, start: date) -> str | None:
        """The days between `after` and `start` skipped as not working, in words."""
        holidays, other = [], 0
        d = after + timedelta(days=1)
        while d < start:
            name = self.cal.holiday_name(d)
            if name:
                holidays.append(f"{day(d)} is a holiday ({name})")
            elif not self.cal.is_working_day(d):
                other += 1
            d += timedelta(days=1)
        parts = holidays + ([f"{other} non-working day{'s' if other != 1 else ''} skipped"] if other else [])
        return ", ".join(parts) if parts else None

    def _holidays(self, start: date, end: date) -> str | None:
        names = [f"{day(d)} ({name})" for d, name in sorted(self.cal.holidays.items()) if start <= d <= end]
        if not names:
            return None
        return " and ".join(names) if len(names) <= 2 else f"{len(names)} holidays"

    def _not_working(self, d: date) -> str:
        name = self.cal.holiday_name(d)
        return f"{day(d)} is a holiday ({name})" if name else f"{day(d)} is not a working day"


# -- finding the item and writing the answer -----------------------------------------------

EXPLAINED = ("goal", "strategy", "activity")


def find_item(roadmap, ref: str) -> tuple[str, str] | str:
    """(kind, id) of the goal, strategy or activity `ref` names ("id" or "kind:id"), or why not."""
    from roadmapgen.diagnostics import did_you_mean

    kind, _, bare = ref.partition(":") if ":" in ref else ("", "", ref)
    tables = {"goal": roadmap.goals, "strategy": roadmap.strategies, "activity": roadmap.activities}
    kinds = [kind] if kind in tables else list(EXPLAINED)
    if kind and kind not in tables:
        return f"'{kind}' is not a kind explain knows: use goal:ID, strategy:ID or activity:ID"
    found = [k for k in kinds if bare in tables[k]]
    if len(found) == 1:
        return found[0], bare
    if len(found) > 1:
        return f"'{bare}' is a {' and a '.join(found)}: say which, e.g. {found[0]}:{bare}"
    close = did_you_mean(bare, [i for k in kinds for i in tables[k]])
    return f"no goal, strategy or activity has the id '{bare}'" + (f"; did you mean '{close}'?" if close else "")


def as_text(e: Explanation) -> str:
    """The explanation as `roadmapgen explain` prints it."""
    lines = [f"{e.kind} {e.id}: {e.title}"]
    lines += [f"  It {sentence}." for sentence in e.dates] + [f"  {sentence}." for sentence in e.slack]
    if e.chain:
        lines.append("Why it starts then, back to the root:" if e.kind == "activity"
                     else f"Why its last activity, {e.chain[0][0]}, ends then, back to the root:")
        lines += [f"  {n}. {aid} {sentence}." for n, (aid, sentence) in enumerate(e.chain, 1)]
    lines.append(f"Colour: {e.colour}")
    lines += [f"  - {reason}" for reason in e.colour_reasons]
    return "\n".join(lines)
