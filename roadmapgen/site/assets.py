"""The theme's static files, with a user's custom_dir/assets overriding them by file name,
and plotly.js, shipped once for every chart of the site.

The default theme ships plotly.js's "basic" bundle (scatter and bar traces: all its charts
use; 1.2 MB instead of 4.8 MB, so a timeline draws in half the time). A theme without its
own vendor/plotly.min.js gets the full bundle of the installed plotly package."""

from __future__ import annotations

import os
from pathlib import Path

from roadmapgen.site.write import OutputError, StagedOutput

PLOTLY_ASSET = "vendor/plotly.min.js"


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _files(folder: Path) -> dict[str, Path]:
    """The files to publish from a theme's assets folder. A link out of the theme folder (to
    /proc/self/environ, say) is refused here as well as by `check`: everything here is published."""
    if not folder.is_dir():
        return {}
    root = os.path.realpath(folder.parent)
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or not (path.is_file() or path.is_symlink()):
            continue
        real = os.path.realpath(path)
        if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
            raise OutputError(f"refusing to publish {path}: it is a link out of the theme folder, or not a regular "
                              "file; run roadmapgen check to see every such file")
        files[path.relative_to(folder).as_posix()] = path
    return files


def copy_assets(staged: StagedOutput, theme: Path, custom_dir: Path | None) -> None:
    files = {PLOTLY_ASSET: plotly_js()}
    files.update(_files(theme / "assets"))
    if custom_dir:
        files.update(_files(custom_dir / "assets"))
    for rel, source in sorted(files.items()):
        staged.copy_file(source, f"assets/{rel}")
