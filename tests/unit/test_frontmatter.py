"""Front matter of the common shape is read directly (frontmatter._Simple); it must give exactly
what PyYAML's path gives: the same values, the same position of every key path in the same order,
the same duplicate keys, and the same error when there is one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from roadmapgen.content.frontmatter import FrontMatterError, _Lines, _parse_composed, _Simple, parse_yaml, split

ROOT = Path(__file__).resolve().parents[2]

SCALARS = ["Activity 12", "in-progress", "0", "00", "010", "-0", "+5", "-5", "1_000", "0x1F", "0o17", "1:30", "12",
           "3.5", "1e3", ".inf", "~", "null", "yes", "No", "true", "on", "2026-01-05", "2026-1-5", "2026-02-30",
           "2026-13-01", "2026-01-05T10:00:00", "2026-01-05 10:00", "'2026-01-05'", '"12"', "'a, b'", "'it''s'",
           '"tab\\tx"', "!!str 12", "&x 5", "*x", "a: b", "a:b", "x # c", "x#c", "''", "", "-", "- a", "3w",
           "Phase 2: rollout", "https://example.com/a", "Café ∆", "%x", "@x", "`x`", "|", ">", "? x", "[1, 2]",
           "{a: 1}", "[a, [b]]", "[a,]", "[a,,b]", "[ a , b ]", "{id: p, load: 50}", "{ id: p }", "{a: [1]}",
           "{a:1}", "{a}", "[]", "{}", "'unclosed", "a 'q' b", "(x)", "$5", "~x", ".5", "a  b", "x   "]
COMMON = ["Activity 12", "in-progress", "0", "12", "2026-01-05", "3w", "3.5", "yes", "Café ∆", "-5", "null",
          "~", "2026-02-30", "010", "'a, b'", '"12"', "a  b", "x   ", "https://example.com/a", "person-3", "1e3"]
KEYS = ["title", "status", "depends_on", "yes", "on", "n", "null", "a-b", "_x", "Key9", "<<", "x y", "1"]


def _scalar(rng: random.Random) -> str:
    return rng.choice(COMMON if rng.random() < 0.85 else SCALARS)


def _random_text(rng: random.Random) -> str:
    rows = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(KEYS[:5] if rng.random() < 0.8 else KEYS)
        shape = rng.random()
        if shape < 0.55:
            rows.append(f"{key}:{rng.choice(['', ' ', '  '])}{_scalar(rng)}")
        elif shape < 0.75:
            items = ", ".join(_scalar(rng) for _ in range(rng.randint(0, 3)))
            rows.append(f"{key}: [{items}]" if rng.random() < 0.5 else f"{key}: {{{key}: {_scalar(rng)}, "
                                                                      f"k: {_scalar(rng)}}}")
        elif shape < 0.95:
            rows.append(f"{key}:")
            indent = " " * rng.choice([0, 2, 2, 4])
            for _ in range(rng.randint(0, 3)):
                rows.append(f"{indent if rng.random() < 0.9 else ' '}- {_scalar(rng)}")
        elif rng.random() < 0.5:
            rows.append(rng.choice(["", "  ", "# a comment", "  nested: x", "\tx: 1", "---", "- loose"]))
    return "\n".join(rows) + rng.choice(["", "\n", "\n\n"])


def _outcome(parse, text: str):
    try:
        parsed = parse(text)
    except FrontMatterError as error:
        return ("error", error.code, error.message, error.line, error.column, error.hint)
    values = parsed.data
    typed = repr(values), repr([type(v) for v in values.values()]) if isinstance(values, dict) else None
    return ("ok", typed, list(parsed.positions.items()), parsed.duplicates)


def _composed(text: str):
    return _parse_composed(text, 1, _Lines(text, 1))


def _texts() -> list[str]:
    found = []
    for folder in ("content", "tests"):
        for path in sorted((ROOT / folder).rglob("*.md")):
            try:
                found.append(split(path.read_text("utf-8"))[0])
            except (FrontMatterError, UnicodeDecodeError):
                continue
    return found


def test_the_content_files_of_the_example_and_the_tests_read_the_same():
    texts = _texts()
    assert len(texts) > 50
    simple = sum(_Simple(text, 1, _Lines(text, 1)).parse() is not None for text in texts)
    assert simple > len(texts) / 2  # most files take the direct path, which is what this test is about
    for text in texts:
        assert _outcome(lambda t: parse_yaml(t, 1), text) == _outcome(_composed, text), text


@pytest.mark.parametrize("seed", range(4))
def test_generated_front_matter_reads_the_same(seed):
    rng = random.Random(seed)
    simple = 0
    for _ in range(1500):
        text = _random_text(rng)
        simple += _Simple(text, 1, _Lines(text, 1)).parse() is not None
        assert _outcome(lambda t: parse_yaml(t, 1), text) == _outcome(_composed, text), text
    assert simple > 150  # the direct path was taken (and compared) that often


def test_what_the_direct_path_leaves_to_pyyaml():
    for text in ("a: 1 # note", "a:\n  b: 1", "a: [1,\n  2]", "a: 'x\\ny'", "a: &x 1", "a: !!str 1", "\ta: 1",
                 "a: \"q\\\"\"", "yes: 1", "a: [1, [2]]", "a: b: c", "a: x\n  continued"):
        assert _Simple(text, 0, _Lines(text, 0)).parse() is None, text


def test_long_front_matter_reads_the_same():
    """An update of a large roadmap lists a hundred items or more (bench/generate.py)."""
    rng = random.Random(5)
    items = "".join(f"  - {{ref: activity-{rng.randrange(10_000)}, progress: {rng.randint(0, 100)}, "
                    f"note: Moved on week {n}}}\n" for n in range(180))
    text = f"date: 2026-03-02\nauthor: person-1\nitems:\n{items}"
    assert len(text) > 8_000 and _Simple(text, 1, _Lines(text, 1)).parse() is not None
    assert _outcome(lambda t: parse_yaml(t, 1), text) == _outcome(_composed, text)
    flow = "depends_on: [" + ", ".join(f"a-{n}" for n in range(5_000)) + "]\n"
    assert len(flow) > 30_000 and _Simple(flow, 1, _Lines(flow, 1)).parse() is not None
    assert _outcome(lambda t: parse_yaml(t, 1), flow) == _outcome(_composed, flow)


def test_front_matter_that_may_hold_too_many_values_is_left_to_pyyaml_and_its_limits():
    for count in (12_000, 20_000):  # within MAX_NODES, and beyond it
        flow = "depends_on: [" + ",".join("a" for _ in range(count)) + "]\n"
        assert _Simple(flow, 1, _Lines(flow, 1)).parse() is None
        assert _outcome(lambda t: parse_yaml(t, 1), flow) == _outcome(_composed, flow)
    assert _outcome(lambda t: parse_yaml(t, 1), flow)[:2] == ("error", "yaml-too-complex")


def _split_by_lines(text: str):
    """split() as it was written first: every line of the text, the body joined again."""
    if not text.strip():
        return "empty-file"
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "missing-front-matter"
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return "unclosed-front-matter"


def test_the_front_matter_and_the_body_are_split_as_line_by_line():
    rng = random.Random(2)
    rows = ["---", "...", "--- ", "---\t", "---\x85", "---\u2028", " ---", "----", "a: 1", "", " ", "x", "\u3000",
            "..x", "# T"]
    for _ in range(20_000):
        text = "\n".join(rng.choice(rows) for _ in range(rng.randint(0, 7))) + rng.choice(["", "\n", "\n\n", " "])
        try:
            found = split(text)
        except FrontMatterError as error:
            found = error.code
        assert found == _split_by_lines(text), repr(text)
