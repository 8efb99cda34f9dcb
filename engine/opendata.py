"""Open data: the whole référentiel as JSON and CSV under `donnees/`, with the JSON Schemas of the files.

- `donnees/referentiel.json`: every entry, the vocabularies, the glossary, the bibliography and the
  code source, with the publication (`referentiel.yaml`: edition, licence, publisher);
- `donnees/<sorte>.json` (`enseignements`, `fiches`, `territoires`, `parcours`): the publication and
  the entries of one kind;
- `donnees/<sorte>.csv`: one line per entry, one column per field (see `columns`);
- `donnees/schemas/<fichier>.schema.json`: the schema of each JSON file, and under `sources/` the
  schemas of the YAML files of the référentiel (those of `schemas/`, for the editors).

The JSON files are dumps of models built from the entry models, so they validate against their
schema and read back into the models without loss; a field without value is left out.
"""

import csv
import functools
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, create_model

from .addresses import FOLDERS, OPEN_DATA
from .format import KINDS, Bibliography, CodeSource, Entry, Glossary, Landmarks, Model, Vocabularies
from .pages import Pages
from .publication import Publication
from .reference import PARTS
from .references import facets
from .referentiel import Referentiel
from .schema import json_schema, render_schemas

FOLDER = "donnees"
WHOLE = "referentiel"
SCHEMAS = f"{FOLDER}/schemas"
SOURCE_SCHEMAS = f"{SCHEMAS}/sources"
LIST_SEPARATOR = " | "
"""Between the items of a list of plain values, in a CSV cell."""


@functools.cache
def _export_model(name: str, kinds: tuple[type[Entry], ...], shared: bool) -> type[Model]:
    fields: dict[str, Any] = {"publication": (Publication, ...)}
    fields.update({model.pages: (list[model], ...) for model in kinds})  # type: ignore[valid-type]
    if shared:
        fields.update(vocabulaires=(Vocabularies, ...), glossaire=(Glossary, ...),
                      bibliographie=(Bibliography, ...), code_source=(CodeSource | None, None),
                      reperes=(Landmarks | None, None))
    return create_model(name, __base__=Model, **fields)


class _Exports(Mapping[str, type[Model]]):
    """The model of each JSON file, made from the kinds of entry as they are when it is asked for."""

    def __getitem__(self, name: str) -> type[Model]:
        if name == WHOLE:
            return _export_model("Referentiel", tuple(KINDS.values()), shared=True)
        model = next((model for model in KINDS.values() if model.pages == name), None)
        if model is None:
            raise KeyError(name)
        return _export_model(name.capitalize(), (model,), shared=False)

    def __iter__(self) -> Iterator[str]:
        return iter([WHOLE, *FOLDERS.values()])

    def __len__(self) -> int:
        return 1 + len(KINDS)


EXPORTS: Mapping[str, type[Model]] = _Exports()
"""The model of each JSON file, by its name without extension."""


def export(referentiel: Referentiel, name: str) -> Model:
    """The content of one JSON file, entries sorted by id."""
    model = EXPORTS[name]
    values: dict[str, Any] = {"publication": referentiel.publication}
    for kind, folder in FOLDERS.items():
        if folder in model.model_fields:
            values[folder] = [referentiel.entries[kind][ident] for ident in sorted(referentiel.entries[kind])]
    if "vocabulaires" in model.model_fields:
        values.update(vocabulaires=referentiel.vocabularies, glossaire=referentiel.glossary,
                      bibliographie=referentiel.bibliography, code_source=referentiel.code_source,
                      reperes=referentiel.landmarks)
    return model(**values)


@dataclass(frozen=True)
class Column:
    """One column of a CSV file: a field, or a field of a field (`coordonnees.latitude`)."""

    name: str
    description: str
    as_json: bool = False
    """True for lists of mappings (étapes, sources…): the cell holds their JSON."""


def columns(model: type[BaseModel], prefix: str = "") -> list[Column]:
    """The columns of a kind: its fields in the order of the format, nested mappings spread over columns."""
    found: list[Column] = []
    order = model.field_order() if issubclass(model, Entry) else list(model.model_fields)
    for name in order:
        field = facets(model.model_fields[name])
        item = field.item.base if field.item else None
        described = field.description or next((PARTS[part].intro for part in (field.base, item) if part in PARTS), "")
        if isinstance(field.base, type) and issubclass(field.base, BaseModel):
            found += columns(field.base, f"{prefix}{name}.")
        else:
            nested = isinstance(item, type) and issubclass(item, BaseModel)
            found.append(Column(f"{prefix}{name}", described, as_json=nested))
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False)
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    return str(value)


def _value(data: dict[str, Any], dotted: str) -> Any:
    found: Any = data
    for part in dotted.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def csv_text(entries: list[Entry], model: type[Entry]) -> str:
    """One line per entry, a header line first."""
    names = [column.name for column in columns(model)]
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(names)
    for entry in entries:
        data = entry.model_dump(mode="json")
        writer.writerow([_cell(_value(data, name)) for name in names])
    return output.getvalue()


def _json(value: dict[str, Any] | Model) -> bytes:
    """Indented JSON, UTF-8; a model is written by pydantic's own serialiser (several times faster
    than `json` with an indent), fields without value left out."""
    text = value.model_dump_json(indent=2, exclude_none=True) if isinstance(value, Model) else (
        json.dumps(value, ensure_ascii=False, indent=2))
    return (text + "\n").encode("utf-8")


def files(referentiel: Referentiel) -> dict[str, bytes]:
    """Every open data file, by its path in the docs folder."""
    found: dict[str, bytes] = {}
    for name, model in EXPORTS.items():
        found[f"{FOLDER}/{name}.json"] = _json(export(referentiel, name))
        found[f"{SCHEMAS}/{name}.schema.json"] = _json(json_schema(model, referentiel.vocabularies))
    for kind, folder in FOLDERS.items():
        entries = [referentiel.entries[kind][ident] for ident in sorted(referentiel.entries[kind])]
        found[f"{FOLDER}/{folder}.csv"] = csv_text(entries, KINDS[kind]).encode("utf-8")
    for name, text in render_schemas(referentiel.vocabularies).items():
        found[f"{SOURCE_SCHEMAS}/{name}"] = text.encode("utf-8")
    return found


def page(pages: Pages) -> str:
    """The Markdown of the « Données ouvertes » page."""
    kinds = [(kind, FOLDERS[kind], KINDS[kind], columns(KINDS[kind])) for kind in KINDS]
    return pages.page("donnees.md.j2", OPEN_DATA, {"title": "Données ouvertes"}, kinds=kinds, folder=FOLDER,
                      whole=WHOLE, schemas=SCHEMAS, source_schemas=SOURCE_SCHEMAS, separator=LIST_SEPARATOR,
                      p=pages.referentiel.publication, site_url=pages.site_url,
                      counts={kind: len(pages.referentiel.entries[kind]) for kind in KINDS})
