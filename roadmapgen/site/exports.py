"""roadmap.json: the whole computed roadmap for other tools, in a documented, versioned shape.

The shape is described in docs/roadmap-json.md. Fields are only ever added within a
version; renaming or removing one raises `version`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta

from roadmapgen import __version__
from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.engine.tracking import progress_follows
from roadmapgen.names import JUDGED_KINDS
from roadmapgen.site.urls import SitePaths

FORMAT = "roadmapgen/roadmap"
VERSION = 1


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _status(status) -> dict:
    return {
        "rag": status.rag,
        "reasons": list(status.reasons),
        "manual": status.manual,
        "computed": status.computed if status.manual else status.rag,
        "computed_reasons": list(status.computed_reasons) if status.manual else list(status.reasons),
    }


def _tracked(tracked) -> dict:
    return {"progress": tracked.progress, "status": tracked.status, "sources": dict(sorted(tracked.sources.items())),
            "last_update": _d(tracked.last_update)}


def _completion(status) -> dict:
    """A goal's or strategy's completion exactly as its page shows it."""
    return {"percent": status.progress, "expected": status.expected_progress, "activities": status.activities,
            "unreported": status.unreported}


def _progress_source(tracked, progress: float | None) -> str | None:
    """Where an activity's effective progress came from ("file" or an update id); None when unknown."""
    field = progress_follows(tracked, progress)
    return tracked.sources.get(field) if field else None


def _common(item, paths: SitePaths) -> dict:
    return {"id": item.id, "title": item.title, "page": paths.item(item.kind, item.id), "source": item.source.path}


def _goal(c: ComputedRoadmap, goal, paths: SitePaths) -> dict:
    span = c.schedule.goals.get(goal.id)
    tracked = c.tracking.goals[goal.id]
    metric = None
    if goal.metric:
        metric = {**asdict(goal.metric), "current": tracked.metric,
                  "current_source": tracked.sources.get("metric"),
                  "expected": c.status.metric_expected.get(goal.id)}
    return {
        **_common(goal, paths), "owner": goal.owner, "start": _d(goal.start), "due": _d(goal.due), "why": goal.why,
        "status": tracked.status, "tags": list(goal.tags), "order": goal.order, "metric": metric,
        "tracking": _tracked(tracked),
        "schedule": _span(span), "critical_path": list(c.schedule.critical_paths.get(goal.id, ())),
        "completion": _completion(c.status.goals[goal.id]), "rag": _status(c.status.goals[goal.id]),
        "smart": _smart(c.smart.get(goal.id)),
    }


def _smart(card) -> dict | None:
    if card is None:
        return None
    return {letter.name.lower(): {"met": letter.met, "reason": letter.reason,
                                  "codes": [f.code for f in letter.findings]} for letter in card.letters}


def _span(span) -> dict | None:
    if span is None:
        return None
    return {"start": _d(span.start), "end": _d(span.end), "forecast_end": _d(span.forecast_end),
            "late_by": span.late_by}


def _strategy(c: ComputedRoadmap, strategy, paths: SitePaths) -> dict:
    tracked = c.tracking.strategies[strategy.id]
    return {
        **_common(strategy, paths), "goal": strategy.goal, "owner": strategy.owner, "start": _d(strategy.start),
        "due": _d(strategy.due), "status": tracked.status, "tags": list(strategy.tags), "order": strategy.order,
        "tracking": _tracked(tracked),
        "schedule": _span(c.schedule.strategies.get(strategy.id)),
        "completion": _completion(c.status.strategies[strategy.id]), "rag": _status(c.status.strategies[strategy.id]),
    }


def _activity(c: ComputedRoadmap, activity, paths: SitePaths) -> dict:
    s = c.schedule.activities[activity.id]
    tracked = c.tracking.activities[activity.id]
    status = c.status.activities[activity.id]
    return {
        **_common(activity, paths), "strategy": activity.strategy, "goal": c.roadmap.goal_of(activity),
        "owner": activity.owner, "depends_on": list(activity.depends_on), "status": tracked.status,
        "progress": status.progress, "progress_source": _progress_source(tracked, status.progress),
        "expected_progress": status.expected_progress, "tags": list(activity.tags), "order": activity.order,
        "resources": [{"id": r.id, "load": r.load} for r in activity.resources],
        "given": {"start": _d(activity.start), "due": _d(activity.due), "duration": activity.duration},
        "schedule": {
            "start": _d(s.start), "end": _d(s.end), "duration": s.duration, "milestone": s.milestone,
            "forecast_start": _d(s.forecast_start), "forecast_end": _d(s.forecast_end), "slack": s.total_slack,
            "critical": s.critical, "deadline": _d(s.deadline), "deadline_of": s.deadline_of, "late_by": s.late_by,
            "driver": s.driver, "start_reason": s.start_reason, "target_only": s.target_only,
            "forecast_assumed": s.forecast_assumed, "forecast_driver": s.forecast_driver,
        },
        "tracking": _tracked(tracked),
        "rag": _status(status),
    }


