"""`build.py stats`: the size of the référentiel, in figures."""

from engine.check.referentiel import Referentiel
from engine.model.format import Territoire


def statistics(referentiel: Referentiel) -> list[tuple[str, int]]:
    """(label, count) pairs, in the order they are printed."""
    rows = [(kind if kind.endswith("s") else f"{kind}s", len(entries)) for kind, entries in referentiel.entries.items()]
    territories = referentiel.by_id(Territoire).values()
    rows += [
        ("termes du glossaire", len(referentiel.glossary.termes)),
        ("documents de la bibliographie", len(referentiel.bibliography.documents)),
        ("territoires avec une chronologie", sum(1 for territory in territories if territory.chronologie)),
    ]
    return rows
