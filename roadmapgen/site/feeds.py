"""The exports other tools read: activities.csv, calendar.ics and the Atom feed of updates.

Each producer reads the computed roadmap (the same values the pages show) and returns bytes; the
one list of outputs (site/outputs.py) decides where they go and how the site links to them.
Nothing here stamps the time of the build: two builds of the same roadmap give the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta, timezone

from roadmapgen import __version__
from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.names import KIND_LABELS, RAG_LABELS, status_label
from roadmapgen.site.urls import SitePaths

# A cell that starts with one of these is read as a formula by spreadsheets (CSV injection):
# such text cells get a leading apostrophe, which spreadsheets show as text and do not print.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "id", "title", "goal", "strategy", "owner", "owner_name", "status", "rag", "rag_label", "reasons",
    "progress", "expected_progress", "start", "end", "due", "deadline", "forecast_end", "late_by",
    "duration", "milestone", "critical", "slack", "depends_on", "tags", "page",
)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert; numbers and empties as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _number(value: float | int | None) -> object:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else round(float(value), 2)


def activity_rows(computed: ComputedRoadmap, paths: SitePaths) -> list[list[object]]:
    """One row per activity, in the roadmap's order, with the values its page shows."""
    roadmap, schedule = computed.roadmap, computed.schedule
    rows = []
    for activity_id in computed.order.of_kind("activity"):
        activity = roadmap.activities[activity_id]
        planned = schedule.activities[activity_id]
        status = computed.status.activities[activity_id]
        owner = roadmap.people.get(activity.owner or "")
        rows.append([
            activity.id, activity.title, roadmap.goal_of(activity) or "", activity.strategy or "",
            activity.owner or "", owner.name if owner else "",
            computed.tracking.activities[activity_id].status, status.rag, RAG_LABELS.get(status.rag, status.rag),
            "; ".join(status.reasons), _number(status.progress), _number(status.expected_progress),
            _iso(planned.start), _iso(planned.end), _iso(activity.due), _iso(planned.deadline),
            _iso(planned.forecast_end), _number(planned.late_by), _number(planned.duration),
            "yes" if planned.milestone else "no", "yes" if planned.critical else "no", _number(planned.total_slack),
            " ".join(activity.depends_on), "; ".join(activity.tags), paths.absolute(paths.item("activity", activity.id)),
        ])
    return rows


def activities_csv(computed: ComputedRoadmap, paths: SitePaths) -> bytes:
    """activities.csv: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), ISO dates,
    quoted where needed by the csv module, and formula-like text neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in activity_rows(computed, paths):
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


# -- calendar.ics ---------------------------------------------------------------------------------

ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _stamp(day: date) -> datetime:
    """The 'as of' time of every event: the roadmap's today at midnight UTC (not the build's clock)."""
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


class _Calendar:
    """An icalendar.Calendar being filled with all-day events of one roadmap."""

    def __init__(self, computed: ComputedRoadmap, paths: SitePaths):
        from icalendar import Calendar

        self.computed, self.paths = computed, paths
        self.domain = _uid_domain(computed.roadmap.config.base_url)
        self.calendar = Calendar()
        self.calendar.add("prodid", f"-//roadmapgen//roadmapgen {__version__}//EN")
        self.calendar.add("version", "2.0")
        self.calendar.add("calscale", "GREGORIAN")
        self.calendar.add("x-wr-calname", xml_text(computed.roadmap.config.title))

    def event(self, uid: str, summary: str, day: date, description: str = "", page: str | None = None,
              rrule: dict | None = None, categories: str | None = None) -> None:
        """Add one all-day event (repeating by `rrule`), with its page's address when the base_url is absolute."""
        from icalendar import Event

        event = Event()
        event.add("uid", f"{uid}@{self.domain}")
        event.add("dtstamp", _stamp(self.computed.today))
        event.add("summary", xml_text(summary))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if rrule:
            event.add("rrule", rrule)
        if categories:
            event.add("categories", [categories])
        if page and "://" in self.paths.base_url:
            event.add("url", self.paths.absolute(page))
        if description:
            event.add("description", xml_text(description))
        self.calendar.add_component(event)


