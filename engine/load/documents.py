"""Reading one YAML file safely, keeping the position of every value.

The file is composed into nodes by libyaml (PyYAML's C loader) and the values are built here,
without any implicit typing: a plain scalar is a string (or null when empty, `~` or `null`),
so YAML 1.1 surprises (`01234` → 668, `NO` → False, `1:30` → 90) never happen; the models
give each field its type. Building the values ourselves also bounds the resources a hostile
file can take: size, nesting depth and alias expansion are capped, custom tags and
duplicate keys are errors.
"""

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.load.problems import Problem

MAX_BYTES = 1024 * 1024
"""Largest file accepted (an entry is a few kilobytes)."""
MAX_LINE = 10_000
"""Longest line accepted in every text file the build reads, entries and `data/` included, in characters: the
longest of the shipped files has under 400, and the longest field of an entry (6,000 characters) fits on one."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings."""
MAX_VALUES = 100_000
"""Most values a file may expand to, aliases counted each time they are used."""

NULLS = {"", "~", "null", "Null", "NULL"}
ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

_Base = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
HAS_LIBYAML = _Base is not yaml.BaseLoader
_KIND_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class Parser(_Base):  # type: ignore[misc, valid-type]
    """The base loader, whose tags come from the kind of node only (no implicit typing, no path rules).

    BaseResolver already does that, through three Python hooks called for every node; these are
    the same answers without the lookups, a tenth of the time spent reading a file."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _KIND_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """The values of a YAML file, and where each one was written.

    Positions are only needed to report a problem: they are found again from the text the first
    time one is asked for, so that reading a valid file costs nothing for them."""

    file: str
    data: Any
    text: str = ""
    _marks: "Marks | None" = field(default=None, repr=False, compare=False)

    def locate(self, loc: Path_, *, key: bool = False) -> Position:
        """Where the value at `loc` (or its key) was written; for a missing value, its parent."""
        if self._marks is None:
            self._marks = Marks.of(self.text)
        values, keys = self._marks.values, self._marks.keys
        loc = tuple(loc)
        if key and loc in keys:
            line, column = keys[loc]
        else:
            while loc not in values:
                loc = loc[:-1]
            line, column = values[loc]
        return Position(line + 1, column + 1)

    def problem(self, loc: Path_, message: str, *, key: bool = False, severity: str = "erreur") -> Problem:
        position = self.locate(loc, key=key)
        return Problem(self.file, position.line, position.column, dotted(loc), message, severity)


@dataclass
class Marks:
    """Where each value and each key of a file starts (libyaml marks count from 0)."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> "Marks":
        """The marks of a text that `parse` accepted (an alias is found where its anchor is)."""
        marks = cls()
        root = yaml.compose(text, Loader=Parser)
        if root is not None:
            marks.visit(root, ())
        return marks

    def visit(self, node: yaml.Node, loc: Path_) -> None:
        self.values.setdefault(loc, (node.start_mark.line, node.start_mark.column))
        if type(node) is yaml.SequenceNode:
            for index, item in enumerate(node.value):
                self.visit(item, (*loc, index))
        elif type(node) is yaml.MappingNode:
            for key_node, value_node in node.value:
                path = (*loc, key_node.value)
                self.keys.setdefault(path, (key_node.start_mark.line, key_node.start_mark.column))
                self.visit(value_node, path)


def dotted(loc: Path_) -> str:
    """A field path as contributors read it: `observations.2.statut`."""
    return ".".join(str(part) for part in loc)


class LoadError(Exception):
    """The file cannot be read as YAML; `problem` says where and how to fix it."""

    def __init__(self, problem: Problem):
        super().__init__(problem.human())
        self.problem = problem


def check_lines(text: str, display: str) -> None:
    """Refuse a line longer than MAX_LINE characters, at its line."""
    if len(text) <= MAX_LINE:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            raise LoadError(Problem(display, number, MAX_LINE + 1, "", f"ligne trop longue ({len(line)} "
                                    f"caractères, au plus {MAX_LINE}) : coupez-la en plusieurs lignes"))


