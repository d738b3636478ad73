"""The theme's static files, with a user's custom_dir/assets overriding them by file name,
and plotly.js from the plotly package, shipped once for every chart of the site."""

from __future__ import annotations

from pathlib import Path

from roadmapgen.site.write import StagedOutput

PLOTLY_ASSET = "vendor/plotly.min.js"


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def copy_assets(staged: StagedOutput, theme: Path, custom_dir: Path | None) -> None:
    files = {PLOTLY_ASSET: plotly_js()}
    files.update(_files(theme / "assets"))
    if custom_dir:
        files.update(_files(custom_dir / "assets"))
    for rel, source in sorted(files.items()):
        staged.copy_file(source, f"assets/{rel}")
