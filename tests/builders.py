"""Hand-built roadmaps for engine tests: short calls with sensible defaults."""

from __future__ import annotations

from datetime import date

from roadmapgen.model import (
    Activity, Assignment, CalendarConfig, Config, Goal, Holiday, Metric, Person, Roadmap,
    Source, StatusRules, Strategy, Update, UpdateItem,
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def goal(id: str, due: str = "2026-12-31", start: str | None = "2026-01-05", metric: Metric | None = None,
         status: str = "active", rag: str | None = None, rag_reason: str | None = None, owner: str | None = None,
         order: int | None = None) -> Goal:
    return Goal(id=id, title=id.title(), owner=owner, start=d(start) if start else None, due=d(due), metric=metric,
                why=None, status=status, rag=rag, rag_reason=rag_reason, tags=(), updated=None, body="",
                source=Source(f"content/goals/{id}.md"), order=order)


def strategy(id: str, goal: str, due: str = "2026-12-31", start: str | None = None, status: str = "active",
             rag: str | None = None, rag_reason: str | None = None, order: int | None = None) -> Strategy:
    return Strategy(id=id, title=id.title(), goal=goal, owner=None, start=d(start) if start else None, due=d(due),
                    status=status, rag=rag, rag_reason=rag_reason, tags=(), updated=None, body="",
                    source=Source(f"content/strategies/{id}.md"), order=order)


def activity(id: str, strategy: str | None = None, goal: str | None = None, start: str | None = None,
             due: str | None = None, duration: int | None = None, depends_on: tuple[str, ...] = (),
             progress: float | None = None, status: str | None = None, owner: str | None = None,
             resources: tuple[Assignment, ...] = (), rag: str | None = None, rag_reason: str | None = None,
             target_only: bool = False, order: int | None = None) -> Activity:
    """An activity; with neither `due` nor `duration` it lasts 5 working days, unless `target_only`.

    A `status` given here counts as written in the file; left out, it is the unreported default."""
    if due is None and duration is None and not target_only:
        duration = 5
    positions = {("status",): (1, 1)} if status is not None else {}
    return Activity(id=id, title=id.title(), strategy=strategy, goal=goal, owner=owner,
                    start=d(start) if start else None, due=d(due) if due else None, duration=duration,
                    depends_on=tuple(depends_on), progress=progress, status=status or "not-started",
                    resources=resources, rag=rag, rag_reason=rag_reason, tags=(), updated=None, body="",
                    source=Source(f"content/activities/{id}.md", positions), order=order)


def person(id: str, capacity: float = 100) -> Person:
    return Person(id=id, name=id.title(), role=None, team=None, email=None, capacity=capacity, time_off=(),
                  body="", source=Source(f"content/people/{id}.md"))


def update(id: str, on: str, *items: UpdateItem, author: str | None = None) -> Update:
    return Update(id=id, title=id, date=d(on), author=author, update_kind="standup", items=tuple(items), body="",
                  source=Source(f"content/updates/{id}.md"))


def item(ref: str, kind: str = "activity", progress: float | None = None, status: str | None = None,
         rag: str | None = None, rag_reason: str | None = None, metric: float | None = None,
         note: str | None = None, index: int = 0) -> UpdateItem:
    return UpdateItem(ref_kind=kind, ref=ref, progress=progress, status=status, rag=rag, rag_reason=rag_reason,
                      metric=metric, note=note, index=index)


def roadmap(goals=(), strategies=(), activities=(), people=(), updates=(), start: str | None = "2026-01-05",
            holidays: tuple[str, ...] = (), workdays: tuple[int, ...] = (0, 1, 2, 3, 4),
            rules: StatusRules | None = None) -> Roadmap:
    config = Config(start=d(start) if start else None,
                    calendar=CalendarConfig(workdays=workdays, holidays=tuple(Holiday(d(h)) for h in holidays)),
                    status=rules or StatusRules())
    return Roadmap(config=config, goals={g.id: g for g in goals}, strategies={s.id: s for s in strategies},
                   activities={a.id: a for a in activities}, people={p.id: p for p in people}, tools={},
                   updates={u.id: u for u in updates}, reviews={})
