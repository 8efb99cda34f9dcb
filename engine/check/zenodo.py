"""`.zenodo.json`: what Zenodo's GitHub integration records for each edition, with its DOI.

When the repository is linked to Zenodo, each published release (the edition's tag) is archived
with a DOI of its own, described by `.zenodo.json` when the repository has one. That file is
derived, never written by hand: the title, description, edition and licence come from
`referentiel.yaml`, the authors, keywords and release date from `CITATION.cff`. `python build.py
zenodo` writes it and `python build.py check` reports it when it no longer agrees with them.
"""

import json
from pathlib import Path
from typing import Any

from engine.check.publication import CITATION, FILE, Publication
from engine.load.documents import LoadError
from engine.load.inputs import read_document, read_text
from engine.load.problems import WARNING, Problem

ZENODO = ".zenodo.json"


def _creator(author: Any) -> dict[str, str] | None:
    """A CITATION.cff author (an entity's `name`, or a person's `family-names` and `given-names`)."""
    if not isinstance(author, dict):
        return None
    if author.get("name"):
        return {"name": str(author["name"])}
    family, given = author.get("family-names"), author.get("given-names")
    return {"name": f"{family}, {given}" if given else str(family)} if family else None


def metadata(publication: Publication, citation: dict[str, Any]) -> dict[str, Any]:
    """The deposit metadata of the edition, in Zenodo's own fields."""
    creators = [creator for creator in map(_creator, citation.get("authors") or []) if creator]
    found: dict[str, Any] = {
        "upload_type": "dataset",
        "title": publication.titre,
        "description": publication.description,
        "version": publication.edition,
        "license": publication.licence.identifiant.lower(),
        "access_right": "open",
        "language": "fra",
        "creators": creators or [{"name": publication.editeur.nom}],
        "keywords": [str(keyword) for keyword in citation.get("keywords") or []],
    }
    if citation.get("date-released"):
        found["publication_date"] = str(citation["date-released"])
    if publication.adresse:
        found["related_identifiers"] = [{"identifier": publication.adresse, "relation": "isSourceOf",
                                         "resource_type": "dataset"}]
    return found


def citation_of(root: Path) -> dict[str, Any]:
    """`CITATION.cff`, read with the same guard rails as the entries (an empty mapping when it is absent)."""
    path = root / CITATION
    if not path.exists() and not path.is_symlink():
        return {}
    data = read_document(path, CITATION).data
    return data if isinstance(data, dict) else {}


def text(root: Path, publication: Publication) -> str:
    return json.dumps(metadata(publication, citation_of(root)), ensure_ascii=False, indent=2) + "\n"


def problems(root: Path, publication: Publication) -> list[Problem]:
    """A `.zenodo.json` that no longer says what `referentiel.yaml` and `CITATION.cff` say."""
    path = root / ZENODO
    if not path.exists() and not path.is_symlink():
        return []
    try:
        expected = text(root, publication)
    except LoadError:
        return []  # CITATION.cff's own problem is reported where it is read
    try:
        if read_text(path, ZENODO) == expected:
            return []
    except LoadError as error:
        return [error.problem]
    return [Problem(ZENODO, 1, 1, "", f"ne concorde plus avec {FILE} et {CITATION} : lancez python build.py zenodo "
                    "pour le réécrire", severity=WARNING)]
