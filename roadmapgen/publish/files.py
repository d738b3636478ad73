"""Writing the files `init`, `new` and `import` create: new files only, never through a link."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import yaml

from roadmapgen.model import MAX_ID_LENGTH, RESERVED_IDS

SLUG_LENGTH = 60  # ids are file names and page names: short enough to read in a link


class RefusedWrite(Exception):
    """A file that must not be written: it exists, or its path goes through a link."""


def slugify(title: str) -> str:
    """An id from a title, as `new` and `import` derive them: 'Pilot parcel lockers (Leeds)' →
    'pilot-parcel-lockers-leeds'. Accents are dropped; an empty result becomes 'item'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:min(SLUG_LENGTH, MAX_ID_LENGTH)].strip("-")
    slug = slug or "item"
    return f"{slug}-1" if slug in RESERVED_IDS else slug


def yaml_value(value: object) -> str:
    """A value as one line of YAML that reads back as exactly that value: plain where plain is
    unambiguous, else a double-quoted (JSON) string, which YAML reads the same way."""
    if isinstance(value, str):
        plain = value.strip() == value and "\n" not in value and value != "" and not value.startswith(("'", '"'))
        if plain and not re.search(r"[:#\[\]{},&*!|>%@`]", value) and yaml.safe_load(value) == value:
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def refuse_links(path: Path, root: Path) -> None:
    """Refuse a path whose folders, between `root` and it, include a symbolic link."""
    current = path
    while current != root and current != current.parent:
        if current.is_symlink():
            raise RefusedWrite(f"{current} is a symbolic link; roadmapgen does not write through links")
        current = current.parent


def write_new(path: Path, text: str, root: Path) -> None:
    """Create `path` (and its folders) with `text`; refuse if it exists or goes through a link."""
    refuse_links(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise RefusedWrite(f"{path} exists; roadmapgen never overwrites your files (choose another title, or "
                           "remove the file first)") from None
    except OSError as error:
        raise RefusedWrite(f"cannot write {path}: {error.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
