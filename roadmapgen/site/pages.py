"""Pages stage: every page of the site as a finished value.

Each `Page` holds its output path, its template's name, an immutable and fully computed context
(one declared dataclass per page type, below) and the items it depends on. Nothing is left to
work out while rendering: a template only prints its context, and two builds can be compared
page by page (for incremental rebuilds) by comparing their pages.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.site import views as v
from roadmapgen.site.charts import ChartView, metric_chart
from roadmapgen.site.dashboard import Dashboard, DashboardView
from roadmapgen.site.gantt import TIMELINE_DATA, TIMELINE_GLOBAL, timeline_chart
from roadmapgen.site.gantt_rows import Timeline
from roadmapgen.site.markdown import MarkdownRenderer
from roadmapgen.site.urls import SitePaths

EVERYTHING = frozenset({"*"})  # the page depends on the whole roadmap (lists, dashboards, charts)


@dataclass(frozen=True)
class NavEntry:
    """An entry of the main navigation."""

    key: str
    title: str
    path: str


class PageContext:
    """The base of every page type's context: its fields are the template's variables."""

    def variables(self) -> dict[str, object]:
        """The template variables: one per field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, how it is drawn, what it shows and what it depends on."""

    path: str  # where it is written, relative to the output folder
    template: str
    title: str
    section: str  # the navigation entry it belongs to
    breadcrumbs: tuple[v.Link, ...] = ()
    context: PageContext | None = None
    description: str | None = None
    depends_on: frozenset[str] = EVERYTHING  # "kind:id" of each item shown; EVERYTHING for lists


# -- the context of each page type (docs/themes.md lists them) -----------------------------------

@dataclass(frozen=True)
class ItemCharts:
    """The charts of a goal's or strategy's page."""

    timeline: ChartView
    metric: ChartView | None = None


@dataclass(frozen=True)
class HomeContext(PageContext):
    """The home page: the goals, how many items of each kind, the dashboard."""

    goals: tuple[v.GoalView, ...]
    counts: Mapping[str, int]  # content folder → how many items
    dashboard: DashboardView


@dataclass(frozen=True)
class TimelineContext(PageContext):
    """The roadmap timeline page: its chart and the script that holds its data."""

    chart: ChartView
    data_script: str  # site path of the script that defines the chart's data
    data_global: str  # the global it defines


@dataclass(frozen=True)
class DataScriptContext(PageContext):
    """The data script of the roadmap timeline."""

    name: str  # the global the script defines
    spec_json: str  # its value, as JSON safe in a script


@dataclass(frozen=True)
class StatusContext(PageContext):
    """The status page: the dashboard, whose status table it shows."""

    dashboard: DashboardView


@dataclass(frozen=True)
class GoalsContext(PageContext):
    """The goals page: every goal with its strategies."""

    goals: tuple[v.GoalView, ...]


@dataclass(frozen=True)
class GoalContext(PageContext):
    """A goal's page: the goal and its charts."""

    goal: v.GoalView
    charts: ItemCharts


@dataclass(frozen=True)
class StrategyContext(PageContext):
    """A strategy's page: the strategy and its timeline."""

    strategy: v.StrategyView
    charts: ItemCharts


@dataclass(frozen=True)
class ActivitiesContext(PageContext):
    """The list of every activity, in schedule order."""

    activities: tuple[v.ActivityView, ...]


@dataclass(frozen=True)
class ActivityContext(PageContext):
    """An activity's page."""

    activity: v.ActivityView


@dataclass(frozen=True)
class PeopleContext(PageContext):
    """The people and tools page."""

    people: tuple[v.PersonView, ...]
    tools: tuple[v.ToolView, ...]


@dataclass(frozen=True)
class PersonContext(PageContext):
    """A person's page."""

    person: v.PersonView


@dataclass(frozen=True)
class ToolContext(PageContext):
    """A tool's page."""

    tool: v.ToolView


@dataclass(frozen=True)
class UpdatesContext(PageContext):
    """The updates page, by ISO week."""

    weeks: tuple[tuple[str, tuple[v.UpdateView, ...]], ...]  # (ISO week, its updates), newest first


@dataclass(frozen=True)
class UpdateContext(PageContext):
    """An update's page."""

    update: v.UpdateView


@dataclass(frozen=True)
class ReviewsContext(PageContext):
    """The quarterly reviews page."""

    reviews: tuple[v.ReviewView, ...]


@dataclass(frozen=True)
class ReviewContext(PageContext):
    """A review's page."""

    review: v.ReviewView


