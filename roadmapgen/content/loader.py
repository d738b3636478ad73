"""Load stage: walk content/, read each file once, and turn its front matter into items.

Every problem with one file (encoding, YAML, types, allowed values) becomes a diagnostic
and the walk goes on. References between files are checked later, by engine/validate.py.
"""

from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from roadmapgen.content import convert
from roadmapgen.content.errors import report_validation_error
from roadmapgen.content.frontmatter import FrontMatterError, read_document
from roadmapgen.content.schema import SCHEMAS
from roadmapgen.diagnostics import Diagnostics, suggestion
from roadmapgen.links import describe, link_problem
from roadmapgen.model import FOLDERS, MAX_ID_LENGTH, PLURAL, RESERVED_IDS, Config, Source

MAX_FILE_BYTES = 1_000_000
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
CONTENT_DIR = "content"
# Values that stand in for a required field whose value was invalid, so that the rest of the
# file (its references above all) can still be checked in the same run. The build is refused.
STAND_INS = {
    "activity": {"due": {"duration": "1d"}, "duration": {"duration": "1d"}},
    "goal": {"due": {"due": date(2999, 12, 31)}},
    "strategy": {"due": {"due": date(2999, 12, 31)}},
    "update": {"date": {"date": date(2000, 1, 1)}},
    "review": {"date": {"date": date(2000, 1, 1)}, "quarter": {"quarter": "2000-Q1"}},
}


@dataclass
class Loaded:
    """What the load stage found: valid items per kind, and every id seen (valid or not)."""

    items: dict[str, dict[str, object]] = field(default_factory=lambda: {kind: {} for kind in FOLDERS.values()})
    seen: dict[str, dict[str, str]] = field(default_factory=lambda: {kind: {} for kind in FOLDERS.values()})


@dataclass(frozen=True, slots=True)
class ContentFile:
    kind: str
    id: str
    path: str  # absolute (a plain string: pathlib costs more than reading a small file)
    rel: str  # relative to the project, forward slashes


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


def discover(root: Path, diagnostics: Diagnostics) -> list[ContentFile]:
    """Every Markdown file under content/<type>/, sorted; odd files become diagnostics.

    Links that stay inside content/ are followed, files and folders alike; a link out of
    it, a loop or a folder that cannot be read is reported at its path and skipped.
    """
    content = root / CONTENT_DIR
    if not content.is_dir():
        diagnostics.error(CONTENT_DIR, 0, 0, "missing-content", f"there is no {CONTENT_DIR}/ folder beside roadmap.yml",
                          "create content/goals/, content/activities/ … (see docs/format.md)")
        return []
    found: list[ContentFile] = []
    real_content = content.resolve()
    try:
        entries = sorted(os.scandir(content), key=lambda e: e.name)
    except OSError as error:
        _unreadable_folder(CONTENT_DIR, error, diagnostics)
        return []
    for entry in entries:
        if entry.name.startswith((".", "_")):
            continue
        rel = os.fsencode(f"{CONTENT_DIR}/{entry.name}").decode("utf-8", "replace")  # names may not be UTF-8
        if entry.is_symlink() and _bad_link(Path(entry.path), rel, "folder" if entry.is_dir() else "file",
                                            real_content, diagnostics):
            continue
        if not entry.is_dir():
            if entry.name.endswith(".md"):
                diagnostics.warning(rel, 0, 0, "outside-type-folder", "this file is not inside a type folder and is ignored",
                                    f"move it into one of: {', '.join(FOLDERS)}")
            continue
        kind = FOLDERS.get(entry.name)
        if kind is None:
            diagnostics.warning(rel, 0, 0, "unknown-folder",
                                f"'{entry.name}' is not a content type and is ignored{suggestion(entry.name, FOLDERS)}",
                                f"content types are: {', '.join(FOLDERS)}")
            continue
        found.extend(_walk_type(root, Path(entry.path), kind, real_content, diagnostics))
    return found


