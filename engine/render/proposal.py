"""« Proposer une entrée » : a form in the site itself, for readers who use neither git nor YAML.

The form is drawn in the browser by JSON Editor (`@json-editor/json-editor`, served by the site, never
from a CDN) from `proposer/formulaire.json`, which this module derives from the models and nothing else:
for each kind, the JSON Schema editors already get (limits, patterns, descriptions, closed lists), its
fields in the order `python build.py ranger` writes them, and for every reference to another entry the
ids of the existing ones with their titles. A field added to a model therefore appears in the form
with no other change. `assets/javascripts/proposer.js` turns what the reader typed into the entry's
YAML file, in the layout `fmt` keeps, and sends it to the forge's new-file page (or offers it to
download when the référentiel has no repository yet).
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.check.json_schemas import json_schema
from engine.check.referentiel import Referentiel
from engine.model.annotations import markers, nested_model
from engine.model.format import KINDS, Entry, Ref, Vocab, field_order
from engine.model.french import sort_key
from engine.render.addresses import FOLDERS
from engine.render.pages import Pages

PAGE = "proposer.md"
TITLE = "Proposer une entrée"
DATA = "proposer/formulaire.json"
LIBRARY = Path("node_modules") / "@json-editor" / "json-editor" / "dist" / "jsoneditor.js"
LIBRARY_ADDRESS = "assets/javascripts/jsoneditor.js"
"""Where the form's library is in the site (copied from the npm package at build time)."""
LIBRARY_LICENCE = LIBRARY.with_name("jsoneditor.js.LICENSE.txt")
LONG_TEXT = 200
"""A text field that may hold more characters than this is written in a multi-line box."""


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A copy of `node` with its `$ref`s inlined and optional values (`anyOf` with null) reduced to their type."""
    while "$ref" in node:
        # a model's title and docstring are the engine's, in English: the field's own title and description stay
        extra = {key: value for key, value in node.items() if key != "$ref"}
        model = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        node = {**{key: value for key, value in model.items() if key not in ("title", "description")}, **extra}
    if "anyOf" in node:
        branches = [branch for branch in node["anyOf"] if branch.get("type") != "null"]
        if len(branches) == 1:
            extra = {key: value for key, value in node.items() if key not in ("anyOf", "default")}
            node = {**_resolve(schema, branches[0]), **extra}
    node = dict(node)
    if "properties" in node:
        node["properties"] = {name: _resolve(schema, child) for name, child in node["properties"].items()}
    if isinstance(node.get("items"), dict):
        node["items"] = _resolve(schema, node["items"])
        if "title" in node:
            node["items"]["title"] = node["title"]  # each item is headed « Sources 1 », « Sources 2 »…
    return node


def _ordered(node: dict[str, Any], order: list[str]) -> dict[str, Any]:
    properties = node["properties"]
    node["properties"] = {name: properties[name] for name in order if name in properties}
    node["properties"].update({name: value for name, value in properties.items() if name not in order})
    for position, child in enumerate(node["properties"].values(), start=1):
        child["propertyOrder"] = position  # JSON Editor's own ordering
    return node


def _target(node: dict[str, Any], pattern: tuple[str, ...]) -> dict[str, Any]:
    for part in pattern:
        node = node["items"] if part == "*" else node["properties"][part]
    return node


def _choices(referentiel: Referentiel, marker: Ref | Vocab) -> list[tuple[str, str]]:
    """The ids a reference or a vocabulary field can take, with the labels readers know them by."""
    if isinstance(marker, Vocab):
        return [(item.id, item.libelle) for item in getattr(referentiel.vocabularies, marker.name)]
    if marker.kind in KINDS:
        return [(entry.id, entry.title) for entry in referentiel.of_kind(marker.kind)]
    if marker.kind == "terme":
        terms = sorted(referentiel.glossary.termes, key=lambda term: sort_key(term.terme))
        return [(term.id, term.terme) for term in terms]
    documents = sorted(referentiel.bibliography.documents, key=lambda document: sort_key(document.titre))
    return [(document.id, document.titre) for document in documents]


def _widgets(node: dict[str, Any]) -> None:
    """Long texts in multi-line boxes; a value of the wrong shape explained by the field's own description."""
    if node.get("type") == "string" and "enum" not in node and node.get("maxLength", LONG_TEXT + 1) > LONG_TEXT:
        node["format"] = "textarea"
    if node.get("type") in ("number", "integer") and node.get("default") is None:
        node["default"] = ""  # an empty box, where JSON Editor would otherwise start a new item at 0
    if "enum" in node and "" not in node["enum"]:
        # a list opens on an empty choice: an optional field is not filled by accident with the first value
        node["enum"] = ["", *node["enum"]]
        titles = node.setdefault("options", {}).get("enum_titles")
        node["options"]["enum_titles"] = ["— choisir —", *(titles or node["enum"][1:])]
    if "pattern" in node:
        node.setdefault("options", {})["patternmessage"] = f"Format attendu : {node.get('description', '').rstrip('.')}"
    for child in node.get("properties", {}).values():
        _widgets(child)
    if isinstance(node.get("items"), dict):
        _widgets(node["items"])


