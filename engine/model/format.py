"""The format of the référentiel: every kind of entry, its fields and the shared vocabularies.

These models are the single source of truth. Validation, the JSON Schemas for editors
(`build.py schema`) and the contributor reference page are all derived from them, so a
field's French description written here is what contributors read everywhere.

Field names are French because contributors write them; identifiers in the code are English.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Self

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from engine.model.characters import INVISIBLE
from engine.model.french import field_label

# --- Markers read by the checker and the schema export -------------------------------------


@dataclass(frozen=True)
class Ref:
    """The field holds the id of an entry of another kind (or of the glossary, bibliography)."""

    kind: str


@dataclass(frozen=True)
class Vocab:
    """The field holds an id from one of the shared vocabularies of `data/vocabulaires.yaml`."""

    name: str


# --- Scalar types ------------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Ident = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, min_length=2, max_length=80),
    Field(
        description="Identifiant permanent : minuscules sans accents, chiffres et tirets "
        "(ex. « fifty-fifty »). Il donne le nom du fichier et l'adresse de la page.",
        examples=["fifty-fifty"],
    ),
]

def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS or any(value == model.pages for model in KINDS.values()):
        raise PydanticCustomError(
            "reserved_id", "l'id « {id} » est réservé (page du site ou nom de fichier interdit sous Windows) : "
            "choisissez-en un autre", {"id": value},
        )
    return value


EntryId = Annotated[Ident, AfterValidator(_not_reserved)]
"""The id of an entry: it names a file and a page, so reserved names are refused."""

_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def real_date(value: str) -> str:
    """A partial date that exists: AAAA, AAAA-MM or AAAA-MM-JJ, a year from 1800 to 2100."""
    match = _DATE_RE.match(value)
    if not match:
        raise PydanticCustomError(
            "date_format", "date « {date} » mal écrite : AAAA, AAAA-MM ou AAAA-MM-JJ (ex. \"2019-03-22\")",
            {"date": value},
        )
    year = int(match.group(1))
    month, day = (int(group) if group else None for group in match.groups()[1:])
    try:
        if not 1800 <= year <= 2100:
            raise ValueError(year)
        if month is not None:
            datetime.date(year, month, day or 1)
    except ValueError:
        raise PydanticCustomError(
            "date_invalid", "la date « {date} » n'existe pas : vérifiez le jour, le mois et l'année", {"date": value}
        ) from None
    return value


PartialDate = Annotated[
    str,
    AfterValidator(real_date),
    Field(
        description="Date au format AAAA, AAAA-MM ou AAAA-MM-JJ, entre guillemets (ex. \"2019-03\").",
        examples=["2019-03-22", "2014"],
    ),
]


# Every pattern below runs on contributor text in linear time: a repetition is never followed by what it could
# itself match, and a search never scans the same stretch from many starts (tests/test_inputs.py inspects them).
_HTML_TAG = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!?]")
_BAD_SCHEME = re.compile(r"(?:java|vb)\s*script\s*:|data\s*:\s*[a-z]{1,40}/|&#|&colon;", re.IGNORECASE)
_LINK_TARGET = re.compile(r"\]\(\s*(?:<\s*)?([^)\s>]*)|^[ \t]*\[[^\]\n]+\]:\s*(?:<\s*)?(\S*)", re.MULTILINE)
_SAFE_TARGET = re.compile(r"^(?:https?://|mailto:|#|/(?![/\\])|\.\.?/|[\w-]+(?:/|\.md|$))", re.IGNORECASE)
"""Link targets allowed: web and mail addresses, anchors and relative paths (not `//host`, read as absolute)."""
_INVISIBLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}]")
"""Control characters, bidirectional controls, zero-width and other invisible characters, non-characters:
they can make a text read differently than it is, and U+FFFF makes the feed invalid XML. A YAML escape
(`"\\u200b"`) writes them as well as the character itself: the decoded value is what is checked."""
_ATTRIBUTES = re.compile(r"\{\s*[:#.]")
_ASSIGNMENT = re.compile(r"(?:^|(?<=[}\n]))[^{}\n]*(\{[^}\n=]*=[^}\n]*\})")
"""An attribute list (`{: …}`, `{#…}`, `{.…}`) or braces holding `=` on one line. The second form is searched
from the start of each stretch between two `}` or line breaks only, from its first `{`: each stretch is read
once (searched from every `{`, a line of `{=` took cubic time, 156 s for 6,000 characters)."""
LINKS_PER_PARAGRAPH = 30
"""Most links (and images) in one paragraph: Python-Markdown takes time in the square of their number
(a line of 18,000 links took more than two minutes); entries have a few, free pages up to six."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]|\|")
"""What starts another paragraph, list item or table cell: Markdown reads the links of each one apart."""


