"""Plotly figure specs for the site's charts, as plain dicts and lists (no plotly.graph_objects).

Every chart is a `ChartView`: a figure spec (`{"data": [...], "layout": {...}}` plus, for the
Gantt timeline, the rows and per-point row indexes that assets/js/charts.js needs to filter,
collapse and re-plot it in the browser), a one-paragraph text summary, and, where cheap, a
data table for readers who cannot see the chart.

Author text (titles, names, reasons, units) enters chart data only through `plotly_text`,
which escapes `&`, `<`, `>` and `%{`: Plotly reads a few HTML tags in hover, tick and bar
text, so an unescaped title could otherwise inject markup, and it fills in `%{…}` in a hover
template, so a unit such as `%{y:,.1000000f}` would run Plotly's formatter on the author's terms. The JSON itself is made safe for `<script>`
by the `json_script` filter (render.py). The shapes are documented in docs/timeline.md and
docs/dashboards.md.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from dataclasses import InitVar, dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Mapping

from markupsafe import Markup

from roadmapgen.names import RAG_ICONS, RAG_KEYS, RAG_LABELS, RAG_PALETTE
from roadmapgen.names import RAG_TEXT as _RAG_TEXT
from roadmapgen.quantities import places_of
from roadmapgen.site.views import fmt_number

DAY_MS = 86_400_000
# Bar fills and the text that reads on them: the theme's light palette (names.py), told apart
# under colour-vision deficiency, text at AA contrast. charts.js swaps nothing: dark mode keeps
# these fills, which read on both backgrounds.
RAG_COLOURS = RAG_PALETTE["light"]
RAG_TEXT = _RAG_TEXT["light"]
OUTLINE = "#1b1f24"
NEUTRAL = "#57606a"
CHECKIN_COLOUR = "#8250df"
TODAY_COLOUR = "#cf222e"


AXIS_TITLE_FRAME = 120  # pixels of a line chart's height not beside its plot (legend, margins, axis)
AXIS_TITLE_CHAR = 8  # pixels per character of an axis title
LABEL_CHARS = 44  # y-axis labels are cut to this many characters (the hover has the full title)
WRAP = 90  # hover lines wrap at about this many characters

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}


# ---------------------------------------------------------------------------------------------
# text


def json_for_script(value: object) -> Markup:
    """Jinja's `tojson` (no '</script>' or '<!--' can end the script), compact and UTF-8, with
    U+2028 and U+2029 escaped too, which older JavaScript parsers take for line ends.

    The same text as `htmlsafe_json_dumps` followed by those two escapes, made on a plain string
    and wrapped once: each step on a Markup copied the whole text again (a tenth of the pages
    stage at 10,000 activities, whose charts hold tens of MB of JSON)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return Markup(text)


