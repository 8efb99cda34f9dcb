"""Dates and numbers written as French readers expect them, without depending on the system locale."""

import datetime

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


def decade(start: str) -> str:
    """`1990` → « Années 1990 »."""
    return f"Années {start}"
