"""The Gantt timeline's figure: the rows of gantt_rows.py drawn as a Plotly spec (plain dicts) —
bars, milestones, due dates, dependency arrows, today and the stakeholder check-ins — that
assets/js/charts.js filters, collapses and re-plots in the browser, with the chart's geometry
(heights) in the spec so that charts.js repeats no formula. The shape is documented in
docs/timeline.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Sequence

from markupsafe import Markup

from roadmapgen.names import RAG_ICONS, RAG_KEYS, RAG_LABELS
from roadmapgen.site.charts import (
    CHECKIN_COLOUR, DAY_MS, NEUTRAL, OUTLINE, PLOTLY_CONFIG, RAG_COLOURS, RAG_TEXT, TODAY_COLOUR, ChartView,
    FilterOption, _at, _iso, _lines, json_for_script,
)
from roadmapgen.site.gantt_rows import GanttRow, Timeline

TIMELINE_DATA = "data/timeline.js"  # the roadmap-wide spec, written once and shared by the timeline page
TIMELINE_GLOBAL = "roadmapgenTimeline"

ROW_HEIGHT = 24  # pixels per Gantt row
FRAME_HEIGHT = 140  # pixels around the rows: margins, legend, axis
RANGESLIDER_HEIGHT = 70  # pixels the range slider adds
WINDOW_ROWS = 40  # rows shown at once; more scroll inside the chart (wheel or drag)
RANGESLIDER_MAX_ROWS = 250  # the range slider redraws every bar: only on timelines up to this size
VIRTUAL_ABOVE = RANGESLIDER_MAX_ROWS  # above this many rows charts.js draws only the rows near the view
BUFFER_ROWS = 40  # … the window and this many rows each side
BAR_TEXT_MAX_ROWS = 400  # "▲ 60%" inside bars up to this many rows (Plotly measures each text)
FORECAST_OFFSET = 0.45  # the forecast strip sits this far below its row's centre, under the bar
FORECAST_WIDTH = 0.2  # … and is this thick, in rows
BASELINE_OFFSET = 0.45  # the baseline bar sits this far above its row's centre, over the bar
BASELINE_WIDTH = 0.14  # … and is this thin, in rows
LABEL_PAD = 6  # pixels from the chart's left edge to a goal's label; charts.js aligns the labels left …
LABEL_INDENT = 14  # … and indents each level of nesting (goal → strategy → activity) by this many pixels
COLLAPSE_ABOVE = 2000  # the roadmap timeline opens collapsed to strategies above this many activities


class SpecMemo:
    """Gantt specs, as JSON, by the values they are drawn from, kept from one build to the next
    (`serve`): a save changes a few rows, and the charts without them are not drawn again.
    What the last build and this one used is kept; `next_build` forgets what neither did."""

    def __init__(self) -> None:
        self._last: dict[tuple, tuple[Markup, int]] = {}
        self._now: dict[tuple, tuple[Markup, int]] = {}

    def next_build(self) -> None:
        """Start a build: what the one before last used and this one does not is forgotten."""
        self._last, self._now = self._now, {}

    def get(self, key: tuple, make: Callable[[], tuple[Markup, int]]) -> tuple[Markup, int]:
        """The JSON and height for `key`, made by `make` when no build used it lately."""
        found = self._now.get(key) or self._last.get(key)
        if found is None:
            found = make()
        self._now[key] = found
        return found


def timeline_chart(timeline: Timeline, chart_id: str, title: str, keys: Sequence[str] | None = None, *,
                   compact: bool = False, with_checkins: bool = True, filters: bool = False,
                   memo: SpecMemo | None = None) -> ChartView:
    """The Gantt chart of the rows `keys` (every row when None) as a ChartView; `memo` keeps specs
    between builds."""
    rows = list(timeline.rows.values()) if keys is None else [timeline.row(k) for k in keys]
    activities = sum(1 for row in rows if row.kind == "activity")
    collapsed = keys is None and activities > COLLAPSE_ABOVE
    edges = timeline.edges_among(rows)
    checkins = timeline.checkins if with_checkins else ()
    today = timeline.computed.today

    def make() -> tuple[Markup, int]:
        spec = gantt_spec(rows, edges, checkins, today, compact=compact, collapsed=collapsed)
        return json_for_script(spec), spec["height"]

    key = (tuple(rows), tuple(edges), tuple(checkins), today, compact, collapsed)
    spec_json, height = memo.get(key, make) if memo is not None else make()
    return ChartView(
        id=chart_id, title=title, kind="gantt", spec=spec_json, summary=chart_summary(timeline, rows, collapsed),
        height=height, filters=filter_options(timeline, rows) if filters else MappingProxyType({}),
        collapsible=collapsed, depends_on=frozenset(timeline.shown_by(rows)),
    )


def filter_options(timeline: Timeline, rows: list[GanttRow]) -> Mapping[str, tuple[FilterOption, ...]]:
    """The choices of the chart's filters: its goals, the owners of its activities (by name) and
    the colours its activities have."""
    person = timeline.person_name
    owners = sorted({row.owner for row in rows if row.owner and row.kind == "activity"},
                    key=lambda o: (person(o) or o).lower())
    return MappingProxyType({
        "goal": tuple(FilterOption(row.id, row.title) for row in rows if row.kind == "goal"),
        "owner": tuple(FilterOption(o, person(o) or o) for o in owners),
        "rag": tuple(FilterOption(k, f"{RAG_ICONS[k]} {RAG_LABELS[k]}") for k in RAG_KEYS
                     if any(row.rag == k for row in rows if row.kind == "activity")),
    })


def chart_summary(timeline: Timeline, rows: list[GanttRow], collapsed: bool = False) -> str:
    """The chart's text summary: how many activities, from when to when, by colour, critical and linked."""
    acts = [row for row in rows if row.kind == "activity"]
    if not acts:
        return "No activities are scheduled here yet."
    starts = [row.start for row in acts if row.start]
    ends = [max(row.end, row.forecast_end or row.end) for row in acts if row.end]
    counts = {k: sum(1 for row in acts if row.rag == k) for k in RAG_KEYS}
    tally = ", ".join(f"{n} {RAG_LABELS[k].lower()}" for k, n in counts.items() if n)
    milestones = sum(1 for row in acts if row.milestone)
    critical = sum(1 for row in acts if row.critical)
    edges = len(timeline.edges_among(acts))
    text = (f"{len(acts)} activities ({milestones} milestones) from {min(starts)} to {max(ends)}: {tally}. "
            f"{critical} on the critical path (★), {edges} dependencies drawn as arrows. "
            f"Today is {timeline.computed.today}.")
    if collapsed:
        text += " The timeline opens with one bar per strategy; choose a goal or tick “Show activities” to expand."
    return text


