"""schema.org descriptions of the entry pages, as JSON-LD for search engines and catalogues.

A lesson, a fiche and a training path are learning resources (`LearningResource`, a path a
`Course`), part of the référentiel (`isPartOf`, with its edition) and published by the publisher of
`referentiel.yaml` under its licence; a territory is a `Place`, with its coordinates when the entry
gives them. The description goes into the page's front matter (`schema_org`), which the theme
prints in the head of the page through Jinja's `tojson` (HTML-safe: no value can close the script).
"""

from typing import Any

from engine.check.publication import Publication
from engine.model.format import Entry

CONTEXT = "https://schema.org"
RESOURCE_TYPES = {"enseignement": "enseignement", "fiche": "fiche pratique", "parcours": "parcours de formation"}
"""`learningResourceType` of each kind, in French."""


def _place(entry: Any, region: str | None) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": entry.nom,
                             "address": {"@type": "PostalAddress", "addressCountry": "FR",
                                         **({"addressRegion": region} if region else {})},
                             "containedInPlace": {"@type": "AdministrativeArea", "name": entry.departement}}
    if entry.coordonnees is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": entry.coordonnees.latitude,
                        "longitude": entry.coordonnees.longitude}
    return place


def _resource(entry: Any, publication: Publication, keywords: list[str]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "@type": "Course" if entry.kind == "parcours" else "LearningResource",
        "name": entry.title,
        "inLanguage": "fr",
        "learningResourceType": RESOURCE_TYPES.get(entry.kind, entry.label.lower()),
        "license": publication.licence.adresse,
        "publisher": {"@type": "Organization", "name": publication.editeur.nom},
        "isPartOf": {"@type": "CreativeWork", "name": publication.titre, "version": publication.edition},
    }
    if keywords:
        resource["keywords"] = ", ".join(keywords)
    if entry.kind == "parcours":
        resource["teaches"] = list(entry.objectifs)
        resource["audience"] = {"@type": "EducationalAudience", "audienceType": entry.public}
    return resource


def description(entry: Entry, publication: Publication, url: str | None, keywords: list[str],
                region: str | None = None, modified: str | None = None) -> dict[str, Any]:
    """The JSON-LD of an entry's page; `url` when the site has an address, `region` the label of a
    territory's region, `keywords` the labels of its vocabularies, `modified` its last change (AAAA-MM-JJ)."""
    found = _place(entry, region) if entry.kind == "territoire" else _resource(entry, publication, keywords)
    found = {"@context": CONTEXT, **found, "description": " ".join(entry.resume.split())}
    if url:
        found["url"] = url
    if modified and entry.kind != "territoire":
        found["dateModified"] = modified
    return found
