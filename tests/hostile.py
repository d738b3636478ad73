"""A roadmap with a script payload in every field an author can type."""

from __future__ import annotations

import json
from pathlib import Path

MARK = "PWNED"
# Each payload, if it ever ran, sets window.__pwned and logs the marker.
PAYLOADS = (
    f'<script>window.__pwned=1;console.error("{MARK}")</script>',
    f'"><img src=x onerror="window.__pwned=1;console.error(\'{MARK}\')">',
    "'><svg onload=\"window.__pwned=1\"></svg>",
    '</script><script>window.__pwned=1</script>',
    "<b>bold</b>&amp;{{ 7*7 }}",
    "=HYPERLINK(\"http://evil.example\")",
)


def payload(index: int) -> str:
    return f"P{index} " + PAYLOADS[index % len(PAYLOADS)]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


BODY = """
Raw HTML: <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">

[a javascript link](javascript:window.__pwned=1) and [another](JaVaScRiPt:alert(1))
and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and <javascript:alert(1)>

| cell | <script>window.__pwned=1</script> |
|---|---|
| x | y |
"""


EMAIL = 'eve@example.com"><script>window.__pwned=1</script>'


def write_hostile_project(root: Path) -> Path:
    n = iter(range(1000))
    files = {
        "roadmap.yml": (
            f"title: {q(payload(next(n)))}\ndescription: {q(payload(next(n)))}\nstart: 2026-01-05\ntoday: 2026-03-04\n"
            f"calendar:\n  holidays:\n    - {{date: 2026-04-03, name: {q(payload(next(n)))}}}\n"
            f"checkins:\n  stakeholder:\n    - {{date: 2026-03-20, title: {q(payload(next(n)))}}}\n"),
        "content/people/eve.md": (
            f"---\nname: {q(payload(next(n)))}\nrole: {q(payload(next(n)))}\nteam: {q(payload(next(n)))}\n"
            f"email: {q(EMAIL)}\n"
            f"time_off:\n  - {{from: 2026-03-09, to: 2026-03-10, note: {q(payload(next(n)))}}}\n---\n{BODY}"),
        "content/tools/box.md": (
            f"---\nname: {q(payload(next(n)))}\nkind: {q(payload(next(n)))}\ncost: {q(payload(next(n)))}\n"
            f"notes: {q(payload(next(n)))}\n---\n{BODY}"),
        "content/goals/grow.md": (
            f"---\ntitle: {q(payload(next(n)))}\nowner: eve\nstart: 2026-01-05\ndue: 2026-12-31\n"
            f"why: {q(payload(next(n)))}\ntags: [{q(payload(next(n)))}]\n"
            f"metric: {{name: {q(payload(next(n)))}, unit: {q('<i>u</i>')}, baseline: 1, target: 9, current: 3}}\n"
            f"rag: amber\nrag_reason: {q(payload(next(n)))}\n---\n{BODY}"),
        "content/strategies/plan.md": (
            f"---\ntitle: {q(payload(next(n)))}\ngoal: grow\nowner: eve\ndue: 2026-09-30\n"
            f"tags: [{q(payload(next(n)))}]\n---\n{BODY}"),
        "content/activities/first.md": (
            f"---\ntitle: {q(payload(next(n)))}\nstrategy: plan\nowner: eve\nstart: 2026-02-02\nduration: 3w\n"
            f"progress: 20\nstatus: in-progress\nresources: [eve, {{id: box, load: 50}}]\n"
            f"tags: [{q(payload(next(n)))}]\nrag: red\nrag_reason: {q(payload(next(n)))}\n---\n{BODY}"),
        "content/activities/second.md": (
            f"---\ntitle: {q(payload(next(n)))}\nstrategy: plan\nowner: eve\ndepends_on: [first]\nduration: 0d\n---\n"),
        "content/activities/third.md": (
            f"---\ntitle: {q(payload(next(n)))}\ngoal: grow\nowner: eve\ndepends_on: [second]\nduration: 5d\n"
            f"status: blocked\n---\n{BODY}"),
        "content/updates/week-1.md": (
            f"---\ntitle: {q(payload(next(n)))}\ndate: 2026-03-02\nauthor: eve\nitems:\n"
            f"  - {{ref: first, progress: 20, note: {q(payload(next(n)))}, rag: red, rag_reason: {q(payload(next(n)))}}}\n"
            f"  - {{ref: grow, metric: 3, note: {q(payload(next(n)))}}}\n---\n{BODY}"),
        "content/reviews/q1.md": (
            f"---\ntitle: {q(payload(next(n)))}\nquarter: 2026-Q1\ndate: 2026-03-03\nattendees: [eve]\n"
            f"decisions: [{q(payload(next(n)))}, {q(payload(next(n)))}]\n---\n{BODY}"),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