def plain_text(value: str) -> str:
    """Contributor text is simple Markdown: no HTML, no script URLs, no attribute lists.

    Each pattern is searched only when the characters it needs are there: most texts skip all."""
    found = not (value.isascii() and value.isprintable()) and _INVISIBLE.search(value)
    if found:
        raise PydanticCustomError(
            "invisible", "caractère invisible interdit (U+{code}) : retirez-le", {"code": f"{ord(found.group()):04X}"},
        )
    found = "<" in value and _HTML_TAG.search(value)
    if found:
        raise PydanticCustomError(
            "html", "le HTML n'est pas permis (« {found} ») : écrivez en Markdown simple, sans balises",
            {"found": found.group(0)},
        )
    lowered = value.lower()
    found = ("script" in lowered or "data" in lowered or "&" in value) and _BAD_SCHEME.search(value)
    if found:
        raise PydanticCustomError(
            "unsafe_url", "adresse ou code interdit (« {found} ») : un lien commence par https://",
            {"found": found.group(0)},
        )
    if "](" in value or "]:" in value:
        for match in _LINK_TARGET.finditer(value):
            target = match.group(1) if match.group(1) is not None else match.group(2)
            if target and not _SAFE_TARGET.match(target):
                raise PydanticCustomError(
                    "unsafe_url", "lien vers « {found} » interdit : un lien commence par https://", {"found": target}
                )
    found = "{" in value and (_ATTRIBUTES.search(value) or _ASSIGNMENT.search(value))
    if found:
        raise PydanticCustomError(
            "attributes", "attributs entre accolades interdits (« {found} ») : retirez les accolades",
            {"found": found.group(found.lastindex or 0)},
        )
    if value.count("[") > LINKS_PER_PARAGRAPH:
        for paragraph in _PARAGRAPH_BREAK.split(value):
            if paragraph.count("[") > LINKS_PER_PARAGRAPH:
                raise PydanticCustomError(
                    "too_many_links", "trop de crochets (liens, images) dans un même paragraphe (ou élément de "
                    "liste) : {count}, au plus {limit} ; répartissez-les en plusieurs paragraphes ou en liste",
                    {"count": paragraph.count("["), "limit": LINKS_PER_PARAGRAPH},
                )
    return value


def no_straight_quote(value: str) -> str:
    """For values that the theme prints as they are inside an attribute (`aria-label="…"`, `<meta content="…">`):
    a straight double quote would end the attribute and start another (`http-equiv="refresh"`)."""
    if '"' in value:
        raise PydanticCustomError("straight_quote", "guillemet droit « \" » interdit ici (le thème l'imprime dans "
                                  "un attribut HTML) : écrivez « … »", {})
    return value


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """A French text with a length limit (limits keep printed cards to one page), written
    `Annotated[str, Text(120, "description")]`: simple Markdown, stripped, described for contributors."""

    max_length: int
    description: str
    min_length: int = 1

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(strip_whitespace=True, min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(plain_text)
        yield Field(description=self.description)


@dataclass(frozen=True)
class Printed(Text):
    """A text that the theme prints as it is, inside HTML attributes (titles and descriptions of the
    publication and of free pages): no straight quotation mark."""

    def __iter__(self) -> Iterator[Any]:
        yield from super().__iter__()
        yield AfterValidator(no_straight_quote)



Title = Annotated[str, Text(120, "Titre complet, en une phrase courte (120 caractères au plus).")]
Summary = Annotated[str, Text(
    480,
    "Résumé de deux ou trois phrases, dans nos propres mots (480 caractères au plus) : "
    "il figure sur les cartes et dans les listes.",
)]
Prose = Annotated[str, Text(6000, "Texte libre en Markdown simple (paragraphes, listes, gras, liens).")]
Item = Annotated[str, Text(600, "Un point, en une ou deux phrases.")]


def quoted(value: str) -> str:
    """A quotation between French quotation marks."""
    if not (value.startswith("«") and value.endswith("»")):
        raise PydanticCustomError(
            "quotation_marks", "une citation s'écrit entre guillemets français : « … »", {}
        )
    return value


Quotation = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=400),
    AfterValidator(plain_text),
    AfterValidator(quoted),
    Field(description="La citation exacte, entre guillemets français « … » (30 mots au plus)."),
]


class Model(BaseModel):
    """Base of every model: unknown fields are errors, values are not silently converted."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False,
                              defer_build=True, field_title_generator=lambda name, _: field_label(name))
    """Each field's `title` is its French label, derived from its name (« Ce qui a changé », the schemas)."""


# --- Building blocks shared by the kinds -------------------------------------------------------


class SourceRef(Model):
    """Where a statement comes from: a document of the bibliography and the place in it."""

    document: Annotated[str, Ref("document"), Field(description="Id du document dans `data/bibliographie.yaml`.")]
    passage: Annotated[str, Text(160, "Section, chapitre ou page cités (ex. « § 3, pôle Récit »).")]


Sources = Annotated[
    list[SourceRef],
    Field(min_length=1, description="Les sources de l'entrée : au moins une, avec le passage cité."),
]


class Citation(Model):
    """A short quotation, always attributed to a person's public role or to a document."""

    texte: Quotation
    auteur: Annotated[
        str, Text(160, "Qui parle, par son rôle public (ex. « le maire de Loos-en-Gohelle », « un agent »)."),
    ]
    source: SourceRef


