"""Pages stage: every page of the site as a finished value.

Each `Page` holds its output path, its template's name, an immutable and fully computed context
(one declared dataclass per page type, below) and the items it depends on. Nothing is left to
work out while rendering: a template only prints its context, and two builds can be compared
page by page (for incremental rebuilds) by comparing their pages.
"""

from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping

from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.engine.summary import executive_summary
from roadmapgen.site import views as view
from roadmapgen.site.charts import ChartView, metric_chart, trend_chart
from roadmapgen.site.dashboard import Dashboard, DashboardView
from roadmapgen.site.gantt import TIMELINE_DATA, TIMELINE_GLOBAL, SpecMemo, timeline_chart
from roadmapgen.site.gantt_rows import Timeline
from roadmapgen.site.markdown import MarkdownRenderer
from roadmapgen.site.slip_views import SlipsView, slips_view
from roadmapgen.site.urls import SitePaths
from roadmapgen.site.views import QuarterSource

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
    breadcrumbs: tuple[view.Link, ...] = ()
    context: PageContext | None = None
    description: str | None = None
    # "kind:id" of each item shown, EVERYTHING for lists; or what finds them when first asked for
    # (an item page's: following its whole context cost a second at 10,000 activities, and
    # neither `build` nor `serve` asks). Derived from the context, so not compared.
    depends: frozenset[str] | Callable[[], frozenset[str]] = field(default=EVERYTHING, compare=False, repr=False)

    @cached_property
    def depends_on(self) -> frozenset[str]:
        """"kind:id" of each item the page shows; EVERYTHING for lists, dashboards and charts of it all."""
        return self.depends() if callable(self.depends) else self.depends

    @property
    def shows_everything(self) -> bool:
        """A list, a dashboard or a chart of the whole roadmap (known without following its context)."""
        return not callable(self.depends) and self.depends == EVERYTHING


# -- the context of each page type (docs/themes.md lists them) -----------------------------------

@dataclass(frozen=True)
class ItemCharts:
    """The charts of a goal's or strategy's page."""

    timeline: ChartView
    metric: ChartView | None = None
    trend: ChartView | None = None  # milestone trend across the git history (goals)


@dataclass(frozen=True)
class HomeContext(PageContext):
    """The home page: the goals, how many items of each kind, the dashboard."""

    goals: tuple[view.GoalView, ...]
    counts: Mapping[str, int]  # content folder → how many items
    dashboard: DashboardView
    slips: SlipsView | None = None  # what slipped most across the git history (site/slip_views.py)
    summary: tuple[str, ...] = ()  # the executive summary (engine/summary.py), sentence by sentence
    rhythm: object = None  # next stand-up and review, stale items (rhythm_views.RhythmView)


@dataclass(frozen=True)
class TimelineContext(PageContext):
    """The roadmap timeline page: its chart and the script that holds its data."""

    chart: ChartView
    data_script: str  # site path of the script that defines the chart's data
    data_global: str  # the global it defines
    baseline: str | None = None  # the baseline compared against, whose "what changed" page it links


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

    goals: tuple[view.GoalView, ...]


@dataclass(frozen=True)
class GoalContext(PageContext):
    """A goal's page: the goal and its charts."""

    goal: view.GoalView
    charts: ItemCharts


@dataclass(frozen=True)
class StrategyContext(PageContext):
    """A strategy's page: the strategy and its timeline."""

    strategy: view.StrategyView
    charts: ItemCharts


@dataclass(frozen=True)
class ActivitiesContext(PageContext):
    """The list of every activity, in schedule order."""

    activities: tuple[view.ActivityView, ...]


@dataclass(frozen=True)
class ActivityContext(PageContext):
    """An activity's page."""

    activity: view.ActivityView


@dataclass(frozen=True)
class PeopleContext(PageContext):
    """The people and tools page."""

    people: tuple[view.PersonView, ...]
    tools: tuple[view.ToolView, ...]


@dataclass(frozen=True)
class PersonContext(PageContext):
    """A person's page."""

    person: view.PersonView


@dataclass(frozen=True)
class ToolContext(PageContext):
    """A tool's page."""

    tool: view.ToolView