def _person(person, paths: SitePaths) -> dict:
    return {**_common(person, paths), "name": person.name, "role": person.role, "team": person.team,
            "email": person.email, "capacity": person.capacity,
            "time_off": [{"from": _d(t.start), "to": _d(t.end), "note": t.note} for t in person.time_off]}


def _tool(tool, paths: SitePaths) -> dict:
    return {**_common(tool, paths), "name": tool.name, "kind": tool.tool_kind, "cost": tool.cost, "notes": tool.notes}


def _update(update, paths: SitePaths) -> dict:
    return {**_common(update, paths), "date": _d(update.date), "author": update.author, "kind": update.update_kind,
            "items": [{"ref_kind": i.ref_kind, "ref": i.ref, "progress": i.progress, "status": i.status,
                       "rag": i.rag, "rag_reason": i.rag_reason, "metric": i.metric, "note": i.note}
                      for i in update.items]}


def _review(review, paths: SitePaths) -> dict:
    return {**_common(review, paths), "quarter": review.quarter, "date": _d(review.date),
            "attendees": list(review.attendees), "decisions": list(review.decisions)}


def _history(c: ComputedRoadmap) -> dict | None:
    h = c.history
    if h is None:
        return None
    points = [{"date": _d(p.date), "activities": dict(p.activities), "strategies": dict(p.strategies),
               "goals": dict(p.goals), "completion": p.completion} for p in h.points]
    metrics = {gid: [{"date": _d(on), "value": value} for on, value in series] for gid, series in h.metrics.items()}
    return {"points": points, "metrics": metrics}


def roadmap_document(c: ComputedRoadmap, paths: SitePaths) -> dict:
    """The whole computed roadmap as plain JSON-ready data (docs/roadmap-json.md)."""
    r = c.roadmap
    config = r.config
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"roadmapgen {__version__}",
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "today": _d(c.today),
        "calendar": {"workdays": list(config.calendar.workdays),
                     "holidays": [{"date": _d(h.date), "name": h.name} for h in config.calendar.holidays]},
        "status_rules": asdict(config.status),
        "checkins": [{"date": _d(ch.date), "title": ch.title} for ch in config.checkins.stakeholder],
        "schedule": {"start": _d(c.schedule.start), "end": _d(c.schedule.end),
                     "critical_path": list(c.schedule.critical_path), "order": list(c.schedule.order)},
        "counts": {kind: c.status.counts(kind) for kind in JUDGED_KINDS},
        "goals": [_goal(c, g, paths) for g in r.goals.values()],
        "strategies": [_strategy(c, s, paths) for s in r.strategies.values()],
        "activities": [_activity(c, a, paths) for a in r.activities.values()],
        "people": [_person(p, paths) for p in r.people.values()],
        "tools": [_tool(t, paths) for t in r.tools.values()],
        "updates": [_update(u, paths) for u in r.updates.values()],
        "reviews": [_review(rv, paths) for rv in r.reviews.values()],
        "history": _history(c),
        "rhythm": _rhythm(c),
    }


def _rhythm(c: ComputedRoadmap) -> dict | None:
    """The rhythm's facts as the pages show them: stale activities, over-allocated weeks (from this
    week on, as `check` reports them), and the slips against the baseline (docs/rhythm.md)."""
    rhythm = c.rhythm
    if rhythm is None:
        return None
    this_week = c.today - timedelta(days=c.today.weekday())
    comparison = rhythm.comparison
    return {
        "stale": [{"id": item.id, "since": _d(item.stale.since), "missed": item.stale.missed} for item in rhythm.stale],
        "over_allocated": [{"id": load.id, "weeks": [w.label for w in load.over_weeks if w.monday >= this_week]}
                           for load in rhythm.capacity.over_allocated()
                           if any(w.monday >= this_week for w in load.over_weeks)],
        "baseline": None if comparison is None else {
            "name": comparison.baseline.name, "source": comparison.baseline.source,
            "slips": [{"kind": slip.kind, "id": slip.id, "before": _d(slip.before), "after": _d(slip.after),
                       "working_days": slip.days} for slip in comparison.slips.values()],
        },
    }


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def roadmap_json(c: ComputedRoadmap, paths: SitePaths) -> str:
    """roadmap.json's text: one top-level key a line, and one item a line in the lists of items.

    Readable in a diff, and written by json's C encoder: an `indent` would make it fall back to
    the pure-Python one, 10× slower (0.4 s of a 1,000-activity build)."""
    document = roadmap_document(c, paths)
    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n  ".join(_ENCODE(v) for v in value)
            lines.append(f" {_ENCODE(key)}: [\n  {items}\n ]")
        else:
            lines.append(f" {_ENCODE(key)}: {_ENCODE(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
