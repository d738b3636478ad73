"""Site-wide search: a prebuilt index of every item, written as a script, and the search page.

The search runs in the browser with MiniSearch (vendored in the theme's assets), offline and
without a server: the index is a script (`search-index.js`) rather than JSON to fetch, because
a page opened from disk may not fetch files. The index holds, per item, its kind, page, title,
owner, tags and the distinct words of its body: what is searched, and no more, so that it stays
small (docs/search.md gives its size).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.names import KIND_LABELS, KINDS
from roadmapgen.site.charts import json_for_script
from roadmapgen.site.pages import EVERYTHING, Page, PageContext
from roadmapgen.site.urls import SitePaths

INDEX_PATH = "search-index.js"
INDEX_GLOBAL = "ROADMAP_SEARCH"
PAGE_PATH = "search.html"
FIELDS = ("kind", "page", "title", "owner", "tags", "words")  # the columns of each document
# Markdown's punctuation and link targets are not words: punctuation becomes spaces (str.translate
# and split are several times faster than a regular expression over every word of every body).
_PUNCTUATION = str.maketrans({char: " " for char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~—–“”‘’…«»·•\u00a0"})
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class SearchContext(PageContext):
    """The search page: where its index and the script that reads it are."""

    index_script: str  # site path of the prebuilt index
    index_global: str  # the global the index script defines


def body_words(body: str) -> str:
    """The distinct words of a Markdown body, lower-cased, in order of first use."""
    words = dict.fromkeys(_LINK_TARGET.sub("]", body).lower().translate(_PUNCTUATION).split())
    return " ".join(word for word in words if len(word) > 1)


def _owner_name(computed: ComputedRoadmap, person_id: str | None) -> str:
    person = computed.roadmap.people.get(person_id or "")
    return person.name if person else (person_id or "")


def _subtitle(computed: ComputedRoadmap, item) -> str:
    """What is searched as an item's 'owner': its owner's name; a person's role and team; an
    update's author."""
    if item.kind == "person":
        return " · ".join(part for part in (item.role, item.team) if part)
    if item.kind == "update":
        return _owner_name(computed, item.author)
    return _owner_name(computed, getattr(item, "owner", None))


def search_documents(computed: ComputedRoadmap, paths: SitePaths) -> list[list[object]]:
    """One row per item of every kind (columns: FIELDS), kinds in their usual order."""
    documents: list[list[object]] = []
    for kind_index, kind in enumerate(KINDS):
        for item in computed.roadmap.items_of(kind).values():
            documents.append([kind_index, paths.item(kind, item.id), item.title, _subtitle(computed, item),
                              " ".join(getattr(item, "tags", ())), body_words(item.body)])
    return documents


def search_index_js(computed: ComputedRoadmap, paths: SitePaths) -> bytes:
    """The prebuilt index as a script that defines window.ROADMAP_SEARCH."""
    index = {"fields": FIELDS, "kinds": [KIND_LABELS[kind] for kind in KINDS],
             "documents": search_documents(computed, paths)}
    return f"window.{INDEX_GLOBAL}={json_for_script(index)};\n".encode("utf-8")


def search_page() -> Page:
    """The search page, linked from every page's header."""
    return Page(PAGE_PATH, "search.html", "Search", "search", context=SearchContext(INDEX_PATH, INDEX_GLOBAL),
                description="Search every goal, strategy, activity, person, tool, update and review.",
                depends=EVERYTHING)