def _walk_type(root: Path, folder: Path, kind: str, real_content: Path, diagnostics: Diagnostics) -> list[ContentFile]:
    files = []

    def unreadable(error: OSError) -> None:
        _unreadable_folder(_rel(root, Path(error.filename)), error, diagnostics)

    visited = {os.path.realpath(folder)}
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in [d for d in dirnames if not _is_utf8(d)]:
            dirnames.remove(name)
            _bad_name(root, Path(dirpath) / name, "folder", diagnostics)
        for name in list(dirnames):  # os.walk enters links to folders: only those that stay inside, once
            path = Path(dirpath) / name
            real = os.path.realpath(path)
            if path.is_symlink() and (_bad_link(path, _rel(root, path), "folder", real_content, diagnostics)
                                      or _seen_folder(real, visited, _rel(root, path), diagnostics)):
                dirnames.remove(name)
            visited.add(real)
        folder_rel = links = None
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith((".", "_", "~")) or name.endswith("~"):
                continue
            path = os.path.join(dirpath, name)
            if not _is_utf8(name):
                _bad_name(root, Path(path), "file", diagnostics)
                continue
            folder_rel = folder_rel or _rel(root, Path(dirpath))
            rel = f"{folder_rel}/{name}"  # the name is UTF-8: as _rel(root, path) would give it
            links = _links_in(dirpath) if links is None else links
            if (name in links if links is not False else os.path.islink(path)) \
                    and _bad_link(Path(path), rel, "file", real_content, diagnostics):
                continue
            files.append(ContentFile(kind, name[:-3], path, rel))
    return files


def _links_in(folder: str) -> set[str] | bool:
    """The names of the links in `folder`, from its entries (one listing, where asking each file
    is a call to the system per file); False when it cannot be listed (then each file is asked)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except OSError:
        return False


def _rel(root: Path, path: Path) -> str:
    return os.fsencode(path.relative_to(root).as_posix()).decode("utf-8", "replace")


def _bad_link(path: Path, rel: str, what: str, real_content: Path, diagnostics: Diagnostics) -> bool:
    """Report a link that must not be followed (out of content/, a loop, a dead end); True if so."""
    problem = link_problem(path, real_content)
    if problem is None:
        return False
    code, message = describe(problem, what, f"{CONTENT_DIR}/")
    hints = {"outside": f"copy the {what} into content/ instead of linking to it",
             "loop": "remove the link, or point it at a folder that is not above it",
             "broken": "remove the link, or point it at an existing file"}
    diagnostics.error(rel, 0, 0, code, message + ("" if problem == "broken" else " and is ignored"), hints[problem])
    return True


def _seen_folder(real: str, visited: set[str], rel: str, diagnostics: Diagnostics) -> bool:
    """Report a link to a folder this walk has read already (a longer loop, or one folder twice)."""
    if real not in visited:
        return False
    diagnostics.error(rel, 0, 0, "symlink-loop", "this folder is a link to a folder that is read already (a loop, "
                      "or the same folder twice) and is ignored", "remove the link")
    return True


def _unreadable_folder(rel: str, error: OSError, diagnostics: Diagnostics) -> None:
    diagnostics.error(rel, 0, 0, "unreadable", f"cannot read this folder: {error.strerror or error}",
                      "make the folder readable (its files are missing from the roadmap until then)")


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _bad_name(root: Path, path: Path, what: str, diagnostics: Diagnostics) -> None:
    rel = os.fsencode(path.relative_to(root).as_posix()).decode("utf-8", "replace")
    diagnostics.error(rel, 0, 0, "not-utf8", f"the name of this {what} is not UTF-8 text, so it is ignored",
                      "rename it with plain letters, digits and '-'")


# A live preview loads every file again on each save. A text read before is taken as it was when
# the file's stat is unchanged, unless the file changed in the last RACY_SECONDS: a file system
# that keeps times to the second (or two) cannot tell two saves within one tick apart (git's
# "racily clean" files); so a file saved just now is always read again.
RACY_SECONDS = 2.5
_texts: dict[str, tuple[tuple, str]] = {}  # path → (its stat when read, its text)


def _stamp(info: os.stat_result) -> tuple:
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev


def read_text(file: ContentFile, diagnostics: Diagnostics) -> str | None:
    """The file's text, or None (with a diagnostic) when it is too big, unreadable or not UTF-8."""
    known = _texts.get(file.path)
    if known is not None:
        try:
            info = os.stat(file.path)
        except OSError:
            info = None
        if info is not None and _stamp(info) == known[0] and time.time() - info.st_ctime > RACY_SECONDS:
            return known[1]
    text, info = _read_text(file, diagnostics)
    if text is not None:
        if len(_texts) >= PARSED_LIMIT:
            _texts.clear()
        _texts[file.path] = (_stamp(info), text)
    return text


