"""`build.py fmt`: entry files in the canonical order and layout, without losing a comment or changing a value.

Two passes. First ruamel.yaml reads the file and writes it back in the project's layout (2-space
indentation, lists indented under their key, no line wrapping); comments, quotes and block
scalars survive this round trip, flow mappings become blocks, and a plain or quoted text written
over several lines becomes a folded block (`>-`) broken at the same places, so prose keeps its
lines. Then the fields of every mapping are put in the order of its model by moving whole lines:
a field takes along its value and the comment lines written above it, nothing is written anew.
Comment lines are finally aligned on the line they introduce.

The result is read back with `engine.load.documents`: if any value differs, the file is left as it was.
"""

import io
from itertools import takewhile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString
from ruamel.yaml.tag import Tag

from engine.load.documents import NULLS, LoadError, Parser, parse
from engine.load.inputs import read_text
from engine.load.problems import Problem
from engine.model.annotations import nested_model
from engine.model.format import KINDS, Entry, field_order

WIDTH = 1_000_000
"""Longer than any line: the layout never wraps a line."""


class _TextResolver(VersionedResolver):
    """Plain scalars are text or null, as `engine.load.documents` reads them: nothing is retyped (`True`, `0.80`)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is RuamelScalar and implicit[0]:
            return Tag(suffix="tag:yaml.org,2002:null" if value in NULLS else "tag:yaml.org,2002:str")
        return super().resolve(kind, value, implicit)


def _round_trip() -> YAML:
    handler = YAML()
    handler.Resolver = _TextResolver
    handler.preserve_quotes = True
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = WIDTH
    return handler


# --- first pass: the layout ----------------------------------------------------------------------


def _folded(node: yaml.ScalarNode, text: str) -> FoldedScalarString | None:
    """A plain or quoted scalar written over several lines, as a folded block broken at the same places."""
    if node.style not in (None, "", '"', "'") or node.start_mark.line == node.end_mark.line:
        return None
    quote = 1 if node.style else 0  # libyaml gives plain scalars the style ""
    lines = [line.strip() for line in text[node.start_mark.index + quote:node.end_mark.index - quote].split("\n")]
    rebuilt, folds, blanks = lines[0], [], 0
    for line in lines[1:]:
        if not line:
            blanks += 1
            continue
        if blanks:
            rebuilt += "\n" * blanks
        else:
            folds.append(len(rebuilt))
            rebuilt += " "
        rebuilt += line
        blanks = 0
    if blanks or rebuilt != node.value:
        return None  # escapes or trailing breaks: let ruamel write it on one line
    value = FoldedScalarString(rebuilt)
    value.fold_pos = folds
    return value


def _prepare(data: Any, node: yaml.Node, text: str) -> None:
    """Turn flow mappings (and flow lists holding collections) into blocks, multi-line texts into folded blocks."""
    if not isinstance(node, yaml.CollectionNode):
        return
    mapping = isinstance(node, yaml.MappingNode)
    pairs = list(zip(data, (value for _, value in node.value))) if mapping else list(enumerate(node.value))
    block = not node.flow_style or mapping or any(not isinstance(child, yaml.ScalarNode) for _, child in pairs)
    if node.flow_style and block:
        data.fa.set_block_style()
    for slot, child in pairs:
        folded = _folded(child, text) if block and isinstance(child, yaml.ScalarNode) else None
        if folded is None:
            _prepare(data[slot], child, text)
            continue
        comment = (data.ca.items.get(slot) or [None] * 4)[2 if mapping else 0]
        if comment is not None and not comment.value.startswith("\n"):
            continue  # a comment at the end of the text's last line: the text stays on one line beside it
        if comment is not None:
            comment.value = comment.value[1:]  # that line break now ends the block
        data[slot] = folded


def lay_out(text: str) -> str:
    """The text in the project's layout, fields in the order they were written."""
    handler = _round_trip()
    data = handler.load(text)
    root = yaml.compose(text, Loader=Parser)
    if root is not None:
        _prepare(data, root, text)
    output = io.StringIO()
    handler.dump(data, output)
    return output.getvalue()


# --- second pass: the order ----------------------------------------------------------------------


