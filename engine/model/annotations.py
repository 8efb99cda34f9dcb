"""What the annotations of the models say, read by one walker: each field's type, description, limits and
markers, and from them which fields hold ids of other entries or vocabulary ids."""

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from engine.model.format import Ref, Vocab

Marker = Ref | Vocab
Pattern = tuple[str, ...]
"""A path in an entry where `*` stands for every item of a list."""


@dataclass
class Facets:
    """What the annotations of a field say, once Optional, Annotated and Field layers are flattened."""

    base: Any = None
    description: str | None = None
    examples: list[Any] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    le: float | None = None
    pattern: str | None = None
    marker: Marker | None = None
    checks: set[Any] = field(default_factory=set)
    item: "Facets | None" = None
    """For a list, the facets of its items."""

    def apply(self, metadata: list[Any]) -> None:
        """Record annotation metadata; what is written outside (met first) wins over what is inside."""
        for item in metadata:
            if isinstance(item, FieldInfo):
                self.description = self.description or item.description
                self.examples = self.examples or list(item.examples or [])
                self.apply(item.metadata)
            elif isinstance(item, (Ref, Vocab)):
                self.marker = self.marker or item
            elif isinstance(item, GroupedMetadata):  # `Text(…)`: its constraints, validator and Field
                self.apply(list(item))
            elif isinstance(item, AfterValidator):
                self.checks.add(item.func)
            else:  # StringConstraints, and the MinLen, MaxLen, Ge, Le that Field(…) leaves in its metadata
                for name in ("min_length", "max_length", "ge", "le", "pattern"):
                    if getattr(self, name) is None:
                        setattr(self, name, getattr(item, name, None))

    def walk(self, annotation: Any) -> None:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            inner, *metadata = typing.get_args(annotation)
            self.apply(metadata)
            self.walk(inner)
        elif origin in (Union, types.UnionType):
            self.walk(next(arg for arg in typing.get_args(annotation) if arg is not type(None)))
        elif origin is list:
            self.base = list
            self.item = Facets()
            self.item.walk(typing.get_args(annotation)[0])
        else:
            self.base = annotation

    @property
    def model(self) -> type[BaseModel] | None:
        """The model of the mapping the field holds, directly or as the items of a list."""
        base = self.item.base if self.item else self.base
        return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def facets(info: FieldInfo) -> Facets:
    """The facets of a model field."""
    found = Facets()
    found.apply([info])
    found.walk(info.annotation)
    return found


@functools.cache
def markers(model: type[BaseModel]) -> tuple[tuple[Pattern, Marker], ...]:
    """Every (path pattern, marker) of a model, nested models and lists included."""
    result: list[tuple[Pattern, Marker]] = []
    for name, info in model.model_fields.items():
        found = facets(info)
        prefix: Pattern = (name, "*") if found.item else (name,)
        for marker in (found.marker, found.item.marker if found.item else None):
            if marker is not None:
                result.append((prefix, marker))
        if found.model is not None:
            result += [((*prefix, *pattern), inner) for pattern, inner in markers(found.model)]
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
    return None if info is None else facets(info).model


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