NAV = (
    ("home", "Home"),
    ("goals", "Goals"),
    ("timeline", "Timeline"),
    ("status", "Status"),
    ("updates", "Updates"),
    ("reviews", "Reviews"),
    ("people", "People"),
)


def navigation(paths: SitePaths) -> tuple[NavEntry, ...]:
    """The main navigation's entries."""
    return tuple(NavEntry(key, title, paths.section(key)) for key, title in NAV)


def site_pages(computed: ComputedRoadmap, paths: SitePaths | None = None,
               markdown: MarkdownRenderer | None = None) -> tuple[Page, ...]:
    """Every page of the site, fully computed, in a stable order."""
    config = computed.roadmap.config
    paths = paths or SitePaths(config.base_url)
    markdown = markdown or MarkdownRenderer(allow_html=config.markdown_html)
    return tuple(PageSet(v.Views(computed, paths, markdown.render)))


def _keys(*links: v.Link | None) -> Iterator[str]:
    return (f"{link.kind}:{link.id}" for link in links if link is not None)


def _depends(kind: str, item_id: str, *more: Iterable[str]) -> frozenset[str]:
    return frozenset((f"{kind}:{item_id}", *(key for keys in more for key in keys)))


def _activity_keys(activity: v.ActivityView) -> Iterator[str]:
    """The activity and what a row of it shows: its owner."""
    yield f"activity:{activity.id}"
    yield from _keys(activity.owner)


def _note_keys(notes: tuple[v.Note, ...]) -> Iterator[str]:
    return _keys(*(note.update for note in notes))


