"""Write stage: the site goes to a staging folder and replaces the old one only when complete.

The output folder is only ever replaced when it is roadmapgen's own (it holds the marker
file) or empty, and never when it is, or holds, the project or the user's home.

One build at a time writes an output folder: `StagedOutput` holds a lock on it (a lock
file beside it) from staging to the swap. The swap is one step on Linux (`renameat2` with
`RENAME_EXCHANGE`): there is no moment without a site. Elsewhere it is two renames, undone
on any interruption, and a site stranded by a `kill -9` between them is put back by the
next build. Each good build removes what killed or failed builds left beside the output.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
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


def has_site(output: Path) -> bool:
    """Whether `output` holds a site that roadmapgen wrote."""
    try:
        return (output / MARKER).is_file()
    except OSError:
        return False


class OutputLock:
    """An exclusive lock on one output folder: `.<name>.lock` beside it, removed on release."""

    def __init__(self, output: Path):
        self.output = output
        self.path = output.with_name(f".{output.name}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise OutputError at once when another build holds it."""
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise OutputError(f"another roadmapgen build (process {holder}) is writing {self.output}; wait "
                                  "for it to finish, then build again") from None
            if self._still_on_disk(fd):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
            else:  # the holder released and removed it just before we locked: lock the new one
                os.close(fd)

    def _still_on_disk(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)

    def release(self) -> None:
        """Let go of the lock and remove its file (when it is still ours)."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)  # while still locked, so no one else holds a lock on it
        except FileNotFoundError:
            pass
        finally:
            os.close(self._fd)
            self._fd = None


class StagedOutput:
    """A staging folder beside the output; `commit()` swaps it in, `discard()` removes it.

    The output is locked from creation until `commit()` or `discard()`. `problems` lists the
    leftovers of earlier builds that `commit()` could not remove (to be reported as warnings).
    """

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self._lock = OutputLock(self.output)
        self._lock.acquire()
        try:
            self.recovered = recover_stranded_site(self.output)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.building-", dir=self.output.parent))
        except BaseException:
            self._lock.release()
            raise
        self._dirs: set[Path] = {self.root}
        self.files = 0
        self.bytes = 0
        self.problems: list[str] = []

    def path(self, rel: str) -> Path:
        """The staged file for a site path; refuses a path that leaves the staging folder.

        The check reads the path's text, with no call to the file system: the staging folder is
        new (mkdtemp) and only this class puts anything in it, folders and regular files, so no
        link inside it leads out (resolving every path cost 20 µs of a file's write)."""
        normal = os.path.normpath(rel)
        if os.path.isabs(normal) or normal == os.pardir or normal.startswith(os.pardir + os.sep):
            raise ValueError(f"refusing to write outside the site: {rel}")
        return self.root / normal

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
        """Make the staged site the output in one step, then remove every leftover beside it."""
        try:
            self.write_text(MARKER, MARKER_TEXT)
            os.chmod(self.root, 0o755)
            swap_in(self.root, self.output)
            self.problems = remove_leftovers(self.output)
        finally:
            self._lock.release()

    def discard(self) -> None:
        """Remove the staging folder (what cannot be removed, the next good build removes)."""
        try:
            shutil.rmtree(self.root, ignore_errors=True)
        finally:
            self._lock.release()


# -- the swap ---------------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc ≥ 2.28, musl ≥ 1.2.3
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False when the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, output: Path) -> None:
    """Put the folder `new` at `output`. The previous site, if any, ends up at `new` (exchanged)
    or at `.<name>.old-<pid>` (two renames); either way a leftover for `remove_leftovers`."""
    if not os.path.lexists(output):
        os.rename(new, output)
        return
    if exchange(new, output):
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    os.replace(output, old)
    try:
        os.replace(new, output)
    except BaseException:  # Ctrl-C included: never leave the output missing
        os.replace(old, output)
        raise


def _leftovers(output: Path) -> list[Path]:
    prefixes = (f".{output.name}.building-", f".{output.name}.old-")
    try:
        names = os.listdir(output.parent)
    except OSError:
        return []
    return [output.parent / name for name in sorted(names) if name.startswith(prefixes)]


def recover_stranded_site(output: Path) -> Path | None:
    """Put back the previous site when a build was killed between the two renames of a swap:
    the output is missing and a marked `.<name>.old-*` folder is beside it."""
    if os.path.lexists(output):
        return None
    stranded = [path for path in _leftovers(output) if path.name.startswith(f".{output.name}.old-")
                and not path.is_symlink() and has_site(path)]
    if not stranded:
        return None
    newest = max(stranded, key=lambda path: path.stat().st_mtime_ns)
    os.rename(newest, output)
    return newest


def remove_leftovers(output: Path) -> list[str]:
    """Remove the staging and old folders of earlier builds; what could not be removed, and why."""
    problems: list[str] = []

    def failed(function, path, error) -> None:
        error = error[1] if isinstance(error, tuple) else error
        problems.append(f"could not remove {path}: {getattr(error, 'strerror', None) or error}")

    for path in _leftovers(output):
        if path.is_symlink() or not path.is_dir():
            try:
                path.unlink()
            except OSError as error:
                failed(None, path, error)
            continue
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=failed)
        else:
            shutil.rmtree(path, onerror=failed)
    return problems
