"""The default theme's colours: WCAG AA contrast in light and dark mode, and a RAG palette that
people with colour-vision deficiency can tell apart.

Colour-vision deficiency is simulated with Machado, Oliveira & Fernandes (2009) at full severity
(protanopia, deuteranopia, tritanopia), in linear sRGB; colours are compared with CIEDE2000.
A difference of 10 or more is plainly visible; the palette must keep at least MIN_DELTA_E between
every pair of RAG colours for normal vision and each simulated deficiency.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from datetime import date

import pytest

from roadmapgen.site import views
from roadmapgen.site.render import theme_dir

KEYS = ("green", "amber", "red", "complete", "cancelled")
MIN_DELTA_E = 12.0
AA_TEXT = 4.5
MACHADO = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


# -- colour science ---------------------------------------------------------------------------
def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def lab(lin: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def seen_as(hex_colour: str, vision: str) -> tuple[float, float, float]:
    lin = [linear(c) for c in rgb(hex_colour)]
    m = MACHADO[vision]
    return lab(tuple(min(1.0, max(0.0, sum(m[i][j] * lin[j] for j in range(3)))) for i in range(3)))


def ciede2000(lab1, lab2) -> float:
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhp / sh) ** 2 + rt * (dc / sc) * (dhp / sh))


def closest_pair(palette: dict[str, str]) -> tuple[float, str]:
    worst = (math.inf, "")
    for vision in MACHADO:
        for a, b in itertools.combinations(palette, 2):
            d = ciede2000(seen_as(palette[a], vision), seen_as(palette[b], vision))
            worst = min(worst, (d, f"{a}/{b} under {vision}"))
    return worst


# -- the theme's variables --------------------------------------------------------------------
def css_variables() -> dict[str, dict[str, str]]:
    """{'light': {name: value}, 'dark': {...}} from site.css: :root, then its dark-mode :root."""
    css = (theme_dir() / "assets" / "css" / "site.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    light_block = re.search(r"^:root\s*\{(.*?)\}", css, re.S | re.M).group(1)
    dark_media = re.search(r"@media[^{]*prefers-color-scheme:\s*dark[^{]*\{\s*:root\s*\{(.*?)\}", css, re.S).group(1)
    parse = lambda block: dict(re.findall(r"--([\w-]+)\s*:\s*([^;]+);", block))  # noqa: E731
    light = parse(light_block)
    return {"light": light, "dark": {**light, **parse(dark_media)}}


VARS = css_variables()
MODES = ("light", "dark")


@pytest.mark.parametrize("mode", MODES)
def test_the_css_palette_is_the_one_charts_read_from_views(mode):
    for key in KEYS:
        assert VARS[mode][f"rag-{key}"].lower() == views.RAG_PALETTE[mode][key], (mode, key)
        assert VARS[mode][f"rag-{key}-text"].lower() == views.RAG_TEXT[mode][key], (mode, key)


@pytest.mark.parametrize("mode", MODES)
def test_rag_colours_are_told_apart_with_any_colour_vision(mode):
    distance, pair = closest_pair({key: VARS[mode][f"rag-{key}"] for key in KEYS})
    assert distance >= MIN_DELTA_E, f"{mode}: {pair} differ by only ΔE2000 {distance:.1f}"


@pytest.mark.parametrize("mode", MODES)
def test_text_meets_wcag_aa_on_every_background(mode):
    v = VARS[mode]
    failures = []
    for bg in ("bg", "panel", "panel-2"):
        for fg in ("fg", "muted", "link", *KEYS):
            ratio = contrast(v[fg], v[bg])
            if ratio < AA_TEXT:
                failures.append(f"--{fg} on --{bg}: {ratio:.2f}")
    for key in KEYS:
        ratio = contrast(v[f"rag-{key}-text"], v[f"rag-{key}"])
        if ratio < AA_TEXT:
            failures.append(f"badge {key}: {ratio:.2f}")
        ratio = contrast(v[key], v[f"{key}-bg"])
        if ratio < AA_TEXT:
            failures.append(f"--{key} on --{key}-bg: {ratio:.2f}")
    assert failures == [], f"{mode} mode: " + "; ".join(failures)


@pytest.mark.parametrize("mode", MODES)
def test_focus_ring_stands_out_from_the_page(mode):
    assert contrast(VARS[mode]["focus"], VARS[mode]["bg"]) >= 3
    assert contrast(VARS[mode]["focus"], VARS[mode]["panel"]) >= 3


def test_complete_is_blue_and_cancelled_is_grey():
    for mode in MODES:
        r, g, b = rgb(VARS[mode]["rag-complete"])
        assert b > r and b > g, mode
        r, g, b = rgb(VARS[mode]["rag-cancelled"])
        assert max(r, g, b) - min(r, g, b) < 0.1, mode


def test_the_simulation_does_flag_a_classic_red_green_pair():
    distance, pair = closest_pair({"green": "#2da44e", "red": "#cf222e"})
    assert distance < MIN_DELTA_E and "deuteranopia" in pair


@pytest.fixture(scope="module")
def example_pages():
    from roadmapgen.diagnostics import Diagnostics
    from roadmapgen.engine.pipeline import compute_roadmap
    from roadmapgen.site.pages import site_pages
    from tests.conftest import EXAMPLE_TODAY, REPO

    computed = compute_roadmap(REPO, Diagnostics(), date.fromisoformat(EXAMPLE_TODAY))
    return {page.path: page for page in site_pages(computed)}


def _rag_of_trace_name(name: str) -> str | None:
    return next((key for key in KEYS if name in (views.RAG_LABELS[key], f"{views.RAG_ICONS[key]} {views.RAG_LABELS[key]}")), None)


def test_chart_colours_follow_the_theme_palette(example_pages):
    """Every colour the charts draw for a RAG key is the theme's light --rag-<key> (site.css), and
    the text inside a bar its --rag-<key>-text: read from the charts as built, not from a constant."""
    light = VARS["light"]
    timeline = json.loads(example_pages["timeline.html"].context.chart.spec_json)
    drawn = 0
    for trace in timeline["figure"]["data"]:
        key = _rag_of_trace_name(trace.get("name", ""))
        if key is not None:
            assert trace["marker"]["color"] == light[f"rag-{key}"].lower(), key
            assert trace["insidetextfont"]["color"] == light[f"rag-{key}-text"].lower(), key
            drawn += 1
        if trace.get("name") == "Milestone":
            rows = timeline["rows"]
            for colour, row in zip(trace["marker"]["color"], trace["y"]):
                assert colour == light[f"rag-{rows[row]['rag']}"].lower()
                drawn += 1
    history = example_pages["status.html"].context.dashboard.history_charts
    counts = json.loads(history[0].spec_json)["figure"]["data"]
    for trace in counts:
        key = _rag_of_trace_name(trace["name"])
        assert trace["fillcolor"] == light[f"rag-{key}"].lower(), key
        drawn += 1
    assert drawn >= 8
