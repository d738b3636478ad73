"""The wheel carries the theme: build it, install it into a fresh venv, build a site with it."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# prints how many templates the built-in theme has, then how many of them Jinja had to compile
_NO_TEMPLATE_COMPILED = """
import jinja2
from roadmapgen.site.precompile import builtin_environment
compiled = []
original = jinja2.Environment.compile
jinja2.Environment.compile = lambda self, source, name=None, *a, **k: compiled.append(name) or original(self, source, name, *a, **k)
environment, _ = builtin_environment()
names = [n for n in environment.list_templates() if not n.startswith("default/")]
for name in names:
    environment.get_template(name)
print(len(names), len(compiled))
"""


def test_wheel_installs_and_builds_a_site(repo: Path, tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(repo)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("roadmapgen-*.whl"))
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)], check=True)
    # The dependencies come from this interpreter's site-packages, so no download is needed;
    # roadmapgen itself can only come from the wheel (a .pth adds folders, not their .pth files).
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = [p for p in site.getsitepackages() + [site.getusersitepackages()] if Path(p).is_dir()]
    (Path(purelib) / "_deps.pth").write_text("\n".join(deps) + "\n")

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(repo / "roadmap.yml", project / "roadmap.yml")
    shutil.copytree(repo / "content", project / "content")
    where = subprocess.run([python, "-c", "import roadmapgen, sys; print(roadmapgen.__file__)"], cwd=project,
                           capture_output=True, text=True, check=True).stdout
    assert str(env) in where, where
    result = subprocess.run([env / "bin" / "roadmapgen", "build", "--today", "2026-11-25"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "assets" / "css" / "site.css").is_file()
    # the theme's templates come compiled ahead in the wheel too (site/compiled_theme.py)
    kept = subprocess.run([python, "-c", _NO_TEMPLATE_COMPILED], cwd=project, capture_output=True, text=True)
    templates = sum(1 for p in (repo / "themes" / "default" / "templates").rglob("*") if p.is_file())
    assert kept.returncode == 0 and kept.stdout.split() == [str(templates), "0"], kept.stdout + kept.stderr
    # the starter ships in the wheel too: init, then a strict build, as a new user would
    init = subprocess.run([env / "bin" / "roadmapgen", "init", "demo"], cwd=tmp_path, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "demo" / ".github" / "workflows" / "roadmap.yml").is_file()
    strict = subprocess.run([env / "bin" / "roadmapgen", "build", "--strict"], cwd=tmp_path / "demo",
                            capture_output=True, text=True)
    assert strict.returncode == 0, strict.stderr
    assert (tmp_path / "demo" / "site" / "search.html").is_file()