class Figure(Model):
    """A figure given by a source (an amount, a count, a share…)."""

    valeur: Annotated[float, Field(ge=-1e12, le=1e12, description="Le nombre, sans unité (ex. 120 ou 0.8).")]
    valeur_max: Annotated[
        float, Field(ge=-1e12, le=1e12, description="Pour une fourchette (« 30 000 à 40 000 »), la borne haute.")
    ] | None = None
    unite: Annotated[str, Text(40, "Unité (ex. « € », « ha », « logements », « % »).")] | None = None
    libelle: Annotated[str, Text(200, "Ce que mesure le chiffre.")]
    annee: Annotated[int, Field(ge=1800, le=2100, description="Année à laquelle le chiffre se rapporte.")] | None = None
    environ: Annotated[bool, Field(description="Vrai si la source donne un ordre de grandeur.")] = False
    source: SourceRef | None = None


SourceNotes = Annotated[
    list[Item],
    Field(
        description="Où les sources se contredisent ou sont douteuses (OCR) : on le dit ici au lieu de trancher.",
    ),
]

FormerIds = Annotated[
    list[Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(_not_reserved)]],
    Field(
        description="Anciens identifiants de cette entrée (après un renommage ou une fusion) : "
        "leurs adresses redirigent vers cette page.",
    ),
]


class Entry(Model):
    """What every entry file has; each kind says here, once, everything the engine needs to know of it."""

    kind: ClassVar[str]
    """Its name: in references (`Ref`), on the command line (`new fiche`), in messages."""
    folder: ClassVar[str]
    """The folder of its files in the référentiel."""
    label: ClassVar[str]
    """Its name in a heading or before a title (« Fiche : … »)."""
    indefinite: ClassVar[str]
    """One of them, with its article (« une fiche »): the format reference says « id d'une fiche »."""
    pages: ClassVar[str]
    """The folder of its pages on the site: it gives their addresses, which must never change."""
    list_title: ClassVar[str]
    """The title of the page that lists them, and of its place in the navigation."""
    template: ClassVar[str] = "entree.md.j2"
    """The template of its page (in `templates/`); the default shows the title, summary and sources."""
    list_template: ClassVar[str] = "liste.md.j2"
    """The template of the page that lists them; the default lists the titles with their summary."""
    printed: ClassVar[bool] = False
    """True when each entry also has a PDF beside its page."""
    tags: ClassVar[tuple[str, ...]] = ()
    """Its vocabulary fields shown as tags on its page, in this order."""
    example_id: ClassVar[str] = "fifty-fifty"
    """An id to give as an example of a reference to one of them."""

    id: EntryId
    resume: Summary
    remarques_sources: SourceNotes = []
    anciens_ids: FormerIds = []
    sources: Sources

    @property
    def title(self) -> str:
        raise NotImplementedError

    @classmethod
    def field_order(cls) -> list[str]:
        """The order in which fields are written in a file: id, title, summary, the kind's own
        fields, then sources and bookkeeping."""
        own = [name for name in cls.model_fields if name not in Entry.model_fields]
        return ["id", own[0], "resume", *own[1:], "sources", "remarques_sources", "anciens_ids"]


def field_order(model: type[BaseModel]) -> list[str]:
    """The order of the fields of a mapping: the entry order for an entry, the model's order inside it."""
    return model.field_order() if issubclass(model, Entry) else list(model.model_fields)


# --- Enseignement ------------------------------------------------------------------------------


class Observation(Model):
    """How a lesson was observed in one territory."""

    territoire: Annotated[str, Ref("territoire"), Field(description="Id du territoire.")]
    statut: Annotated[str, Vocab("statuts"), Field(description="Ce que la source dit de cet enseignement ici.")]
    exemple: Annotated[str, Text(1500, "Ce qui a été observé, en quelques phrases.")] | None = None
    meme_colonne_que: Annotated[
        str, Ref("territoire"),
        Field(description="Quand la source donne un seul statut pour deux territoires (une colonne commune de son "
              "tableau), l'id de l'autre territoire : les deux ne comptent qu'une fois dans le niveau de preuve."),
    ] | None = None
    source: SourceRef | None = None


class Wording(Model):
    """One stage of the wording of a lesson across the documents that carried it."""

    etape: Annotated[str, Vocab("etapes"), Field(description="Étape de travail ou document.")]
    formulation: Quotation
    source: SourceRef


KinshipKind = Literal["proche", "version-anterieure", "version-posterieure"]
"""How a lesson of another family relates to this one: close, or an earlier or later wording of it."""
INVERSE_KINSHIP: dict[str, str] = {"proche": "proche", "version-anterieure": "version-posterieure",
                   "version-posterieure": "version-anterieure"}
"""The same link, seen from the other lesson."""


class Kinship(Model):
    """A lesson of another family that says something close to this one, or is another wording of it."""

    enseignement: Annotated[
        str, Ref("enseignement"), Field(description="Id de l'enseignement proche, d'une autre famille.")
    ]
    lien: Annotated[
        KinshipKind,
        Field(description="« proche » : les deux enseignements disent une idée voisine ; « version-anterieure » : "
              "l'enseignement lié en est une formulation plus ancienne, que celui-ci reprend ; "
              "« version-posterieure » : l'enseignement lié en est une formulation plus récente, qui reprend celui-ci."),
    ] = "proche"
    en_quoi: Annotated[str, Text(300, "Ce que les deux enseignements ont en commun, ou ce qui les distingue, en une phrase.")] | None = None