def _read_text(file: ContentFile, diagnostics: Diagnostics) -> tuple[str | None, os.stat_result | None]:
    try:
        # opened without blocking (a FIFO would wait for a writer), then checked by its descriptor
        descriptor = os.open(file.path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                diagnostics.error(file.rel, 0, 0, "unreadable", "this is not a regular file",
                                  "content files must be plain text files")
                return None, None
            if info.st_size > MAX_FILE_BYTES:
                diagnostics.error(file.rel, 0, 0, "file-too-large",
                                  f"the file is larger than {MAX_FILE_BYTES // 1000} kB",
                                  "split it, or move large material out of the roadmap")
                return None, None
            data = _read_all(descriptor, info.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:
        diagnostics.error(file.rel, 0, 0, "unreadable", f"cannot read the file: {error.strerror}")
        return None, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        diagnostics.error(file.rel, line, column, "not-utf8",
                          f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                          "save the file as UTF-8 (editors offer it under 'encoding')")
        return None, None
    if "\x00" in text:
        diagnostics.error(file.rel, 0, 0, "not-utf8", "the file contains NUL bytes: it is not a text file")
        return None, None
    return text.replace("\r\n", "\n").replace("\r", "\n"), info


def _read_all(descriptor: int, size: int) -> bytes:
    """Everything up to the end of the file: one read of the size fstat gave and a byte more (a
    regular file reads short only at its end), more reads only when the file grew meanwhile.
    Without a file object around the descriptor (which stats the file twice more and reads
    again to find the end), reading 11,935 files took 0.11 s of CPU instead of 0.17 s."""
    data = os.read(descriptor, size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    while part := os.read(descriptor, max(size, 65_536)):
        parts.append(part)
    return b"".join(parts)


PARSED_LIMIT = 100_000  # files remembered across loads in one process (serve); then it starts again
_parsed: dict[tuple, tuple[object | None, tuple]] = {}


def load_file(file: ContentFile, config: Config, diagnostics: Diagnostics) -> object | None:
    """One content file as an item of roadmapgen.model, or None when it cannot be used.

    An item depends only on the file's place and text and the working days of a week (`3w`), so
    the result and its diagnostics are remembered for the life of the process: `serve`'s
    rebuilds parse again only the files that changed."""
    text = read_text(file, diagnostics)
    return None if text is None else load_text(file, text, config, diagnostics)


def load_text(file: ContentFile, text: str, config: Config, diagnostics: Diagnostics) -> object | None:
    """As load_file, for a text already read (a past version of the file, from git: versions.py)."""
    key = (file.rel, file.kind, file.id, len(config.calendar.workdays), text)
    known = _parsed.get(key)
    if known is None:
        found = Diagnostics()
        item = _parse_file(file, text, config, found)
        if len(_parsed) >= PARSED_LIMIT:
            _parsed.clear()
        known = _parsed[key] = (item, tuple(found))
    item, found = known
    diagnostics.extend(found)
    return item


def _parse_file(file: ContentFile, text: str, config: Config, diagnostics: Diagnostics) -> object | None:
    """The item a file's text describes (its front matter parsed, checked and converted)."""
    try:
        document = read_document(text)
    except FrontMatterError as error:
        diagnostics.error(file.rel, error.line, error.column, error.code, error.message, error.hint)
        return None
    source = Source(file.rel, document.front.positions, document.front_line)
    for key, line, column in document.front.duplicates:
        diagnostics.error(file.rel, line, column, "duplicate-key", f"'{'.'.join(map(str, key))}' is set twice",
                          "remove one of them: only one value can count")
    data = document.front.data if document.front.data is not None else {}
    if not isinstance(data, dict):
        diagnostics.error(file.rel, 2, 1, "not-a-mapping", "the front matter is not a mapping of fields",
                          "write one 'name: value' per line between the '---' lines")
        return None
    schema = SCHEMAS[file.kind]
    try:
        # model_validate itself, without its keyword arguments (all None, the defaults): passing
        # them cost half as much again as validating (10,000 activities: 0.14 s against 0.09 s)
        front = schema.__pydantic_validator__.validate_python(data)
    except ValidationError as error:
        report_validation_error(error, schema, file.rel, lambda loc: source.at(*loc), diagnostics)
        return _without_invalid_fields(file, schema, data, error, document.body, source, config, diagnostics)
    return convert.to_item(file.kind, file.id, front, document.body, source, config, diagnostics)


def _without_invalid_fields(file: ContentFile, schema, data: dict, error: ValidationError, body: str,
                            source: Source, config: Config, diagnostics: Diagnostics) -> object | None:
    """The item built from the fields that are valid, so that one run also reports its other
    problems (its references, its dates): the build is refused anyway, as errors were found.
    Problems that only repeat a field already reported are left out."""
    bad = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
    kept = {key: value for key, value in data.items() if key not in bad}
    for key in bad & set(STAND_INS.get(file.kind, {})):
        kept.update(STAND_INS[file.kind][key])
    try:
        front = schema.model_validate(kept)
    except ValidationError:
        return None
    found = Diagnostics()
    item = convert.to_item(file.kind, file.id, front, body, source, config, found)
    # what only repeats a reported field: a problem on its line, or a field missing because it was set aside
    reported = {source.at(key)[0] for key in bad}
    diagnostics.extend(d for d in found if d.line not in reported and d.code != "missing-field")
    return item


def content_file(rel: str) -> ContentFile | None:
    """The content file at a project-relative path, as discover would find it; None for a path
    discover skips (outside a type folder, hidden, not Markdown). For versions read from git."""
    parts = rel.split("/")
    if len(parts) < 3 or parts[0] != CONTENT_DIR or parts[1] not in FOLDERS:
        return None
    name = parts[-1]
    if (not name.endswith(".md") or name.startswith((".", "_", "~")) or name.endswith("~")
            or any(p.startswith((".", "_")) for p in parts[1:-1])):
        return None
    return ContentFile(FOLDERS[parts[1]], name[:-3], Path(rel), rel)


def load_content(root: Path, config: Config, diagnostics: Diagnostics) -> Loaded:
    """Read every content file under root/content into items, with diagnostics for the rest."""
    loaded = Loaded()
    for file in discover(root, diagnostics):
        if not check_id(file, loaded, diagnostics):
            continue
        item = load_file(file, config, diagnostics)
        if item is not None:
            loaded.items[file.kind][file.id] = item
    return loaded


def check_id(file: ContentFile, loaded: Loaded, diagnostics: Diagnostics) -> bool:
    if not SLUG_RE.fullmatch(file.id):
        diagnostics.error(file.rel, 0, 0, "invalid-id", f"'{file.id}' is not a valid id",
                          f"ids are lower-case letters, digits and '-', e.g. rename it to '{slugify(file.id)}.md'")
        return False
    if len(file.id) > MAX_ID_LENGTH:
        diagnostics.error(file.rel, 0, 0, "invalid-id", f"the id is {len(file.id)} characters long, more than the "
                          f"{MAX_ID_LENGTH} an id may have", f"rename the file to at most {MAX_ID_LENGTH} characters "
                          "before '.md'")
        return False
    if file.id in RESERVED_IDS:
        diagnostics.error(file.rel, 0, 0, "reserved-id", f"'{file.id}' cannot be an id: the site writes its own "
                          f"{PLURAL[file.kind]}/{file.id}.html", f"rename the file, e.g. to '{file.id}-{file.kind}.md'"
                          ", and update the references to it")
        return False
    first = loaded.seen[file.kind].get(file.id)
    if first is not None:
        diagnostics.error(file.rel, 0, 0, "duplicate-id", f"the {file.kind} id '{file.id}' is also used by {first}",
                          "ids are file names and must be unique per type, whatever the sub-folder: rename one")
        return False
    loaded.seen[file.kind][file.id] = file.rel
    return True
