"""One rule for every file the build reads, entries or not: no symbolic link, a size cap, UTF-8 text without
control characters, a line-length cap, and a French message at `file:line` when a file breaks the rule.
Entries, `data/`, `referentiel.yaml` and `CITATION.cff` are read by `read_document`, the other text files by
`read_text`, the files copied as they are by `read_bytes`: all three go through the same checks.

A symbolic link may point anywhere, `/proc/self/environ` included: it is never followed, whether it is the
file, a folder on its way or the folder the build reads (`content/` itself). The folders are walked without
following links, so nothing outside the repository can reach the site.
"""

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.load.documents import MAX_BYTES, Document, LoadError, character_problem, check_lines, decode, parse
from engine.load.problems import Problem

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINK = "ce n'est pas un fichier ordinaire mais un lien symbolique : remplacez-le par le fichier lui-même"
FOLDER = "ce n'est pas un fichier ordinaire mais un dossier : renommez ou déplacez ce dossier"
FOLDER_LINK = ("ce dossier est un lien symbolique : un lien peut mener hors du dépôt ; remplacez-le par un vrai "
               "dossier")


@dataclass(frozen=True)
class Found:
    """A regular file met while walking a folder, with the path shown to contributors."""

    path: Path
    display: str


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def link_on_the_way(path: Path, root: Path) -> Path | None:
    """The first symbolic link among `path` and the folders between `root` and it, or None."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path if path.is_symlink() else None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def walk(folder: Path, root: Path, problems: list[Problem]) -> Iterator[Found]:
    """Every regular file under `folder`, by name; hidden names (`.…`) are left out. Symbolic links, to
    files or folders, and anything that is neither a file nor a folder are reported into `problems`."""
    if folder.is_symlink():
        problems.append(Problem(_display(folder, root), 1, 1, "", FOLDER_LINK))
        return
    if not folder.is_dir():
        return
    for current, folders, files in os.walk(folder, followlinks=False):
        base = Path(current)
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in list(folders):
            if (base / name).is_symlink():
                folders.remove(name)
                problems.append(Problem(_display(base / name, root), 1, 1, "", FOLDER_LINK))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = base / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                problems.append(Problem(_display(path, root), 1, 1, "", LINK))
            elif not stat.S_ISREG(mode):
                problems.append(Problem(_display(path, root), 1, 1, "", "ce n'est pas un fichier ordinaire : "
                                        "retirez-le"))
            else:
                yield Found(path, _display(path, root))


def read_bytes(path: Path, display: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file that is no link, at most `limit` of them, or LoadError."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise LoadError(Problem(display, 1, 1, "", LINK))
        if stat.S_ISDIR(info.st_mode):
            raise LoadError(Problem(display, 1, 1, "", FOLDER))
        if not stat.S_ISREG(info.st_mode):  # a named pipe or a device would block the build or never end
            raise LoadError(Problem(display, 1, 1, "", "ce n'est pas un fichier ordinaire : remplacez-le par un "
                                    "fichier"))
        if info.st_size > limit:
            raise LoadError(Problem(display, 1, 1, "", f"fichier trop gros ({info.st_size // 1024} Kio, maximum "
                                    f"{limit // 1024} Kio) : découpez ou allégez ce fichier"))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise LoadError(Problem(display, 1, 1, "", f"fichier illisible ({error.strerror}) : vérifiez qu'il "
                                "s'agit d'un fichier ordinaire que vous pouvez ouvrir")) from None
    if len(data) > limit:  # grew while being read
        raise LoadError(Problem(display, 1, 1, "", f"fichier trop gros (maximum {limit // 1024} Kio)"))
    return data


def check_text(text: str, display: str) -> None:
    """Refuse control characters (tabulations and line breaks aside) and lines longer than loading.MAX_LINE."""
    check_lines(text, display)
    found = _CONTROL.search(text)
    if found is not None:
        raise LoadError(character_problem(text, found.start(), display))


def read_text(path: Path, display: str, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a file under the rule of this module, or LoadError with a French message."""
    text = decode(read_bytes(path, display, limit), display)
    check_text(text, display)
    return text


TEXT_SUFFIXES = {".html", ".js", ".css", ".svg", ".json", ".md", ".txt", ".xml", ".yml", ".yaml"}
"""Files copied as they are (`assets/`, `overrides/`) that are text: they are read under the text rule too."""


def read_copied(path: Path, display: str) -> bytes:
    """The bytes of a file that the site copies as it is; a text file must also be UTF-8 text under the rule
    (no control character, no line over the cap)."""
    data = read_bytes(path, display)
    if path.suffix.lower() in TEXT_SUFFIXES:
        check_text(decode(data, display), display)
    return data


def read_document(path: Path, display: str) -> Document:
    """A YAML file (an entry, a file of `data/`, `referentiel.yaml`, `CITATION.cff`) under the rule of this
    module, then under the limits of the YAML reader (`documents.parse`), or LoadError with a French message."""
    return parse(read_text(path, display), display)


def write_text(path: Path, text: str) -> None:
    """Write a file of the référentiel (a schema, `.zenodo.json`), never through a symbolic link: a link, which
    may lead outside the repository, is replaced by the file itself."""
    if path.is_symlink():
        path.unlink()
    path.write_text(text, encoding="utf-8", newline="\n")
