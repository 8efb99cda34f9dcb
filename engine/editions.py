"""Editions of the référentiel: git tags such as `2026.1`, and what changed between two of them.

Changes are computed from the data (entries and their fields), never from text diffs, so a
moved line or a re-wrapped paragraph is not a change, and a renamed entry is a rename.
"""

import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from .format import KINDS

EDITION_TAG = re.compile(r"^v?([0-9]{4})\.([0-9]+)$")
r"""An edition is tagged `AAAA.N` (or `vAAAA.N`): the year and the number of the edition in it, in ASCII digits
(`\d` would also take `２０２６.１` or `٢٠٢٦.١`, which are no editions)."""


def git(root: Path, *args: str) -> str:
    """The output of a git command run in `root` (raises CalledProcessError on failure)."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False


def edition_key(tag: str) -> tuple[int, int]:
    match = EDITION_TAG.match(tag)
    assert match, tag
    return int(match.group(1)), int(match.group(2))


def editions(root: Path) -> list[str]:
    """The edition tags reachable from HEAD, oldest first."""
    try:
        listed = git(root, "tag", "--merged", "HEAD") if is_repository(root) else ""
    except subprocess.CalledProcessError:  # a repository without any commit yet
        return []
    tags = [tag for tag in listed.split() if EDITION_TAG.match(tag)]
    return sorted(tags, key=edition_key)


def commit_of(root: Path, revision: str) -> str | None:
    """The commit a revision (tag, branch, HEAD) points at, or None when there is none."""
    try:
        return git(root, "rev-parse", "-q", "--verify", f"{revision}^{{commit}}").strip() or None
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def uncommitted(root: Path) -> list[str]:
    """The files changed, added or deleted since the last commit, untracked ones included (not the ignored)."""
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    return sorted(line[3:] for line in status.splitlines() if len(line) > 3)


def published_as_is(root: Path, edition: str) -> bool:
    """True when the tag of `edition` is HEAD and the tree holds no uncommitted change: what is in the folder
    is that edition, which can be rebuilt from git."""
    tag = commit_of(root, f"refs/tags/{edition}")
    return tag is not None and tag == commit_of(root, "HEAD") and not uncommitted(root)


def previous_edition(root: Path) -> str | None:
    """The latest edition tag before the working tree (HEAD itself may carry it)."""
    found = editions(root)
    return found[-1] if found else None


def entry_files_at(root: Path, ref: str) -> set[tuple[str, str]]:
    """(kind, id) of every entry file in the tree of `ref`."""
    folders = {model.folder: kind for kind, model in KINDS.items()}
    listing = git(root, "ls-tree", "-r", "--name-only", ref, "--", *folders)
    result = set()
    for line in listing.splitlines():
        path = Path(line)
        if path.suffix == ".yaml" and path.parent.as_posix() in folders:
            result.add((folders[path.parent.as_posix()], path.stem))
    return result


def export_tree(root: Path, ref: str, destination: Path) -> Path:
    """Extract the files of `ref` into `destination` (a fresh folder) and return it."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=root, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")
    return destination


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


def compare(older: dict[str, dict[str, Any]], newer: dict[str, dict[str, Any]]) -> Changes:
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


def entries_at(root: Path, ref: str) -> dict[str, dict[str, Any]]:
    """The valid entries of the référentiel as it was at `ref` (kind → id → model)."""
    from .checking import check

    with tempfile.TemporaryDirectory() as folder:
        outcome = check(export_tree(root, ref, Path(folder) / "tree"))
        if outcome.referentiel is None:
            raise ValueError(f"l'édition {ref} ne passe pas la vérification")
        return outcome.referentiel.entries
