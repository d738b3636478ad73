"""Every public function, class and method of the site layer says what it is for, in a docstring
(as the engine's do): a public name without one fails here."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def undocumented(package: str) -> list[str]:
    missing = []
    for path in sorted((REPO / "roadmapgen" / package).glob("*.py")):
        def walk(node, prefix=""):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    if child.name.startswith("_"):
                        continue
                    if ast.get_docstring(child) is None:
                        missing.append(f"{path.name}:{child.lineno} {prefix}{child.name}")
                    if isinstance(child, ast.ClassDef):
                        walk(child, f"{prefix}{child.name}.")
        walk(ast.parse(path.read_text("utf-8")))
    return missing


def test_every_public_name_of_the_site_layer_has_a_docstring():
    assert undocumented("site") == []


def test_every_public_name_of_the_publish_commands_has_a_docstring():
    assert undocumented("publish") == []


def test_the_check_finds_a_missing_docstring(tmp_path, monkeypatch):
    package = tmp_path / "roadmapgen" / "probe"
    package.mkdir(parents=True)
    (package / "m.py").write_text('def shown():\n    return 1\n\n\ndef _hidden():\n    return 2\n', "utf-8")
    monkeypatch.setattr("tests.unit.test_docstrings.REPO", tmp_path)
    assert undocumented("probe") == ["m.py:1 shown"]
