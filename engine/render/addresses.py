"""Where things are: the engine's own folders, and every generated page by its path in the docs folder.

A page's path in the docs folder gives its address on the site (`fiches/fifty-fifty.md` is read at
`fiches/fifty-fifty/`): published addresses must never change. The folder of the pages of each kind
is the kind's own (`pages` on its model, in `format`).
"""

from collections.abc import Iterator, Mapping
from pathlib import Path

from engine.model.format import KINDS, Entry

ENGINE_ROOT = Path(__file__).resolve().parents[2]
"""The folder of the engine: its templates, assets and theme overrides, and the default configuration."""
TEMPLATES = ENGINE_ROOT / "templates"

HOME = "index.md"
MATRIX = "matrice.md"
GLOSSARY = "glossaire.md"
BIBLIOGRAPHY = "bibliographie.md"
CODE_SOURCE = "code-source.md"
OPEN_DATA = "donnees.md"
"""The page that documents the open data files."""
BOOKLET = "pdf/referentiel.pdf"
"""The whole référentiel in one PDF."""
QUESTIONS = "questions"
"""The folder of the readers' questions (`data/reperes.yaml`), one page each and an index."""
AXES = "axes-ademe.md"
"""The page of ADEME's structuring axes."""


class _Folders(Mapping[str, str]):
    """The folder of the pages of each kind, read from the kinds each time (a kind added is there at once)."""

    def __getitem__(self, kind: str) -> str:
        return KINDS[kind].pages

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)


FOLDERS: Mapping[str, str] = _Folders()
"""The folder of the pages of each kind, by kind: it gives their addresses, which must never change."""


def entry_page(kind: str, ident: str) -> str:
    """Where the page of an entry is, in the docs folder."""
    return f"{FOLDERS[kind]}/{ident}.md"


def index_page(kind: str) -> str:
    """Where the list of the entries of a kind is, in the docs folder."""
    return f"{FOLDERS[kind]}/index.md"


def pdf_page(kind: str, ident: str) -> str:
    """Where the PDF of an entry is, in the docs folder."""
    return f"pdf/{FOLDERS[kind]}/{ident}.pdf"


def permalink(site_url: str, entry: Entry) -> str:
    """The full address of an entry's page on the site at `site_url`."""
    return f"{site_url}{FOLDERS[entry.kind]}/{entry.id}/"
