"""Watching files with watchdog, and turning bursts of events into one rebuild.

One save in an editor can be a temporary file, a rename over the original and several
modification events. Events are collected until the files have been quiet for `quiet`
seconds, or for `settled` seconds when the last event ended a save (a file closed after writing,
or renamed into place: what every editor's save ends with, so the preview need not wait out the
full quiet); then `rebuild` runs once with every path that changed. Events that arrive during a
rebuild start the next one. Editors' own scratch files (`.#x`, `x~`, `.x.swp`, `4913`) never
start a rebuild by themselves.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET_SECONDS = 0.05  # an editor's save is a burst of events within a few milliseconds
SETTLED_SECONDS = 0.01  # after a file is closed from writing or renamed into place, the save is over
SETTLING_EVENTS = ("closed", "moved")
SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


def is_scratch(path: str) -> bool:
    """An editor's temporary file, not one of the user's."""
    name = Path(path).name
    return name.startswith((".#", "#")) or name.endswith(SCRATCH_SUFFIXES) or name == "4913"


class Debouncer:
    """Calls `rebuild(paths)` once per burst of `touch(path)` calls, on its own thread."""

    def __init__(self, rebuild: Callable[[set[str]], None], quiet: float = QUIET_SECONDS,
                 settled: float = SETTLED_SECONDS):
        self.rebuild, self.quiet, self.settled = rebuild, quiet, min(settled, quiet)
        self._pending: set[str] = set()
        self._last = 0.0
        self._wait = quiet  # the quiet the last event asks for
        self._touches = 0  # changes seen so far
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="roadmapgen-rebuild", daemon=True)
        self._thread.start()

    def touch(self, path: str, ends_save: bool = False) -> None:
        """`path` changed; `ends_save`: by an event that ends a save (closed after writing, renamed)."""
        with self._wake:
            self._pending.add(path)
            self._touches += 1
            self._last = time.monotonic()
            self._wait = self.settled if ends_save else self.quiet
            self._wake.notify_all()

    def pending(self) -> bool:
        """Whether changes are waiting for the next rebuild, or the debouncer is stopping."""
        return bool(self._pending) or self._stopped

    def quiet_for(self, seconds: float) -> bool:
        """Wait until the files have been quiet for `seconds` (True), or a change comes (False)."""
        deadline = time.monotonic() + seconds
        with self._wake:
            touched = self._touches
            while not self._pending and not self._stopped and self._touches == touched:
                left = deadline - time.monotonic()
                if left <= 0:
                    return True
                self._wake.wait(left)
            return False

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                left = self._last + self._wait - time.monotonic()
                if left > 0:
                    self._wake.wait(left)  # not quiet yet: look again
                    continue
                paths, self._pending = self._pending, set()
            self.rebuild(paths)


class _Relay(FileSystemEventHandler):
    """Hands the paths of relevant events to the debouncer."""

    def __init__(self, debouncer: Debouncer, wanted: Callable[[str], bool]):
        self.debouncer, self.wanted = debouncer, wanted

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            path = path.decode() if isinstance(path, bytes) else path
            if path and not is_scratch(path) and self.wanted(path):
                if event.is_directory and event.event_type == "modified":
                    continue  # a folder's own timestamp: its files report themselves
                self.debouncer.touch(path, event.event_type in SETTLING_EVENTS)


class Watcher:
    """Watches `folders` (recursively) and single `files`; each burst of changes is one rebuild."""

    def __init__(self, rebuild: Callable[[set[str]], None], folders: Iterable[Path], files: Iterable[Path] = (),
                 quiet: float = QUIET_SECONDS):
        self.debouncer = Debouncer(rebuild, quiet)
        self.observer = Observer()
        self.folders: set[Path] = set()
        self.watch(folders)
        folders = {f.resolve() for f in folders if f.is_dir()}
        files = {f.resolve() for f in files}
        # a single file is watched through its folder, without descending into it
        for parent in sorted({f.parent for f in files} - folders):
            names = {str(f) for f in files if f.parent == parent}
            self.observer.schedule(_Relay(self.debouncer, lambda p, names=names: _under(p, names)), str(parent),
                                   recursive=False)

    def watch(self, folders: Iterable[Path]) -> None:
        """Also watch these folders, with everything in them (one that has just appeared, say)."""
        for folder in (f.resolve() for f in folders if f.is_dir()):
            if folder not in self.folders:
                self.folders.add(folder)
                self.observer.schedule(_Relay(self.debouncer, lambda _: True), str(folder), recursive=True)

    def start(self) -> None:
        self.observer.start()

    def pending(self) -> bool:
        """Whether changes are waiting for the next rebuild (a rebuild may stop early for them)."""
        return self.debouncer.pending()

    def quiet_for(self, seconds: float) -> bool:
        """Wait until the files have been quiet for `seconds` (True), or a change comes (False)."""
        return self.debouncer.quiet_for(seconds)

    def stop(self) -> None:
        self.observer.stop()
        self.debouncer.stop()
        self.observer.join(timeout=5)


def _under(path: str, names: set[str]) -> bool:
    """`path` is one of `names` or inside one of them (a folder that appears later)."""
    return path in names or any(path.startswith(name + "/") for name in names)
