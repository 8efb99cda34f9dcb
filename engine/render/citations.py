"""Short citations: « ADEME 2019, § 3 » in the text, the full reference once at the foot of the page.

A document's short form is its `court` field, or its first author (an acronym given in parentheses
when there is one) and its year. Each short citation links to the page's own list of sources, which
gives the full title once and links to the bibliography.
"""

import re
from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from engine.model.format import Document, SourceRef

LONGEST_AUTHOR = 28
"""Beyond this many characters, an author's name is cut at a word in a short citation."""
_ACRONYM = re.compile(r"\(([A-ZÉÈ][A-ZÉÈ0-9&-]{1,12})\)")
_ASIDE = re.compile(r"\s*\([^)]*\)")


def short_form(document: Document) -> str:
    """How the text cites the document: « ADEME 2019 », « IE-EFC 2019 », « Ville de Malaunay, s. d. »."""
    if document.court:
        return document.court
    author = document.auteurs[0]
    acronym = _ACRONYM.search(author)
    author = acronym.group(1) if acronym else _ASIDE.sub("", author).strip() or author
    if len(author) > LONGEST_AUTHOR:
        author = author[:LONGEST_AUTHOR].rsplit(" ", 1)[0].rstrip(",;: ") + "…"
    return f"{author} {document.date[:4]}" if document.date else f"{author}, s. d."


def references(value: object) -> Iterator[SourceRef]:
    """Every source reference of an entry (or any part of it), in the order of the model's fields."""
    if isinstance(value, SourceRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from references(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from references(item)


def cited(value: BaseModel) -> list[tuple[str, list[str]]]:
    """The documents an entry cites, its own `sources` first, each once with the passages cited from it
    in its `sources` (the other passages are given where they are cited)."""
    own: dict[str, list[str]] = {}
    for reference in getattr(value, "sources", []):
        own.setdefault(reference.document, []).append(reference.passage)
    found: dict[str, list[str]] = {document: [] for document in own}
    for reference in references(value):
        found.setdefault(reference.document, [])
    return [(document, own.get(document, [])) for document in found]


def cited_together(values: Sequence[BaseModel]) -> list[tuple[str, list[str]]]:
    """The documents several entries cite (a training path and the entries of its steps, printed as one
    document), each once, in the order of `cited`, with the passages cited from it in their `sources`."""
    found: dict[str, list[str]] = {}
    for value in values:
        for document, passages in cited(value):
            kept = found.setdefault(document, [])
            kept.extend(passage for passage in passages if passage not in kept)
    return list(found.items())