def _label_margin(rows: Sequence[GanttRow]) -> int:
    """Pixels for the y-axis labels, from their length and indent (bold goal labels a little wider)."""
    widest = 0.0
    for row in rows:
        text = row.label.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "")
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        indent = LABEL_PAD + row.depth * LABEL_INDENT
        widest = max(widest, indent + len(text) * (7.4 if row.kind == "goal" else 6.8))
    return int(min(max(widest + 10, 120), 380))


def _gantt_height(rows: int, rangeslider: bool) -> int:
    """The chart's height in pixels when it shows `rows` rows (charts.js reads the same figures from "geometry")."""
    return FRAME_HEIGHT + rows * ROW_HEIGHT + (RANGESLIDER_HEIGHT if rangeslider else 0)


Layer = tuple[dict, list]  # a Plotly trace, and for each of its points the row index (or indexes) it belongs to


def gantt_spec(rows: Sequence[GanttRow], edges: Iterable[tuple[str, str]], checkins: Sequence[tuple[date, str]],
               today: date, *, compact: bool = False, collapsed: bool = False) -> dict:
    """A Plotly Gantt figure of `rows` (in order, top to bottom), with the rows and per-point row
    indexes that charts.js uses to filter and collapse it (see docs/timeline.md)."""
    rows = _with_checkin_row(rows, checkins)
    index = {row.key: i for i, row in enumerate(rows)}
    arrows = _arrows(rows, index, edges)
    layers = _gantt_layers(rows, arrows, checkins)
    rangeslider = not compact and len(rows) <= RANGESLIDER_MAX_ROWS
    full = _date_range(rows, checkins, today)
    return {
        "kind": "gantt",
        "figure": {"data": [trace for trace, _ in layers],
                   "layout": _gantt_layout(rows, checkins, today, full, compact=compact, rangeslider=rangeslider)},
        "config": PLOTLY_CONFIG,
        "rows": [_row_json(row, index) for row in rows],
        "points": [row_indexes for _, row_indexes in layers],
        "today": today.isoformat(),
        "outline": OUTLINE,  # charts.js draws outlines in the page's text colour (dark mode)
        "range": full,
        "window": WINDOW_ROWS,
        "virtualAbove": VIRTUAL_ABOVE,
        "buffer": BUFFER_ROWS,
        "rowHeight": ROW_HEIGHT,
        "rangeslider": rangeslider,
        "collapsed": collapsed,
        "height": _gantt_height(min(_opening_rows(rows, collapsed), WINDOW_ROWS), rangeslider),
        "edges": len(arrows),
        "geometry": {"frame": FRAME_HEIGHT, "row": ROW_HEIGHT, "rangeslider": RANGESLIDER_HEIGHT if rangeslider else 0,
                     "labelPad": LABEL_PAD, "labelIndent": LABEL_INDENT},
    }