def _uid_domain(base_url: str) -> str:
    """The host of an absolute base_url, else a fixed name: UIDs must stay the same from build to build."""
    if "://" in base_url:
        return base_url.split("://", 1)[1].split("/", 1)[0] or "roadmapgen"
    return "roadmapgen.invalid"


def _status_line(status) -> str:
    """The colour and its first reason (the page has the rest)."""
    reason = status.reasons[0] if status.reasons else ""
    return f"{RAG_LABELS.get(status.rag, status.rag)}" + (f": {reason}" if reason else "")


def _due_events(cal: _Calendar) -> None:
    """Every goal's and strategy's due date, every activity's due date, and every milestone."""
    c = cal.computed
    for kind, items, statuses in (("goal", c.roadmap.goals, c.status.goals),
                                  ("strategy", c.roadmap.strategies, c.status.strategies)):
        for item_id in c.order.of_kind(kind):
            item = items[item_id]
            cal.event(f"{kind}-{item_id}-due", f"{KIND_LABELS[kind]} due: {item.title}", item.due,
                      _status_line(statuses[item_id]), cal.paths.item(kind, item_id), categories="Due")
    for activity_id in c.order.of_kind("activity"):
        activity, planned = c.roadmap.activities[activity_id], c.schedule.activities[activity_id]
        status, page = c.status.activities[activity_id], cal.paths.item("activity", activity_id)
        if planned.milestone and planned.end:
            cal.event(f"activity-{activity_id}-milestone", f"Milestone: {activity.title}", planned.end,
                      _status_line(status), page, categories="Milestone")
        elif activity.due:
            cal.event(f"activity-{activity_id}-due", f"Activity due: {activity.title}", activity.due,
                      _status_line(status), page, categories="Due")


def first_on_or_after(day: date, weekday: int) -> date:
    """The first day on or after `day` that falls on `weekday` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def quarter_start(day: date) -> date:
    """The first day of the quarter that `day` is in, or of the next one when `day` is not its first."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if first == day:
        return first
    month = first.month + 3
    return date(first.year + (month > 12), (month - 1) % 12 + 1, 1)


def cadence_rule(every: str, weekday: int | None, start: date, until: date) -> tuple[date, dict]:
    """The first date and the RRULE of a stand-up or review cadence (docs/exports.md):
    weekly on its weekday; monthly and quarterly on the first of the month, or on the first
    such weekday of the month when one is given."""
    if every == "week":
        day = first_on_or_after(start, weekday if weekday is not None else 0)
        return day, {"freq": "weekly", "byday": ICAL_WEEKDAYS[day.weekday()], "until": until}
    if every == "quarter":
        month_start = quarter_start(start)
    else:
        month_start = start if start.day == 1 else date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    rule = {"freq": "monthly", "interval": 3 if every == "quarter" else 1, "until": until}
    if weekday is None:
        return month_start, rule
    return first_on_or_after(month_start, weekday), {**rule, "byday": "1" + ICAL_WEEKDAYS[weekday]}


def _checkin_events(cal: _Calendar) -> None:
    """The stakeholder check-ins, and the stand-ups and reviews of `checkins` as recurring events
    over the roadmap's span."""
    c = cal.computed
    checkins = c.roadmap.config.checkins
    for checkin in checkins.stakeholder:
        cal.event(f"checkin-{checkin.date.isoformat()}-{_slug(checkin.title)}", checkin.title, checkin.date,
                  "Stakeholder check-in", categories="Check-in")
    start = c.roadmap.config.start or c.schedule.start
    end = c.schedule.end
    if start is None or end is None or end < start:
        return
    for name, cadence, summary in (("standup", checkins.standup, "Stand-up"), ("review", checkins.review, "Review")):
        if cadence is None:
            continue
        first, rule = cadence_rule(cadence.every, cadence.weekday, start, end)
        if first <= end:
            cal.event(f"{name}-cadence", f"{summary}: {c.roadmap.config.title}", first,
                      f"Every {cadence.every} (roadmap.yml checkins.{name})", rrule=rule, categories=summary)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60] or "x"