class PageSet:
    """Generates every page of the site from the views, in a stable order."""

    def __init__(self, views: v.Views):
        self.v = views
        self.paths = views.paths
        self.timeline = Timeline(views)
        self.dashboard = Dashboard(views, self.timeline).view()
        self.people = tuple(v.PersonView.build(views, p) for p in views.r.people)
        self.tools = tuple(v.ToolView.build(views, t) for t in views.r.tools)
        self.updates = tuple(v.UpdateView.build(views, u) for u in reversed(tuple(views.r.updates)))  # newest first
        self.reviews = tuple(v.ReviewView.build(views, r) for r in reversed(tuple(views.r.reviews)))  # newest first
        self.roadmap_timeline = timeline_chart(self.timeline, "chart-timeline", "Roadmap timeline", filters=True)

    def __iter__(self) -> Iterator[Page]:
        yield from self.section_pages()
        yield from self.goal_pages()
        yield from self.strategy_pages()
        yield from self.activity_pages()
        yield from self.people_pages()
        yield from self.update_pages()
        yield from self.review_pages()

    def crumbs(self, *links: v.Link | None) -> tuple[v.Link, ...]:
        """Breadcrumbs from the links given, leaving out the missing ones."""
        return tuple(link for link in links if link is not None)

    def home(self) -> v.Link:
        """The breadcrumb of the home page."""
        return v.Link("Home", self.paths.section("home"))

    def section(self, key: str) -> v.Link:
        """The breadcrumb of a section's index page."""
        return v.Link(dict(NAV)[key], self.paths.section(key))

    def section_pages(self) -> Iterator[Page]:
        """The home page, the charts' pages and each section's index page."""
        views = self.v
        goals = tuple(views.goals.values())
        yield Page(self.paths.section("home"), "home.html", views.r.config.title, "home", (),
                   HomeContext(goals, MappingProxyType(views.r.counts()), self.dashboard),
                   description=views.r.config.description)
        yield from self.chart_pages()
        yield Page(self.paths.section("goals"), "goals.html", "Goals", "goals", (self.home(),), GoalsContext(goals))
        activities = tuple(views.activity(a) for a in views.c.order.activities)
        yield Page(self.paths.section("activities"), "activities.html", "All activities", "goals",
                   (self.home(), self.section("goals")), ActivitiesContext(activities))
        yield Page(self.paths.section("people"), "people.html", "People and tools", "people", (self.home(),),
                   PeopleContext(self.people, self.tools))
        yield Page(self.paths.section("updates"), "updates.html", "Updates", "updates", (self.home(),),
                   UpdatesContext(_by_week(self.updates)))
        yield Page(self.paths.section("reviews"), "reviews.html", "Quarterly reviews", "reviews", (self.home(),),
                   ReviewsContext(self.reviews))

    def chart_pages(self) -> Iterator[Page]:
        """The roadmap timeline, its shared data file (a script, so it loads from file:// too) and
        the status page (see docs/timeline.md and docs/dashboards.md)."""
        home = (self.home(),)
        yield Page(self.paths.section("timeline"), "timeline.html", "Timeline", "timeline", home,
                   TimelineContext(self.roadmap_timeline, TIMELINE_DATA, TIMELINE_GLOBAL),
                   description="Every goal, strategy and activity on one Gantt timeline.")
        yield Page(TIMELINE_DATA, "partials/chart_data.js", "Timeline data", "data", (),
                   DataScriptContext(TIMELINE_GLOBAL, self.roadmap_timeline.spec_json))
        yield Page(self.paths.section("status"), "status.html", "Status", "status", home,
                   StatusContext(self.dashboard),
                   description="Every goal, strategy and activity with its colour and the reason for it.")

    def goal_pages(self) -> Iterator[Page]:
        """A page per goal, with its timeline and metric charts."""
        for goal in self.v.goals.values():
            keys = self.timeline.keys_of_goal(goal.id)
            charts = ItemCharts(timeline_chart(self.timeline, f"chart-timeline-{goal.id}", f"Timeline of {goal.title}",
                                               keys),
                                metric_chart(self.v.c, goal.id))
            shown = (self.timeline.rows[k] for k in keys)
            depends = _depends("goal", goal.id, keys, _keys(goal.owner, *goal.critical_path),
                               (f"person:{row.owner}" for row in shown if row.owner), _note_keys(goal.notes))
            yield Page(goal.path, "goal.html", goal.title, "goals", (self.home(), self.section("goals")),
                       GoalContext(goal, charts), description=goal.why, depends_on=depends)

    def strategy_pages(self) -> Iterator[Page]:
        """A page per strategy, with the timeline of its activities."""
        for strategy in self.v.strategies.values():
            crumbs = self.crumbs(self.home(), self.section("goals"), strategy.goal)
            keys = self.timeline.keys_of_strategy(strategy.id)
            charts = ItemCharts(timeline_chart(self.timeline, f"chart-timeline-{strategy.id}",
                                               f"Timeline of {strategy.title}", keys, compact=True))
            depends = _depends("strategy", strategy.id, keys, _keys(strategy.goal, strategy.owner),
                               (key for a in strategy.activities for key in _activity_keys(a)),
                               _note_keys(strategy.notes))
            yield Page(strategy.path, "strategy.html", strategy.title, "goals", crumbs,
                       StrategyContext(strategy, charts), depends_on=depends)

    def activity_pages(self) -> Iterator[Page]:
        """A page per activity, in schedule order."""
        for activity_id in self.v.c.order.activities:
            a = self.v.activity(activity_id)
            crumbs = self.crumbs(self.home(), self.section("goals"), a.goal, a.strategy)
            depends = _depends("activity", a.id, _keys(a.goal, a.strategy, a.owner, *a.depends_on, *a.dependents,
                                                       *(r for r, _ in a.resources)),
                               (f"update:{p.update}" for p in a.provenance if p.update),
                               _note_keys(a.notes))
            yield Page(a.path, "activity.html", a.title, "goals", crumbs, ActivityContext(a), depends_on=depends)

    def people_pages(self) -> Iterator[Page]:
        """A page per person and per tool."""
        crumbs = (self.home(), self.section("people"))
        for person in self.people:
            depends = _depends("person", person.id, _keys(*person.owns),
                               (f"activity:{a.id}" for a, _ in person.works_on))
            yield Page(person.path, "person.html", person.name, "people", crumbs, PersonContext(person),
                       depends_on=depends)
        for tool in self.tools:
            yield Page(tool.path, "tool.html", tool.name, "people", crumbs, ToolContext(tool),
                       depends_on=_depends("tool", tool.id, (f"activity:{a.id}" for a, _ in tool.used_by)))

    def update_pages(self) -> Iterator[Page]:
        """A page per update, newest first."""
        crumbs = (self.home(), self.section("updates"))
        for update in self.updates:
            depends = _depends("update", update.id, _keys(update.author, *(it.item for it in update.items)))
            yield Page(update.path, "update.html", update.title, "updates", crumbs, UpdateContext(update),
                       depends_on=depends)

    def review_pages(self) -> Iterator[Page]:
        """A page per quarterly review, newest first."""
        crumbs = (self.home(), self.section("reviews"))
        for review in self.reviews:
            yield Page(review.path, "review.html", review.title, "reviews", crumbs, ReviewContext(review),
                       depends_on=_depends("review", review.id, _keys(*review.attendees)))


def _by_week(updates: tuple[v.UpdateView, ...]) -> tuple[tuple[str, tuple[v.UpdateView, ...]], ...]:
    weeks: dict[str, list[v.UpdateView]] = {}
    for update in updates:
        weeks.setdefault(update.week, []).append(update)
    return tuple((week, tuple(items)) for week, items in weeks.items())
