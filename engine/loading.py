"""Reading one YAML file safely, keeping the position of every value.

The file is parsed into events by libyaml (PyYAML's C parser) and the values are built here,
without any implicit typing: a plain scalar is a string (or null when empty, `~` or `null`),
so YAML 1.1 surprises (`01234` → 668, `NO` → False, `1:30` → 90) never happen; the models
give each field its type. Building the values ourselves also bounds the resources a hostile
file can take: size, nesting depth and alias expansion are capped, custom tags and
duplicate keys are errors.
"""

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 1024 * 1024
"""Largest file accepted (an entry is a few kilobytes)."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings."""
MAX_VALUES = 100_000
"""Most values a file may expand to, aliases counted each time they are used."""

NULLS = {"", "~", "null", "Null", "NULL"}
PLAIN_TAGS = {None, "!"}
ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
HAS_LIBYAML = _Parser is not yaml.BaseLoader

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """The values of a YAML file, and where each one was written."""

    file: str
    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def locate(self, loc: Path_, *, key: bool = False) -> Position:
        """Where the value at `loc` (or its key) was written; for a missing value, its parent."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc not in self.values:
            loc = loc[:-1]
        return self.values[loc]

    def problem(self, loc: Path_, message: str, *, key: bool = False, severity: str = "erreur") -> Problem:
        position = self.locate(loc, key=key)
        return Problem(self.file, position.line, position.column, dotted(loc), message, severity)


def dotted(loc: Path_) -> str:
    """A field path as contributors read it: `observations.2.statut`."""
    return ".".join(str(part) for part in loc)


class LoadError(Exception):
    """The file cannot be read as YAML; `problem` says where and how to fix it."""

    def __init__(self, problem: Problem):
        super().__init__(problem.human())
        self.problem = problem


def read_document(path: Path, display: str) -> Document:
    """Read a YAML file into a Document, or raise LoadError with a French explanation."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoadError(
            Problem(display, 1, 1, "", f"fichier trop gros ({size // 1024} Kio, maximum {MAX_BYTES // 1024} Kio) : "
                    "une entrée tient en quelques kilo-octets, découpez ou allégez ce fichier")
        )
    text = decode(path.read_bytes(), display)
    return parse(text, display)


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is explained."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LoadError(Problem(display, 1, 1, "", "fichier en UTF-16 : réenregistrez-le en UTF-8"))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        raise LoadError(
            Problem(display, line, column, "", f"caractère illisible (octet 0x{byte:02X}) : le fichier n'est pas en "
                    "UTF-8, il a sans doute été enregistré en Latin-1 ou Windows-1252 ; réenregistrez-le en "
                    "UTF-8 dans votre éditeur")
        ) from None


def parse(text: str, display: str) -> Document:
    document = Document(display, None)
    builder = _Builder(document)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = (text.split("\n")[line - 1:line] or [""])[0][column - 1:column]
        raise LoadError(Problem(display, line, column, "", yaml_message(error, found))) from None
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        raise LoadError(Problem(display, 1, 1, "", f"YAML illisible ({error})")) from None
    if not builder.documents:
        raise LoadError(Problem(display, 1, 1, "", "fichier vide (ou seulement des commentaires) : "
                                "écrivez les champs de l'entrée, ou supprimez le fichier"))
    if builder.documents > 1:
        raise LoadError(Problem(display, builder.second_document.line, 1, "",
                                "plusieurs documents YAML (« --- ») dans un fichier : un fichier par entrée"))
    return document


