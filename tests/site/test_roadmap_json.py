"""roadmap.json's text: the document exactly, one top-level key a line and one item a line."""

from __future__ import annotations

import json

from roadmapgen.diagnostics import Diagnostics
from roadmapgen.engine.pipeline import compute_roadmap
from roadmapgen.site.exports import roadmap_document, roadmap_json
from roadmapgen.site.urls import SitePaths
from tests.conftest import EXAMPLE_TODAY, REPO


def test_roadmap_json_is_the_document_one_item_a_line():
    from datetime import date

    computed = compute_roadmap(REPO, Diagnostics(), date.fromisoformat(EXAMPLE_TODAY))
    paths = SitePaths("/")
    text = roadmap_json(computed, paths)
    document = json.loads(json.dumps(roadmap_document(computed, paths)))
    assert json.loads(text) == document
    lines = text.splitlines()
    for activity in document["activities"]:
        assert sum(1 for line in lines if line.startswith(f'  {{"id": "{activity["id"]}", ')) == 1
    assert lines[0] == "{" and lines[-1] == "}" and text.endswith("}\n")
