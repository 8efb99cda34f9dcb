"""The git repository of a référentiel: git itself, the edition tags (`2026.1`…) and the files of a revision.

This is the floor below checking: the checker gets from here, as plain data, what the published
editions were (`published`), and does no git itself.
"""

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from engine.model.format import KINDS

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


def outside_any_repository(root: Path) -> bool:
    """True when git cannot find a repository for `root`: no `.git` in it nor above it, and no `GIT_DIR`.
    Then no git process is started (`check`, run at every commit, starts faster outside a repository)."""
    if "GIT_DIR" in os.environ:
        return False
    folder = root.resolve()
    return not any((parent / ".git").exists() for parent in (folder, *folder.parents))


def edition_key(tag: str) -> tuple[int, int]:
    match = EDITION_TAG.match(tag)
    assert match, tag
    return int(match.group(1)), int(match.group(2))


def editions(root: Path) -> list[str]:
    """The edition tags reachable from HEAD, oldest first."""
    if outside_any_repository(root):
        return []
    try:
        listed = git(root, "tag", "--merged", "HEAD")
    except (subprocess.CalledProcessError, FileNotFoundError):  # no repository, no commit yet, or no git
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
    import tarfile  # here: it imports much (shutil, compression), which checking never needs
    from io import BytesIO

    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=root, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def previous_edition_of(root: Path, edition: str) -> str | None:
    """The latest edition tag older than `edition`."""
    older = [tag for tag in editions(root) if edition_key(tag) < edition_key(edition)]
    return older[-1] if older else None


def changes_base(root: Path, edition: str) -> str | None:
    """Where `build.py changements` starts by default: the edition of `referentiel.yaml` itself when it is
    already tagged and the folder has moved on since (the next edition is being prepared, `edition` not
    yet raised), else the edition before it."""
    if edition in editions(root) and not published_as_is(root, edition):
        return edition
    return previous_edition_of(root, edition)


@dataclass(frozen=True)
class Published:
    """What the checker needs to know of the editions already published: their tags, oldest first, and the
    entries of the latest one, by (kind, id)."""

    editions: list[str] = field(default_factory=list)
    entries: frozenset[tuple[str, str]] = frozenset()

    @property
    def latest(self) -> str | None:
        return self.editions[-1] if self.editions else None


def published(root: Path) -> Published:
    """The editions tagged in the repository of `root` (none outside a repository)."""
    tags = editions(root)
    return Published(tags, frozenset(entry_files_at(root, tags[-1])) if tags else frozenset())