class Enseignement(Entry):
    """Un enseignement : ce qui marche pour conduire le changement, et à quelles conditions."""

    kind: ClassVar[str] = "enseignement"
    folder: ClassVar[str] = "lessons"
    label: ClassVar[str] = "Enseignement"
    indefinite: ClassVar[str] = "un enseignement"
    pages: ClassVar[str] = "enseignements"
    list_title: ClassVar[str] = "Enseignements"
    template: ClassVar[str] = "enseignement.md.j2"
    list_template: ClassVar[str] = "liste-enseignements.md.j2"
    printed: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ("famille", "pole", "niveau")
    example_id: ClassVar[str] = "recit-partage"

    titre: Title
    titre_court: Annotated[str, Text(70, "Titre court pour les tableaux et les menus (70 caractères au plus).")]
    famille: Annotated[str, Vocab("familles"), Field(description="Le travail collectif dont vient l'enseignement.")]
    pole: Annotated[str, Vocab("poles"), Field(description="Pôle (ou invariant) de la famille.")]
    question_cle: Annotated[
        str, Text(200, "La question à laquelle l'enseignement répond (ex. « Comment ça commence ? »)."),
    ]
    niveau: Annotated[str, Vocab("niveaux"), Field(description="Structurant ou opérationnel.")]
    nouveau: Annotated[bool, Field(description="Vrai si l'enseignement est apparu pendant ce travail.")] = False
    quoi: Prose
    comment: Prose | None = None
    pour_quels_resultats: Prose
    observations: Annotated[list[Observation], Field(description="Ce qui a été vu, territoire par territoire.")] = []
    facteurs_de_reussite: Annotated[list[Item], Field(description="Ce qui aide.")] = []
    points_de_vigilance: Annotated[list[Item], Field(description="Ce qui peut faire échouer.")] = []
    citations: list[Citation] = []
    fiches_liees: Annotated[
        list[Annotated[str, Ref("fiche")]], Field(description="Ids des fiches qui aident à le mettre en œuvre.")
    ] = []
    enseignements_lies: Annotated[
        list[Annotated[str, Ref("enseignement")]],
        Field(description="Ids d'enseignements liés de la même famille (pour une autre famille : "
              "`enseignements_proches`)."),
    ] = []
    enseignements_proches: Annotated[
        list[Kinship],
        Field(description="Les enseignements d'autres familles qui disent une idée voisine ou en sont une autre "
              "formulation ; un lien s'écrit d'un seul côté, la page de l'autre enseignement le montre aussi."),
    ] = []
    historique: Annotated[
        list[Wording], Field(description="Les formulations successives, de la plus ancienne à la dernière.")
    ] = []

    @property
    def title(self) -> str:
        return self.titre


# --- Fiche -------------------------------------------------------------------------------------


class Step(Model):
    """One step of a method."""

    titre: Annotated[str, Text(120, "Nom de l'étape.")]
    description: Annotated[str, Text(1500, "Ce qu'on fait, qui le fait.")] | None = None
    duree: Annotated[str, Text(60, "Durée de l'étape (ex. « une demi-journée »).")] | None = None


class Example(Model):
    """What happened when a territory used the method."""

    territoire: Annotated[str, Ref("territoire"), Field(description="Id du territoire.")]
    recit: Annotated[str, Text(1500, "Ce qui s'est passé, en quelques phrases.")]
    date: PartialDate | None = None
    source: SourceRef | None = None


class Fiche(Entry):
    """Une fiche : un dispositif, une méthode ou un outil, décrit pour être repris ailleurs."""

    kind: ClassVar[str] = "fiche"
    folder: ClassVar[str] = "fiches"
    label: ClassVar[str] = "Fiche"
    indefinite: ClassVar[str] = "une fiche"
    pages: ClassVar[str] = "fiches"
    list_title: ClassVar[str] = "Fiches"
    template: ClassVar[str] = "fiche.md.j2"
    list_template: ClassVar[str] = "liste-fiches.md.j2"
    printed: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ("type", "implication")
    example_id: ClassVar[str] = "fifty-fifty"

    titre: Title
    type: Annotated[str, Vocab("types_fiche"), Field(description="Sorte de fiche.")]
    implication: Annotated[
        str, Vocab("niveaux_implication"), Field(description="Niveau d'implication des habitants ou des acteurs.")
    ] | None = None
    objectif: Prose
    etapes: Annotated[list[Step], Field(description="Les étapes, dans l'ordre.")] = []
    qui: Annotated[str, Text(600, "Qui porte, qui participe.")] | None = None
    duree: Annotated[str, Text(200, "Durée ou rythme (ex. « deux jours », « chaque année »).")] | None = None
    moyens: Annotated[str, Text(800, "Moyens humains et financiers, coût.")] | None = None
    chiffres: list[Figure] = []
    difficultes: Annotated[list[Item], Field(description="Difficultés et limites rencontrées.")] = []
    exemples: Annotated[list[Example], Field(description="Ce qui s'est passé dans les territoires.")] = []
    citations: list[Citation] = []
    enseignements_lies: Annotated[
        list[Annotated[str, Ref("enseignement")]], Field(description="Ids des enseignements que la fiche sert.")
    ] = []
    fiches_liees: Annotated[list[Annotated[str, Ref("fiche")]], Field(description="Ids d'autres fiches.")] = []

    @property
    def title(self) -> str:
        return self.titre


