"""JSON Schemas for editors, derived from the models and the vocabularies.

`python build.py schema` writes them into `schemas/`; yaml-language-server (VS Code, Neovim…)
then completes field names, lists the allowed vocabulary ids with their French labels and flags
mistakes as you type. The schemas are ECMA-262 ones (their patterns too), accepted by ajv in strict mode.
"""

import hashlib
import json
import os
import sys
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
CACHE = Path("build") / "schemas-attendus.json"
"""What the models and vocabularies give, by the hash of each schema file, with the hash of what it was made
from: `verifier` then compares the files of `schemas/` without generating every schema again. It lies in the
build folder (`Layout.build`), where the engine keeps its caches, never in the site; only once that folder
exists (a check creates nothing in the référentiel) and when it is a real folder, not a link to elsewhere."""
ENGINE = Path(__file__).resolve().parent.parent
MADE_FROM = (*sorted((ENGINE / "model").glob("*.py")), ENGINE / "check" / "publication.py", Path(__file__).resolve())
"""The source of the models and of their schemas: a change to any of them makes the schemas be generated again."""


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
    expected = expected_digests(root, vocabularies)
    return [name for name, digest in expected.items()
            if (current := _current(folder / name)) is None or _digest(current) != digest]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_digests(root: Path, vocabularies: Vocabularies | None) -> dict[str, str]:
    """Schema file name → hash of the text the models and vocabularies give; read from the cache when it was
    made from the same source, vocabularies, pydantic and Python, else generated and kept in the cache."""
    cache = root / CACHE
    if cache.parent.is_symlink() or not cache.parent.is_dir():
        return _rendered_digests(vocabularies)
    key = _made_from(vocabularies)
    try:
        kept = json.loads(cache.read_text(encoding="utf-8")) if not cache.is_symlink() else {}
        if kept["cle"] == key and isinstance(kept["schemas"], dict):
            return {str(name): str(digest) for name, digest in kept["schemas"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    expected = _rendered_digests(vocabularies)
    try:
        temporary = cache.with_name(f".{cache.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"cle": key, "schemas": expected}), encoding="utf-8")
        temporary.replace(cache)
    except OSError:  # a folder that cannot be written: the schemas are generated at each check
        pass
    return expected


def _rendered_digests(vocabularies: Vocabularies | None) -> dict[str, str]:
    return {name: _digest(text) for name, text in render_schemas(vocabularies).items()}


def _made_from(vocabularies: Vocabularies | None) -> str:
    """The hash of what the schemas are made from: the models' source, the vocabularies, pydantic and Python."""
    import pydantic_core

    made_from = hashlib.sha256()
    for path in MADE_FROM:
        made_from.update(path.read_bytes() + b"\0")
    made_from.update(f"{sys.version}\0{pydantic_core.__version__}\0{vocabularies!r}".encode())
    return made_from.hexdigest()


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