_WIDE_ENCODINGS = [
    ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "UTF-32"),
    ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "UTF-16"),
]
"""Byte-order marks of the encodings that editors may save in, longest first (UTF-32 LE starts like UTF-16 LE)."""


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is explained."""
    for marks, name in _WIDE_ENCODINGS:
        if raw.startswith(marks):
            raise LoadError(Problem(display, 1, 1, "", f"fichier en {name} : réenregistrez-le en UTF-8"))
    if raw.count(0) * 4 >= len(raw) > 0:
        raise LoadError(Problem(display, 1, 1, "", "fichier en UTF-16 ou UTF-32 (un octet nul sur deux ou plus) : "
                                "réenregistrez-le en UTF-8"))
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[:error.start].decode("utf-8")
        line, column = position(before, len(before))
        byte = raw[error.start]
        raise LoadError(
            Problem(display, line, column, "", f"caractère illisible (octet 0x{byte:02X}) : le fichier n'est pas en "
                    "UTF-8, il a sans doute été enregistré en Latin-1 ou Windows-1252 ; réenregistrez-le en "
                    "UTF-8 dans votre éditeur")
        ) from None


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters that YAML refuses anywhere in a file (control characters, U+FFFE, U+FFFF)."""


def character_problem(text: str, index: int, display: str) -> Problem:
    """The problem of a character that no input file may hold (a control character, U+FFFE, U+FFFF), at its place."""
    line, column = position(text, index)
    code = ord(text[index])
    if code == 0:
        message = "caractère nul (U+0000) : ce fichier n'est pas un texte (fichier binaire, ou encodage UTF-16) ; " \
                  "réenregistrez-le en UTF-8"
    else:
        message = f"caractère de contrôle (U+{code:04X}) interdit, invisible dans la plupart des éditeurs : " \
                  "retirez-le (ou retapez la ligne)"
    return Problem(display, line, column, "", message)


def _check_characters(text: str, display: str) -> None:
    found = _UNPRINTABLE.search(text)
    if found is not None:
        raise LoadError(character_problem(text, found.start(), display))


def parse(text: str, display: str) -> Document:
    document = Document(display, None, text)
    _check_characters(text, display)
    try:
        _check_shape(text, display)
        root = yaml.compose(text, Loader=Parser)
    except yaml.MarkedYAMLError as error:
        if _LIBYAML_NESTING in str(error):
            _locate_deep_nesting(text, display)
        raise LoadError(_yaml_problem(error, text, display)) from None
    except yaml.YAMLError:  # reader errors, made impossible by _check_characters: kept as a safety net
        raise LoadError(Problem(display, 1, 1, "", "YAML illisible : caractère interdit dans le fichier")) from None
    if root is None:
        raise LoadError(Problem(display, 1, 1, "", "fichier vide (ou seulement des commentaires) : "
                                "écrivez les champs de l'entrée, ou supprimez le fichier"))
    document.data = _Converter(document).value(root, (), 0)
    return document


SAFE_COMPOSE_BOUND = 5000
"""libyaml's composer recurses once per nesting level; far below this it cannot exhaust the stack."""
_NESTING_MARKS = "[{-\n"
"""A collection starts at one of these characters: their count bounds the nesting depth."""
_OTHER_NODE_MARKS = ",:?"
"""With the marks above, a node starts at or right after one of these: their count, plus one, bounds the nodes."""


def _check_shape(text: str, display: str) -> None:
    """Refuse, before composing, nesting deeper than MAX_DEPTH and more than MAX_VALUES nodes.

    Composing builds every node of the file at once, recursing once per level; the event stream is
    read in constant memory. It is only read when the characters of the text allow too deep or too
    many nodes: entries, a few kilobytes each, never pay for it."""
    deep = sum(text.count(char) for char in _NESTING_MARKS)
    if deep <= SAFE_COMPOSE_BOUND and deep + sum(text.count(char) for char in _OTHER_NODE_MARKS) < MAX_VALUES:
        return
    _walk_events(yaml.parse(text, Loader=Parser), display)


