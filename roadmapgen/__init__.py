"""roadmapgen: strategy-execution roadmaps, from Markdown in git to a static site.

The library surface: `compute_roadmap` (the engine: load → validate → schedule → status)
and `build_site` (the engine, then pages → render → write).
"""

__version__ = "0.1.0"

__all__ = ["__version__", "build_site", "compute_roadmap"]


def __getattr__(name: str):
    # Imported lazily so that `import roadmapgen` stays cheap and the engine can be used
    # without loading the site layer (jinja2, markdown-it).
    if name == "compute_roadmap":
        from roadmapgen.engine.pipeline import compute_roadmap

        return compute_roadmap
    if name == "build_site":
        from roadmapgen.build import build_site

        return build_site
    raise AttributeError(name)