@dataclass(frozen=True)
class UpdatesContext(PageContext):
    """The updates page, by ISO week."""

    weeks: tuple[tuple[str, tuple[view.UpdateView, ...]], ...]  # (ISO week, its updates), newest first


@dataclass(frozen=True)
class UpdateContext(PageContext):
    """An update's page."""

    update: view.UpdateView


@dataclass(frozen=True)
class ReviewsContext(PageContext):
    """The quarterly reviews page."""

    reviews: tuple[view.ReviewView, ...]
    quarters: tuple = ()  # every quarter's computed review, newest first (rhythm_views.QuarterView)


@dataclass(frozen=True)
class ReviewContext(PageContext):
    """A review's page."""

    review: view.ReviewView


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


def site_pages(computed: ComputedRoadmap, paths: SitePaths | None = None, markdown: MarkdownRenderer | None = None,
               charts: SpecMemo | None = None, quarters: QuarterSource | None = None) -> tuple[Page, ...]:
    """Every page of the site, fully computed, in a stable order; `charts` keeps the Gantt specs
    from one build to the next (`serve`); `quarters` gives the quarters' reports when another
    core makes them (`build`: site/second_core.py)."""
    return tuple(page_set(computed, paths, markdown, charts, quarters))


def page_set(computed: ComputedRoadmap, paths: SitePaths | None = None, markdown: MarkdownRenderer | None = None,
             charts: SpecMemo | None = None, quarters: QuarterSource | None = None) -> "PageSet":
    """The site's pages, to make all at once (iterate it) or a few first (`PageSet.pages_about`)."""
    config = computed.roadmap.config
    paths = paths or SitePaths(config.base_url)
    markdown = markdown or MarkdownRenderer(allow_html=config.markdown_html)
    if charts is not None:
        charts.next_build()
    return PageSet(view.Views(computed, paths, markdown.render, quarters), charts)


_VIEW_KINDS = {view.ActivityView: "activity", view.StrategyView: "strategy", view.GoalView: "goal", view.PersonView: "person",
               view.ToolView: "tool", view.UpdateView: "update", view.ReviewView: "review"}
_PLAIN = (str, int, float, bool, type(None), date)
_NAMES_NO_ITEM = re.compile(r"(?:str|int|float|bool|None|date|tuple|Markup|RagView|DataTable|FilterOption|"
                            r"Mapping|[\s\[\],.|])*")  # annotations of fields that can hold no item


def _fields_with_items(cls: type) -> tuple[str, ...]:
    """The fields of a view class whose values may hold links, views or charts."""
    return tuple(f.name for f in fields(cls) if not _NAMES_NO_ITEM.fullmatch(str(f.type)))


