"""Load per week of every person and team against their capacity, and the weeks they are
over-allocated (docs/rhythm.md).

An activity loads each resource assigned to it by its `load` (percent of a full week) during the
working days it is scheduled: its forecast span while it is open (its planned span once done),
pro-rated by the share of the week's working days it covers, so two activities at 100% that
follow each other within one week do not make 200%. What a resource has to give that week is its
`capacity`, less its `time_off` pro-rated the same way. Milestones, target dates, paused and
cancelled activities load nobody; tools have no capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Mapping

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.model import Person, Roadmap

if TYPE_CHECKING:
    from roadmapgen.engine.calendar import WorkCalendar
    from roadmapgen.engine.schedule import Schedule
    from roadmapgen.engine.tracking import Tracking

OVER_CODE = "over-allocated"
EPSILON = 0.05  # percentage points of rounding forgiven before a week counts as over-allocated
NAMES_SHOWN = 5
IDLE = ("cancelled", "paused")
FIRST_DAY, LAST_DAY = date(1, 1, 8), date(9999, 12, 20)  # weeks are whole within these  # activities that book nobody's time


def week_of(day: date) -> date:
    """The Monday of the ISO week holding `day`: how weeks are keyed."""
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """A week as pages name it: "2026-W48"."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Week:
    """One resource's week: what is booked against what it has."""

    monday: date
    load: float  # percent of a full week, summed over its activities (pro-rated)
    available: float  # capacity less time off, percent of a full week
    activities: tuple[tuple[str, float], ...]  # (activity id, its pro-rated load that week), largest first

    @property
    def over(self) -> bool:
        """Booked beyond what is available (by more than EPSILON)."""
        return self.load > self.available + EPSILON

    @property
    def label(self) -> str:
        """The ISO week: "2026-W48"."""
        return week_label(self.monday)


@dataclass(frozen=True)
class ResourceLoad:
    """A person's or team's load, week by week, over the weeks anything is booked."""

    id: str
    weeks: tuple[Week, ...]  # weeks with any load, oldest first

    @property
    def over_weeks(self) -> tuple[Week, ...]:
        """The weeks booked beyond what is available."""
        return tuple(w for w in self.weeks if w.over)

    @property
    def peak(self) -> float:
        """The highest weekly load."""
        return max((w.load for w in self.weeks), default=0.0)


@dataclass(frozen=True)
class Capacity:
    """Every person's and team's load (those booked on nothing have no weeks), and the span of weeks."""

    resources: Mapping[str, ResourceLoad]
    first_week: date | None
    last_week: date | None

    def weeks(self) -> tuple[date, ...]:
        """Every Monday from the first booked week to the last."""
        if self.first_week is None or self.last_week is None:
            return ()
        count = (self.last_week - self.first_week).days // 7 + 1
        return tuple(self.first_week + timedelta(days=7 * i) for i in range(count))

    def over_allocated(self) -> tuple[ResourceLoad, ...]:
        """The people and teams over-allocated in at least one week."""
        return tuple(load for load in self.resources.values() if load.over_weeks)


def _span(scheduled, tracked) -> tuple[date, date] | None:
    if scheduled is None or scheduled.milestone or scheduled.target_only or scheduled.duration <= 0:
        return None
    if tracked is not None and tracked.status == "done":
        return scheduled.start, scheduled.end
    return scheduled.forecast_start, scheduled.forecast_end


