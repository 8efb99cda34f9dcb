"""The whole référentiel once loaded and checked: what the pages are rendered from."""

from dataclasses import dataclass, field
from pathlib import Path

from .format import KINDS, Bibliography, CodeSource, Entry, Glossary, Landmarks, Vocabularies
from .loading import read_document
from .publication import Publication, publication_file


@dataclass
class Referentiel:
    """Every entry by kind and id, with the shared data they refer to."""

    root: Path
    vocabularies: Vocabularies
    glossary: Glossary
    bibliography: Bibliography
    code_source: CodeSource | None
    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    """The source file of each entry, by (kind, id), relative to `root`."""
    publication: Publication | None = None
    """`referentiel.yaml` as checked; when the référentiel is assembled by hand, it is read from `root`."""
    landmarks: Landmarks | None = None
    """`data/reperes.yaml`: ADEME's structuring axes and the readers' questions, when the référentiel has them."""

    def __post_init__(self) -> None:
        if self.publication is None:
            path = publication_file(self.root)
            self.publication = Publication.model_validate(read_document(path, path.as_posix()).data)

    def of_kind(self, kind: str) -> list[Entry]:
        """The entries of one kind, sorted by title as French readers expect."""
        return sorted(self.entries[kind].values(), key=lambda entry: sort_key(entry.title))

    def get(self, kind: str, ident: str) -> Entry | None:
        return self.entries[kind].get(ident)

    def vocabulary(self, name: str) -> dict:
        """One vocabulary as a mapping from id to its item."""
        return {item.id: item for item in getattr(self.vocabularies, name)}


def sort_key(text: str) -> str:
    """Sort French titles without letting accents or case reorder them."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
