"""What a build makes on a second core while the first goes on (site/workers.Meanwhile forks it):

- the items' Markdown bodies, while the engine schedules and judges the roadmap, and then on
  both cores when the pages stage asks for those left (long bodies take longer than the engine);
- the quarters' reports (engine/quarters.py: four or more past states of the whole roadmap),
  while the pages stage makes the item views; once they are made, the pages made so far are
  rendered there while the pages stage goes on (site/workers.EarlyRender).

Each is made by the same code as in one process and only its result crosses back, so the site
is byte-identical either way; a child that fails costs only its time, as the first core then
makes the value itself. Whether to fork follows the render stage's rule (`worker_count`): only
for large roadmaps, and only when the load average says a core is idle.
"""

from __future__ import annotations

from itertools import chain
from roadmapgen.engine.pipeline import ComputedRoadmap
from roadmapgen.engine.quarters import QuarterReport, quarter_reports
from roadmapgen.model import Roadmap
from roadmapgen.names import KINDS
from roadmapgen.site.markdown import MarkdownRenderer
from roadmapgen.site.views import QuarterSource
from roadmapgen.site.workers import Claims, Meanwhile, worker_count

BODIES_CHUNK = 32  # bodies per claim: small enough that the two cores end together


class BodiesMeanwhile:
    """The Markdown bodies rendered on another core while this one schedules and judges the
    roadmap, then on both: this core takes its share of what is left when the pages stage asks
    (`collect`), which pays where bodies are long. The pages stage then finds their HTML made
    (site/markdown.py remembers it)."""

    def __init__(self, workers: int | None = None):
        self._workers = workers
        self._job: tuple[MarkdownRenderer, list[str], Claims, Meanwhile] | None = None

    def start(self, roadmap: Roadmap) -> None:
        """Start rendering the bodies not yet rendered, if there are enough to pay for a process."""
        items = list(chain.from_iterable(roadmap.items_of(kind).values() for kind in KINDS))
        if worker_count(len(items), self._workers) <= 1:
            return  # decided before any body is looked at: a small roadmap pays nothing for this
        renderer = MarkdownRenderer(allow_html=roadmap.config.markdown_html)
        texts = renderer.not_yet_rendered((item.body for item in items), drop_first_heading=True)
        if texts:
            claims = Claims(len(texts), BODIES_CHUNK)
            self._job = (renderer, texts, claims, Meanwhile(lambda: _render_taken_bodies(renderer, texts, claims)))

    def collect(self) -> None:
        """Render this core's share of the bodies left, wait for the other's and keep them all
        (the bodies of a process that failed are left to the pages, which render what is missing)."""
        if self._job is None:
            return
        renderer, texts, claims, job = self._job
        mine = _render_taken_bodies(renderer, texts, claims)  # this core's share of what is left
        theirs = job.result() or ()  # nothing when the other process failed
        self._job = None  # only now: should this core fail (Ctrl-C) before, `cancel` stops the other
        for start, htmls in chain(mine, theirs):
            renderer.remember(texts[start:start + len(htmls)], htmls)

    def cancel(self) -> None:
        """Stop the rendering if it still runs: the build ended without asking for the bodies."""
        if self._job is not None:
            self._job[3].cancel()
            self._job = None


def _render_taken_bodies(renderer: MarkdownRenderer, texts: list[str], claims: Claims) -> list[tuple[int, list[str]]]:
    """The chunks of `texts` this process took, as (index of the first, their HTML)."""
    done = []
    while (chunk := claims.take()) is not None:
        done.append((chunk.start, renderer.render_each(texts[chunk.start:chunk.stop])))
    return done


class QuartersMeanwhile:
    """The quarters' reports made on another core while this one makes the pages; `reports`
    is what the pages stage calls for them (site/rhythm_views.py)."""

    def __init__(self, workers: int | None = None):
        self._workers = workers
        self._job: tuple[ComputedRoadmap, Meanwhile] | None = None

    def start(self, computed: ComputedRoadmap) -> QuarterSource | None:
        """Start making the reports; the function that gives them, or None when one process
        should make them itself (a small roadmap, a busy machine)."""
        items = sum(computed.roadmap.counts().values())
        if worker_count(items, self._workers) <= 1:
            return None
        self._job = (computed, Meanwhile(lambda: quarter_reports(computed)))
        return self.reports

    def reports(self) -> tuple[QuarterReport, ...]:
        """The reports: the other core's, or made here when it failed."""
        assert self._job is not None, "reports() asked for before start()"
        computed, job = self._job
        made = job.result()
        self._job = None
        return made if made is not None else quarter_reports(computed)

    def done(self) -> bool:
        """Whether the reports are made (or were taken): the second core is free again
        (site/workers.EarlyRender)."""
        return self._job is None or self._job[1].ready()

    def cancel(self) -> None:
        """Stop the child if it still runs."""
        if self._job is not None:
            self._job[1].cancel()
            self._job = None
