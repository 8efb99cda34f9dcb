"""Open data: the whole référentiel as JSON and CSV under `donnees/`, with the JSON Schemas of the files.

- `donnees/referentiel.json`: every entry, the vocabularies, the glossary, the bibliography and the
  code source, with the publication (`referentiel.yaml`: edition, licence, publisher);
- `donnees/<sorte>.json` (`enseignements`, `fiches`, `territoires`, `parcours`): the publication and
  the entries of one kind;
- `donnees/<sorte>.csv`: one line per entry, one column per field (see `tables`), and beside it
  `donnees/<sorte>-excel.csv` for French Excel;
- `donnees/datapackage.json`: the CSV files as a Frictionless Data Package, a Table Schema for each;
- `donnees/scrutaridata.xml`: the entries for Scrutari search engines (`scrutaridata.py`), once the site
  has an address;
- `donnees/schemas/<fichier>.schema.json`: the schema of each JSON file, and under `sources/` the
  schemas of the YAML files of the référentiel (those of `schemas/`, for the editors).

The JSON files are dumps of models built from the entry models, so they validate against their
schema and read back into the models without loss; a field without value is left out.
"""

import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import create_model

from engine.check.json_schemas import json_schema, render_schemas
from engine.check.publication import Publication
from engine.check.referentiel import Referentiel
from engine.model.format import KINDS, Bibliography, CodeSource, Entry, Glossary, Landmarks, Model, Vocabularies
from engine.render import datapackage, scrutaridata
from engine.render.addresses import FOLDERS, OPEN_DATA
from engine.render.csv_tables import DIALECTS, LIST_SEPARATOR, Dialect, columns, csv_text
from engine.render.pages import Pages

FOLDER = "donnees"
WHOLE = "referentiel"
SCHEMAS = f"{FOLDER}/schemas"
SOURCE_SCHEMAS = f"{SCHEMAS}/sources"
SCRUTARIDATA = f"{FOLDER}/{scrutaridata.FILE}"
"""The entries in the ScrutariData format (`scrutaridata.py`), written only when the site has an address."""


class Export(Model):
    """What every JSON file holds first: the publication; the model of each file adds its entries (and, for the
    whole référentiel, the shared data)."""

    publication: Publication


@functools.cache
def _export_model(name: str, kinds: tuple[type[Entry], ...], shared: bool) -> type[Export]:
    fields: dict[str, Any] = {}
    fields.update({model.pages: (list[model], ...) for model in kinds})  # type: ignore[valid-type]
    if shared:
        fields.update(vocabulaires=(Vocabularies, ...), glossaire=(Glossary, ...),
                      bibliographie=(Bibliography, ...), code_source=(CodeSource | None, None),
                      reperes=(Landmarks | None, None))
    return create_model(name, __base__=Export, **fields)


class _Exports(Mapping[str, type[Export]]):
    """The model of each JSON file, made from the kinds of entry as they are when it is asked for."""

    def __getitem__(self, name: str) -> type[Export]:
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


EXPORTS: Mapping[str, type[Export]] = _Exports()
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


def csv_name(kind: str, dialect: Dialect) -> str:
    return f"{FOLDERS[kind]}{dialect.suffix}.csv"


def tables() -> list[datapackage.Table]:
    """Every CSV file, in each dialect, with its columns."""
    return [datapackage.Table(csv_name(kind, dialect), FOLDERS[kind].capitalize() + dialect.title_suffix,
                              columns(KINDS[kind]), dialect)
            for kind in KINDS for dialect in DIALECTS]


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
    for kind in FOLDERS:
        entries = [referentiel.entries[kind][ident] for ident in sorted(referentiel.entries[kind])]
        for dialect in DIALECTS:
            text = csv_text(entries, KINDS[kind], dialect)
            found[f"{FOLDER}/{csv_name(kind, dialect)}"] = text.encode(dialect.encoding)
    found[f"{FOLDER}/{datapackage.FILE}"] = _json(datapackage.descriptor(referentiel.publication, referentiel.vocabularies, tables()))
    for name, text in render_schemas(referentiel.vocabularies).items():
        found[f"{SOURCE_SCHEMAS}/{name}"] = text.encode("utf-8")
    return found


def page(pages: Pages) -> str:
    """The Markdown of the « Données ouvertes » page."""
    kinds = [(kind, FOLDERS[kind], KINDS[kind], columns(KINDS[kind])) for kind in KINDS]
    return pages.page("donnees.md.j2", OPEN_DATA, {"title": "Données ouvertes"}, kinds=kinds, folder=FOLDER,
                      whole=WHOLE, datapackage=datapackage.FILE, scrutaridata=scrutaridata.FILE, schemas=SCHEMAS,
                      source_schemas=SOURCE_SCHEMAS,
                      separator=LIST_SEPARATOR,
                      p=pages.referentiel.publication, site_url=pages.site_url,
                      counts={kind: len(pages.referentiel.entries[kind]) for kind in KINDS})
