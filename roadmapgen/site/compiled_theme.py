"""The built-in theme's templates, compiled ahead: shipped as the Python that Jinja makes of them.

Compiling the built-in theme's 37 templates (Jinja's parser and code generator, then Python's
compiler) took about 0.2 s, and every build paid it once: half of the example's build, a fifth
of a 1,000-activity one. `compiled_theme.json`, beside this file, holds what Jinja's code
generator makes of each template, so a build only runs Python's compiler on it (a tenth of the
time), through Jinja's own hook for compiled templates (a `BytecodeCache`).

A template's kept code is used only when everything that made it is unchanged: its text (by
SHA-256), the folder it was read from, the Jinja version and every option of the environment
that shapes the code. Anything else (an edited template of a source checkout, another Jinja, a
`custom_dir`'s templates, which run in the sandbox) is compiled as before, so the kept code can
make a build slower when it is stale, never different. It is roadmapgen's own code, read from
the installed package, never from a project.

After editing a template of the built-in theme, write the file again (site/precompile.py; a
test says when it is due):

    python -m roadmapgen.site.precompile
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

COMPILED = Path(__file__).with_name("compiled_theme.json")


def environment_signature(environment: jinja2.Environment) -> str:
    """Everything of an environment that shapes the code Jinja makes of a template."""
    e = environment
    return json.dumps([
        jinja2.__version__, type(e).__name__, e.sandboxed, repr(e.autoescape), e.optimized, e.is_async,
        e.trim_blocks, e.lstrip_blocks, e.keep_trailing_newline, e.newline_sequence,
        e.block_start_string, e.block_end_string, e.variable_start_string, e.variable_end_string,
        e.comment_start_string, e.comment_end_string, e.line_statement_prefix, e.line_comment_prefix,
        sorted(e.extensions), sorted(e.filters), sorted(e.tests),
    ])


def source_digest(source: str) -> str:
    """How a template's text is recognised: its SHA-256."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _kept(path: Path) -> dict:
    """The kept code (read once per process); empty when the file is missing, unreadable or not
    of this shape: {"environment": …, "templates": {name: {"sha256": …, "python": …}}}."""
    try:
        kept = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) and isinstance(kept.get("templates"), dict) else {}


class CompiledTheme(jinja2.BytecodeCache):
    """Gives Jinja the kept code of a built-in template whose text and environment match, and
    nothing otherwise (Jinja then compiles it and offers the code back, which is not kept)."""

    def __init__(self, templates: Path, kept: Path = COMPILED):
        self._folder = os.path.realpath(templates)
        self._kept = kept
        self._signature: str | None = None

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        """A bucket holding the template's code when it was kept for exactly this template."""
        bucket = Bucket(environment, name, "")
        bucket.code = self._code(environment, name, filename, source)
        return bucket

    def _code(self, environment: jinja2.Environment, name: str, filename: str | None,
              source: str) -> CodeType | None:
        kept = _kept(self._kept)
        entry = kept.get("templates", {}).get(name)
        if entry is None or filename is None or os.path.realpath(filename) != os.path.join(self._folder, *name.split("/")):
            return None
        if self._signature is None:  # the environment is complete by the first template asked for
            self._signature = environment_signature(environment)
        try:
            if kept.get("environment") != self._signature or entry["sha256"] != source_digest(source):
                return None
            return compile(entry["python"], filename, "exec")  # as Jinja compiles it: the template's file names the code
        except (KeyError, TypeError, ValueError, SyntaxError):  # a damaged file: compile the template instead
            return None

    def load_bytecode(self, bucket: Bucket) -> None:
        """Unused: `get_bucket` reads the kept code itself."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Nothing is kept at run time: the kept code is written by site/precompile.py only."""
