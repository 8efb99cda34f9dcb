"""The whole référentiel once loaded and checked: what the pages are rendered from."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from engine.check.publication import Publication
from engine.model.format import (
    KINDS,
    Bibliography,
    CodeSource,
    Entry,
    FranceOutline,
    Glossary,
    Landmarks,
    Term,
    Vocabularies,
)
from engine.model.french import sort_key

E = TypeVar("E", bound=Entry)


@dataclass
class Referentiel:
    """Every entry by kind and id, with the shared data they refer to and the publication's identity."""

    root: Path
    vocabularies: Vocabularies
    glossary: Glossary
    bibliography: Bibliography
    code_source: CodeSource | None
    publication: Publication
    """`referentiel.yaml`, as checked."""
    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    """The source file of each entry, by (kind, id), relative to `root`."""
    landmarks: Landmarks | None = None
    """`data/reperes.yaml`: ADEME's structuring axes and the readers' questions, when the référentiel has them."""
    outline: FranceOutline | None = None
    """`data/carte-france.yaml`: the outline under the map of the territories, when the référentiel has it."""

    def of_kind(self, kind: str) -> list[Entry]:
        """The entries of one kind, sorted by title as French readers expect."""
        return sorted(self.entries[kind].values(), key=lambda entry: sort_key(entry.title))

    def of_model(self, model: type[E]) -> list[E]:
        """The entries of one kind, typed as their model, sorted by title."""
        return cast(list[E], self.of_kind(model.kind))

    def by_id(self, model: type[E]) -> dict[str, E]:
        """The entries of one kind by id, typed as their model."""
        return cast(dict[str, E], self.entries[model.kind])

    def get(self, kind: str, ident: str) -> Entry | None:
        return self.entries[kind].get(ident)

    def vocabulary(self, name: str) -> dict[str, Term]:
        """One vocabulary as a mapping from id to its item."""
        return {item.id: item for item in getattr(self.vocabularies, name)}
