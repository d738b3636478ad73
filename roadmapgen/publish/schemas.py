"""JSON Schemas for editors: one per content type's front matter, and one for roadmap.yml.

Each carries `$schema` (the JSON Schema dialect pydantic writes), so that editors and
validators know how to read it without being told.
"""

from __future__ import annotations

from roadmapgen.config import ConfigFile
from roadmapgen.content.schema import json_schemas

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CONFIG_SCHEMA = "roadmap"  # roadmap.schema.json


def config_json_schema() -> dict:
    """The JSON Schema of roadmap.yml."""
    schema = ConfigFile.model_json_schema(by_alias=True)
    schema["title"] = "roadmapgen roadmap.yml"
    return schema


def editor_schemas() -> dict[str, dict]:
    """{name: schema}: each content type's front matter, then roadmap.yml ('roadmap')."""
    schemas = {**json_schemas(), CONFIG_SCHEMA: config_json_schema()}
    return {name: {"$schema": DIALECT, **schema} for name, schema in schemas.items()}
