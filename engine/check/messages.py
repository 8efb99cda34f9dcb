"""French explanations of validation errors, each saying how to fix the value."""

import difflib
import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.load.documents import Document
from engine.load.problems import Problem
from engine.model.annotations import field_names


def shorten(value: object, limit: int = 60) -> str:
    """A value quoted in a message, cut when it is long (a 5,000-digit number is not worth printing)."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} caractères)"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def closest(value: str, choices: list[str], count: int = 3) -> list[str]:
    return difflib.get_close_matches(value, choices, n=count, cutoff=0.5)


def suggestion(value: Any, choices: list[str]) -> str:
    near = closest(str(value), choices) if isinstance(value, str) else []
    if near:
        return "vouliez-vous dire " + " ou ".join(f"« {choice} »" for choice in near) + " ?"
    if not choices:
        return "il n'en existe encore aucun"
    if len(choices) <= 12:
        return "valeurs possibles : " + ", ".join(choices)
    return f"{len(choices)} valeurs possibles, voir la référence du format"


ID_RULE = "seulement des minuscules sans accents, des chiffres et des tirets (ex. « reunion-publique »)"
_ID_CHARACTER = re.compile(r"[a-z0-9-]")
_SCRIPTS = {"CYRILLIC": "cyrillique", "GREEK": "grecque", "ARMENIAN": "arménienne", "FULLWIDTH": "pleine chasse"}


def id_flaw(value: str) -> str:
    """What makes `value` an invalid id, pointing at the first character that is not allowed.

    Homoglyphs matter most: a Cyrillic « е » looks exactly like a Latin « e », so the message
    names the character, its code and its script instead of showing the two look-alike ids.
    """
    for char in value:
        if _ID_CHARACTER.fullmatch(char):
            continue
        code = f"U+{ord(char):04X}"
        name = unicodedata.name(char, "")
        base = unicodedata.normalize("NFD", char)[0]
        if char == " ":
            return "il contient une espace"
        if unicodedata.category(char)[0] in "CZ":
            return f"il contient un caractère invisible ({code})"
        if "A" <= char <= "Z":
            return f"« {char} » est une majuscule"
        if base != char and base.isascii() and base.isalpha():
            return f"« {char} » porte un accent"
        if char.isdigit():
            return f"« {char} » ({code}) n'est pas un chiffre de 0 à 9"
        if char.isalpha():
            script = _SCRIPTS.get(name.split(" ")[0])
            kind = f"une lettre {script}" if script else "une lettre non latine"
            return f"« {char} » est {kind} ({code}), pas une lettre latine"
        return f"« {char} » n'est pas permis"
    return "un tiret au début, à la fin ou deux tirets de suite"


def number(value: object) -> str:
    """A bound as contributors write it: 90 rather than 90.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _pattern(error: ErrorDetails) -> str:
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    field = str(error["loc"][-1]) if error["loc"] else ""
    if pattern.startswith("^[a-z0-9]"):
        return f"identifiant invalide : {id_flaw(str(error.get('input', '')))} ; {ID_RULE}"
    if pattern.startswith("^https?"):
        return "adresse web invalide : elle doit commencer par http:// ou https:// et ne pas contenir d'espace"
    if field == "edition":
        return "édition invalide : l'année, un point et le numéro de l'édition, entre guillemets (ex. \"2026.1\")"
    if field == "numero_departement":
        return "numéro de département invalide : deux chiffres entre guillemets (ex. \"62\"), ou 2A, 2B, 971…"
    return "format invalide"


def explain(error: ErrorDetails, allowed_fields: list[str]) -> str:
    """The French message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind == "missing":
        return f"champ obligatoire manquant : ajoutez « {error['loc'][-1]}: … »"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        return f"champ inconnu « {name} » : {suggestion(name, allowed_fields)}"
    if value is None and kind.endswith("_type"):
        return "valeur vide : écrivez une valeur ou retirez la ligne"
    if kind == "string_type":
        return "doit être un texte sur une ligne ou en bloc (>-), pas une liste ni un ensemble de champs"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_too_long":
        return (f"trop long : {len(str(value))} caractères pour {ctx['max_length']} au plus "
                "(la fiche doit tenir sur une carte imprimée) ; raccourcissez")
    if kind == "string_pattern_mismatch":
        return _pattern(error)
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"« {shorten(value)} » n'est pas un nombre entier (ex. 2019, sans espace ni unité)"
    if kind in ("float_parsing", "float_type"):
        return f"« {value} » n'est pas un nombre : chiffres seuls, point décimal (ex. 12.5), unité dans « unite »"
    if kind == "finite_number":
        return f"« {value} » n'est pas un nombre fini : écrivez la valeur en chiffres (ex. 12.5)"
    if kind in ("bool_parsing", "bool_type"):
        return f"« {value} » n'est ni vrai ni faux : écrivez true ou false"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{shorten(value)} est trop petit : au moins {number(ctx.get('ge', ctx.get('gt')))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{shorten(value)} est trop grand : au plus {number(ctx.get('le', ctx.get('lt')))}"
    if kind == "list_type":
        return "doit être une liste : une ligne par élément, commençant par « - »"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "doit être un ensemble de champs « nom: valeur », un par ligne"
    if kind == "too_short":
        return f"il faut au moins {plural(ctx['min_length'], 'élément')}"
    if kind == "too_long":
        return f"{plural(ctx['max_length'], 'élément')} au plus"
    if kind == "literal_error":
        return f"valeur non permise : choisissez parmi {ctx.get('expected', '')}"
    if kind in ("date_format", "date_invalid", "quotation_marks", "html", "unsafe_url", "attributes", "invisible",
                "reserved_id", "one_entry"):
        return error["msg"]
    return f"valeur invalide ({error['msg']})"


def validate(document: Document, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """The model built from a document, or the French problems that prevent it."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            loc = tuple(detail["loc"])
            allowed = field_names(model, loc[:-1]) if detail["type"] == "extra_forbidden" else []
            problems.append(document.problem(loc, explain(detail, allowed),
                                             key=detail["type"] == "extra_forbidden"))
        return None, problems
