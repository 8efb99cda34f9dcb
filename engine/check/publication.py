"""`referentiel.yaml`: who publishes this référentiel, under which name, edition and licences, and where.

It is the only file that names the publisher: the site's name and address, the repository, the
contact, the licences and the edition are read from it by the site, the footer, the « Citer »
blocks, the PDFs, the feed and the open data. A fork changes this file and publishes under its
own name. A référentiel without its own file uses the engine's (as with `mkdocs.yml`).
"""

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from engine.load.documents import Document, LoadError
from engine.load.inputs import read_document
from engine.load.problems import WARNING, Problem, visible
from engine.load.repository import edition_key
from engine.model.format import Model, Printed

FILE = "referentiel.yaml"
ENGINE_FILE = Path(__file__).resolve().parents[2] / FILE
CITATION = "CITATION.cff"


def _folder(address: str) -> str:
    """Addresses of the site end with « / », so that page paths can be appended to them."""
    return address if address.endswith("/") else address + "/"


WebAddress = Annotated[
    str,
    StringConstraints(pattern=r"""^https?://[^\s<>"'`]+$""", max_length=300),  # ECMA-262: no « \" »
    Field(description="Adresse web complète, commençant par https://.", examples=["https://www.example.org/"]),
]


class Organisation(Model):
    """The organisation that publishes: a public body or an association, never a person."""

    nom: Annotated[str, Printed(160, "Nom de l'organisation qui publie (collectivité, association, réseau…), jamais une personne.")]
    territoire: Annotated[str, Printed(160, "Le territoire de l'organisation (ex. « Pas-de-Calais », « Hauts-de-France »).")]
    contact: Annotated[WebAddress, Field(
        description="Adresse web où joindre l'organisation (page ou formulaire de contact) : jamais l'adresse "
        "électronique ni le nom d'une personne. Sans elle, le pied de page n'a pas de lien « Contact ».")] | None = None


class Licence(Model):
    nom: Annotated[str, Printed(60, "Nom court de la licence (ex. « CC BY-SA 4.0 »).")]
    identifiant: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z0-9.+-]+$", max_length=60),
        Field(description="Identifiant SPDX de la licence (ex. « CC-BY-SA-4.0 »).", examples=["CC-BY-SA-4.0"]),
    ]
    adresse: Annotated[WebAddress, Field(description="Adresse du texte de la licence.")]


class Publication(Model):
    """`referentiel.yaml`: the identity of this publication of the référentiel."""

    titre: Annotated[str, Printed(120, "Nom du site et de la publication, en tête de chaque page, des PDF et du flux.")]
    description: Annotated[str, Printed(400, "Ce qu'est le référentiel, en une ou deux phrases (moteurs de recherche, flux).")]
    edition: Annotated[
        str,
        StringConstraints(pattern=r"^[0-9]{4}\.[1-9][0-9]*$"),
        Field(description="L'édition en cours, AAAA.N entre guillemets (ex. \"2026.1\") : la même que la balise "
              "git de sa publication, CITATION.cff et CHANGELOG.md.", examples=["2026.1"]),
    ]
    adresse: Annotated[WebAddress, AfterValidator(_folder), Field(
        description="Adresse publique du site : les PDF, le flux, les données et les blocs « Citer » l'impriment. "
        "Tant que le site n'est pas publié, laissez-la de côté : les pages n'ont alors ni adresse permanente, "
        "ni QR code, ni flux.")] | None = None
    depot: Annotated[WebAddress, Field(
        description="Adresse du dépôt (forge) des sources : active « Modifier cette page ».")] | None = None
    editeur: Organisation
    licence: Annotated[Licence, Field(description="La licence des textes et des données du référentiel.")]
    licence_code: Annotated[Licence, Field(description="La licence du moteur (le code qui construit le site).")]

    def site_url(self, versioned: bool = False) -> str | None:
        """The address of the built site: the edition's own folder when editions are published side by side;
        None while the publication has no address."""
        if self.adresse is None:
            return None
        return f"{self.adresse}{self.edition}/" if versioned else self.adresse


def publication_file(root: Path) -> Path:
    """The référentiel's own `referentiel.yaml`, or the engine's."""
    own = root / FILE
    return own if own.exists() or own.is_symlink() else ENGINE_FILE


def citation_problems(root: Path, publication: Publication) -> list[Problem]:
    """`CITATION.cff` must give the same edition and licence as `referentiel.yaml`, and its address if it has one.

    It is read like every input: no link, size and lines capped, and the engine's YAML loader (nesting and
    aliases capped, no tags), never a plain `yaml.safe_load` that ten lines of aliases make take gigabytes."""
    path = root / CITATION
    if not path.exists() and not path.is_symlink():
        return []
    try:
        document = read_document(path, CITATION)
    except LoadError as error:
        return [error.problem]
    text = document.text
    citation = document.data if isinstance(document.data, dict) else {}
    expected = {"version": publication.edition, "license": publication.licence.identifiant}
    problems = []
    if "url" in citation and publication.adresse:
        expected["url"] = publication.adresse
    elif "url" in citation:
        problems.append(Problem(CITATION, _line_of(text, "url"), 1, "url", f"{FILE} ne donne pas l'adresse du "
                                "site : retirez url, ou donnez la même adresse dans les deux fichiers"))
    for key, value in expected.items():
        if citation.get(key) != value:
            shown = visible(str(citation.get(key)))
            problems.append(Problem(CITATION, _line_of(text, key), 1, key, f"« {shown} » au lieu de "
                                    f"« {value} » donné par {FILE} : écrivez {key}: \"{value}\""))
    return problems


def _line_of(text: str, key: str) -> int:
    """The line where a top-level key of a YAML text is, or 1."""
    return next((number for number, content in enumerate(text.splitlines(), 1) if content.startswith(f"{key}:")), 1)


def edition_problems(tags: list[str], publication: Publication, document: Document) -> list[Problem]:
    """An edition older than one already tagged (`tags`) is surely an edition that was not updated."""
    newer = [tag for tag in tags if edition_key(tag) > edition_key(publication.edition)]
    if not newer:
        return []
    return [document.problem(("edition",), f"l'édition {newer[-1]} est déjà publiée (balise git) : passez "
                             f"« edition » à l'édition en préparation", severity=WARNING)]