def _with_checkin_row(rows: Sequence[GanttRow], checkins: Sequence[tuple[date, str]]) -> list[GanttRow]:
    """`rows` under a first row for the stakeholder check-ins, when there are any."""
    rows = list(rows)
    if checkins:
        rows.insert(0, GanttRow(key="checkins", kind="checkins", id="checkins", goal=None, strategy=None, owner=None,
                                rag=None, label="<i>Stakeholder check-ins</i>", path=None))
    return rows


def _opening_rows(rows: Sequence[GanttRow], collapsed: bool) -> int:
    """How many rows the chart shows when it opens: a collapsed one hides its activities."""
    return sum(1 for row in rows if row.kind != "activity") if collapsed else len(rows)


def _gantt_layers(rows: Sequence[GanttRow], arrows: Sequence[_Arrow],
                  checkins: Sequence[tuple[date, str]]) -> list[Layer]:
    """Every trace of the figure with its points' rows, in the legend's order."""
    bars = _bars_by_colour(rows)
    return [*_baseline_layer(rows), *_rag_bar_layers(rows, bars), *_progress_layer(rows, bars), *_forecast_layer(rows),
            *_milestone_layer(rows), *_target_layer(rows), *_due_date_layer(rows), *_dependency_layers(arrows), *_checkin_layer(checkins)]


# -- bars -----------------------------------------------------------------------------------------

def _span_ms(start: date, end: date) -> int:
    """The length of the inclusive span start…end in milliseconds, a bar's length on a date axis."""
    return ((end - start).days + 1) * DAY_MS


def _bar_width(row: GanttRow) -> float:
    """A bar's thickness in rows: activities full, the goals and strategies that span them thinner."""
    return 0.8 if row.kind == "activity" else 0.55


def _bars_by_colour(rows: Sequence[GanttRow]) -> dict[str, list[int]]:
    """Indexes of the rows drawn as bars (goals, strategies and activities with dates, not milestones),
    by RAG key, in RAG_KEYS order."""
    bars: dict[str, list[int]] = {k: [] for k in RAG_KEYS}
    for i, row in enumerate(rows):
        if row.kind in ("goal", "strategy", "activity") and row.start and row.end and not (row.milestone or row.target):
            bars[row.rag].append(i)
    return bars


