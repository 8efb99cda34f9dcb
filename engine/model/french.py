"""French text as readers expect it, without depending on the system locale: dates, numbers, and words
compared, sorted or turned into ids without their accents."""

import datetime
import functools
import re
import unicodedata

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
NARROW_SPACE = "\u202f"


def partial_date(value: str) -> str:
    """`2019` → « 2019 », `2019-03` → « mars 2019 », `2019-03-01` → « 1er mars 2019 »."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return month
    return f"{'1er' if parts[2] == 1 else parts[2]} {month}"


def day(value: datetime.date) -> str:
    """A full date: « 21 novembre 2026 »."""
    return partial_date(value.isoformat())


def number(value: float) -> str:
    """« 25 000 », « 1,5 »: thin spaces between thousands, decimal comma."""
    whole = value.is_integer() if isinstance(value, float) else True
    text = f"{int(value):,}" if whole else f"{value:,.6f}".rstrip("0")
    return text.replace(",", NARROW_SPACE).replace(".", ",")


def count(amount: int, singular: str, plural: str | None = None) -> str:
    """« 1 territoire », « 3 territoires », « aucun territoire »."""
    if amount == 0:
        return f"aucun {singular}"
    return f"{amount} {singular if amount == 1 else plural or singular + 's'}"


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The text without accents or ligatures, case kept: « Œuvre » → « OEuvre », « été » → « ete »."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sort_key(text: str) -> str:
    """Sort French titles without letting accents, ligatures or case reorder them (« Œuvre » among the O)."""
    return fold(text).casefold()


def slug(text: str, max_length: int = 60) -> str:
    """An id or an anchor from a title: « Réunion publique » → `reunion-publique`, cut between words."""
    found = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
    while len(found) > max_length and "-" in found:
        found = found.rsplit("-", 1)[0]
    return found[:max_length]


def decade(start: str) -> str:
    """`1990` → « Années 1990 »."""
    return f"Années {start}"


ACCENTED = {
    "annee": "année", "cle": "clé", "collectivite": "collectivité", "confirme": "confirmé",
    "coordonnees": "coordonnées", "definition": "définition", "departement": "département", "depot": "dépôt",
    "developpe": "développé", "difficultes": "difficultés", "duree": "durée", "editeur": "éditeur",
    "edition": "édition", "etape": "étape", "etapes": "étapes", "evenement": "événement",
    "intercommunalite": "intercommunalité", "libelle": "libellé", "liees": "liées", "lies": "liés",
    "numero": "numéro", "periode": "période", "pole": "pôle", "poles": "pôles", "recit": "récit",
    "region": "région", "regions": "régions", "resultats": "résultats", "resume": "résumé", "reussite": "réussite",
    "roles": "rôles", "unite": "unité", "id": "identifiant", "ids": "identifiants", "url": "adresse web",
    "meme": "même", "redigees": "rédigées", "reponse": "réponse", "echelle": "échelle",
}
"""The words of field names (ASCII, `resume`) as French writes them (« résumé »)."""
UNACCENTED = {
    "adresse", "anciens", "aussi", "auteur", "auteurs", "chiffres", "chronologie", "citations", "code", "comment",
    "communes", "contact", "court", "date", "de", "description", "document", "documents", "enseignement",
    "enseignements", "environ", "exemple", "exemples", "facteurs", "famille", "familles", "fiche", "fiches", "fin",
    "fonction", "formulation", "historique", "identifiant", "implication", "intention", "introduction", "latitude",
    "licence", "longitude", "max", "moyens", "niveau", "niveaux", "nom", "nombre", "note", "nouveau", "objectif",
    "objectifs", "observations", "passage", "piliers", "points", "populations", "pour", "projets", "public",
    "publics", "quels", "question", "qui", "quoi", "remarques", "socle", "source", "sources", "statut", "statuts",
    "terme", "termes", "territoire", "texte", "titre", "titulaire", "totale", "type", "types", "valeur",
    "vigilance", "voir", "a", "abord", "axes", "colonne", "d", "en", "lien", "lire", "observation", "proches",
    "que", "questions", "sans", "infobulle", "dimensions", "accroche", "attribution", "cadre", "terre", "limites",
    "largeur", "hauteur", "x0", "y0",
}
"""The words of field names that French writes as they are; with `ACCENTED`, every word of every field name
(a test checks it, so that a new field gets its label right)."""
FIELD_LABELS = {"nombre_communes": "Nombre de communes", "numero_departement": "Numéro de département",
                "remarques_sources": "Remarques sur les sources", "a_lire_d_abord": "À lire d'abord",
                "limites_regions": "Limites des régions"}
"""Labels that are more than the words of the field name."""


def field_label(name: str) -> str:
    """The French label of a field, from its name: `titre_court` → « Titre court », `resume` → « Résumé »."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    text = " ".join(ACCENTED.get(word, word) for word in name.split("_"))
    return text[:1].upper() + text[1:]
