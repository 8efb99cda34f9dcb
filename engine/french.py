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