# --- Territoire --------------------------------------------------------------------------------


class Population(Model):
    """A population figure, always with its year or its source (sources often disagree)."""

    valeur: Annotated[int, Field(ge=1, le=20_000_000, description="Nombre d'habitants.")]
    annee: Annotated[int, Field(ge=1800, le=2100, description="Année du chiffre, si la source la donne.")] | None = None
    note: Annotated[str, Text(300, "Précision sur le chiffre (périmètre, écart entre sources…).")] | None = None
    source: SourceRef


class Coordinates(Model):
    """Where the territory is put on the map: a commune's town hall, an intercommunality's centre."""

    latitude: Annotated[float, Field(ge=-90, le=90, description="Latitude en degrés décimaux.")]
    longitude: Annotated[float, Field(ge=-180, le=180, description="Longitude en degrés décimaux.")]
    source: SourceRef


class Event(Model):
    """A dated event of a territory's story."""

    date: PartialDate
    fin: Annotated[
        PartialDate, Field(description="Pour un événement de plusieurs jours, sa date de fin."),
    ] | None = None
    environ: Annotated[bool, Field(description="Vrai si la source ne date l'événement qu'approximativement.")] = False
    evenement: Annotated[str, Text(400, "Ce qui s'est passé.")]
    source: SourceRef | None = None


class Project(Model):
    """A project or achievement of the territory."""

    nom: Annotated[str, Text(120, "Nom du projet.")]
    periode: Annotated[str, Text(60, "Années (ex. « 2010-2014 »).")] | None = None
    description: Annotated[str, Text(1500, "Ce que c'est, ce que ça a changé.")]
    chiffres: list[Figure] = []
    source: SourceRef | None = None


class PublicRole(Model):
    """A public role in the territory (no personal contact data, ever)."""

    fonction: Annotated[
        str, Text(160, "La fonction publique (ex. « maire », « président de la communauté de communes »)."),
    ]
    titulaire: Annotated[str, Text(80, "Nom de la personne, seulement pour un mandat public.")] | None = None
    periode: Annotated[str, Text(60, "Période du mandat ou de la fonction.")] | None = None
    source: SourceRef | None = None


class Territoire(Entry):
    """Un territoire : son identité, son histoire et ce qu'il a fait."""

    kind: ClassVar[str] = "territoire"
    folder: ClassVar[str] = "territories"
    label: ClassVar[str] = "Territoire"
    indefinite: ClassVar[str] = "un territoire"
    pages: ClassVar[str] = "territoires"
    list_title: ClassVar[str] = "Territoires"
    template: ClassVar[str] = "territoire.md.j2"
    list_template: ClassVar[str] = "liste-territoires.md.j2"
    printed: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ("region", "type")
    example_id: ClassVar[str] = "loos-en-gohelle"

    nom: Title
    type: Annotated[str, Vocab("types_collectivite"), Field(description="Sorte de collectivité.")]
    departement: Annotated[str, Text(60, "Nom du département.")]
    numero_departement: Annotated[
        str,
        StringConstraints(pattern=r"^(?:0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$"),
        Field(description="Numéro du département, entre guillemets (ex. \"62\").", examples=["62"]),
    ]
    region: Annotated[str, Vocab("regions"), Field(description="Région.")]
    populations: Annotated[
        list[Population], Field(description="Chiffres de population, chacun avec son année ou sa source.")
    ] = []
    nombre_communes: Annotated[int, Field(ge=1, le=1000, description="Pour une intercommunalité.")] | None = None
    intercommunalite: Annotated[
        str, Text(160, "Pour une commune, l'intercommunalité dont elle est membre."),
    ] | None = None
    coordonnees: Coordinates | None = None
    accroche: Annotated[
        str, Text(160, "Son histoire en une phrase, pour la liste des territoires (ex. « Ancienne cité minière "
                  "devenue un démonstrateur de la ville durable. »)."),
    ] | None = None
    recit: Prose
    chronologie: Annotated[list[Event], Field(description="Les événements datés, dans l'ordre.")] = []
    projets: list[Project] = []
    roles_publics: list[PublicRole] = []
    citations: list[Citation] = []

    @property
    def title(self) -> str:
        return self.nom


# --- Parcours ----------------------------------------------------------------------------------