def calendar_ics(computed: ComputedRoadmap, paths: SitePaths) -> bytes:
    """calendar.ics: due dates, milestones, stakeholder check-ins, and the recurring stand-ups and
    reviews, as all-day events (RFC 5545, written by the icalendar library)."""
    cal = _Calendar(computed, paths)
    _due_events(cal)
    _checkin_events(cal)
    return cal.calendar.to_ical()


# -- the Atom feed of updates ---------------------------------------------------------------------

# XML 1.0 cannot hold these characters at all (not even escaped), iCalendar's TEXT forbids control
# characters, and a YAML "\u0001" puts one in a title: each becomes U+FFFD, so that a feed or a
# calendar is always written and always parses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text that XML and iCalendar can hold: control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _feed_id(paths: SitePaths, path: str) -> str:
    """An entry's permanent id: its address when base_url is absolute, else a tag URI that does
    not change between builds."""
    if "://" in paths.base_url:
        return paths.absolute(path)
    return f"tag:roadmapgen,2024:{paths.base_url.strip('/') or 'site'}/{path}"


def _update_text(computed: ComputedRoadmap, update) -> str:
    lines = []
    for item in update.items:
        target = computed.roadmap.items_of(item.ref_kind).get(item.ref)
        what = [f"{KIND_LABELS[item.ref_kind]} {target.title if target else item.ref}"]
        if item.progress is not None:
            what.append(f"progress {item.progress:g}%")
        if item.status:
            what.append(status_label(item.status))
        if item.rag:
            what.append(RAG_LABELS.get(item.rag, item.rag))
        if item.metric is not None:
            what.append(f"metric {item.metric:g}")
        lines.append("- " + ", ".join(what) + (f": {item.note}" if item.note else ""))
    body = update.body.strip()
    return "\n".join(lines) + ("\n\n" + body if body else "")


def updates_atom(computed: ComputedRoadmap, paths: SitePaths) -> bytes:
    """The Atom feed of updates, newest first (written by feedgen)."""
    from feedgen.feed import FeedGenerator

    config = computed.roadmap.config
    updates = sorted(computed.roadmap.updates.values(), key=lambda u: (u.date, u.id))
    feed = FeedGenerator()
    feed.id(_feed_id(paths, "updates/index.html"))
    feed.title(xml_text(f"{config.title}: updates"))
    feed.subtitle(xml_text(config.description or "Stand-ups and check-ins"))
    feed.link(href=paths.absolute("updates/index.html"), rel="alternate")
    feed.link(href=paths.absolute("updates.xml"), rel="self")
    feed.author({"name": xml_text(config.title)})  # Atom wants an author; an update's own author overrides it
    feed.generator("roadmapgen", __version__)
    feed.language("en")
    feed.updated(_stamp(updates[-1].date if updates else computed.today))
    for update in updates:  # feedgen lists entries last-added first: newest first
        author = computed.roadmap.people.get(update.author or "")
        entry = feed.add_entry()
        entry.id(_feed_id(paths, paths.item("update", update.id)))
        entry.title(xml_text(update.title))
        entry.link(href=paths.absolute(paths.item("update", update.id)))
        entry.updated(_stamp(update.date))
        entry.published(_stamp(update.date))
        if author or update.author:
            entry.author({"name": xml_text(author.name if author else update.author)})
        entry.content(xml_text(_update_text(computed, update)), type="text")
    return feed.atom_str(pretty=True)