def _rag_bar_layers(rows: Sequence[GanttRow], bars: dict[str, list[int]]) -> list[Layer]:
    """One bar trace per colour in use: one trace a colour is what lets the legend name each colour."""
    bar_text = len(rows) <= BAR_TEXT_MAX_ROWS
    return [(_rag_bar_trace(rows, key, bars[key], bar_text), list(bars[key])) for key in RAG_KEYS if bars[key]]


def _rag_bar_trace(rows: Sequence[GanttRow], key: str, members: list[int], bar_text: bool) -> dict:
    """The bars of the rows `members`, all of colour `key`, with their critical-path outlines."""
    trace = {
        # the legend's swatch shows the colour, so its name is the word; bars and labels carry the symbol
        "type": "bar", "orientation": "h", "name": RAG_LABELS[key], "legendgroup": key,
        "y": list(members),
        "base": [rows[i].start.isoformat() for i in members],
        "x": [_span_ms(rows[i].start, rows[i].end) for i in members],
        "width": [_bar_width(rows[i]) for i in members],
        "customdata": [rows[i].path for i in members],
        "hovertext": [rows[i].hover for i in members],
        "hoverinfo": "text",
        "marker": {"color": RAG_COLOURS[key],
                   "line": {"color": OUTLINE, "width": [3 if rows[i].critical else 0 for i in members]}},
    }
    if bar_text:  # Plotly measures every bar's text: only on timelines up to BAR_TEXT_MAX_ROWS
        trace.update(_bar_text(rows, key, members))
    return trace


def _bar_text(rows: Sequence[GanttRow], key: str, members: list[int]) -> dict:
    """Trace keys that print "▲ 60%" inside each bar, in a text colour readable on colour `key`."""
    return {"text": [_bar_label(key, rows[i].progress) for i in members],
            "textposition": "inside", "insidetextanchor": "start", "textangle": 0,
            "insidetextfont": {"color": RAG_TEXT[key], "size": 10}, "cliponaxis": True}


def _bar_label(key: str, progress: float | None) -> str:
    """The text inside a bar: the colour's symbol and the progress, the symbol alone when none is reported."""
    return RAG_ICONS[key] if progress is None else f"{RAG_ICONS[key]} {progress:.0f}%"


def _progress_layer(rows: Sequence[GanttRow], bars: dict[str, list[int]]) -> list[Layer]:
    """A darker overlay over the done part of each bar (none when nothing is under way)."""
    done = sorted(i for key in RAG_KEYS for i in bars[key] if (rows[i].progress or 0.0) > 0)
    if not done:
        return []
    trace = {
        "type": "bar", "orientation": "h", "name": "Progress (darker part)", "legendgroup": "progress",
        "y": list(done), "base": [rows[i].start.isoformat() for i in done],
        "x": [round(_span_ms(rows[i].start, rows[i].end) * min(rows[i].progress, 100.0) / 100.0) for i in done],
        "width": [_bar_width(rows[i]) for i in done],
        "marker": {"color": "rgba(0,0,0,0.32)"}, "hoverinfo": "skip",
    }
    return [(trace, done)]


def _forecast_layer(rows: Sequence[GanttRow]) -> list[Layer]:
    """A hatched strip under each activity bar whose forecast differs from its plan, and over the
    part of it past the planned end a red strip: late work looks late (none when nothing slips)."""
    slip = [i for i, row in enumerate(rows) if row.kind == "activity" and not (row.milestone or row.target)
            and row.forecast_end
            and (row.forecast_end != row.end or row.forecast_start != row.start)]
    if not slip:
        return []
    late = [i for i in slip if rows[i].forecast_end > rows[i].end]
    layers = [(_strip_trace(rows, slip, "Forecast (hatched)", "forecast", NEUTRAL,
                            {i: rows[i].forecast_start for i in slip}), slip)]
    if late:
        starts = {i: max(rows[i].forecast_start, rows[i].end + timedelta(days=1)) for i in late}
        layers.append((_strip_trace(rows, late, "Forecast past the plan (late)", "late", RAG_COLOURS["red"],
                                    starts), late))
    return layers


