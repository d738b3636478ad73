"""Property tests: whatever a roadmap holds, loading, validating, scheduling and status only ever
produce diagnostics — never an exception.

Random text, random YAML of random types for every content type, random bytes, and random
small roadmaps (dangling references, cycles, extreme dates) are written to a temporary folder
and run through the whole engine. bench/fuzz_loader.py runs the loader part at scale.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.config import load_config
from roadmapgen.content.frontmatter import FrontMatterError, read_document
from roadmapgen.content.loader import ContentFile, load_content, load_file
from roadmapgen.content.schema import SCHEMAS
from roadmapgen.diagnostics import Diagnostics, Severity
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.model import FOLDERS, PLURAL, Config
from tests.site.test_broken_corpus import documented_codes

CODES = documented_codes()
SCALE = float(os.environ.get("ROADMAPGEN_PROPERTY_SCALE", "1"))  # e.g. 50 for a long hunt
FAST = settings(max_examples=int(150 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=int(80 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAMLISH = st.text(alphabet=":-[]{}&*!|>'\"#%@` \n\t,?.~<=\\abcdxyz019" + "\u00e9\u2028\ufeff\x00\x85", max_size=200)


def assert_only_diagnostics(diagnostics: Diagnostics) -> None:
    for d in diagnostics:
        assert d.code in CODES, d
        assert isinstance(d.line, int) and d.line >= 0 and isinstance(d.column, int) and d.column >= 0, d
        assert d.severity in (Severity.ERROR, Severity.WARNING)
        assert d.message and "Traceback" not in d.message
        d.as_text(), d.as_github(), d.as_dict()


# -- front matter text ------------------------------------------------------------------------------


@FAST
@given(st.text(max_size=300))
def test_read_document_on_any_text_raises_only_front_matter_errors(text):
    try:
        read_document(text)
    except FrontMatterError as error:
        assert error.code in CODES and error.line >= 0


@FAST
@given(YAMLISH, st.text(max_size=50))
def test_yaml_ish_front_matter_raises_only_front_matter_errors(front, body):
    try:
        document = read_document(f"---\n{front}\n---\n{body}")
    except FrontMatterError as error:
        assert error.code in CODES
        assert 1 <= error.line <= front.count("\n") + 3 or error.code == "unclosed-front-matter", (error.line, front)
        return
    for line, column in document.front.positions.values():
        assert 2 <= line <= front.count("\n") + 2 and column >= 1


# -- random values of random types, for every content type -----------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
           | st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
           | st.sampled_from(["5d", "0d", "3w", "99999w", "2026-02-30", "30/01/2026", "Jan 5", "goal:x", "red",
                              "done", "2026-Q3", "mon", "-1", "1e999", "nan", "12%", ""]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                            max_size=4), max_leaves=12)


def field_names(kind: str) -> list[str]:
    names = []
    for name, info in SCHEMAS[kind].model_fields.items():
        names.append(info.alias or name)
    return names + ["id", "ref", "name", "baseline", "target", "from", "to", "load", "items", "metric"]


@st.composite
def front_matter(draw):
    kind = draw(st.sampled_from(sorted(SCHEMAS)))
    keys = st.sampled_from(field_names(kind)) | st.text(max_size=10)
    data = draw(st.dictionaries(keys, VALUES, max_size=10))
    return kind, data


def _write(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@FAST
@given(front_matter(), st.text(max_size=40))
def test_random_typed_front_matter_gives_an_item_or_diagnostics(kind_and_data, body):
    kind, data = kind_and_data
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), f"content/{PLURAL[kind]}/item.md", text.encode("utf-8", "surrogatepass"))
        diagnostics = Diagnostics()
        item = load_file(ContentFile(kind, "item", path, f"content/{PLURAL[kind]}/item.md"), Config(), diagnostics)
    assert_only_diagnostics(diagnostics)
    if item is None:
        assert diagnostics.has_errors(), "a file that is dropped must say why"


@FAST
@given(st.sampled_from(sorted(FOLDERS)), st.binary(max_size=400))
def test_random_bytes_in_a_content_file(folder, data):
    with tempfile.TemporaryDirectory() as root:
        _write(Path(root), "roadmap.yml", b"title: T\n")
        _write(Path(root), f"content/{folder}/item.md", data)
        diagnostics = Diagnostics()
        load_content(Path(root), Config(), diagnostics)
    assert_only_diagnostics(diagnostics)


@FAST
@given(st.binary(max_size=300) | YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | st.dictionaries(st.sampled_from(["title", "start", "today", "calendar", "status", "checkins", "theme",
                                          "markdown", "base_url", "x"]), VALUES, max_size=6)
       .map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8", "surrogatepass")))
def test_random_roadmap_yml_gives_a_config_and_diagnostics(data):
    with tempfile.TemporaryDirectory() as root:
        path = _write(Path(root), "roadmap.yml", data)
        diagnostics = Diagnostics()
        config = load_config(path, diagnostics)
    assert isinstance(config, Config)
    assert_only_diagnostics(diagnostics)


# -- random small roadmaps, through the whole engine ---------------------------------------------------

IDS = ["a", "b", "c", "d", "e"]
DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)) | st.dates(
    min_value=date(2025, 12, 1), max_value=date(2027, 2, 1))
MAYBE = lambda strategy: st.none() | strategy  # noqa: E731


def _yaml(fields: dict) -> str:
    return "---\n" + yaml.safe_dump({k: v for k, v in fields.items() if v is not None}, sort_keys=False) + "---\n"


@st.composite
def roadmaps(draw) -> dict[str, str]:
    files: dict[str, str] = {}
    ids = st.sampled_from(IDS)
    for gid in draw(st.lists(ids, max_size=3, unique=True)):
        metric = draw(MAYBE(st.fixed_dictionaries({
            "name": st.just("m"), "baseline": st.integers(-5, 5) | st.floats(-1e12, 1e12),
            "target": st.integers(-5, 5) | st.floats(-1e12, 1e12), "current": MAYBE(st.integers(-10, 10))})))
        files[f"content/goals/{gid}.md"] = _yaml({
            "title": f"Goal {gid}", "due": draw(DAYS), "start": draw(MAYBE(DAYS)), "metric": metric,
            "status": draw(st.sampled_from(["planned", "active", "done", "paused", "cancelled"])),
            "owner": draw(MAYBE(ids))})
    for sid in draw(st.lists(ids, max_size=3, unique=True)):
        files[f"content/strategies/{sid}.md"] = _yaml({
            "title": f"Strategy {sid}", "goal": draw(ids), "due": draw(DAYS), "start": draw(MAYBE(DAYS)),
            "status": draw(st.sampled_from(["planned", "active", "done", "paused", "cancelled"]))})
    for aid in draw(st.lists(ids, max_size=5, unique=True)):
        parent = draw(st.sampled_from(["strategy", "goal"]))
        files[f"content/activities/{aid}.md"] = _yaml({
            "title": f"Activity {aid}", parent: draw(ids), "start": draw(MAYBE(DAYS)), "due": draw(MAYBE(DAYS)),
            "duration": draw(MAYBE(st.sampled_from(["0d", "1d", "5d", "3w", "400w", "5000d"]))),
            "depends_on": draw(st.lists(ids, max_size=3)), "progress": draw(MAYBE(st.integers(0, 100))),
            "status": draw(st.sampled_from(["not-started", "in-progress", "done", "blocked", "paused", "cancelled"])),
            "owner": draw(MAYBE(ids)),
            "resources": draw(st.lists(st.fixed_dictionaries({"id": ids, "load": st.integers(0, 100)}), max_size=2)),
            "rag": draw(MAYBE(st.sampled_from(["green", "amber", "red"]))), "rag_reason": "because"})
    for pid in draw(st.lists(ids, max_size=2, unique=True)):
        start = draw(DAYS)
        files[f"content/people/{pid}.md"] = _yaml({
            "name": pid, "capacity": draw(st.integers(0, 200)),
            "time_off": [{"from": start, "to": draw(DAYS)}] if draw(st.booleans()) else None})
    for index in range(draw(st.integers(0, 3))):
        items = draw(st.lists(st.fixed_dictionaries({
            "ref": st.sampled_from(IDS + ["goal:a", "strategy:b", "activity:c"]),
            "progress": MAYBE(st.integers(0, 100)),
            "status": MAYBE(st.sampled_from(["in-progress", "done", "blocked", "active"])),
            "metric": MAYBE(st.integers(-10, 10)),
            "rag": MAYBE(st.sampled_from(["green", "red"])), "rag_reason": st.just("r")}), max_size=3))
        files[f"content/updates/u{index}.md"] = _yaml({"date": draw(DAYS), "items": items})
    return files


CONFIG_DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@SLOW
@given(roadmaps(), MAYBE(CONFIG_DAYS), CONFIG_DAYS | st.dates(date(2026, 1, 1), date(2026, 12, 31)),
       st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1, max_size=7),
       st.lists(st.dates(date(2025, 12, 1), date(2027, 2, 1)), max_size=4))
def test_random_roadmaps_compute_without_exceptions(files, start, today, workdays, holidays):
    config = {"title": "T", "start": start, "calendar": {"workdays": workdays, "holidays": holidays}}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, "roadmap.yml", yaml.safe_dump({k: v for k, v in config.items() if v is not None}).encode())
        for rel, text in files.items():
            _write(root, rel, text.encode("utf-8"))
        diagnostics = Diagnostics()
        computed = compute_roadmap(root, diagnostics, today=today)
    assert_only_diagnostics(diagnostics)
    assert set(computed.status.activities) == set(computed.roadmap.activities)
    assert set(computed.schedule.activities) == set(computed.roadmap.activities)


# -- what fuzzing found (bench/fuzz_loader.py), kept as regressions -------------------------------------

FOUND = [  # (kind, front matter text, code, line)
    ("goal", "ResourceFront: 1\ntitle: T\ndue: 2026-12-31\n", "unknown-field", 2),  # IndexError on the key
    ("activity", "title: T\nresources: [{id: p, ResourceFront: 1}]\n", "unknown-field", 3),
    ("review", "quarter: 2026-Q1\ndate: '2026-07-32'\n", "invalid-date", 3),  # 'date' taken for a union branch
    ("goal", "title: T\ndue: 2026-12-31\ntags: " + "[" * 200_000 + "]" * 200_000 + "\n",  # a segfault
     "yaml-too-complex", 4),
    ("goal", "title: T\ndue: !!timestamp soon\n", "invalid-date", 3),  # AttributeError in PyYAML
    ("goal", "title: T\ndue: 2026-12-31\nwhy: !!bool maybe\n", "yaml-syntax", 4),  # KeyError in PyYAML
    ("activity", "title: T\nstrategy: s\nduration: " + "9" * 5000 + "d\n", "out-of-range", 4),  # int() limit
    ("goal", "<<: 1\ntitle: T\ndue: 2026-12-31\n", "yaml-syntax", 2),  # silently ignored
    ("goal", "title: T\nwhy: 'a\u2028b'\ndue: 2026-12-31\nowner: [x]\n", "invalid-type", 5),  # U+2028 shifted lines
    ("goal", "title: T\nwhy: 'a\x85b'\ndue: 2026-12-31\nowner: [x]\n", "invalid-type", 5),  # so did NEL
    ("goal", "title: T\nwhy: a\u2028b\ndue: 2026-12-31\n", "yaml-syntax", 3),  # unquoted, it breaks the YAML
    ("goal", "title: T\ndue: 2026-12-31\nwhy: !!python/object/apply:os.system [echo]\n", "yaml-syntax", 4),
    ("goal", "title: T\ndue: 2026-12-31\nmetric: {name: m, baseline: .inf, target: 1}\n", "out-of-range", 4),
]


def test_inputs_found_by_fuzzing_give_diagnostics():
    for kind, front, code, line in FOUND:
        with tempfile.TemporaryDirectory() as folder:
            rel = f"content/{PLURAL[kind]}/item.md"
            path = _write(Path(folder), rel, f"---\n{front}---\n".encode("utf-8"))
            diagnostics = Diagnostics()
            load_file(ContentFile(kind, "item", path, rel), Config(), diagnostics)
        assert (code, line) in {(d.code, d.line) for d in diagnostics}, (front[:60], [d.as_text() for d in diagnostics])