class Stage(Model):
    """One step of a training path: one entry of the référentiel, and what the trainer does with it."""

    one_of: ClassVar[tuple[str, ...]] = ("enseignement", "fiche", "territoire")
    """The step names exactly one of these fields: the entry it works on."""
    model_config = ConfigDict(json_schema_extra={
        "oneOf": [{"required": [name], "properties": {name: {"type": "string"}}} for name in one_of]})

    enseignement: Annotated[
        str, Ref("enseignement"), Field(description="Id de l'enseignement travaillé à cette étape.")
    ] | None = None
    fiche: Annotated[str, Ref("fiche"), Field(description="Id de la fiche travaillée à cette étape.")] | None = None
    territoire: Annotated[
        str, Ref("territoire"), Field(description="Id du territoire étudié à cette étape.")
    ] | None = None
    intention: Annotated[
        str, Text(800, "Ce que le formateur veut faire comprendre ou faire faire à cette étape, et comment."),
    ]
    duree: Annotated[str, Text(60, "Durée de l'étape (ex. « 45 minutes »).")]

    @model_validator(mode="after")
    def _one_entry(self) -> Self:
        named = [name for name in self.one_of if getattr(self, name) is not None]
        if not named:
            raise PydanticCustomError(
                "one_entry", "l'étape ne renvoie à aucune entrée : ajoutez « enseignement: … », « fiche: … » ou "
                "« territoire: … » avec l'id de l'entrée", {},
            )
        if len(named) > 1:
            raise PydanticCustomError(
                "one_entry", "une étape renvoie à une seule entrée, celle-ci en a plusieurs ({found}) : gardez-en "
                "une, faites une autre étape pour l'autre", {"found": ", ".join(named)},
            )
        return self

    @property
    def entry(self) -> tuple[str, str]:
        """The kind and the id of the entry of this step."""
        kind = next(name for name in self.one_of if getattr(self, name) is not None)
        return kind, getattr(self, kind)


class Parcours(Entry):
    """Un parcours de formation : des entrées du référentiel dans l'ordre où un formateur les fait travailler."""

    kind: ClassVar[str] = "parcours"
    folder: ClassVar[str] = "parcours"
    label: ClassVar[str] = "Parcours"
    indefinite: ClassVar[str] = "un parcours"
    pages: ClassVar[str] = "parcours"
    list_title: ClassVar[str] = "Parcours de formation"
    template: ClassVar[str] = "parcours.md.j2"
    list_template: ClassVar[str] = "liste-parcours.md.j2"
    printed: ClassVar[bool] = True
    example_id: ClassVar[str] = "impliquer-habitants-petite-commune"

    titre: Title
    public: Annotated[str, Text(300, "À qui s'adresse le parcours (ex. « élus et agents d'une petite commune »).")]
    duree_totale: Annotated[str, Text(60, "Durée de tout le parcours (ex. « une demi-journée »).")]
    objectifs: Annotated[
        list[Item], Field(min_length=1, description="Ce que les participants sauront ou sauront faire à la fin.")
    ]
    etapes: Annotated[list[Stage], Field(min_length=1, description="Les étapes, dans l'ordre où on les vit.")]

    @property
    def title(self) -> str:
        return self.titre


KINDS: dict[str, type[Entry]] = {model.kind: model for model in (Enseignement, Fiche, Territoire, Parcours)}
"""Every kind of entry, by its name. A kind is added here, with its model: everything else reads it from there
(checking, pages, lists, navigation, PDFs, open data, schemas, skeletons, the format reference)."""


RESERVED_IDS = frozenset({
    # pages that the site generates beside the entries, and its folders
    "index", "matrice", "glossaire", "bibliographie", "code-source", "assets", "pdf",
    *(model.pages for model in KINDS.values()),
    # device names that Windows refuses as file names, whatever the extension
    "con", "prn", "aux", "nul", *(f"com{digit}" for digit in range(10)), *(f"lpt{digit}" for digit in range(10)),
})
"""Ids that an entry may not take: its page or its file would collide with something else (the folder of
the pages of a kind added later is refused too)."""


@dataclass(frozen=True)
class Referable:
    """What a `Ref` may point to, as messages and the format reference name it."""

    name: str
    """« fiche », « document de la bibliographie »: « aucun(e) fiche n'a l'id … »."""
    indefinite: str
    """With its article: « une fiche » (« id d'une fiche »)."""
    many: str
    """In the plural: « fiches » (« ids de fiches »)."""
    example: str
    """An id to show as an example."""


def referables() -> dict[str, Referable]:
    """Everything a `Ref` may point to, by its kind: the entries of every kind, documents and glossary terms."""
    return {
        **{kind: Referable(kind, model.indefinite, model.list_title.lower(), model.example_id)
           for kind, model in KINDS.items()},
        "document": Referable("document de la bibliographie", "un document de la bibliographie",
                              "documents de la bibliographie", "referentiel-villes-pairs-2019"),
        "terme": Referable("terme du glossaire", "un terme du glossaire", "termes du glossaire", "tepcv"),
    }


TO_COMPLETE = "À compléter"
"""What a skeleton of a new entry (`build.py nouveau`) holds in required text fields, until it is replaced."""


# --- Shared data: vocabularies, glossary, bibliography, code source ----------------------------