def _strip_trace(rows: Sequence[GanttRow], members: list[int], name: str, group: str, colour: str,
                 starts: Mapping[int, date]) -> dict:
    """A strip just under the bars of `members`, from `starts[i]` to the forecast end, in `colour`
    with a white hatch (its legend entry shows the same swatch)."""
    return {
        "type": "bar", "orientation": "h", "name": name, "legendgroup": group,
        "y": [i + FORECAST_OFFSET for i in members], "base": [starts[i].isoformat() for i in members],
        "x": [_span_ms(starts[i], rows[i].forecast_end) for i in members],
        "width": FORECAST_WIDTH, "customdata": [rows[i].path for i in members],
        "hovertext": [rows[i].hover for i in members], "hoverinfo": "text",
        "marker": {"color": colour, "line": {"width": 0},
                   "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "#ffffff", "size": 5,
                               "solidity": 0.25}},
    }


def _baseline_layer(rows: Sequence[GanttRow]) -> list[Layer]:
    """A thin grey bar just above each bar, where the baseline had the item (none without a baseline):
    drawn first, so it sits behind the current bars."""
    members = [i for i, row in enumerate(rows) if row.baseline_start and row.baseline_end]
    if not members:
        return []
    trace = {
        "type": "bar", "orientation": "h", "name": "Baseline (thin grey bar)", "legendgroup": "baseline",
        "y": [i - BASELINE_OFFSET for i in members], "base": [rows[i].baseline_start.isoformat() for i in members],
        "x": [_span_ms(rows[i].baseline_start, rows[i].baseline_end) for i in members],
        "width": BASELINE_WIDTH, "customdata": [rows[i].path for i in members],
        "hovertext": [rows[i].baseline_hover for i in members], "hoverinfo": "text",
        "marker": {"color": NEUTRAL, "opacity": 0.8, "line": {"width": 0}},
    }
    return [(trace, members)]


# -- diamonds -------------------------------------------------------------------------------------

def _milestone_layer(rows: Sequence[GanttRow]) -> list[Layer]:
    """Milestones (activities of no length): filled diamonds in their colour, outlined on the critical path."""
    return _date_marks(rows, [i for i, row in enumerate(rows) if row.kind == "activity" and row.milestone and row.end],
                       "Milestone", "milestone", "diamond", 15)


def _target_layer(rows: Sequence[GanttRow]) -> list[Layer]:
    """Activities with only a target date: a flag in their colour on that date, since their span is unknown."""
    return _date_marks(rows, [i for i, row in enumerate(rows) if row.kind == "activity" and row.target and row.end],
                       "Target date (no span given)", "target", "triangle-left", 13)


def _date_marks(rows: Sequence[GanttRow], members: list[int], name: str, group: str, symbol: str,
                size: int) -> list[Layer]:
    """One mark per activity of `members` on its date, in its colour, outlined on the critical path."""
    if not members:
        return []
    trace = {
        "type": "scatter", "mode": "markers", "name": name, "legendgroup": group,
        "x": [_at(rows[i].end, 12) for i in members], "y": list(members),
        "customdata": [rows[i].path for i in members], "hovertext": [rows[i].hover for i in members],
        "hoverinfo": "text", "cliponaxis": False,
        "marker": {"symbol": symbol, "size": size, "color": [RAG_COLOURS[rows[i].rag] for i in members],
                   "line": {"color": OUTLINE, "width": [3 if rows[i].critical else 1 for i in members]}},
    }
    return [(trace, members)]


