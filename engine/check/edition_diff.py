"""What changed between two editions of the référentiel (tagged `2026.1`… see `repository`).

Changes are computed from the data (entries and their fields), never from text diffs, so a
moved line or a re-wrapped paragraph is not a change, and a renamed entry is a rename.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.check.checker import check
from engine.load.repository import export_tree
from engine.model.format import KINDS, Entry


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class EntryChange:
    kind: str
    ident: str
    title: str
    former: str | None = None
    """For a renamed entry, its id in the older edition."""
    fields: list[FieldChange] = field(default_factory=list)
    into: str | None = None
    """For a removed entry merged into another one (it is in that entry's `anciens_ids`): that entry's id."""


@dataclass
class Changes:
    """What changed between two editions, kind by kind."""

    added: list[EntryChange] = field(default_factory=list)
    removed: list[EntryChange] = field(default_factory=list)
    renamed: list[EntryChange] = field(default_factory=list)
    modified: list[EntryChange] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.modified)


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    names = [name for name in after if name != "id"] + [name for name in before if name not in after]
    return [FieldChange(name, before.get(name), after.get(name)) for name in names
            if before.get(name) != after.get(name)]


def compare(older: dict[str, dict[str, Entry]], newer: dict[str, dict[str, Entry]]) -> Changes:
    """Changes between two sets of entries, each given as kind → id → entry model."""
    changes = Changes()
    for kind in KINDS:
        old, new = older.get(kind, {}), newer.get(kind, {})
        renamed_from = {former: ident for ident, entry in new.items() for former in entry.anciens_ids
                        if former in old and former not in new}
        renames = set()
        for ident, entry in new.items():
            dumped = entry.model_dump(exclude={"anciens_ids"})
            if ident in old:
                previous = old[ident].model_dump(exclude={"anciens_ids"})
                if previous != dumped:
                    changes.modified.append(EntryChange(kind, ident, entry.title,
                                                        fields=_field_changes(previous, dumped)))
            elif ident in renamed_from.values():
                former = next(name for name, target in renamed_from.items() if target == ident)
                renames.add(former)
                previous = old[former].model_dump(exclude={"anciens_ids"})
                changes.renamed.append(EntryChange(kind, ident, entry.title, former=former,
                                                   fields=_field_changes(previous, dumped)))
            else:
                changes.added.append(EntryChange(kind, ident, entry.title))
        for ident, entry in old.items():
            if ident not in new and ident not in renames:
                changes.removed.append(EntryChange(kind, ident, entry.title, into=renamed_from.get(ident)))
    return changes


def entries_at(root: Path, ref: str) -> dict[str, dict[str, Entry]]:
    """The valid entries of the référentiel as it was at `ref` (kind → id → model)."""
    with tempfile.TemporaryDirectory() as folder:
        outcome = check(export_tree(root, ref, Path(folder) / "tree"))
        if outcome.referentiel is None:
            raise ValueError(f"l'édition {ref} ne passe pas la vérification")
        return outcome.referentiel.entries
