"""Rendering and writing pages on every core: forked children render pages and write them into
the staging folder themselves, and send back only how many files and bytes they wrote.

An earlier attempt sent the rendered bytes back to the parent through a process pool and lost:
the parent spent as long unpickling 160 MB of pages as rendering them. Here nothing but counts
crosses between processes. The children are forked after the pages stage, so they share the
finished page values and the renderer with the parent (copy on write) and pickle nothing.

The parent and each child take chunks of pages from one shared counter, the costly pages
(those that show the whole roadmap: the status page, the lists) first, so that a busy core
takes fewer chunks. Which process renders a page changes nothing in its bytes: a page is
rendered from its own value alone (render.py), so the site is byte-identical to one process's.

A failure in any process (a template error, a full disk, Ctrl-C) stops the others and is raised
in the parent, which then discards the staging folder as for a single process.

Before that, while the pages stage still makes pages, `EarlyRender` forks children that render
the pages already made, one batch at a time, whenever the second core has nothing else to do.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import pickle
import traceback
from typing import Callable, Sequence

from roadmapgen.site.pages import Page
from roadmapgen.site.render import Renderer
from roadmapgen.site.write import StagedOutput

CHUNK = 16  # pages per claim: small enough to balance, large enough that claiming costs nothing
MIN_PAGES_PER_PROCESS = 200  # below this a fork costs more than it saves
MAX_WORKERS = 4
MIN_EARLY_BATCH = 64  # pages worth a fork while the pages stage goes on
# At most a tenth of the site at a time, and 1,000 pages (about a second of rendering): an early
# child still rendering when the render stage has begun on both cores goes on alone after it.
MAX_EARLY_BATCH = 1000

Progress = Callable[[int, int | None], None]


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def idle_cores() -> int:
    """The cores that this build has (its own and those nothing else runs on), from the load
    average: a second process gains nothing, and loses the cost of forking, on a core that other
    jobs keep busy. The build itself counts for about 1 in the load."""
    cores = min(available_cores(), MAX_WORKERS)
    try:
        others = max(0.0, os.getloadavg()[0] - 1)
    except OSError:  # unknown: trust the cores
        return cores
    return max(1, min(cores, math.ceil(cores - others)))


def worker_count(pages: int, requested: int | None = None) -> int:
    """How many processes should render `pages` pages: one per idle core, up to one per
    MIN_PAGES_PER_PROCESS pages; 1 where processes cannot be forked. `requested` decides instead."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, requested)
    return max(1, min(idle_cores(), pages // MIN_PAGES_PER_PROCESS))


def _stage_page(staged: StagedOutput, renderer: Renderer, page: Page) -> None:
    """Render one page and write it into the staging folder."""
    staged.write_bytes(page.path, renderer.render(page).encode("utf-8"))


def costly_first(pages: Sequence[Page]) -> list[Page]:
    """The pages in the order they are claimed: those showing the whole roadmap first (the
    longest to render, so no process is left with one of them at the end), then the others."""
    return [p for p in pages if p.shows_everything] + [p for p in pages if not p.shows_everything]


def render_into(staged: StagedOutput, renderer: Renderer, pages: Sequence[Page], workers: int,
                progress: Progress | None = None, meanwhile: Callable[[], None] = lambda: None) -> None:
    """Render every page and write it into `staged`, in `workers` processes (this one included);
    this process runs `meanwhile` (the site's other files) before it takes its first pages."""
    order = costly_first(pages) if workers > 1 else list(pages)
    total = len(order)
    if workers <= 1:
        meanwhile()
        for done, page in enumerate(order, 1):
            _stage_page(staged, renderer, page)
            if progress:
                progress(done, total)
        return
    renderer.compile_for(order)
    context = multiprocessing.get_context("fork")
    claims = Claims(total, CHUNK)
    children = []
    gc.freeze()  # what exists now is shared with the children: the collector must not touch (copy) it
    try:
        for _ in range(workers - 1):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(staged, renderer, order, claims, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        meanwhile()
        _render_claimed(staged, renderer, order, claims, progress)
        for child, receive in children:
            _collect(staged, child, receive)
        if progress:  # here, not after this process's last chunk: it may have taken none
            progress(total, total)
    except BaseException:
        for child, _ in children:
            if child.is_alive():
                child.kill()
        for child, _ in children:
            child.join()
        raise
    finally:
        gc.unfreeze()


class Claims:
    """`total` jobs shared out in chunks between this process and those it forks afterwards:
    each takes the next chunk from one shared counter until none is left, so that a busy
    process takes fewer."""

    def __init__(self, total: int, chunk: int):
        context = multiprocessing.get_context("fork")
        self._next, self._lock = context.RawValue("l", 0), context.Lock()
        self.total, self.chunk = total, chunk

    def take(self) -> range | None:
        """The next chunk's indexes, or None when every chunk is taken."""
        with self._lock:
            start = self._next.value
            self._next.value = start + self.chunk
        return range(start, min(start + self.chunk, self.total)) if start < self.total else None

    def taken(self) -> int:
        """How many jobs are taken (done or being done)."""
        return min(self._next.value, self.total)

    def stop(self) -> None:
        """Take every chunk left: the processes stop after their current one."""
        with self._lock:
            self._next.value = self.total


def _render_claimed(staged: StagedOutput, renderer: Renderer, order: Sequence[Page], claims: Claims,
                    progress: Progress | None = None) -> None:
    while (chunk := claims.take()) is not None:
        for index in chunk:
            _stage_page(staged, renderer, order[index])
        if progress and claims.taken() < claims.total:  # the last is said once all are written
            progress(claims.taken(), claims.total)


def _child(staged: StagedOutput, renderer: Renderer, order: Sequence[Page], claims: Claims, send) -> None:
    """A child's whole life: render claimed chunks, then send (files, bytes) or the failure."""
    staged.files = staged.bytes = 0
    try:
        _render_claimed(staged, renderer, order, claims)
        send.send(("done", staged.files, staged.bytes))
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent, Ctrl-C included
        claims.stop()
        send.send(("failed", _portable(error), traceback.format_exc()))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers, no cleanup of what the parent still owns (the lock file)


def _portable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else a RuntimeError that names it."""
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - an exception that cannot cross a pipe
        return RuntimeError(f"{type(error).__name__}: {error}")


def _collect(staged: StagedOutput, child, receive) -> None:
    try:
        message = receive.recv()
    except EOFError:
        message = ("failed", RuntimeError(f"a rendering process died (exit code {child.exitcode})"), "")
    child.join()
    if message[0] == "failed":
        raise message[1]
    staged.files += message[1]
    staged.bytes += message[2]


class EarlyRender:
    """Pages rendered and staged while the pages stage still makes the others.

    The second core makes the quarters' reports at the start of the pages stage
    (site/second_core.py), then would wait for the render stage. Once the reports are made,
    `offer` (called as pages are made) forks a child that renders and stages the pages made so
    far (see MAX_EARLY_BATCH); when that child is done, the next `offer` hands the next pages
    to another. The render stage then takes only the pages `not_handed`. Which process renders
    a page changes nothing in its bytes (see above), so the site is the same as without.

    `collect` waits for the children. A child that failed, or died, leaves its pages to be
    rendered here, so a broken template fails here with its own error, as in one process.
    """

    def __init__(self, staged: StagedOutput, renderer: Renderer, idle: Callable[[], bool] | None,
                 pages: int, min_batch: int = MIN_EARLY_BATCH):
        """`idle` says whether the second core is free (None: never fork); `pages` is about how
        many pages the site will have (its items)."""
        self._staged, self._renderer, self._idle = staged, renderer, idle
        self._min_batch, self._max_batch = min_batch, max(min_batch, min(MAX_EARLY_BATCH, pages // 10))
        self.handed = 0  # how many of the pages offered (the first ones made) were given to children
        self._paths: set[str] = set()
        self._children: list[tuple[multiprocessing.Process, object, Sequence[Page]]] = []

    def offer(self, made: Sequence[Page]) -> None:
        """The pages made so far, in order: hand those not yet handed to a new child when the
        second core has nothing to do and they are enough to pay for a fork."""
        if self._idle is None or len(made) - self.handed < self._min_batch or not self._idle():
            return
        if self._children and not self._children[-1][1].poll():
            return  # the last child still renders
        batch = tuple(made[self.handed:self.handed + self._max_batch])
        self._paths.update(page.path for page in batch)
        self._renderer.compile_for(batch)
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        gc.freeze()  # as in render_into: the child's collections must not touch (copy) what it shares
        child = context.Process(target=_render_batch, args=(self._staged, self._renderer, batch, send), daemon=True)
        child.start()
        send.close()
        self._children.append((child, receive, batch))
        self.handed += len(batch)

    def not_handed(self, pages: Sequence[Page]) -> list[Page]:
        """Those of `pages` that no child was given, in their order."""
        return [page for page in pages if page.path not in self._paths]

    def collect(self) -> None:
        """Wait for every child and count what it staged; render here the pages of one that failed."""
        children, self._children = self._children, []
        for child, receive, batch in children:
            try:
                message = receive.recv()
            except EOFError:
                message = ("failed",)
            child.join()
            if message[0] == "done":
                self._staged.files += message[1]
                self._staged.bytes += message[2]
            else:
                for page in batch:
                    _stage_page(self._staged, self._renderer, page)
        gc.unfreeze()

    def cancel(self) -> None:
        """Stop every child: the build failed."""
        for child, _, _ in self._children:
            if child.is_alive():
                child.kill()
            child.join()
        self._children = []
        gc.unfreeze()


def _render_batch(staged: StagedOutput, renderer: Renderer, batch: Sequence[Page], send) -> None:
    """An early child's whole life: render and stage `batch`, then send (files, bytes) or the failure."""
    staged.files = staged.bytes = 0
    try:
        for page in batch:
            _stage_page(staged, renderer, page)
        send.send(("done", staged.files, staged.bytes))
    except BaseException:  # noqa: BLE001 - the parent renders the batch again and meets the error itself
        send.send(("failed",))
    finally:
        send.close()
        os._exit(0)


class Meanwhile:
    """`work()` computed in a forked child while this process goes on; `result()` waits for it.

    The child shares this process's memory as it was at the fork (copy on write), so `work` may
    read anything built so far; only its result crosses back, pickled. A failed or killed child
    gives None (the caller then does the work itself), and the child is killed if the result is
    never asked for.
    """

    def __init__(self, work: Callable[[], object]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_work_and_send, args=(work, send), daemon=True)
        self._child.start()
        send.close()

    def result(self) -> object | None:
        """The work's result, or None when the child failed."""
        try:
            kind, value = self._receive.recv()
        except (EOFError, OSError):
            kind, value = "failed", None
        finally:
            self._receive.close()
            self._child.join()
        return value if kind == "done" else None

    def ready(self) -> bool:
        """Whether the work is done (or failed): `result()` would not wait."""
        return self._receive.poll()

    def cancel(self) -> None:
        """Stop the child: its result is no longer wanted."""
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._receive.close()


def _work_and_send(work: Callable[[], object], send) -> None:
    try:
        send.send(("done", work()))
    except BaseException:  # noqa: BLE001 - the parent does the work itself instead
        send.send(("failed", None))
    finally:
        send.close()
        os._exit(0)