def form_schema(model: type[Entry], referentiel: Referentiel) -> dict[str, Any]:
    """The schema the form is drawn from: the editors' schema of the kind, self-contained, in `fmt`'s order,
    with the ids of references as choices labelled by title."""
    schema = json_schema(model, referentiel.vocabularies)
    root = {key: value for key, value in schema.items() if key not in ("$defs", "title", "description")}
    root["title"] = model.label
    form = _ordered(_resolve(schema, root), field_order(model))
    _order_nested(form, model)
    for pattern, marker in markers(model):
        target = _target(form, pattern)
        choices = _choices(referentiel, marker)
        target["enum"] = [ident for ident, _ in choices]
        target.setdefault("options", {})["enum_titles"] = [label for _, label in choices]
        target.pop("markdownEnumDescriptions", None)
    _widgets(form)  # after the choices: their lists open on an empty choice too
    form.pop("$schema", None)
    return form


def _order_nested(node: dict[str, Any], model: type[BaseModel]) -> None:
    """Nested models keep the order of their fields, as `fmt` writes them."""
    for name, child in node.get("properties", {}).items():
        nested = nested_model(model, name)
        inner = child.get("items") if child.get("type") == "array" else child
        if nested is not None and isinstance(inner, dict) and "properties" in inner:
            _ordered(inner, field_order(nested))
            _order_nested(inner, nested)


def form_data(referentiel: Referentiel) -> dict[str, Any]:
    """What `proposer.js` needs: per kind, its label, folder and schema, and the publication's repository."""
    publication = referentiel.publication
    assert publication is not None
    return {
        "depot": publication.depot,
        "sortes": {
            kind: {"libelle": model.label, "dossier": FOLDERS[kind], "schema": form_schema(model, referentiel)}
            for kind, model in KINDS.items()
        },
    }


def files(referentiel: Referentiel, engine_root: Path) -> dict[str, bytes]:
    """The form's data and its library, by their path in the docs folder; none when the npm package is absent."""
    library = engine_root / LIBRARY
    if not library.is_file():
        return {}
    data = json.dumps(form_data(referentiel), ensure_ascii=False, separators=(",", ":"))
    return {DATA: data.encode("utf-8"), LIBRARY_ADDRESS: library.read_bytes(),
            f"{LIBRARY_ADDRESS}.LICENSE.txt": (engine_root / LIBRARY_LICENCE).read_bytes()}


def page(pages: Pages) -> str:
    """The page of the form; the form itself is drawn by `proposer.js`."""
    return pages.page("proposer.md.j2", PAGE, {"title": TITLE, "search": {"exclude": True}},
                      p=pages.referentiel.publication)
