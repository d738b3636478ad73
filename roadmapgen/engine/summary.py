"""The executive summary: the roadmap's state in a few sentences, computed from the data.

Every figure is read from the computed roadmap (status, schedule, slip history), never typed:
the summary heads the home page, and a test checks each figure against the data. The sentences
are in docs/dashboards.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmapgen.engine.cadence import quarter_start
from roadmapgen.engine.slips import slipped_days
from roadmapgen.names import RAG_KEYS

PATH_SHOWN = 4  # activities of the critical path named before "…"


@dataclass(frozen=True)
class Summary:
    """The sentences, and the figures they were written from."""

    sentences: tuple[str, ...]
    goals: dict[str, int]  # colour → how many goals
    milestones: int
    milestones_late: int
    critical_path: tuple[str, ...]
    critical_end: date | None
    critical_goal: str | None
    critical_margin: int | None  # working days before (+) or after (-) that goal's due
    largest_slip: tuple[str, str, int] | None  # (kind, id, working days) since the quarter began


def executive_summary(computed, state=None, day: date | None = None) -> Summary:
    """The summary of `computed` as of its today, or of `state` (a history.Today: the roadmap as it
    stood on `day`, the last day of a quarter) with the slips of that day's quarter."""
    roadmap = computed.roadmap
    state = state or computed
    schedule, status, tracking = state.schedule, state.status, state.tracking
    day = day or computed.today
    goals = {rag: sum(1 for s in status.goals.values() if s.rag == rag) for rag in RAG_KEYS}
    goals = {rag: n for rag, n in goals.items() if n}
    milestones = [s for aid, s in schedule.activities.items() if (s.milestone or s.target_only)
                  and tracking.activities[aid].status not in ("done", "cancelled")]
    late = [s for s in milestones if s.late_by > 0]
    sentences = [_goals_sentence(goals, len(status.goals))]
    if milestones:
        verb = "is" if len(late) == 1 else "are"
        sentences.append(f"{len(late)} of {len(milestones)} open milestones {verb} forecast late.")
    path = schedule.critical_path
    end = goal_id = margin = None
    if path:
        last = schedule.activities[path[-1]]
        end = last.forecast_end
        goal_id = roadmap.goal_of(roadmap.activities[path[-1]])
        sentences.append(_path_sentence(roadmap, schedule.calendar, path, end, goal_id))
        goal = roadmap.goals.get(goal_id or "")
        if goal is not None:
            margin = _margin(schedule.calendar, end, goal.due)
    slip = _largest_slip(computed, day)
    if slip is not None:
        kind, item_id, days = slip
        title = roadmap.items_of(kind)[item_id].title
        sentences.append(f"The largest slip committed this quarter was ‘{title}’, +{days} working days.")
    elif computed.plan_history is not None and not computed.plan_history.unavailable:
        since = quarter_start(day)
        committed = any(since <= v.day <= day for v in computed.plan_history.versions)
        sentences.append("No commit this quarter moved a date later." if committed
                         else "No version of the roadmap was committed this quarter.")
    return Summary(tuple(sentences), goals, len(milestones), len(late), path, end, goal_id, margin, slip)


def _goals_sentence(goals: dict[str, int], total: int) -> str:
    if not total:
        return "The roadmap has no goals yet."
    parts = ", ".join(f"{n} {rag}" for rag, n in goals.items())
    return f"Of {total} goal{'s' if total != 1 else ''}: {parts}."


def _path_sentence(roadmap, calendar, path: tuple[str, ...], end: date, goal_id: str | None) -> str:
    names = [f"‘{roadmap.activities[a].title}’" for a in path]
    shown = " → ".join(names if len(names) <= PATH_SHOWN else names[:PATH_SHOWN - 1] + ["…", names[-1]])
    text = f"The critical path runs through {shown} ({len(path)} activities) and ends {end.isoformat()}"
    goal = roadmap.goals.get(goal_id or "")
    if goal is None:
        return text + "."
    margin = _margin(calendar, end, goal.due)
    if margin < 0:
        return text + f", {-margin} working days after its goal ‘{goal.title}’ is due ({goal.due.isoformat()})."
    return text + f", {margin} working days before its goal ‘{goal.title}’ is due ({goal.due.isoformat()})."


def _margin(calendar, end: date, due: date) -> int:
    """Working days from `end` to `due`: negative when `end` is after `due`."""
    return calendar.last_index(due) - calendar.index(end)


def _largest_slip(computed, day: date) -> tuple[str, str, int] | None:
    """The item that slipped most in the quarter of `day`, up to `day`, and by how much."""
    plan = computed.plan_history
    if plan is None or plan.unavailable:
        return None
    since = quarter_start(day)
    for h in plan.slipped(since, day):
        if h.id in computed.roadmap.items_of(h.kind):
            return h.kind, h.id, slipped_days(h, since, day)
    return None