class Term(Model):
    """One term of the vocabulary."""

    id: Ident
    libelle: Annotated[str, Text(120, "Libellé affiché.")]
    description: Annotated[str, Text(800, "Ce que recouvre le terme.")] | None = None


class Family(Term):
    """A family of lessons: one collective work, and what its source gives or leaves to the editors."""

    niveaux: Annotated[
        Literal["source", "redaction", "aucun"],
        Field(description="Qui classe ses enseignements en structurants ou opérationnels : « source » (le document), "
              "« redaction » (les éditeurs du référentiel, la source ne le faisant pas) ou « aucun »."),
    ] = "source"
    questions_redigees: Annotated[
        bool, Field(description="Vrai si la source ne donne pas de question clé : celles de la famille sont "
                    "formulées par la rédaction.")
    ] = False
    sans_observation: Annotated[str, Text(
        300, "Ce sur quoi repose un enseignement de la famille que la source n'observe dans aucun territoire "
        "(ex. « invariant reconnu par les quatre villes de l'atelier »)."
    )] | None = None


class Pole(Term):
    famille: Annotated[str, Vocab("familles"), Field(description="La famille à laquelle le pôle appartient.")]


class Status(Term):
    confirme: Annotated[bool, Field(description="Vrai si ce statut confirme l'enseignement dans le territoire.")]


class Vocabularies(Model):
    """`data/vocabulaires.yaml`: the closed lists that entries refer to by id."""

    familles: list[Family]
    poles: list[Pole]
    niveaux: list[Term]
    statuts: list[Status]
    etapes: list[Term]
    types_fiche: list[Term]
    niveaux_implication: list[Term]
    types_collectivite: list[Term]
    regions: list[Term]


class GlossaryTerm(Model):
    id: Ident
    terme: Annotated[str, Text(80, "Le terme tel qu'il apparaît dans les textes (sigle compris).")]
    developpe: Annotated[str, Text(200, "Pour un sigle, sa forme développée.")] | None = None
    definition: Annotated[str, Text(800, "Définition dans nos propres mots.")]
    voir_aussi: Annotated[
        list[Annotated[str, Ref("terme")]], Field(description="Ids d'autres termes du glossaire à lire avec celui-ci.")
    ] = []
    infobulle: Annotated[bool, Field(
        description="Faux pour un mot dont tout le référentiel parle (« territoire ») : il n'est alors pas "
        "souligné ni expliqué dans les pages, seulement défini dans le glossaire.")] = True
    sources: Sources


class Glossary(Model):
    """`data/glossaire.yaml`."""

    termes: list[GlossaryTerm]


class Document(Model):
    id: Ident
    titre: Annotated[str, Text(300, "Titre du document.")]
    court: Annotated[str, Text(40, "Forme courte pour le citer dans le texte (ex. « ADEME 2019 », « Évaluation 2016 ») ; "
                "sinon, le premier auteur et l'année.")] | None = None
    auteurs: Annotated[list[Annotated[str, Text(160, "Personne ou organisme.")]], Field(min_length=1)]
    date: PartialDate | None = None
    editeur: Annotated[str, Text(160, "Éditeur, commanditaire ou revue.")] | None = None
    type: Annotated[
        Literal["rapport", "referentiel", "evaluation", "presentation", "article", "ouvrage", "site", "autre"],
        Field(description="Sorte de document."),
    ]
    url: Annotated[
        str,
        StringConstraints(pattern=r'^https?://[^\s<>"]+$', max_length=300),  # ECMA-262: no « \" »
        Field(description="Adresse où lire le document, s'il est en ligne."),
    ] | None = None
    note: Annotated[str, Text(600, "Ce que contient le document, son état (OCR…).")] | None = None


class Bibliography(Model):
    """`data/bibliographie.yaml`."""

    documents: list[Document]


class CodeSourceElement(Model):
    id: Ident
    titre: Annotated[str, Text(120, "Nom de l'élément.")]
    description: Annotated[str, Text(800, "Ce qu'il recouvre, dans nos mots.")]
    enseignements: Annotated[
        list[Annotated[str, Ref("enseignement")]], Field(description="Ids des enseignements qui le mettent en œuvre.")
    ] = []
    fiches: Annotated[
        list[Annotated[str, Ref("fiche")]], Field(description="Ids des fiches qui le mettent en œuvre.")
    ] = []


class CodeSource(Model):
    """`data/code-source.yaml`: the socle and the pillars of the Loos-en-Gohelle method."""

    titre: Title
    introduction: Prose
    socle: Annotated[list[CodeSourceElement], Field(min_length=1)]
    piliers: Annotated[list[CodeSourceElement], Field(min_length=1)]
    dimensions: Annotated[list[CodeSourceElement], Field(
        description="Les dimensions qui traversent le socle et les piliers (échelles, coopération, rôles…).")] = []
    resultats: Annotated[list[CodeSourceElement], Field(
        description="Ce que la méthode produit (résultats thématiques, résultats systémiques).")] = []
    remarques_sources: SourceNotes = []
    sources: Sources

    def elements(self) -> list[CodeSourceElement]:
        """Every element of the spine, from the pillars down to the results, in the page's order."""
        return [*self.piliers, *self.socle, *self.dimensions, *self.resultats]


