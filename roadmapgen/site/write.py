"""Write stage: the site goes to a staging folder and replaces the old one only when complete.

The output folder is only ever replaced when it is roadmapgen's own (it holds the marker
file) or empty, and never when it is, or holds, the project or the user's home.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".roadmapgen-site"
MARKER_TEXT = "This folder is written by roadmapgen build and is replaced on every build.\n"


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def check_output(output: Path, project: Path) -> None:
    """Refuse an output folder whose replacement could delete something of the user's."""
    output = output.resolve()
    project = project.resolve()
    home = Path.home().resolve()
    if output in (project, home, Path(output.anchor)) or output in project.parents or output in home.parents:
        raise OutputError(f"refusing to write the site to {output}: it holds your roadmap or other files; "
                          "choose a new folder such as 'site'")
    content = project / "content"
    if output == content or content in output.parents or output in content.parents:
        raise OutputError(f"refusing to write the site to {output}: it is inside or around content/; "
                          "choose a folder outside content/, such as 'site'")
    if (output / "roadmap.yml").exists():
        raise OutputError(f"refusing to write the site to {output}: it is a roadmap project (it has roadmap.yml)")
    if output.exists() and not output.is_dir():
        raise OutputError(f"cannot write the site to {output}: a file of that name exists")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise OutputError(f"refusing to replace {output}: it is not empty and was not written by roadmapgen "
                          f"(no {MARKER} file); empty it yourself or choose another folder with -o")


class StagedOutput:
    """A staging folder beside the output; `commit()` swaps it in, `discard()` removes it."""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.building-", dir=self.output.parent))
        self._dirs: set[Path] = {self.root}
        self.files = 0
        self.bytes = 0

    def path(self, rel: str) -> Path:
        """The staged file for a site path; refuses a path that leaves the staging folder."""
        target = (self.root / rel).resolve()
        if self.root != target and self.root not in target.parents:
            raise ValueError(f"refusing to write outside the site: {rel}")
        return target

    def _parent(self, target: Path) -> None:
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)

    def write_text(self, rel: str, text: str) -> None:
        """Stage a text file, as UTF-8."""
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Stage a file."""
        target = self.path(rel)
        self._parent(target)
        with open(target, "wb") as handle:
            handle.write(data)
        self.files += 1
        self.bytes += len(data)

    def copy_file(self, source: Path, rel: str) -> None:
        """Stage a copy of a file."""
        target = self.path(rel)
        self._parent(target)
        shutil.copyfile(source, target)
        self.files += 1
        self.bytes += target.stat().st_size

    def commit(self) -> None:
        """Make the staged site the output: the previous one is renamed aside, then the staged one
        into its place (two renames: see docs/architecture.md)."""
        self.write_text(MARKER, MARKER_TEXT)
        old = None
        if self.output.exists():
            old = self.output.with_name(f".{self.output.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.output, old)
        try:
            os.replace(self.root, self.output)
        except OSError:
            if old is not None:
                os.replace(old, self.output)
            raise
        os.chmod(self.output, 0o755)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove the staging folder."""
        shutil.rmtree(self.root, ignore_errors=True)