class _Weeks:
    """Each ISO week's working days as a range of working-day indexes (engine/calendar.py), found
    once per week: the share of a week a span covers is then integer arithmetic on its two ends'
    indexes, the same integers `working_days_between` counts, so the same floats."""

    def __init__(self, calendar: WorkCalendar):
        self.calendar = calendar
        self.table: dict[int, tuple[int, int, date]] = {}  # week number → (first index, index after, Monday)

    def week(self, number: int) -> tuple[int, int, date]:
        """Week `number` (0: the week of 0001-01-01, a Monday): its working days are the indexes
        first ≤ i < after; and its Monday."""
        found = self.table.get(number)
        if found is None:
            monday = date.fromordinal(7 * number + 1)
            found = self.table[number] = (self.calendar.index(monday),
                                          self.calendar.last_index(monday + timedelta(days=6)) + 1, monday)
        return found

    def shares(self, start: date, end: date) -> dict[int, float]:
        """Week number → the share of that week's working days the span start…end covers (weeks
        it covers none of are left out)."""
        begin, stop = self.calendar.index(start), self.calendar.last_index(end) + 1
        table, shares = self.table, {}
        for number in range((start.toordinal() - 1) // 7, (end.toordinal() - 1) // 7 + 1):
            first, after, _ = table.get(number) or self.week(number)
            covered = (after if after < stop else stop) - (first if first > begin else begin)
            if covered > 0:
                shares[number] = covered / (after - first)
        return shares


def _available(person: Person, monday: date, in_week: int, calendar: WorkCalendar) -> float:
    """What `person` has to give in the week of `monday`, which has `in_week` working days."""
    if not in_week:
        return 0.0
    if not person.time_off:
        return person.capacity * in_week / in_week  # the same float as with time off to take
    sunday = monday + timedelta(days=6)
    off = sum(calendar.working_days_between(max(t.start, monday), min(t.end, sunday)) for t in person.time_off
              if t.start <= sunday and t.end >= monday)
    return person.capacity * max(0, in_week - off) / in_week


def compute_capacity(roadmap: Roadmap, schedule: Schedule, tracking: Tracking | None = None) -> Capacity:
    """The load of every person and team per week (see the module's docstring)."""
    calendar = schedule.calendar
    bookings = tuple(_bookings(roadmap, schedule, tracking))
    people = tuple((p.id, p.capacity, p.time_off) for p in roadmap.people.values())
    ledger = _last[0]
    if ledger is None or ledger.people != people or ledger.calendar != calendar or not ledger.update(roadmap, bookings):
        ledger = _last[0] = _Ledger(roadmap, bookings, people, calendar)
    return ledger.capacity


def _bookings(roadmap: Roadmap, schedule: Schedule, tracking: Tracking | None):
    """(activity id, its span, its assignments to people) of every activity that books someone's time."""
    for activity in roadmap.activities.values():
        tracked = tracking.activities.get(activity.id) if tracking is not None else None
        if (tracked.status if tracked is not None else activity.status) in IDLE:
            continue
        span = _span(schedule.activities.get(activity.id), tracked)
        people = tuple((a.id, a.load) for a in activity.resources if a.id in roadmap.people and a.load > 0)
        if span is None or not people or span[0] < FIRST_DAY or span[1] > LAST_DAY:
            continue
        yield activity.id, span, people


class _Ledger:
    """The load of every resource and what it was made from, kept between calls (a live preview
    computes the load on every save): a call whose bookings differ in a few activities takes
    those out and puts them back in, and builds again only the weeks of the resources they book.
    Each week's total is summed in the order of the bookings, as a fresh ledger sums it, so the
    figures are the same to the last bit (tests/unit/test_rhythm.py)."""

    def __init__(self, roadmap: Roadmap, bookings: tuple, people: tuple, calendar: WorkCalendar):
        self.roadmap, self.people, self.calendar = roadmap, people, calendar
        self.bookings, self.by_id = bookings, {aid: (span, booked) for aid, span, booked in bookings}
        self.position = {aid: n for n, (aid, _, _) in enumerate(bookings)}
        self.booked: dict[str, dict[int, dict[str, float]]] = {}  # person → week number → activity → load
        self.weeks = _Weeks(calendar)
        for activity_id, span, assigned in bookings:
            self._book(activity_id, span, assigned)
        self.resources = {pid: self._load_of(pid) for pid in roadmap.people}
        self.capacity = self._capacity()

    def update(self, roadmap: Roadmap, bookings: tuple) -> bool:
        """Bring the ledger to `bookings` (of `roadmap`, whose people are the ledger's); False when
        they cannot be taken in one by one (the activities that did not change are in another
        order) and a fresh ledger is needed."""
        self.roadmap = roadmap
        if bookings == self.bookings:
            return True
        by_id = {aid: (span, assigned) for aid, span, assigned in bookings}
        changed = {aid for aid in self.by_id.keys() | by_id.keys() if self.by_id.get(aid) != by_id.get(aid)}
        if [a for a in self.position if a not in changed] != [a for a, _, _ in bookings if a not in changed]:
            return False
        touched = {pid for aid in changed for entry in (self.by_id.get(aid), by_id.get(aid)) if entry
                   for pid, _ in entry[1]}
        for aid in changed & self.by_id.keys():
            self._unbook(aid, *self.by_id[aid])
        self.bookings, self.by_id = bookings, by_id
        self.position = {aid: n for n, (aid, _, _) in enumerate(bookings)}
        for aid in changed & by_id.keys():
            self._book(aid, *by_id[aid])
        for pid in touched:
            weeks = self.booked.get(pid, {})
            for number, loads in weeks.items():  # back in the order of the bookings, which sums them
                weeks[number] = dict(sorted(loads.items(), key=lambda kv: self.position[kv[0]]))
            self.resources[pid] = self._load_of(pid)
        self.capacity = self._capacity()
        return True

    def _book(self, activity_id: str, span: tuple[date, date], assigned: tuple) -> None:
        shares = self.weeks.shares(*span)
        for person_id, load in assigned:
            weeks = self.booked.setdefault(person_id, {})
            for number, share in shares.items():
                per = weeks.get(number)
                if per is None:
                    weeks[number] = {activity_id: load * share}  # 0.0 + x: x itself (load and share are positive)
                else:
                    per[activity_id] = per.get(activity_id, 0.0) + load * share

    def _unbook(self, activity_id: str, span: tuple[date, date], assigned: tuple) -> None:
        shares = self.weeks.shares(*span)
        for person_id, _ in assigned:
            weeks = self.booked[person_id]
            for number in shares:
                per = weeks.get(number)
                if per is not None and per.pop(activity_id, None) is not None and not per:
                    del weeks[number]
            if not weeks:
                del self.booked[person_id]

    def _load_of(self, person_id: str) -> ResourceLoad:
        weeks, person, table = self.booked.get(person_id, {}), self.roadmap.people[person_id], self.weeks.table
        made = []
        for number in sorted(weeks):  # every booked week is in the table: its share was found there
            loads, (first, after, monday) = weeks[number], table[number]
            made.append(Week(monday, sum(loads.values()), _available(person, monday, after - first, self.calendar),
                             _largest_first(loads)))
        return ResourceLoad(person_id, tuple(made))

    def _capacity(self) -> Capacity:
        numbers = [number for weeks in self.booked.values() for number in weeks]
        if not numbers:
            return Capacity(dict(self.resources), None, None)
        return Capacity(dict(self.resources), self.weeks.table[min(numbers)][2], self.weeks.table[max(numbers)][2])


_last: list = [None]  # the ledger of the last call: the load is all a process computes


def _largest_first(loads: dict[str, float]) -> tuple[tuple[str, float], ...]:
    """(activity id, load) by load, largest first, ties by id: sorted by id, then (stably) by load."""
    if len(loads) < 2:
        return tuple(loads.items())
    return tuple(sorted(sorted(loads.items()), key=itemgetter(1), reverse=True))


def week_ranges(weeks: tuple[Week, ...]) -> list[tuple[Week, Week]]:
    """Consecutive weeks grouped into (first, last) runs."""
    runs: list[tuple[Week, Week]] = []
    for week in weeks:
        if runs and (week.monday - runs[-1][1].monday).days == 7:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


def describe_weeks(weeks: tuple[Week, ...]) -> str:
    """"2026-W40 to 2026-W43, 2026-W46"."""
    return ", ".join(first.label if first is last else f"{first.label} to {last.label}"
                     for first, last in week_ranges(weeks))


def report_over_allocation(roadmap: Roadmap, capacity: Capacity, today: date, diagnostics: Diagnostics) -> None:
    """An `over-allocated` warning per person or team over-allocated in the current week or later
    (weeks gone by cannot be fixed any more; the resources page still shows them)."""
    this_week = week_of(today)
    position = {aid: i for i, aid in enumerate(roadmap.activities)}
    for load in capacity.resources.values():  # `over_allocated()`, each one's weeks over found once
        ahead = tuple(w for w in load.over_weeks if w.monday >= this_week)
        if not ahead:
            continue
        person = roadmap.people[load.id]
        worst = max(ahead, key=lambda w: w.load - w.available)
        ids = sorted({aid for w in ahead for aid, _ in w.activities}, key=position.__getitem__)
        titles = [f"‘{roadmap.activities[aid].title}’" for aid in ids]
        shown = ", ".join(titles[:NAMES_SHOWN]) + (f" and {len(titles) - NAMES_SHOWN} more" if len(titles) > NAMES_SHOWN else "")
        noun = "week" if len(ahead) == 1 else "weeks"
        line, column = person.source.at("capacity")
        diagnostics.warning(person.source.path, line, column, OVER_CODE,
                            f"{person.name} is over-allocated in {len(ahead)} {noun} ({describe_weeks(ahead)}; "
                            f"up to {worst.load:.0f}% booked of {worst.available:.0f}% available in "
                            f"{worst.label}): {shown}",
                            "move or shorten one of these activities, lower a load, or raise the capacity")