def _blank(line: str) -> bool:
    return not line.strip()


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The last line (from 0) on which a value is written, trailing blank lines of a block text excluded."""
    if isinstance(node, yaml.ScalarNode):
        if node.style not in ("|", ">"):
            return node.end_mark.line
        last = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        while last > node.start_mark.line and _blank(lines[last]):
            last -= 1
        return last
    assert isinstance(node, yaml.CollectionNode)
    if node.flow_style:
        return node.end_mark.line
    last = node.value[-1]
    return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last, lines)


def _reorder(mapping: yaml.MappingNode, model: type[BaseModel], lines: list[str]) -> None:
    """Put the fields of a block mapping (and of the mappings inside it) in model order, in `lines`.

    A field is the run of lines from the end of the previous value to the end of its own: the blank
    lines at its top stay in place, the comment lines above its key move with it.
    """
    keys = [key.start_mark.line for key, _ in mapping.value]
    ends = [_last_line(value, lines) for _, value in mapping.value]
    starts = [keys[0], *(end + 1 for end in ends[:-1])]
    for key, value in mapping.value:
        nested = nested_model(model, key.value)
        if nested is None:
            continue
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for item in items:
            if isinstance(item, yaml.MappingNode) and not item.flow_style:
                _reorder(item, nested, lines)
    rank = {name: index for index, name in enumerate(field_order(model))}
    names = [key.value for key, _ in mapping.value]
    order = sorted(range(len(names)), key=lambda index: (rank.get(names[index], len(rank)), index))
    if order == sorted(order):
        return
    column = mapping.value[0][0].start_mark.column
    prefix = lines[keys[0]][:column]  # "  - " when the mapping is an item of a list
    lines[keys[0]] = " " * column + lines[keys[0]][column:]
    segments = [lines[start:end + 1] for start, end in zip(starts, ends)]
    blanks = [sum(1 for _ in takewhile(_blank, segment)) for segment in segments]
    arranged: list[str] = []
    for position, index in enumerate(order):
        arranged += ["\n"] * blanks[position]
        body = segments[index][blanks[index]:]
        if position == 0:
            above = keys[index] - starts[index] - blanks[index]  # comment lines written above the key
            body = [*body[:above], prefix + body[above][column:], *body[above + 1:]]
        arranged += body
    lines[starts[0]:ends[-1] + 1] = arranged


def _inside_scalars(root: yaml.Node, lines: list[str]) -> set[int]:
    """The lines that continue a text written over several lines (a `#` there is text, not a comment)."""
    inside: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            inside.update(range(node.start_mark.line + 1, _last_line(node, lines) + 1))
        elif isinstance(node, yaml.MappingNode):
            stack += [value for _, value in node.value]
        else:
            stack += node.value
    return inside


def _comment_lines(lines: list[str]) -> list[int]:
    """The numbers of the lines that hold only a comment (not a `#` that continues a text)."""
    root = yaml.compose("".join(lines), Loader=Parser)
    inside = _inside_scalars(root, lines) if root is not None else set()
    return [number for number, line in enumerate(lines)
            if number not in inside and line.lstrip(" ").startswith("#")]


def _flush_comments(text: str) -> str:
    """Comment lines moved to the first column, where no block text can take them in."""
    lines = text.splitlines(keepends=True)
    for number in _comment_lines(lines):
        lines[number] = lines[number].lstrip(" ")
    return "".join(lines)


def _align_comments(lines: list[str]) -> None:
    """Indent every comment line like the line it introduces (the first column at the end of the file)."""
    comments = set(_comment_lines(lines))
    indent = 0
    for number in range(len(lines) - 1, -1, -1):
        stripped = lines[number].lstrip(" ")
        if number in comments:
            lines[number] = " " * indent + stripped
        elif stripped.strip():
            indent = len(lines[number]) - len(stripped)


def format_text(text: str, model: type[BaseModel], display: str) -> str:
    """The formatted text of a file of this model; LoadError when it cannot be read or formatted safely."""
    before = parse(text, display)
    if any(isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
           for event in yaml.parse(text, Loader=Parser)):
        raise LoadError(Problem(display, 1, 1, "", "ancres et alias (&nom, *nom) : fmt ne range pas ces fichiers ; "
                                "écrivez chaque valeur en entier"))
    lines = lay_out(_flush_comments(text)).splitlines(keepends=True)
    root = yaml.compose("".join(lines), Loader=Parser)
    if isinstance(root, yaml.MappingNode):
        _reorder(root, model, lines)
    _align_comments(lines)
    result = "".join(lines)
    if parse(result, display).data != before.data:
        raise LoadError(Problem(display, 1, 1, "", "la mise en forme changerait une valeur : fichier laissé tel quel"))
    return result


# --- files -----------------------------------------------------------------------------------------


def entry_model(path: Path) -> type[Entry] | None:
    """The model of an entry file, from its folder (`lessons/`, `fiches/`, `territories/`)."""
    if path.suffix != ".yaml":
        return None
    folder = path.resolve().parent.name
    return next((model for model in KINDS.values() if model.folder == folder), None)


def entry_files(root: Path) -> list[Path]:
    """Every entry file of the référentiel."""
    return sorted(path for model in KINDS.values() if (root / model.folder).is_dir()
                  for path in (root / model.folder).glob("*.yaml"))


def format_file(path: Path, display: str) -> str | None:
    """The formatted text of an entry file when it differs from the file, None when it is already formatted."""
    model = entry_model(path)
    if model is None:
        raise LoadError(Problem(display, 1, 1, "", "ce n'est pas une entrée : fmt range les fichiers .yaml de "
                                + ", ".join(f"{kind.folder}/" for kind in KINDS.values())))
    text = read_text(path, display).replace("\r\n", "\n")  # a link is never followed (nor written through)
    formatted = format_text(text, model, display)
    return None if formatted == text else formatted

