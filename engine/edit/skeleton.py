"""`build.py new`: a commented, valid skeleton of a new entry, derived from its model."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import BaseModel

from engine.model.annotations import facets
from engine.model.format import (
    ID_PATTERN,
    KINDS,
    RESERVED_IDS,
    TO_COMPLETE,
    Bibliography,
    Entry,
    Ref,
    Vocab,
    Vocabularies,
)
from engine.model.french import slug
from engine.render.addresses import TEMPLATES


@dataclass
class Shared:
    """What a skeleton needs from the référentiel: the vocabularies, a document to cite, entries to refer to."""

    vocabularies: Vocabularies
    bibliography: Bibliography
    entries: dict[str, list[str]] = field(default_factory=dict)
    """The ids of the existing entries of each kind."""


def existing_ids(root: Path) -> dict[str, list[str]]:
    """The ids of the entries of each kind, read from the file names (the files are not read)."""
    return {kind: sorted(path.stem for path in (root / model.folder).glob("*.yaml")) for kind, model in KINDS.items()}


def _chosen(model: type[BaseModel], shared: Shared) -> list[str]:
    """Of the fields of which exactly one is required, the first that has an entry to refer to."""
    choices = getattr(model, "one_of", ())
    return [next((name for name in choices if shared.entries.get(name)), choices[0])] if choices else []


@dataclass
class FieldLines:
    help: str
    lines: list[str]
    required: bool


_YAML_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")
"""Characters that JSON leaves as they are but that YAML reads as line breaks or refuses in a file."""


def quoted(text: str) -> str:
    """`text` as one YAML double-quoted value, whatever it holds (JSON's escapes are YAML's)."""
    return _YAML_BREAKS.sub(lambda found: f"\\u{ord(found.group()):04x}", json.dumps(text, ensure_ascii=False))


def _example(model: type[BaseModel], name: str, title: str, shared: Shared) -> list[str]:
    """YAML lines giving a field a valid value."""
    info = model.model_fields[name]
    found = facets(info)
    if name == "id":
        return [f"id: {slug(title)}"]
    if name in ("titre", "nom"):
        return [f"{name}: {quoted(title)}"]
    if found.item is not None:
        item = found.item.base
        if isinstance(item, type) and issubclass(item, BaseModel):
            chosen = _chosen(item, shared)
            nested = [f"    {line}" for sub in item.model_fields
                      if item.model_fields[sub].is_required() or sub in chosen
                      for line in _example(item, sub, title, shared)]
            return [f"{name}:", "  - " + nested[0][4:], *nested[1:]] if nested else [f"{name}: []"]
        if found.min_length:
            return [f"{name}:", f"  - {TO_COMPLETE}"]
        return [f"{name}: []"]
    vocab = found.marker if isinstance(found.marker, Vocab) else None
    if vocab:
        return [f"{name}: {getattr(shared.vocabularies, vocab.name)[0].id}"]
    ref = found.marker if isinstance(found.marker, Ref) else None
    if ref and ref.kind == "document":
        return [f"{name}: {shared.bibliography.documents[0].id}"]
    if ref and shared.entries.get(ref.kind):
        return [f"{name}: {shared.entries[ref.kind][0]}"]
    if info.examples:
        return [f"{name}: {info.examples[0]!r}".replace("'", '"')]
    if found.base is bool:
        return [f"{name}: false"]
    if found.base in (int, float):
        return [f"{name}: 0"]
    return [f"{name}: {TO_COMPLETE}"]


def _help(model: type[BaseModel], name: str, shared: Shared) -> str:
    found = facets(model.model_fields[name])
    text = found.description or ""
    vocab = found.marker
    if isinstance(vocab, Vocab):
        choices = ", ".join(item.id for item in getattr(shared.vocabularies, vocab.name))
        text += f" Valeurs : {choices}."
    return text.strip()


def skeleton(kind: str, title: str, shared: Shared) -> str:
    """The text of a new entry file of this kind."""
    model: type[Entry] = KINDS[kind]
    fields = [
        FieldLines(_help(model, name, shared), _example(model, name, title, shared),
                   model.model_fields[name].is_required())
        for name in model.field_order()
    ]
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True,
                                     trim_blocks=True, autoescape=False)
    template = environment.get_template("nouvelle-entree.yaml.j2")
    doc = (model.__doc__ or "").split(":", 1)[-1].strip()
    return template.render(kind=kind, label=model.label, doc=doc, fields=fields)


class TitleError(ValueError):
    """The title gives no usable id; the message, in French, says why and what to do."""


def identifier(title: str) -> str:
    """The id of a new entry, from its title, or TitleError when the title gives none that `check` accepts:
    a title of punctuation or of non-Latin letters gives an empty id (a hidden file « .yaml »), and some
    titles give a name that Windows or the site reserves (« con », « index »)."""
    ident = slug(title)
    if len(ident) < 2 or not re.fullmatch(ID_PATTERN, ident):
        raise TitleError(f"le titre « {title} » ne donne pas d'identifiant : l'identifiant est tiré des lettres "
                         "latines et des chiffres du titre (au moins deux) ; écrivez le titre en lettres latines, "
                         "quitte à le modifier ensuite dans le fichier")
    if ident in RESERVED_IDS:
        raise TitleError(f"le titre « {title} » donne l'identifiant « {ident} », réservé (page du site ou nom de "
                         "fichier interdit sous Windows) : précisez le titre")
    return ident


def create(root: Path, kind: str, title: str, shared: Shared) -> Path:
    """Write the skeleton; refuses to overwrite an existing file (FileExistsError) and a title that gives no
    valid id (TitleError)."""
    ident = identifier(title)
    path = root / KINDS[kind].folder / f"{ident}.yaml"
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(skeleton(kind, title, shared))
    return path
