"""Symbolic links in the folders a roadmap brings (content/, a theme): which may be followed.

A roadmap may come from someone else (a pull request built in CI). A link inside its
folders must not lead to the build machine's files, and must not lead round in a circle.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

MESSAGES = {  # what is wrong with the link at a path, for a diagnostic: (code, message)
    "outside": ("symlink-outside", "this {what} is a link to a {what} outside {folder}"),
    "loop": ("symlink-loop", "this {what} is a link that leads back to itself or to a folder above it (a loop)"),
    "broken": ("unreadable", "this {what} is a link to something that does not exist"),
}


def link_problem(path: Path, inside: Path) -> str | None:
    """Why the link at `path` must not be followed, seen from the resolved folder `inside`:
    'loop', 'broken', 'outside' (it leads out of `inside`), or None when it is safe."""
    try:
        os.stat(path)
    except OSError as error:
        return "loop" if error.errno == errno.ELOOP else "broken"
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(inside):
        return "outside"
    if real.is_dir() and Path(os.path.realpath(path.parent)).is_relative_to(real):
        return "loop"
    return None


def describe(problem: str, what: str, folder: str) -> tuple[str, str]:
    """The (code, message) of a diagnostic for `link_problem`'s answer."""
    code, message = MESSAGES[problem]
    return code, message.format(what=what, folder=folder)