class Dependencies:
    """The items a page's context shows: every view, link and chart in it, followed down.

    A view shows the items it links (their titles), and what its reasons name is among those
    links (an activity's dependencies, a strategy's or goal's children), so following every view
    and link of a context finds every item whose change can change the page. Shared views are
    followed once per build.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, frozenset[str]]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, value: object) -> frozenset[str]:
        """"kind:id" of every item `value` shows."""
        found = self._memo.get(id(value))
        if found is None:
            out: set[str] = set()
            self._fields_into(value, out)
            found = (value, frozenset(out))  # the value is kept, so its id stays its own
            self._memo[id(value)] = found
        return found[1]

    def _into(self, value: object, out: set[str]) -> None:
        if isinstance(value, view.Link):
            if value.kind and value.id:
                out.add(f"{value.kind}:{value.id}")
        elif isinstance(value, ChartView):
            out |= value.depends_on
        elif isinstance(value, view.Provenance):
            if value.update:
                out.add(f"update:{value.update}")
        elif isinstance(value, (tuple, list)):
            for item in value:
                if not isinstance(item, _PLAIN):
                    self._into(item, out)
        elif isinstance(value, (dict, MappingProxyType)):
            self._into(tuple(value.values()), out)
        elif type(value) in _VIEW_KINDS:
            out |= self.of(value)  # a view shared by many pages: followed once
        elif is_dataclass(value):
            self._fields_into(value, out)

    def _fields_into(self, value: object, out: set[str]) -> None:
        cls = type(value)
        kind = _VIEW_KINDS.get(cls)
        if kind:
            out.add(f"{kind}:{value.id}")  # type: ignore[attr-defined]
        names = self._fields.get(cls)
        if names is None:
            names = self._fields[cls] = _fields_with_items(cls)
        for name in names:
            child = getattr(value, name)
            if not isinstance(child, _PLAIN):
                self._into(child, out)


class PageSet:
    """Generates every page of the site from the views, in a stable order."""

    # What many pages share is made when a page first needs it: the live preview makes the pages
    # of the saved items first (`pages_about`), which need neither the dashboard nor the lists.

    def __init__(self, views: view.Views, charts: SpecMemo | None = None):
        self.views = views
        self.paths = views.paths
        self.charts = charts
        self.dependencies = Dependencies()
        self._people: dict[str, view.PersonView] = {}

    @cached_property
    def timeline(self) -> Timeline:
        """The rows of the roadmap's Gantt timeline, which every timeline chart draws from."""
        return Timeline(self.views)

    @cached_property
    def dashboard(self) -> DashboardView:
        """The dashboard of the home and status pages."""
        return Dashboard(self.views, self.timeline).view()

    def person(self, person_id: str) -> view.PersonView:
        """The view of one person, built once."""
        return view.built_once(self._people, person_id, lambda: view.PersonView.build(self.views, person_id))

    @cached_property
    def people(self) -> tuple[view.PersonView, ...]:
        """Every person's view."""
        return tuple(self.person(p) for p in self.views.roadmap.people)

    @cached_property
    def tools(self) -> tuple[view.ToolView, ...]:
        """Every tool's view."""
        return tuple(view.ToolView.build(self.views, t) for t in self.views.roadmap.tools)

    @cached_property
    def updates(self) -> tuple[view.UpdateView, ...]:
        """Every update's view, newest first."""
        return tuple(view.UpdateView.build(self.views, u) for u in reversed(tuple(self.views.roadmap.updates)))

    @cached_property
    def reviews(self) -> tuple[view.ReviewView, ...]:
        """Every quarterly review's view, newest first."""
        return tuple(view.ReviewView.build(self.views, r) for r in reversed(tuple(self.views.roadmap.reviews)))

    @cached_property
    def roadmap_timeline(self) -> ChartView:
        """The whole roadmap's Gantt chart."""
        return timeline_chart(self.timeline, "chart-timeline", "Roadmap timeline", filters=True, memo=self.charts)

    def warm_up(self) -> Iterator[None]:
        """Make what many pages share one item at a time, yielding after each: the views, the
        Gantt rows and the quarters' states (the live preview stops between two when a newer save is waiting, where
        making the first list page would have made them all in one go)."""
        views, order = self.views, self.views.computed.order
        for steps in (map(views.activity, order.activities), map(views.strategy, views.strategy_order),
                      map(views.goal, order.goals), map(self.person, views.roadmap.people),
                      map(self.timeline.row, self.timeline.outline)):
            for _ in steps:
                yield
        yield from views.rhythm.warm_up()

    def pages_about(self, keys: Iterable[str]) -> list[Page]:
        """The pages of these items ("kind:id"; unknown ones are left out), made without the
        rest of the site: the live preview makes and compares these first (the saved items' and
        the ones open in a browser), before the rest."""
        roadmap, found = self.views.computed.roadmap, {}
        for key in sorted(set(keys)):
            kind, _, item_id = key.partition(":")
            page = self._page_of(kind, item_id, roadmap)
            if page is not None:
                found.setdefault(page.path, page)
        return list(found.values())

    def _page_of(self, kind: str, item_id: str, roadmap) -> Page | None:
        if kind not in ("activity", "strategy", "goal", "person") or item_id not in roadmap.items_of(kind):
            return None  # a tool, an update, a review, a list: among the rest
        if kind == "activity":
            return self.activity_page(item_id)
        if kind == "strategy":
            return self.strategy_page(self.views.strategy(item_id))
        if kind == "goal":
            return self.goal_page(self.views.goal(item_id))
        return self.person_page(self.person(item_id))

    def item_page(self, key: str, path: str, template: str, title: str, section: str, crumbs: tuple[view.Link, ...],
                  context: PageContext, description: str | None = None) -> Page:
        """The page of the item `key`: it depends on the item and on whatever its context shows."""
        return Page(path, template, title, section, crumbs, context, description,
                    lambda: self.dependencies.of(context) | {key})

    def __iter__(self) -> Iterator[Page]:
        for _, group in self.groups():
            yield from group()

    def groups(self) -> tuple[tuple[bool, Callable[[], Iterator[Page]]], ...]:
        """The site's pages in groups, in the site's order, each with whether its pages are one
        per item (made from that item's views alone), as against lists, dashboards and the
        rhythm's pages (made from what they share: the dashboard, the quarters). A build makes the
        first kind first, so that another core can render them meanwhile (build.page_stage)."""
        from roadmapgen.site.rhythm_pages import rhythm_pages

        return ((False, self.section_pages), (True, self.goal_pages), (True, self.strategy_pages),
                (True, self.activity_pages), (True, self.people_pages), (True, self.update_pages),
                (True, self.review_pages), (False, lambda: rhythm_pages(self)))

    def crumbs(self, *links: view.Link | None) -> tuple[view.Link, ...]:
        """Breadcrumbs from the links given, leaving out the missing ones."""
        return tuple(link for link in links if link is not None)

    def home(self) -> view.Link:
        """The breadcrumb of the home page."""
        return view.Link("Home", self.paths.section("home"))

    def section(self, key: str) -> view.Link:
        """The breadcrumb of a section's index page."""
        return view.Link(dict(NAV)[key], self.paths.section(key))

    def section_pages(self) -> Iterator[Page]:
        """The home page, the charts' pages and each section's index page."""
        views = self.views
        goals = tuple(views.goals.values())
        yield Page(self.paths.section("home"), "home.html", views.roadmap.config.title, "home", (),
                   HomeContext(goals, MappingProxyType(views.roadmap.counts()), self.dashboard,
                               slips=slips_view(views.computed, views.link, until=views.computed.today),
                               summary=executive_summary(views.computed).sentences, rhythm=views.rhythm.home),
                   description=views.roadmap.config.description)
        yield from self.chart_pages()
        yield Page(self.paths.section("goals"), "goals.html", "Goals", "goals", (self.home(),), GoalsContext(goals))
        activities = tuple(views.activity(a) for a in views.computed.order.activities)
        yield Page(self.paths.section("activities"), "activities.html", "All activities", "goals",
                   (self.home(), self.section("goals")), ActivitiesContext(activities))
        yield Page(self.paths.section("people"), "people.html", "People and tools", "people", (self.home(),),
                   PeopleContext(self.people, self.tools))
        yield Page(self.paths.section("updates"), "updates.html", "Updates", "updates", (self.home(),),
                   UpdatesContext(_by_week(self.updates)))
        yield Page(self.paths.section("reviews"), "reviews.html", "Quarterly reviews", "reviews", (self.home(),),
                   ReviewsContext(self.reviews, views.rhythm.quarters))

    def chart_pages(self) -> Iterator[Page]:
        """The roadmap timeline, its shared data file (a script, so it loads from file:// too) and
        the status page (see docs/timeline.md and docs/dashboards.md)."""
        home = (self.home(),)
        yield Page(self.paths.section("timeline"), "timeline.html", "Timeline", "timeline", home,
                   TimelineContext(self.roadmap_timeline, TIMELINE_DATA, TIMELINE_GLOBAL,
                                   self.views.rhythm.changes.name if self.views.rhythm.changes else None),
                   description="Every goal, strategy and activity on one Gantt timeline.")
        yield Page(TIMELINE_DATA, "partials/chart_data.js", "Timeline data", "data", (),
                   DataScriptContext(TIMELINE_GLOBAL, self.roadmap_timeline.spec_json))
        yield Page(self.paths.section("status"), "status.html", "Status", "status", home,
                   StatusContext(self.dashboard),
                   description="Every goal, strategy and activity with its colour and the reason for it.")

    def goal_pages(self) -> Iterator[Page]:
        """A page per goal, with its timeline and metric charts."""
        for goal in self.views.goals.values():
            yield self.goal_page(goal)

    def goal_page(self, goal: view.GoalView) -> Page:
        """A goal's page."""
        charts = ItemCharts(timeline_chart(self.timeline, f"chart-timeline-{goal.id}", f"Timeline of {goal.title}",
                                           self.timeline.keys_of_goal(goal.id), memo=self.charts),
                            metric_chart(self.views.computed, goal.id),
                            trend_chart(self.views.computed, self.milestones_of(goal.id), f"chart-trend-{goal.id}",
                                        f"Milestone trend of {goal.title}"))
        return self.item_page(f"goal:{goal.id}", goal.path, "goal.html", goal.title, "goals",
                              (self.home(), self.section("goals")), GoalContext(goal, charts), goal.why)

    def milestones_of(self, goal_id: str) -> list[tuple[str, str, str]]:
        """A goal's milestones for its trend chart: the goal's end, its strategies' (each a dated
        milestone toward it) and its activities that are milestones or target dates."""
        computed = self.views.computed
        found = [("goal", goal_id, "Goal end")]
        found += [("strategy", sid, computed.roadmap.strategies[sid].title)
                  for sid in computed.order.strategies_of_goal.get(goal_id, ())]
        return found + self._milestone_activities.get(goal_id, [])

    @cached_property
    def _milestone_activities(self) -> dict[str, list[tuple[str, str, str]]]:
        """Each goal's activities that are milestones or target dates, found in one pass."""
        computed, found = self.views.computed, {}
        for a in computed.roadmap.activities.values():
            s = computed.schedule.activities[a.id]
            if s.milestone or s.target_only:
                found.setdefault(computed.roadmap.goal_of(a), []).append(("activity", a.id, a.title))
        return found

    def strategy_pages(self) -> Iterator[Page]:
        """A page per strategy, with the timeline of its activities."""
        for strategy in self.views.strategies.values():
            yield self.strategy_page(strategy)

    def strategy_page(self, strategy: view.StrategyView) -> Page:
        """A strategy's page."""
        crumbs = self.crumbs(self.home(), self.section("goals"), strategy.goal)
        charts = ItemCharts(timeline_chart(self.timeline, f"chart-timeline-{strategy.id}",
                                           f"Timeline of {strategy.title}",
                                           self.timeline.keys_of_strategy(strategy.id), compact=True,
                                           memo=self.charts))
        return self.item_page(f"strategy:{strategy.id}", strategy.path, "strategy.html", strategy.title, "goals",
                              crumbs, StrategyContext(strategy, charts))

    def activity_pages(self) -> Iterator[Page]:
        """A page per activity, in schedule order."""
        for activity_id in self.views.computed.order.activities:
            yield self.activity_page(activity_id)

    def activity_page(self, activity_id: str) -> Page:
        """An activity's page."""
        a = self.views.activity(activity_id)
        crumbs = self.crumbs(self.home(), self.section("goals"), a.goal, a.strategy)
        return self.item_page(f"activity:{a.id}", a.path, "activity.html", a.title, "goals", crumbs,
                              ActivityContext(a))

    def person_page(self, person: view.PersonView) -> Page:
        """A person's page."""
        return self.item_page(f"person:{person.id}", person.path, "person.html", person.name, "people",
                              (self.home(), self.section("people")), PersonContext(person))

    def people_pages(self) -> Iterator[Page]:
        """A page per person and per tool."""
        crumbs = (self.home(), self.section("people"))
        for person in self.people:
            yield self.person_page(person)
        for tool in self.tools:
            yield self.item_page(f"tool:{tool.id}", tool.path, "tool.html", tool.name, "people", crumbs,
                                 ToolContext(tool))

    def update_pages(self) -> Iterator[Page]:
        """A page per update, newest first."""
        crumbs = (self.home(), self.section("updates"))
        for update in self.updates:
            yield self.item_page(f"update:{update.id}", update.path, "update.html", update.title, "updates", crumbs,
                                 UpdateContext(update))

    def review_pages(self) -> Iterator[Page]:
        """A page per quarterly review, newest first."""
        crumbs = (self.home(), self.section("reviews"))
        for review in self.reviews:
            yield self.item_page(f"review:{review.id}", review.path, "review.html", review.title, "reviews", crumbs,
                                 ReviewContext(review))


def _by_week(updates: tuple[view.UpdateView, ...]) -> tuple[tuple[str, tuple[view.UpdateView, ...]], ...]:
    weeks: dict[str, list[view.UpdateView]] = {}
    for update in updates:
        weeks.setdefault(update.week, []).append(update)
    return tuple((week, tuple(items)) for week, items in weeks.items())
