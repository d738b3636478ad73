"""The example roadmap built at two dates shows different colours, each explained."""

from __future__ import annotations

import json
from datetime import date

from roadmapgen.build import build_site


def _build(repo, tmp_path, today: str) -> dict:
    out = tmp_path / today
    assert build_site(repo, out, date.fromisoformat(today)).built
    return json.loads((out / "roadmap.json").read_text("utf-8"))


def test_two_dates_give_different_explained_colours(repo, tmp_path):
    early = _build(repo, tmp_path, "2026-08-10")
    late = _build(repo, tmp_path, "2026-11-25")
    assert early["today"] == "2026-08-10" and late["today"] == "2026-11-25"
    assert early["counts"]["activity"] != late["counts"]["activity"]
    changed = [(a["id"], a["rag"]["rag"], b["rag"]["rag"]) for a, b in zip(early["activities"], late["activities"])
               if a["rag"]["rag"] != b["rag"]["rag"]]
    assert len(changed) >= 3, changed
    for document in (early, late):
        for kind in ("goals", "strategies", "activities"):
            for item in document[kind]:
                assert item["rag"]["reasons"], f"{kind} {item['id']} has a colour without a reason"


def test_same_today_twice_is_byte_identical(repo, tmp_path):
    trees = []
    for name in ("one", "two"):
        out = tmp_path / name
        assert build_site(repo, out, date(2026, 11, 25)).built
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    assert [k for k in trees[0] if trees[0][k] != trees[1][k]] == []