_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def plotly_text(value: object) -> str:
    """Author text as data for Plotly's hover, tick, legend and bar text: `&`, `<`, `>` and
    the `%` of `%{` escaped.

    Plotly turns `&amp;`, `&lt;`, `&gt;` and `&#37;` back into the characters when it draws,
    as text, so a title shows as written, can never become a tag, and a `%{x}` in it is never
    filled in by a hover template.
    """
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%{", "&#37;{"))


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lines(*parts: str | None, wrap: int = WRAP) -> str:
    """Plain-text lines, each escaped and wrapped, joined with Plotly's <br>."""
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        if len(part) <= wrap and not _WRAPPED_SPACE.search(part) and not part[-1].isspace():
            out.append(plotly_text(part))  # what textwrap would give, without its cost
            continue
        out.extend(plotly_text(line) for line in _wrapped(part, wrap))
    return "<br>".join(out)


@functools.lru_cache(maxsize=1 << 16)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """textwrap's lines of `text`, remembered: `serve`'s rebuilds wrap the same hover texts again."""
    return tuple(textwrap.wrap(text, width)) or ("",)


_WRAPPED_SPACE = re.compile("[\t\n\x0b\x0c\r]")  # the whitespace textwrap would turn into spaces


def _bold(text: str) -> str:
    return f"<b>{plotly_text(text)}</b>"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _days(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _at(value: date, hour: int = 0) -> str:
    """A point in time on a date axis, as Plotly reads it."""
    return datetime(value.year, value.month, value.day, hour).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------
# views


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table, for readers who cannot see the chart."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FilterOption:
    """One choice of a chart's filter."""

    value: str
    label: str


@dataclass(frozen=True)
class ChartView:
    """One chart: its element id, title, Plotly spec, a text summary and an optional data table.

    The spec is given as a dict, or as its JSON already made (a Markup, from `json_for_script`),
    and kept only as its JSON, ready for a <script> (`spec_json`): a finished, immutable value
    that templates print as it is.
    """

    id: str
    title: str
    kind: str  # "gantt" | "lines"
    spec: InitVar[dict | Markup]
    summary: str
    table: DataTable | None = None
    height: int = 320  # pixels reserved before the chart draws
    filters: Mapping[str, tuple[FilterOption, ...]] = field(default_factory=lambda: MappingProxyType({}))
    collapsible: bool = False
    depends_on: frozenset[str] = frozenset()  # "kind:id" of every item whose values the chart shows
    spec_json: Markup = field(init=False, repr=False, default=Markup(""))

    def __post_init__(self, spec: dict | Markup) -> None:
        object.__setattr__(self, "spec_json", spec if isinstance(spec, Markup) else json_for_script(spec))


# ---------------------------------------------------------------------------------------------


def _line_layout(height: int, y_title: str, *, percent: bool = False, legend: bool = True) -> dict:
    """The layout of a line chart over dates."""
    return {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 30, "b": 40},
        "hovermode": "x unified",
        "hoverlabel": {"align": "left", "namelength": -1},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": legend,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 11}},
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": "rgba(128,128,128,0.25)", "automargin": True},
        "yaxis": {"title": {"text": _axis_title(y_title, height)}, "automargin": True,
                  "gridcolor": "rgba(128,128,128,0.25)",
                  "zeroline": False, **({"ticksuffix": "%", "range": [0, 100]} if percent else {})},
        "shapes": [],
    }


def _axis_title(text: str, height: int) -> str:
    """A y-axis title broken into lines that fit along the plot: Plotly draws it on one line,
    centred, and clips what runs past the chart's top and bottom (a long metric name lost its
    first and last letters at any width)."""
    per_line = max(14, (height - AXIS_TITLE_FRAME) // AXIS_TITLE_CHAR)
    return "<br>".join(textwrap.wrap(text, per_line, break_long_words=False, break_on_hyphens=False)) or text


def _today_shape(today: date) -> dict:
    """A dashed line at today."""
    return {"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(), "x1": today.isoformat(),
            "y0": 0, "y1": 1, "name": "today", "line": {"color": TODAY_COLOUR, "width": 1.5, "dash": "dash"}}


def counts_chart(history, chart_id: str = "chart-colours", kind: str = "activities") -> ChartView | None:
    """How many items had each colour at every history date: a stacked area, worst colour on top."""
    if history is None or not history.points:
        return None
    points = history.points
    dates = [p.date.isoformat() for p in points]
    traces = []
    for key in reversed(RAG_KEYS):  # stack from cancelled at the bottom to red on top
        values = [getattr(p, kind).get(key, 0) for p in points]
        if not any(values):
            continue
        traces.append({"type": "scatter", "mode": "lines", "stackgroup": "rag", "name": f"{RAG_ICONS[key]} {RAG_LABELS[key]}",
                       "x": dates, "y": values, "line": {"color": RAG_COLOURS[key], "width": 1},
                       "fillcolor": RAG_COLOURS[key], "hovertemplate": "%{y}"})
    layout = _line_layout(320, f"Number of {kind}")
    layout["shapes"].append(_today_shape(history.today))
    last, first = points[-1], points[0]
    now = ", ".join(f"{getattr(last, kind).get(k, 0)} {RAG_LABELS[k].lower()}" for k in RAG_KEYS
                    if getattr(last, kind).get(k, 0))
    summary = f"On {last.date}: {now}."
    if len(points) > 1:
        before = ", ".join(f"{getattr(first, kind).get(k, 0)} {RAG_LABELS[k].lower()}" for k in RAG_KEYS
                           if getattr(first, kind).get(k, 0))
        summary += f" On {first.date}: {before}. {len(points)} dates in between, from the dated updates."
    table = DataTable(f"{kind.title()} by colour at each update date",
                      ("Date", *(f"{RAG_ICONS[k]} {RAG_LABELS[k]}" for k in RAG_KEYS)),
                      tuple((p.date.isoformat(), *(str(getattr(p, kind).get(k, 0)) for k in RAG_KEYS)) for p in points))
    return ChartView(chart_id, f"{kind.title()} by colour over time", "lines",
                     {"kind": "lines", "figure": {"data": traces, "layout": layout}, "config": PLOTLY_CONFIG},
                     summary, table, 320)


def burnup_chart(history, chart_id: str = "chart-burnup") -> ChartView | None:
    """Work done against all work (scope), in working days, at every history date."""
    if history is None or not history.points:
        return None
    points = history.points
    dates = [p.date.isoformat() for p in points]
    done = [round(p.done_days, 1) for p in points]
    total = [round(p.total_days, 1) for p in points]
    pct = [f"{p.completion:.0f}%" if p.completion is not None else "—" for p in points]
    traces = [
        {"type": "scatter", "mode": "lines", "name": "All work (scope)", "x": dates, "y": total,
         "line": {"color": NEUTRAL, "width": 2, "dash": "dash"}, "hovertemplate": "%{y} working days"},
        {"type": "scatter", "mode": "lines+markers", "name": "Work done", "x": dates, "y": done,
         "customdata": pct, "line": {"color": RAG_COLOURS["complete"], "width": 3}, "fill": "tozeroy",
         "fillcolor": "rgba(76,110,245,0.15)", "hovertemplate": "%{y} working days (%{customdata})"},
    ]
    layout = _line_layout(320, "Working days")
    layout["shapes"].append(_today_shape(history.today))
    last = points[-1]
    summary = (f"On {last.date} {last.done_days:,.0f} of {last.total_days:,.0f} working days of work are done "
               f"({_pct(last.completion)} complete).")
    if len(points) > 1:
        first = points[0]
        summary += f" On {first.date}: {first.done_days:,.0f} of {first.total_days:,.0f} ({_pct(first.completion)})."
    table = DataTable("Work done and all work at each update date", ("Date", "Done (working days)",
                      "All work (working days)", "Complete"),
                      tuple((p.date.isoformat(), f"{p.done_days:,.1f}", f"{p.total_days:,.1f}", _pct(p.completion))
                            for p in points))
    return ChartView(chart_id, "Completion over time (burn-up)", "lines",
                     {"kind": "lines", "figure": {"data": traces, "layout": layout}, "config": PLOTLY_CONFIG},
                     summary, table, 320)


def metric_chart(computed, goal_id: str, chart_id: str | None = None, height: int = 280) -> ChartView | None:
    """A goal's metric over time against its straight path from baseline to target."""
    goal = computed.roadmap.goals[goal_id]
    metric = goal.metric
    if metric is None:
        return None
    history = computed.history
    series = list(history.metrics.get(goal_id, ())) if history else []
    path = history.metric_path.get(goal_id) if history else None
    current = computed.tracking.goals[goal_id].metric
    expected = computed.status.metric_expected.get(goal_id)
    today = computed.today
    unit = metric.unit or ""
    name = plotly_text(metric.name)
    traces = []
    if path:
        (start, baseline), (due, target) = path
        traces.append({"type": "scatter", "mode": "lines+markers", "name": "Path to target",
                       "x": [start.isoformat(), due.isoformat()], "y": [baseline, target],
                       "line": {"color": NEUTRAL, "dash": "dash", "width": 2},
                       "marker": {"symbol": ["circle-open", "star"], "size": [8, 14]},
                       "hovertemplate": "path %{y}" + plotly_text(f" {unit}" if unit and unit != "%" else unit)})
    if series:
        traces.append({"type": "scatter", "mode": "lines+markers", "name": f"{name} (actual)",
                       "x": [when.isoformat() for when, _ in series], "y": [value for _, value in series],
                       "line": {"color": RAG_COLOURS["complete"], "width": 3}, "marker": {"size": 8},
                       "hovertemplate": "actual %{y}"})
    if expected is not None:
        traces.append({"type": "scatter", "mode": "markers", "name": "Expected today",
                       "x": [today.isoformat()], "y": [expected],
                       "marker": {"symbol": "diamond-open", "size": 13, "color": TODAY_COLOUR, "line": {"width": 2}},
                       "hovertemplate": "expected today %{y:.2f}"})
    layout = _line_layout(height, plotly_text(f"{metric.name}" + (f" ({unit})" if unit else "")))
    layout["shapes"].append(_today_shape(today))
    title = f"{metric.name}: actual against the path to target"
    places = places_of(metric.baseline, metric.target, current)
    bits = [f"{metric.name} is {fmt_number(current, metric.unit)}" if current is not None
            else f"{metric.name} has no current value yet"]
    if expected is not None:
        bits.append(f"the path expects {fmt_number(expected, metric.unit, places)} on {today}")
    bits.append(f"the target is {fmt_number(metric.target, metric.unit)} by {goal.due}, "
                f"from a baseline of {fmt_number(metric.baseline, metric.unit)} ({metric.direction})")
    summary = "; ".join(bits) + "."
    rows = [(when.isoformat(), fmt_number(value, metric.unit), "actual") for when, value in series]
    if path:
        rows = [(path[0][0].isoformat(), fmt_number(path[0][1], metric.unit), "baseline (path start)"), *rows,
                (path[1][0].isoformat(), fmt_number(path[1][1], metric.unit), "target (path end)")]
    if expected is not None:
        rows.append((today.isoformat(), fmt_number(expected, metric.unit, places), "expected today"))
    rows.sort(key=lambda r: r[0])
    table = DataTable(f"{metric.name} values", ("Date", "Value", "What"), tuple(rows))
    return ChartView(chart_id or f"chart-metric-{goal_id}", title, "lines",
                     {"kind": "lines", "figure": {"data": traces, "layout": layout}, "config": PLOTLY_CONFIG},
                     summary, table, height, depends_on=frozenset({f"goal:{goal_id}"}))


# Distinguishable line colours for a milestone trend (Okabe–Ito, readable for colour-blind readers)
TREND_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999999")
MAX_TREND_LINES = 8


def trend_chart(computed, items: list[tuple[str, str, str]], chart_id: str, title: str,
                height: int = 320) -> ChartView | None:
    """Milestone trend analysis: each item's forecast end at every committed version (report date
    on x, forecast on y). A flat line holds its date; a rising one slips. `items` are (kind, id,
    name); the first MAX_TREND_LINES with a trend are drawn, the table holds them all."""
    plan = computed.plan_history
    if plan is None or plan.unavailable or not plan.versions:
        return None
    found = [(k, i, name, plan.of(k, i)) for k, i, name in items]
    found = [(k, i, name, h) for k, i, name, h in found if h is not None and h.trend]
    if not found:
        return None
    traces, rows = [], []
    for n, (kind, item_id, name, h) in enumerate(found):
        rows += [(when.isoformat(), plotly_text(name), forecast.isoformat()) for when, forecast in h.trend]
        if n < MAX_TREND_LINES:
            traces.append({"type": "scatter", "mode": "lines+markers", "name": plotly_text(_cut(name)),
                           "x": [when.isoformat() for when, _ in h.trend],
                           "y": [forecast.isoformat() for _, forecast in h.trend],
                           "line": {"color": TREND_COLOURS[n], "width": 2, "shape": "hv"},
                           "marker": {"size": 7, "symbol": n % 12},
                           "hovertemplate": plotly_text(_cut(name)) + ": forecast %{y}<extra></extra>"})
    # the diagonal over the report dates only: an item on it is forecast to end on the day it is reported
    low, high = min(v.day for v in plan.versions), max(v.day for v in plan.versions)
    traces.append({"type": "scatter", "mode": "lines", "name": "Report date = forecast",
                   "x": [low.isoformat(), high.isoformat()], "y": [low.isoformat(), high.isoformat()],
                   "line": {"color": NEUTRAL, "dash": "dot", "width": 1}, "hoverinfo": "skip"})
    layout = _line_layout(height, "Forecast end")
    layout["hovermode"] = "closest"
    layout["yaxis"]["type"] = "date"
    layout["xaxis"]["title"] = {"text": "Report date (commit)"}
    slipped = [(name, h) for _, _, name, h in found if h.slipped_days > 0]
    worst = max(slipped, key=lambda x: x[1].slipped_days, default=None)
    summary = (f"{len(found)} milestones over {len(plan.versions)} committed versions; "
               + (f"{len(slipped)} slipped, most of all {worst[0]} (+{worst[1].slipped_days} working days in "
                  f"{worst[1].slips} slip{'s' if worst[1].slips != 1 else ''})." if worst else "none slipped."))
    table = DataTable(f"{title}: forecast end at each report date", ("Report date", "Milestone", "Forecast end"),
                      tuple(sorted(rows)))
    depends = frozenset(f"{k}:{i}" for k, i, _, _ in found)
    return ChartView(chart_id, title, "lines", {"kind": "lines", "figure": {"data": traces, "layout": layout},
                                               "config": PLOTLY_CONFIG}, summary, table, height, depends_on=depends)
