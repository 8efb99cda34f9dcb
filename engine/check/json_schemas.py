"""JSON Schemas for editors, derived from the models and the vocabularies.

`python build.py schema` writes them into `schemas/`; yaml-language-server (VS Code, Neovim…)
then completes field names, lists the allowed vocabulary ids with their French labels and flags
mistakes as you type. The schemas are ECMA-262 ones (their patterns too), accepted by ajv in strict mode.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.check.publication import FILE as PUBLICATION_FILE
from engine.check.publication import Publication
from engine.load.documents import LoadError
from engine.load.inputs import read_text, write_text
from engine.model.annotations import markers
from engine.model.format import KINDS, SHARED_FILES, Vocab, Vocabularies

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_files() -> dict[str, type[BaseModel]]:
    """Schema file name → model, for every kind of entry, every shared data file and `referentiel.yaml`."""
    files: dict[str, type[BaseModel]] = {f"{kind}.schema.json": model for kind, model in KINDS.items()}
    files.update({f"{Path(name).stem}.schema.json": model for name, (model, _) in SHARED_FILES.items()})
    files[f"{Path(PUBLICATION_FILE).stem}.schema.json"] = Publication
    return files


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:  # optional fields: the non-null branch
        node = next(branch for branch in node["anyOf"] if branch.get("type") != "null")
        return _resolve(schema, node)
    return node


def _field_schema(schema: dict[str, Any], pattern: tuple[str, ...]) -> dict[str, Any]:
    node = schema
    for part in pattern:
        node = _resolve(schema, node)
        node = node["items"] if part == "*" else node["properties"][part]
    return _resolve(schema, node)


def json_schema(model: type[BaseModel], vocabularies: Vocabularies | None) -> dict[str, Any]:
    """The JSON Schema of a model, with the vocabulary ids as enums and their French labels as
    `markdownEnumDescriptions`, which VS Code and yaml-language-server show beside each id."""
    schema = model.model_json_schema()
    if vocabularies is not None:
        for pattern, marker in markers(model):
            if isinstance(marker, Vocab):
                items = getattr(vocabularies, marker.name)
                target = _field_schema(schema, pattern)
                target["enum"] = [item.id for item in items]
                target["markdownEnumDescriptions"] = [item.libelle for item in items]
    return {"$schema": DIALECT, **schema}


def render_schemas(vocabularies: Vocabularies | None) -> dict[str, str]:
    """Every schema file's text, as written to disk."""
    return {
        name: json.dumps(json_schema(model, vocabularies), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, model in schema_files().items()
    }


def stale_schemas(root: Path, vocabularies: Vocabularies | None) -> list[str]:
    """The schema files that differ from what the models would give (missing ones included)."""
    folder = root / SCHEMA_DIR
    return [name for name, text in render_schemas(vocabularies).items() if _current(folder / name) != text]


def _current(path: Path) -> str | None:
    """The text of a schema file under the rule of every input; None when it is missing or breaks the rule."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return read_text(path, path.name)
    except LoadError:
        return None


def write_schemas(root: Path, vocabularies: Vocabularies | None) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in render_schemas(vocabularies).items():
        path = folder / name
        write_text(path, text)
        written.append(path)
    return written