def _due_date_layer(rows: Sequence[GanttRow]) -> list[Layer]:
    """The due dates of strategies and goals: open diamonds."""
    dues = [i for i, row in enumerate(rows) if row.kind in ("goal", "strategy") and row.due]
    if not dues:
        return []
    trace = {
        "type": "scatter", "mode": "markers", "name": "Due date", "legendgroup": "due",
        "x": [_at(rows[i].due, 12) for i in dues], "y": list(dues),
        "customdata": [rows[i].path for i in dues], "hovertext": [rows[i].due_hover for i in dues],
        "hoverinfo": "text", "cliponaxis": False,
        "marker": {"symbol": "diamond-open", "size": 14, "color": NEUTRAL, "line": {"width": 2.5}},
    }
    return [(trace, dues)]


# -- dependency arrows ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Arrow:
    """A dependency drawn as an elbow: along the predecessor's row from its end, then down (or up) to
    the edge of the successor's bar, where the arrowhead is."""
    pred: int  # row index
    succ: int
    leave: str  # x where the line leaves the predecessor
    turn: str  # x where it turns towards the successor
    tip: float  # y of the arrowhead
    down: bool


def _arrows(rows: Sequence[GanttRow], index: dict[str, int], edges: Iterable[tuple[str, str]]) -> list[_Arrow]:
    """The arrows of the dependency `edges` whose two activities are both among `rows`, in edge order."""
    arrows = []
    for pred, succ in edges:
        a, b = index.get(f"activity:{pred}"), index.get(f"activity:{succ}")
        if a is not None and b is not None:
            arrows.append(_arrow(rows, a, b))
    return arrows


def _arrow(rows: Sequence[GanttRow], a: int, b: int) -> _Arrow:
    """The arrow from the row at index `a` to the row at index `b`."""
    ra, rb = rows[a], rows[b]
    leave = _at(ra.end, 12) if ra.milestone or ra.target else _at(ra.end + timedelta(days=1))
    reach = _at(rb.start or rb.end, 12)
    # a successor that starts before its predecessor ends gets its drop at the predecessor's end: never backwards
    turn = reach if datetime.fromisoformat(reach) >= datetime.fromisoformat(leave) else leave
    down = b > a
    tip = b - 0.42 if down else b + 0.42  # the top (or bottom) edge of the successor's bar
    return _Arrow(a, b, leave, turn, tip, down)


def _dependency_layers(arrows: Sequence[_Arrow]) -> list[Layer]:
    """The arrows' lines and their heads (nothing when there are no arrows)."""
    return [_dependency_lines(arrows), _arrowheads(arrows)] if arrows else []


def _dependency_lines(arrows: Sequence[_Arrow]) -> Layer:
    """Every arrow's line in one trace of segments; a null point ends each so they do not join up."""
    trace = {
        "type": "scatter", "mode": "lines", "name": "Dependency", "legendgroup": "dependency",
        "x": [x for arrow in arrows for x in (arrow.leave, arrow.turn, arrow.turn, None)],
        "y": [y for arrow in arrows for y in (arrow.pred, arrow.pred, arrow.tip, None)],
        "hoverinfo": "skip", "connectgaps": False, "cliponaxis": True,
        "line": {"color": NEUTRAL, "width": 1.2},
    }
    return trace, [r for arrow in arrows for r in (arrow.pred, arrow.pred, arrow.succ, -1)]


def _arrowheads(arrows: Sequence[_Arrow]) -> Layer:
    """One triangle per arrow, pointing into its successor's bar."""
    trace = {
        "type": "scatter", "mode": "markers", "name": "Dependency arrowheads", "legendgroup": "dependency",
        "showlegend": False, "x": [arrow.turn for arrow in arrows], "y": [arrow.tip for arrow in arrows],
        "hoverinfo": "skip", "cliponaxis": True,
        "marker": {"symbol": ["triangle-down" if arrow.down else "triangle-up" for arrow in arrows],
                   "size": 9, "color": NEUTRAL},
    }
    return trace, [[arrow.pred, arrow.succ] for arrow in arrows]  # a head is shown only when both ends are


