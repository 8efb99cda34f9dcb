"""Which fields of a model hold ids of other entries or vocabulary ids, found from the models."""

import functools
import types
import typing
from collections.abc import Iterator
from typing import Any, Union

from pydantic import BaseModel

from .format import Ref, Vocab

Marker = Ref | Vocab
Pattern = tuple[str, ...]
"""A path in an entry where `*` stands for every item of a list."""


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Annotated/Optional, and the markers met on the way."""
    found: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *metadata = typing.get_args(annotation)
            found += [item for item in metadata if isinstance(item, (Ref, Vocab))]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = options[0]
        else:
            return annotation, found


@functools.cache
def markers(model: type[BaseModel]) -> tuple[tuple[Pattern, Marker], ...]:
    """Every (path pattern, marker) of a model, nested models and lists included."""
    result: list[tuple[Pattern, Marker]] = []
    for name, info in model.model_fields.items():
        annotation, found = _unwrap(info.annotation)
        found += [item for item in info.metadata if isinstance(item, (Ref, Vocab))]
        prefix: Pattern = (name,)
        if typing.get_origin(annotation) is list:
            annotation, inner = _unwrap(typing.get_args(annotation)[0])
            found += inner
            prefix = (name, "*")
        result += [(prefix, marker) for marker in found]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            result += [((*prefix, *pattern), marker) for pattern, marker in markers(annotation)]
    return tuple(result)


def values_at(data: Any, pattern: Pattern, prefix: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """The values of a loaded file that match a pattern, with their exact paths."""
    if not pattern:
        if data is not None:
            yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from values_at(item, rest, (*prefix, index))
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, (*prefix, head))


def nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of the mapping a field holds, directly or as the items of a list; None for other fields."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation, _ = _unwrap(info.annotation)
    if typing.get_origin(annotation) is list:
        annotation, _ = _unwrap(typing.get_args(annotation)[0])
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed in the mapping at `loc` of a model (for suggestions)."""
    for part in loc:
        if isinstance(part, int):
            continue
        nested = nested_model(model, part)
        if nested is None:
            return []
        model = nested
    return list(model.model_fields)
