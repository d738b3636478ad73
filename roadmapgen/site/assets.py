"""The theme's static files, with a user's custom_dir/assets overriding them by file name, and
plotly.js, shipped once for every chart of the site.

The default theme vendors plotly.js's "basic" bundle (scatter and bar traces: all its charts
use; 1.2 MB instead of 4.8 MB, so a timeline draws in half the time) as vendor/plotly.min.js,
and that file is what the site ships. Only a theme without its own vendor/plotly.min.js gets the
full bundle of the installed plotly package: that is the one place plotly is imported, and only
then, since it is the source of that asset.
"""

from __future__ import annotations

import os
from pathlib import Path

from roadmapgen.site.write import OutputError

PLOTLY_ASSET = "vendor/plotly.min.js"


def plotly_js() -> Path:
    """The full plotly.js bundle of the installed plotly package."""
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


def asset_sources(theme: Path, custom_dir: Path | None) -> dict[str, Path]:
    """Each asset's site path (under assets/) and the file it is copied from, sorted by path."""
    files = _files(theme / "assets")
    if custom_dir:
        files.update(_files(custom_dir / "assets"))
    if PLOTLY_ASSET not in files:
        files[PLOTLY_ASSET] = plotly_js()
    return {f"assets/{rel}": source for rel, source in sorted(files.items())}


def asset_files(theme: Path, custom_dir: Path | None) -> dict[str, bytes]:
    """Each asset's site path and its bytes."""
    return {rel: source.read_bytes() for rel, source in asset_sources(theme, custom_dir).items()}