# -- check-ins and today --------------------------------------------------------------------------

def _checkin_layer(checkins: Sequence[tuple[date, str]]) -> list[Layer]:
    """The stakeholder check-ins: pentagons on their own first row (nothing when there are none)."""
    if not checkins:
        return []
    trace = {
        "type": "scatter", "mode": "markers", "name": "Stakeholder check-in", "legendgroup": "checkin",
        "x": [_at(when, 12) for when, _ in checkins], "y": [0] * len(checkins),
        "hovertext": [_lines(f"Stakeholder check-in: {title}", f"{when}") for when, title in checkins],
        "hoverinfo": "text", "cliponaxis": False,
        "marker": {"symbol": "pentagon", "size": 15, "color": CHECKIN_COLOUR, "line": {"color": OUTLINE, "width": 1}},
    }
    return [(trace, [0] * len(checkins))]


def _checkin_lines(checkins: Sequence[tuple[date, str]]) -> list[dict]:
    """A dotted line down the chart, behind the bars, at each check-in."""
    return [{"type": "line", "xref": "x", "yref": "paper", "x0": _at(when, 12), "x1": _at(when, 12),
             "y0": 0, "y1": 1, "layer": "below", "line": {"color": CHECKIN_COLOUR, "width": 1, "dash": "dot"}}
            for when, _ in checkins]


def _today_line(today: date) -> dict:
    """A dashed line down the chart at today."""
    return {"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(), "x1": today.isoformat(),
            "y0": 0, "y1": 1, "name": "today", "line": {"color": TODAY_COLOUR, "width": 2, "dash": "dash"}}


def _today_label(today: date) -> dict:
    """The label "Today <date>" above the top of the today line."""
    return {"x": today.isoformat(), "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
            "text": f"Today {today.isoformat()}", "showarrow": False, "name": "today",
            "font": {"color": TODAY_COLOUR, "size": 12}, "bgcolor": "rgba(255,255,255,0.85)"}


# -- layout and axes ------------------------------------------------------------------------------

def _date_range(rows: Sequence[GanttRow], checkins: Sequence[tuple[date, str]], today: date) -> list[str]:
    """The x range that shows every date drawn and today, padded each side by a fortieth of it (a week at least)."""
    dates = [d for row in rows for d in (row.start, row.end, row.forecast_end, row.due) if d]
    dates += [when for when, _ in checkins] + [today]
    first, last = min(dates), max(dates)
    pad = max(7, (last - first).days // 40)
    return [_at(first - timedelta(days=pad)), _at(last + timedelta(days=pad))]


def _gantt_layout(rows: Sequence[GanttRow], checkins: Sequence[tuple[date, str]], today: date, full: list[str], *,
                  compact: bool, rangeslider: bool) -> dict:
    """The figure's layout: a window of WINDOW_ROWS rows over the range `full`, with the check-in and
    today lines; a compact chart has no legend, so less room above it."""
    window = min(len(rows), WINDOW_ROWS)
    return {
        "height": _gantt_height(window, rangeslider),
        # a fixed left margin for the labels: automargin would measure them and draw everything twice
        "margin": {"l": _label_margin(rows), "r": 20, "t": 50 if compact else 100, "b": 40},
        "barmode": "overlay",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "namelength": 0},
        "dragmode": "pan",
        "showlegend": not compact,
        "legend": _legend() if not compact else {},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": _date_axis(full, rangeslider),
        "yaxis": _row_axis(rows, window),
        "shapes": [*_checkin_lines(checkins), _today_line(today)],
        "annotations": [_today_label(today)],
    }


def _legend() -> dict:
    """A horizontal legend across the top; a click hides a trace, a double click shows it alone."""
    return {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
            "font": {"size": 11},
            "itemclick": "toggle", "itemdoubleclick": "toggleothers"}


