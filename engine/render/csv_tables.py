"""The CSV files of the open data: one line per entry, one column per field, for spreadsheets.

Each kind is written twice: the standard CSV (comma, UTF-8, decimal point) and a variant that French
Excel opens correctly by double-click (semicolon, UTF-8 with its byte order mark, decimal comma). A
list of plain values fits in one cell, its items separated by `LIST_SEPARATOR`; a list of mappings is
written as JSON. No text cell starts like a formula: `protect` puts an apostrophe before it, which
`recover` removes (see the « Données ouvertes » page, which documents it for reusers).
"""

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from engine.model.annotations import facets
from engine.model.format import Entry, Vocab, field_order
from engine.render.format_reference import PARTS

LIST_SEPARATOR = " | "
"""Between the items of a list of plain values, in a CSV cell."""


@dataclass(frozen=True)
class Column:
    """One column of a CSV file: a field, or a field of a field (`coordonnees.latitude`)."""

    name: str
    description: str
    as_json: bool = False
    """True for lists of mappings (étapes, sources…): the cell holds their JSON."""
    type: str = "string"
    """Its Table Schema type: `string`, `integer`, `number`, `boolean`, or `array` for a cell of JSON."""
    required: bool = False
    pattern: str | None = None
    vocabulary: str | None = None
    """For a field whose values are the ids of a vocabulary (`Vocab`), its name in `vocabulaires.yaml`."""


_TYPES: dict[Any, str] = {int: "integer", float: "number", bool: "boolean"}


def columns(model: type[BaseModel], prefix: str = "", optional: bool = False) -> list[Column]:
    """The columns of a kind: its fields in the order of the format, nested mappings spread over columns."""
    found: list[Column] = []
    for name in field_order(model):
        info = model.model_fields[name]
        field = facets(info)
        item = field.item.base if field.item else None
        described = field.description or next((PARTS[part].intro for part in (field.base, item) if part in PARTS), "")
        if isinstance(field.base, type) and issubclass(field.base, BaseModel):
            found += columns(field.base, f"{prefix}{name}.", optional or not info.is_required())
        elif isinstance(item, type) and issubclass(item, BaseModel):
            found.append(Column(f"{prefix}{name}", described, as_json=True, type="array"))
        else:
            vocabulary = field.marker.name if isinstance(field.marker, Vocab) and field.base is not list else None
            found.append(Column(f"{prefix}{name}", described, type=_TYPES.get(field.base, "string"),
                                required=info.is_required() and not optional,
                                pattern=field.pattern if field.base is str else None, vocabulary=vocabulary))
    return found


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula, at the start of a cell."""
TEXT_MARK = "'"
"""Put before a text that starts like a formula, or with this mark itself: remove one to get the text back."""


def protect(text: str) -> str:
    """A text cell that no spreadsheet runs: an apostrophe before a text starting with = + - @, a tab, a
    carriage return or an apostrophe. Reversible: `recover` gives the text back."""
    return TEXT_MARK + text if text.startswith((*FORMULA_STARTS, TEXT_MARK)) else text


def recover(cell: str) -> str:
    """The text of a cell written by `protect`."""
    return cell.removeprefix(TEXT_MARK)


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: the standard one, or the one French spreadsheets open by double-click."""

    suffix: str
    delimiter: str
    decimal: str
    encoding: str
    """`utf-8-sig` writes the byte order mark by which Excel recognises UTF-8."""
    description: str
    title_suffix: str = ""


STANDARD = Dialect("", ",", ".", "utf-8", "CSV standard (RFC 4180) : virgules, UTF-8, point décimal.")
FRENCH_EXCEL = Dialect("-excel", ";", ",", "utf-8-sig", "Pour Excel en français, qui l'ouvre d'un double clic : "
                       "points-virgules, UTF-8 avec BOM, virgule décimale.", " (Excel en français)")
DIALECTS = (STANDARD, FRENCH_EXCEL)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value: Any, column: Column, dialect: Dialect) -> str:
    if column.type in ("integer", "number", "boolean") or value is None:
        return _plain(value).replace(".", dialect.decimal)
    if isinstance(value, list) and column.as_json:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return protect(LIST_SEPARATOR.join(_plain(item) for item in value))
    return protect(_plain(value))


def _value(data: dict[str, Any], dotted: str) -> Any:
    found: Any = data
    for part in dotted.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def csv_text(entries: list[Entry], model: type[Entry], dialect: Dialect = STANDARD) -> str:
    """One line per entry, a header line first; no cell starts like a formula (see `protect`)."""
    found = columns(model)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=dialect.delimiter)
    writer.writerow([column.name for column in found])
    for entry in entries:
        data = entry.model_dump(mode="json")
        writer.writerow([_cell(_value(data, column.name), column, dialect) for column in found])
    return output.getvalue()
