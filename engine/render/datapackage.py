"""`donnees/datapackage.json`: the CSV files described as a Frictionless Data Package (v1).

Each CSV file is a tabular resource with its Table Schema: the type of each column (so that
`numero_departement` « 08 » or « 2A » stays a text, and a latitude a number), the ids of its
vocabulary, the pattern of an id, which columns are required. Spreadsheets and data tools
(frictionless, Open Data portals, R and pandas readers) then read the files as they are meant.
"""

from dataclasses import dataclass
from typing import Any

from engine.check.publication import Publication
from engine.model.format import Vocabularies
from engine.model.french import slug
from engine.render.csv_tables import TEXT_MARK, Column, Dialect

FILE = "datapackage.json"
PROTECTION = (f"Une cellule de texte qui commencerait par =, +, -, @, une tabulation ou « {TEXT_MARK} » est "
              f"précédée de « {TEXT_MARK} », pour qu'aucun tableur ne la prenne pour une formule : retirez ce "
              f"premier « {TEXT_MARK} » pour retrouver le texte.")


@dataclass(frozen=True)
class Table:
    """One CSV file: its path beside `datapackage.json`, what it holds, its columns and its dialect."""

    path: str
    title: str
    columns: list[Column]
    dialect: Dialect


def table_pattern(pattern: str) -> str:
    """A pattern of the models as Table Schema writes it (XML Schema: anchored, no « (?: »)."""
    return pattern.removeprefix("^").removesuffix("$").replace("(?:", "(")


def _field(column: Column, dialect: Dialect, vocabularies: Vocabularies) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "number" and dialect.decimal != ".":
        field["decimalChar"] = dialect.decimal
    if column.type == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.name == "id":
        constraints["unique"] = True
    if column.pattern:
        constraints["pattern"] = table_pattern(column.pattern)
    if column.vocabulary:
        constraints["enum"] = [item.id for item in getattr(vocabularies, column.vocabulary)]
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(table: Table, vocabularies: Vocabularies) -> dict[str, Any]:
    dialect = table.dialect
    return {
        "name": table.path.removesuffix(".csv"),
        "title": table.title,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": dialect.encoding,
        "description": dialect.description + " " + PROTECTION,
        "dialect": {"delimiter": dialect.delimiter, "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                    "header": True},
        "schema": {"fields": [_field(column, dialect, vocabularies) for column in table.columns],
                   "primaryKey": ["id"], "missingValues": [""]},
    }


def descriptor(publication: Publication, vocabularies: Vocabularies, tables: list[Table]) -> dict[str, Any]:
    """The data package of the CSV files, with the publication's name, edition, licence and publisher."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": slug(publication.titre),
        "title": publication.titre,
        "description": publication.description,
        "version": publication.edition,
        "licenses": [{"name": publication.licence.identifiant, "title": publication.licence.nom,
                      "path": publication.licence.adresse}],
        "contributors": [{"title": publication.editeur.nom, "role": "publisher"}],
    }
    if publication.adresse:
        package["homepage"] = publication.adresse
    package["resources"] = [_resource(table, vocabularies) for table in tables]
    return package