_LIBYAML_NESTING = "exceeded maximum nesting depth"
"""libyaml 0.2.6 (bundled with PyYAML 6.0.3 and later) stops at 1,000 levels of its own, in English."""


def _locate_deep_nesting(text: str, display: str) -> None:
    """Find, with PyYAML's pure-Python parser, which has no nesting limit of its own, the level past
    MAX_DEPTH that libyaml refused: the contributor gets the same message at the same place, whatever
    libyaml is installed. Only a file libyaml already refused pays for the slower parser."""
    try:
        _walk_events(yaml.parse(text, Loader=yaml.SafeLoader), display)
    except yaml.YAMLError:
        return


def _walk_events(events: Iterator[yaml.Event], display: str) -> None:
    depth = nodes = 0
    for event in events:
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            nodes += 1
            if nodes > MAX_VALUES:
                raise LoadError(Problem(display, *_position(event), "",
                                        f"trop de valeurs (plus de {MAX_VALUES}) : une entrée en compte quelques "
                                        "centaines, découpez ou allégez ce fichier"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise LoadError(Problem(display, *_position(event), "",
                                        f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _position(event: yaml.Event) -> tuple[int, int]:
    """The line and column (from 1) where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What libyaml counts as the end of a line (YAML 1.1), so that positions agree with its marks."""


def position(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1) of a character of the text."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def _yaml_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    lines = _LINE_BREAK.split(text)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if line > len(lines):  # libyaml ends an unfinished last line itself: point at the end of the real one
        line, column = len(lines), len(lines[-1]) + 1
    if "expected a single document" in str(error):
        return Problem(display, line, column, "", "plusieurs documents YAML (« --- ») dans un fichier : "
                       "un fichier par entrée")
    before = lines[line - 1][:column - 1]
    if _AFTER_QUOTES.search(before) and ("expected key" in (error.problem or "") or "'-'" in (error.problem or "")):
        return Problem(display, line, column, "", "YAML invalide : texte après une valeur entre guillemets : "
                       "mettez toute la valeur entre guillemets, ou aucune partie")
    return Problem(display, line, column, "", yaml_message(error, lines[line - 1][column - 1:column]))


_AFTER_QUOTES = re.compile(r"""(?:^|:|-)\s+(?:"(?:[^"\\]|\\.)*+"|'(?:[^']|'')*+')\s*$""")
"""A line that stops right after a quoted value: `titre: "Le projet" de la ville` is the usual mistake."""


_ESCAPE = "séquence d'échappement inconnue entre guillemets doubles (\\…) : doublez la barre, ou utilisez des " \
    "guillemets simples"
_TAG = "balise YAML (!…) mal écrite : retirez-la, les types viennent du format"
_DIRECTIVE = "directive YAML (ligne qui commence par %) invalide : retirez cette ligne"
_YAML_MESSAGES = [
    # the problem first: it is more precise than the context (an escape error happens inside a quoted scalar)
    ("found unknown escape character", _ESCAPE),
    ("found invalid Unicode character escape code", _ESCAPE),
    ("did not find expected hexdecimal number", _ESCAPE),
    ("found unexpected document indicator", ("« --- » ou « ... » en début de ligne dans un texte entre "
                                             "guillemets : indentez cette ligne")),
    ("found a tab character", "tabulation interdite, en YAML on indente avec des espaces"),
    ("mapping values are not allowed", "« : » inattendu : vérifiez l'indentation, ou écrivez le texte en bloc (>-)"),
    ("mapping keys are not allowed", "« ? » inattendu : mettez la valeur entre guillemets"),
    ("found unexpected ':'", "« : » inattendu : mettez la valeur entre guillemets"),
    ("block sequence entries are not allowed", ("« - » inattendu : un élément de liste va sur sa propre "
                                                "ligne, sous le nom du champ")),
    ("could not find expected ':'", "« : » manquant après un nom de champ, ou indentation incohérente"),
    ("while scanning a quoted scalar", "guillemet ouvert mais jamais fermé"),
    ("found unexpected end of stream", "fin de fichier inattendue : un guillemet ou un crochet n'est pas fermé"),
    ("did not find expected key", "indentation incohérente : alignez les champs du même niveau"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste"),
    (_LIBYAML_NESTING, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"),
    ("found undefined alias", "alias (*nom) sans ancre (&nom) correspondante"),
    ("found duplicate anchor", "ancre (&nom) définie deux fois"),
    ("expected <block end>", "indentation incohérente : un élément est plus ou moins indenté que ses voisins"),
    ("found character that cannot start any token", ("caractère interdit en début de valeur (@, `, %…) : "
     "mettez la valeur entre guillemets")),
    ("while scanning an alias", "caractère « * » en début de valeur : mettez la valeur entre guillemets"),
    ("while scanning an anchor", "caractère « & » en début de valeur : mettez la valeur entre guillemets"),
    ("directive", _DIRECTIVE),
    ("tag", _TAG),
    ("found incompatible YAML document", _DIRECTIVE),
    ("version number", _DIRECTIVE),
    ("while scanning a block scalar", ("texte en bloc (| ou >) mal écrit : le texte commence à la ligne suivante, "
     "indenté")),
    ("did not find expected comment or line break", ("texte inattendu après la valeur : mettez toute la valeur "
     "entre guillemets")),
    ("while parsing a flow", "liste ou dictionnaire entre crochets mal fermé"),
    ("did not find expected node content", ("valeur manquante ou caractère inattendu : mettez la valeur entre "
     "guillemets")),
    ("did not find expected <document start>", ("texte inattendu après la fin des champs : vérifiez l'indentation "
     "(les champs du premier niveau commencent au début de la ligne)")),
]


def yaml_message(error: yaml.MarkedYAMLError, found: str = "") -> str:
    """A French explanation of a libyaml error; `found` is the character it stopped at."""
    if found == "\t":
        return "YAML invalide : tabulation interdite, en YAML on indente avec des espaces"
    for needle, french in _YAML_MESSAGES:
        if needle in (error.problem or "") or needle in (error.context or ""):
            return f"YAML invalide : {french}"
    text = f"{error.context or ''} {error.problem or ''}"
    return f"YAML invalide ({' '.join(text.split())})"


class _Converter:
    """Turns composed nodes into plain values, with the limits and checks of this module."""

    def __init__(self, document: Document):
        self.document = document
        self.count = 0

    def fail(self, node: yaml.Node, loc: Path_, message: str) -> None:
        mark = node.start_mark
        raise LoadError(Problem(self.document.file, mark.line + 1, mark.column + 1, dotted(loc), message))

    def refuse_tag(self, node: yaml.Node, loc: Path_) -> None:
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.fail(node, loc, f"balise YAML « {shown} » interdite : retirez-la, les types viennent du format")

    def value(self, node: yaml.Node, loc: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self.fail(node, loc, f"trop de valeurs (plus de {MAX_VALUES}, alias compris) : "
                      "n'utilisez pas d'alias (*nom) en cascade")
        if node.tag not in ALLOWED_TAGS:
            self.refuse_tag(node, loc)
        kind = type(node)
        if isinstance(node, yaml.ScalarNode):
            return None if not node.style and node.value in NULLS else node.value
        if depth >= MAX_DEPTH:
            self.fail(node, loc, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
        depth += 1
        if kind is yaml.SequenceNode:
            return [self.value(item, (*loc, index), depth) for index, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if type(key_node) is not yaml.ScalarNode or (not key_node.style and key in NULLS):
                self.fail(key_node, loc, "un nom de champ doit être un simple mot suivi de « : »")
            if key_node.tag not in ALLOWED_TAGS:
                self.refuse_tag(key_node, loc)
            if key in mapping:
                first = next(other for other, _ in node.value if other.value == key)
                self.fail(key_node, loc, f"champ « {key} » écrit deux fois (déjà ligne {first.start_mark.line + 1}) "
                          ": gardez-en un seul")
            mapping[key] = self.value(value_node, (*loc, key), depth)
        return mapping
