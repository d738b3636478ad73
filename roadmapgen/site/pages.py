"""Pages stage: which pages the site has, each with its template and read-only context."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Mapping

from roadmapgen.site import views as v
from roadmapgen.site.charts import metric_chart
from roadmapgen.site.gantt import TIMELINE_DATA, TIMELINE_GLOBAL, Timeline
from roadmapgen.site.dashboard import Dashboard
from roadmapgen.site.urls import SitePaths


@dataclass(frozen=True)
class NavEntry:
    key: str
    title: str
    path: str


@dataclass(frozen=True)
class Page:
    path: str  # where it is written, relative to the output folder
    template: str
    title: str
    section: str  # the navigation entry it belongs to
    breadcrumbs: tuple[v.Link, ...] = ()
    context: Mapping[str, object] = field(default_factory=dict)
    description: str | None = None


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
    return tuple(NavEntry(key, title, paths.section(key)) for key, title in NAV)


class PageSet:
    """Generates every page of the site from the views, in a stable order."""

    def __init__(self, views: v.Views):
        self.v = views
        self.paths = views.paths

    def __iter__(self) -> Iterator[Page]:
        yield from self.section_pages()
        yield from self.goal_pages()
        yield from self.strategy_pages()
        yield from self.activity_pages()
        yield from self.people_pages()
        yield from self.update_pages()
        yield from self.review_pages()

    @cached_property
    def timeline(self) -> Timeline:
        return Timeline(self.v)

    @cached_property
    def dashboard(self) -> Dashboard:
        return Dashboard(self.v, self.timeline)

    @cached_property
    def people(self) -> tuple[v.PersonView, ...]:
        return tuple(v.PersonView.build(self.v, p) for p in self.v.r.people)

    @cached_property
    def tools(self) -> tuple[v.ToolView, ...]:
        return tuple(v.ToolView.build(self.v, t) for t in self.v.r.tools)

    @cached_property
    def updates(self) -> tuple[v.UpdateView, ...]:
        """Newest first."""
        return tuple(v.UpdateView.build(self.v, u) for u in reversed(tuple(self.v.r.updates)))

    @cached_property
    def reviews(self) -> tuple[v.ReviewView, ...]:
        """Newest first."""
        return tuple(v.ReviewView.build(self.v, r) for r in reversed(tuple(self.v.r.reviews)))

    @cached_property
    def roadmap_timeline(self):
        return self.timeline.chart("chart-timeline", "Roadmap timeline", filters=True)

    def crumbs(self, *links: v.Link | None) -> tuple[v.Link, ...]:
        return tuple(link for link in links if link is not None)

    def home(self) -> v.Link:
        return v.Link("Home", self.paths.section("home"))

    def section(self, key: str) -> v.Link:
        return v.Link(dict(NAV)[key], self.paths.section(key))

    def section_pages(self) -> Iterator[Page]:
        views = self.v
        goals = tuple(views.goals.values())
        yield Page(self.paths.section("home"), "home.html", views.r.config.title, "home", (),
                   {"goals": goals, "counts": views.r.counts(), "dashboard": self.dashboard},
                   description=views.r.config.description)
        yield from self.chart_pages()
        yield Page(self.paths.section("goals"), "goals.html", "Goals", "goals", (self.home(),), {"goals": goals})
        activities = tuple(views.activity(a) for a in views.c.schedule.order)
        yield Page(self.paths.section("activities"), "activities.html", "All activities", "goals",
                   (self.home(), self.section("goals")), {"activities": activities})
        yield Page(self.paths.section("people"), "people.html", "People and tools", "people", (self.home(),),
                   {"people": self.people, "tools": self.tools})
        yield Page(self.paths.section("updates"), "updates.html", "Updates", "updates", (self.home(),),
                   {"weeks": _by_week(self.updates)})
        yield Page(self.paths.section("reviews"), "reviews.html", "Quarterly reviews", "reviews", (self.home(),),
                   {"reviews": self.reviews})

    def chart_pages(self) -> Iterator[Page]:
        """The roadmap timeline, its shared data file (a script, so it loads from file:// too) and
        the status page (see docs/timeline.md and docs/dashboards.md)."""
        home = (self.home(),)
        yield Page(self.paths.section("timeline"), "timeline.html", "Timeline", "timeline", home,
                   {"chart": self.roadmap_timeline, "data_script": TIMELINE_DATA, "data_global": TIMELINE_GLOBAL},
                   description="Every goal, strategy and activity on one Gantt timeline.")
        yield Page(TIMELINE_DATA, "partials/chart_data.js", "Timeline data", "data", (),
                   {"name": TIMELINE_GLOBAL, "spec": self.roadmap_timeline.spec})
        yield Page(self.paths.section("status"), "status.html", "Status", "status", home,
                   {"dashboard": self.dashboard},
                   description="Every goal, strategy and activity with its colour and the reason for it.")

    def goal_pages(self) -> Iterator[Page]:
        for goal in self.v.goals.values():
            charts = {
                "timeline": self.timeline.chart(f"chart-timeline-{goal.id}", f"Timeline of {goal.title}",
                                                self.timeline.keys_of_goal(goal.id)),
                "metric": metric_chart(self.v.c, goal.id),
            }
            yield Page(goal.path, "goal.html", goal.title, "goals", (self.home(), self.section("goals")),
                       {"goal": goal, "charts": charts}, description=goal.why)

    def strategy_pages(self) -> Iterator[Page]:
        for strategy in self.v.strategies.values():
            crumbs = self.crumbs(self.home(), self.section("goals"), strategy.goal)
            charts = {"timeline": self.timeline.chart(f"chart-timeline-{strategy.id}", f"Timeline of {strategy.title}",
                                                      self.timeline.keys_of_strategy(strategy.id), compact=True),
                      "metric": None}
            yield Page(strategy.path, "strategy.html", strategy.title, "goals", crumbs,
                       {"strategy": strategy, "charts": charts})

    def activity_pages(self) -> Iterator[Page]:
        for activity_id in self.v.c.schedule.order:
            activity = self.v.activity(activity_id)
            crumbs = self.crumbs(self.home(), self.section("goals"), activity.goal, activity.strategy)
            yield Page(activity.path, "activity.html", activity.title, "goals", crumbs, {"activity": activity})

    def people_pages(self) -> Iterator[Page]:
        crumbs = (self.home(), self.section("people"))
        for person in self.people:
            yield Page(person.path, "person.html", person.name, "people", crumbs, {"person": person})
        for tool in self.tools:
            yield Page(tool.path, "tool.html", tool.name, "people", crumbs, {"tool": tool})

    def update_pages(self) -> Iterator[Page]:
        crumbs = (self.home(), self.section("updates"))
        for update in self.updates:
            yield Page(update.path, "update.html", update.title, "updates", crumbs, {"update": update})

    def review_pages(self) -> Iterator[Page]:
        crumbs = (self.home(), self.section("reviews"))
        for review in self.reviews:
            yield Page(review.path, "review.html", review.title, "reviews", crumbs, {"review": review})


def _by_week(updates: tuple[v.UpdateView, ...]) -> tuple[tuple[str, tuple[v.UpdateView, ...]], ...]:
    weeks: dict[str, list[v.UpdateView]] = {}
    for update in updates:
        weeks.setdefault(update.week, []).append(update)
    return tuple((week, tuple(items)) for week, items in weeks.items())
