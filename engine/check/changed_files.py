"""`build.py check --changed`: the problems of the files changed since a git revision, and of their dependants.

The whole référentiel is still read and checked (a reference can only be checked against
everything), but only the problems of the files changed since the revision (committed or not,
new files included) and of the files that refer to them are reported: a contributor sees what
their change broke, not what was already there.
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from engine.check.checker import Checker, Outcome, inspect
from engine.load.documents import Document
from engine.load.repository import git
from engine.model.annotations import markers, values_at
from engine.model.format import DATA, KINDS, Ref

VOCABULARY = "vocabulaire"
"""The kind of the targets of vocabulary fields (`Vocab` markers), for dependencies."""

SHARED_TARGETS = {"bibliographie.yaml": "document", "glossaire.yaml": "terme", "vocabulaires.yaml": VOCABULARY}
"""What the entries take from each shared data file: a change there concerns every file that uses it."""

Target = tuple[str, str | None]
"""(kind, id) of something a file refers to; id None stands for every id of that kind."""


class ChangesError(Exception):
    """git could not say what changed; the message is in French."""


def _names(root: Path, *args: str) -> list[str]:
    """The NUL-separated file names printed by a git command."""
    try:
        output = git(root, *args)
    except OSError:
        raise ChangesError("git est introuvable : installez-le pour utiliser --changed") from None
    except subprocess.CalledProcessError as error:
        raise ChangesError(f"git {args[0]} a échoué : {(error.stderr or '').strip() or 'raison inconnue'}") from None
    return [name for name in output.split("\0") if name]


def changed_files(root: Path, since: str) -> set[str]:
    """The files changed since a revision (committed, staged or not) and the untracked ones, relative to `root`."""
    if since.startswith("-"):
        raise ChangesError(f"« {since} » n'est pas une révision git (ex. HEAD, main, origin/main)")
    changed = _names(root, "diff", "--name-only", "--relative", "-z", since, "--")
    untracked = _names(root, "ls-files", "--others", "--exclude-standard", "-z")
    return {*changed, *untracked}


def targets(changed: set[str]) -> set[Target]:
    """What the changed files define: an entry by its file name, or all the ids of a shared data file."""
    defined: set[Target] = set()
    for name in changed:
        path = PurePosixPath(name)
        if len(path.parts) != 2 or path.suffix != ".yaml":
            continue
        folder, file = path.parts
        if folder == DATA and file in SHARED_TARGETS:
            defined.add((SHARED_TARGETS[file], None))
        defined |= {(kind, path.stem) for kind, model in KINDS.items() if model.folder == folder}
    return defined


def references(document: Document, model: type[BaseModel]) -> Iterator[Target]:
    """Everything a file refers to: ids of entries, documents, terms, and the vocabularies it uses."""
    for pattern, marker in markers(model):
        for _, value in values_at(document.data, pattern):
            if isinstance(value, str):
                yield (marker.kind, value) if isinstance(marker, Ref) else (VOCABULARY, marker.name)


def concerned(checker: Checker, changed: set[str]) -> set[str]:
    """The changed files and the files that refer to something they define."""
    defined = targets(changed)
    dependants = {
        document.file for document, model in checker.parsed
        if any(target in defined or (target[0], None) in defined for target in references(document, model))
    }
    if f"{DATA}/vocabulaires.yaml" in changed:  # the editors' schemas list the vocabularies
        from engine.check.json_schemas import SCHEMA_DIR, schema_files

        dependants |= {f"{SCHEMA_DIR}/{name}" for name in schema_files()}
    return changed | dependants


def check_changed(root: Path, since: str) -> Outcome:
    """Check everything; keep the problems of the files changed since `since` and of their dependants."""
    changed = changed_files(root, since)
    checker = inspect(root)
    files = concerned(checker, changed)
    return Outcome(None, sorted({problem for problem in checker.problems if problem.file in files}))