def _date_axis(full: list[str], rangeslider: bool) -> dict:
    """The x axis over `full`, with range buttons and, on small enough timelines, a range slider."""
    return {
        "type": "date", "range": full, "autorange": False, "showgrid": True, "gridcolor": "rgba(128,128,128,0.25)",
        "tickformatstops": _date_tick_formats(),
        "side": "bottom", "showspikes": False, "fixedrange": False,
        "rangeselector": _range_buttons(),
        "rangeslider": {"visible": True, "thickness": 0.06, "yaxis": {"rangemode": "auto"}} if rangeslider
        else {"visible": False},
    }


def _date_tick_formats() -> list[dict]:
    """Date labels as precise as the zoom needs: weekdays when ticks are days apart, years when far apart."""
    return [
        {"dtickrange": [None, 86_400_000 * 2], "value": "%a %d %b"},
        {"dtickrange": [86_400_000 * 2, 86_400_000 * 8], "value": "%d %b"},
        {"dtickrange": [86_400_000 * 8, 86_400_000 * 40], "value": "%d %b %Y"},
        {"dtickrange": [86_400_000 * 40, 86_400_000 * 200], "value": "%b %Y"},
        {"dtickrange": [86_400_000 * 200, None], "value": "%Y"},
    ]


def _range_buttons() -> dict:
    """Buttons above the chart that zoom to the last 1, 3, 6 or 12 months, or all of it."""
    return {
        "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left", "font": {"size": 11},
        "bgcolor": "rgba(128,128,128,0.18)", "activecolor": "rgba(128,128,128,0.45)",
        "buttons": [
            {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
            {"count": 3, "label": "3m", "step": "month", "stepmode": "backward"},
            {"count": 6, "label": "6m", "step": "month", "stepmode": "backward"},
            {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
            {"label": "all", "step": "all"},
        ],
    }


def _row_axis(rows: Sequence[GanttRow], window: int) -> dict:
    """The y axis: one labelled tick per row, the first on top, showing `window` rows; it scrolls
    only when there are more rows than WINDOW_ROWS."""
    return {
        "type": "linear", "range": [window - 0.5, -0.5], "autorange": False,
        "tickmode": "array", "tickvals": list(range(len(rows))), "ticktext": [row.label for row in rows],
        "automargin": False, "showgrid": False, "zeroline": False, "fixedrange": len(rows) <= WINDOW_ROWS,
        "ticks": "", "tickfont": {"size": 12}, "ticklabeloverflow": "allow",
    }


# -- the rows charts.js filters and collapses -----------------------------------------------------

def _row_json(row: GanttRow, index: dict[str, int]) -> dict:
    """A row as charts.js reads it, with the index of the row it collapses into."""
    return {
        "key": row.key, "kind": row.kind, "goal": row.goal, "strategy": row.strategy, "owner": row.owner,
        "rag": row.rag, "parent": _parent_index(row, index), "depth": row.depth, "label": row.label,
        "path": row.path,
        "start": _iso(row.start), "end": _iso(row.end), "forecast_end": _iso(row.forecast_end),
        "milestone": row.milestone, "target": row.target, "critical": row.critical,
        "progress": round(row.progress, 1) if row.progress is not None else None,
    }


def _parent_index(row: GanttRow, index: dict[str, int]) -> int | None:
    """The index of a row's parent: a strategy's goal; an activity's strategy, or its goal when it
    has none among the rows; None for goals and check-ins."""
    if row.kind == "strategy":
        return index.get(f"goal:{row.goal}")
    if row.kind != "activity":
        return None
    parent = index.get(f"strategy:{row.strategy}") if row.strategy else None
    return parent if parent is not None else index.get(f"goal:{row.goal}")


# ---------------------------------------------------------------------------------------------
# line charts: colours over time, burn-up, a goal's metric