_YAML_MESSAGES = [
    ("mapping values are not allowed", "« : » inattendu : vérifiez l'indentation, ou écrivez le texte en bloc (>-)"),
    ("could not find expected ':'", "« : » manquant après un nom de champ, ou indentation incohérente"),
    ("while scanning a quoted scalar", "guillemet ouvert mais jamais fermé"),
    ("found unexpected end of stream", "fin de fichier inattendue : un guillemet ou un crochet n'est pas fermé"),
    ("did not find expected key", "indentation incohérente : alignez les champs du même niveau"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste"),
    ("found undefined alias", "alias (*nom) sans ancre (&nom) correspondante"),
    ("found duplicate anchor", "ancre (&nom) définie deux fois"),
    ("expected <block end>", "indentation incohérente : un élément est plus ou moins indenté que ses voisins"),
    ("found unknown escape character", "séquence d'échappement inconnue entre guillemets (\\…) : doublez la barre"),
    ("while scanning an alias", "caractère « * » en début de valeur : mettez la valeur entre guillemets"),
    ("while scanning an anchor", "caractère « & » en début de valeur : mettez la valeur entre guillemets"),
    ("found character that cannot start any token", "caractère interdit en début de valeur (@, `, %…) : "
     "mettez la valeur entre guillemets"),
    ("while parsing a flow", "liste ou dictionnaire entre crochets mal fermé"),
]


def yaml_message(error: yaml.MarkedYAMLError, found: str = "") -> str:
    """A French explanation of a libyaml error; `found` is the character it stopped at."""
    if found == "\t":
        return "YAML invalide : tabulation interdite, en YAML on indente avec des espaces"
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, french in _YAML_MESSAGES:
        if needle in text:
            return f"YAML invalide : {french}"
    return f"YAML invalide ({' '.join(text.split())})"


class _Builder:
    """Builds plain Python values from parser events, with the limits of this module."""

    def __init__(self, document: Document):
        self.document = document
        self.stack: list[tuple[Path_, Any, Any]] = []  # (path, container, pending key)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.anchor_counts: list[tuple[str | None, int]] = []
        self.count = 0
        self.documents = 0
        self.second_document = Position(1, 1)

    def fail(self, event: yaml.Event, message: str) -> None:
        mark = event.start_mark
        raise LoadError(Problem(self.document.file, mark.line + 1, mark.column + 1, dotted(self._path()), message))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.second_document = Position(event.start_mark.line + 1, 1)
        elif isinstance(event, yaml.ScalarEvent):
            self._check_tag(event)
            plain = not event.style and event.implicit[0]
            value = None if plain and event.value in NULLS else event.value
            self._add(event, value, 1)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._check_tag(event)
            if len(self.stack) >= MAX_DEPTH:
                self.fail(event, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
            container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            path = self._place(event)
            self.stack.append((path, container, None))
            self.anchor_counts.append((event.anchor, self.count))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            path, container, _ = self.stack.pop()
            anchor, start = self.anchor_counts.pop()
            if anchor:
                self.anchors[anchor] = (container, self.count - start + 1)
            self._attach(event, container)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                self.fail(event, f"alias « *{event.anchor} » sans ancre « &{event.anchor} » définie avant lui")
            value, size = self.anchors[event.anchor]
            self._add(event, value, size, anchor=False)

    def _check_tag(self, event: yaml.NodeEvent) -> None:
        tag = getattr(event, "tag", None)
        if tag in PLAIN_TAGS or tag in ALLOWED_TAGS:
            return
        if isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.fail(event, f"balise YAML « {shown} » interdite : retirez-la, les types viennent du format")

    def _count(self, event: yaml.Event, size: int) -> None:
        self.count += size
        if self.count > MAX_VALUES:
            self.fail(event, f"trop de valeurs (plus de {MAX_VALUES}, alias compris) : "
                      "n'utilisez pas d'alias (*nom) en cascade")

    def _path(self) -> Path_:
        if not self.stack:
            return ()
        path, container, key = self.stack[-1]
        if isinstance(container, list):
            return (*path, len(container))
        return (*path, key) if key is not None else path

    def _place(self, event: yaml.Event) -> Path_:
        """Record where the value that starts with this event sits, and return its path."""
        self._count(event, 1)
        mark = Position(event.start_mark.line + 1, event.start_mark.column + 1)
        if self.stack and isinstance(self.stack[-1][1], dict) and self.stack[-1][2] is None:
            return ()  # a mapping key: placed by _attach
        path = self._path()
        self.document.values[path] = mark
        return path

    def _add(self, event: yaml.Event, value: Any, size: int, *, anchor: bool = True) -> None:
        if size > 1:
            self._count(event, size - 1)
        if isinstance(event, yaml.ScalarEvent) and event.anchor and anchor:
            self.anchors[event.anchor] = (value, 1)
        if not (self.stack and isinstance(self.stack[-1][1], dict) and self.stack[-1][2] is None):
            self._place(event)
        else:
            self._count(event, 1)
        self._attach(event, value)

    def _attach(self, event: yaml.Event, value: Any) -> None:
        if not self.stack:
            self.document.data = value
            return
        path, container, key = self.stack[-1]
        if isinstance(container, list):
            container.append(value)
            return
        if key is None:  # this value is a key
            if not isinstance(value, str):
                self.fail(event, "un nom de champ doit être un simple mot suivi de « : »")
            if value in container:
                first = self.document.keys[(*path, value)]
                self.fail(event, f"champ « {value} » écrit deux fois (déjà ligne {first.line}) : "
                          "gardez-en un seul")
            self.document.keys[(*path, value)] = Position(event.start_mark.line + 1, event.start_mark.column + 1)
            self.stack[-1] = (path, container, value)
            return
        container[key] = value
        self.stack[-1] = (path, container, None)