# --- Landmarks above the families: ADEME's structuring axes and the readers' questions -----------


class Axis(Model):
    """One of the « axes structurants » that ADEME puts first in its research-action report."""

    id: Ident
    titre: Annotated[str, Text(120, "L'axe, en quelques mots.")]
    description: Annotated[str, Text(1200, "Ce que l'axe recouvre, dans nos mots.")]
    enseignements: Annotated[
        list[Annotated[str, Ref("enseignement")]], Field(min_length=1, description="Ids des enseignements qui le portent.")
    ]
    fiches: Annotated[list[Annotated[str, Ref("fiche")]], Field(description="Ids des fiches qui le mettent en œuvre.")] = []


class ReaderQuestion(Model):
    """A question readers ask, answered with lessons of every family and with fiches."""

    id: Ident
    question: Annotated[str, Text(120, "La question, comme un lecteur la pose (ex. « Comment impliquer les habitants ? »).")]
    reponse: Annotated[str, Text(1500, "Une réponse courte, dans nos mots, qui dit ce que les enseignements cités ont en commun.")]
    enseignements: Annotated[
        list[Annotated[str, Ref("enseignement")]],
        Field(min_length=1, description="Ids des enseignements qui répondent, de toutes les familles."),
    ]
    fiches: Annotated[list[Annotated[str, Ref("fiche")]], Field(description="Ids des fiches utiles.")] = []


class Landmarks(Model):
    """`data/reperes.yaml`: the map above the families (ADEME's axes, the readers' questions)."""

    axes_introduction: Prose
    axes: Annotated[list[Axis], Field(min_length=1)]
    axes_sources: Sources
    questions: Annotated[list[ReaderQuestion], Field(min_length=1)]
    a_lire_d_abord: Annotated[
        list[Annotated[str, Ref("enseignement")]],
        Field(min_length=1, max_length=5, description="Les enseignements que la page d'accueil propose de lire "
              "d'abord (cinq au plus)."),
    ]
    exemple_territoire: Annotated[
        str, Ref("territoire"), Field(description="Le territoire dont l'accueil donne l'histoire en exemple.")
    ]
    exemple_fiche: Annotated[str, Ref("fiche"), Field(description="La fiche que l'accueil donne en exemple.")]


# --- The outline of metropolitan France, drawn under the territories ----------------------------


Trace = Annotated[
    str,
    StringConstraints(pattern=r"^-?[0-9]{1,4} -?[0-9]{1,4}(?: -?[0-9]{1,4} -?[0-9]{1,4})*$", max_length=40_000),
    Field(description="Une ligne : ses points en coordonnées entières de la carte, le premier tel quel, chacun des "
          "suivants comme un écart au précédent (« x y dx dy dx dy… »)."),
]
"""Integers and spaces only: a trace is written into the SVG as it is, nothing in it can be markup."""


class MapFrame(Model):
    """How a point given by its longitude and latitude is placed on the map (see `engine/render/france_map.py`)."""

    x0: Annotated[float, Field(ge=-1, le=1, description="Abscisse, dans la projection, du bord gauche de la carte.")]
    y0: Annotated[float, Field(ge=-1, le=1, description="Ordonnée, dans la projection, du bord haut de la carte.")]
    echelle: Annotated[float, Field(gt=0, le=100_000, description="Unités de la carte par unité de la projection.")]
    largeur: Annotated[int, Field(ge=10, le=2000, description="Largeur de la carte, en unités de la carte.")]
    hauteur: Annotated[int, Field(ge=10, le=2000, description="Hauteur de la carte, en unités de la carte.")]


class FranceOutline(Model):
    """`data/carte-france.yaml`: the simplified outline of metropolitan France and the limits of its regions,
    written by `tools/carte_france.py` from an open dataset."""

    source: Annotated[str, Text(300, "D'où viennent les tracés : jeu de données, producteur, paquet qui le livre.")]
    licence: Annotated[str, Text(160, "La licence du jeu de données.")]
    attribution: Annotated[str, Text(160, "La mention que la licence demande, affichée sous la carte.")]
    cadre: MapFrame
    terre: Annotated[list[Trace], Field(min_length=1, description="Les contours fermés des terres (le continent, "
                                        "la Corse, les îles).")]
    limites_regions: Annotated[list[Trace], Field(description="Les limites entre deux régions.")] = []


DATA = "data"
"""The folder of the shared data files."""
CONTENT = "content"
"""The folder of the free pages of the site, in Markdown (the home page, open questions…)."""


SHARED_FILES: dict[str, tuple[type[Model], bool]] = {
    "vocabulaires.yaml": (Vocabularies, True),
    "glossaire.yaml": (Glossary, True),
    "bibliographie.yaml": (Bibliography, True),
    "code-source.yaml": (CodeSource, False),
    "reperes.yaml": (Landmarks, False),
    "carte-france.yaml": (FranceOutline, False),
}
"""The shared data files under `data/`, with their model and whether the référentiel must have them."""
