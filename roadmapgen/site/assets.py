"""The theme's static files, with a user's custom_dir/assets overriding them by file name,
and plotly.js, shipped once for every chart of the site.

The default theme ships plotly.js's "basic" bundle (scatter and bar traces: all its charts
use; 1.2 MB instead of 4.8 MB, so a timeline draws in half the time). A theme without its
own vendor/plotly.min.js gets the full bundle of the installed plotly package."""

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
