"""The hostile corpus: broken or hostile files, each with the problem `check` must report for it.

`cases.yaml` lists the cases. Each one is placed into its own copy of the small valid référentiel
of `tests/fixtures/engine`, so the only thing wrong in that copy is the case itself. A case says:

- `place`: the path of the file in the référentiel (`fiches/x.yaml`, `data/glossaire.yaml`…);
- what that file is, one of:
  - `content`: its text;
  - `replace`: `[old, new]` pairs applied to a file of the fixture (`from`, by default `place`);
  - `generate`: the name of a generator below, for big or special bytes;
  - `symlink`: the file is a symbolic link to this path (relative to the file's folder);
  - `folder: true`: a folder stands where the file should be;
  - `fifo: true`: a named pipe stands where the file should be (reading it would wait forever);
- optionally, for the text of `content`/`replace`: `repeat: [text, times]` writes a part of it that many
  times over (a line made too long), `pad_kib: N` adds comment lines up to N Kio (a file made too big),
  `encoding` (default `utf-8`) and `newline: crlf`;
- `expect`: the problem `python build.py check` must report: `file` (default: `place`), `line`,
  `column`, `field` (empty for the whole file) and `message`, a part of the French message;
- optionally `others`: other files that may have errors too (otherwise only `file` may).
"""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.yaml"
FIXTURE = HERE.parent / "fixtures" / "engine"
VALID_FICHE = (FIXTURE / "fiches" / "reunion-test.yaml").read_text(encoding="utf-8")


def _ten_megabytes() -> bytes:
    return VALID_FICHE.encode() + b"remarques_sources:\n" + b"  - Une remarque de plus.\n" * 400_000


def _lines(start: bytes, piece: bytes, count: int, end: bytes) -> bytes:
    """`start`, `count` times `piece` on indented lines under the line-length cap, then `end`."""
    per_line = 9000 // len(piece)
    lines = [b"  " + piece * min(per_line, count - done) for done in range(0, count, per_line)]
    return start + b"\n" + b"\n".join(lines) + end + b"\n"


def _deep_brackets() -> bytes:
    return VALID_FICHE.encode() + _lines(b"chiffres:", b"[", 100_000, b"") + _lines(b"", b"]", 100_000, b"")


def _deep_blocks() -> bytes:
    lines = [f"{'  ' * (depth + 1)}niveau{depth}:" for depth in range(60)]
    return (VALID_FICHE + "coordonnees:\n" + "\n".join(lines) + " fin\n").encode()


def _wide_list() -> bytes:
    return VALID_FICHE.encode() + _lines(b"difficultes: [", b"a, ", 300_000, b"a]")


def _wide_mapping() -> bytes:
    return VALID_FICHE.encode() + _lines(b"etapes:\n  - {", b"a,", 450_000, b"a}")


def _huge_integer() -> bytes:
    territory = (FIXTURE / "territories" / "ville-test.yaml").read_text(encoding="utf-8")
    return territory.replace("valeur: 7000", "valeur: " + "1" * 5000).encode()


def _mixed_encodings() -> bytes:
    """A UTF-8 file into which a passage was pasted from a Windows-1252 document."""
    return VALID_FICHE.replace("objectif: Réunir les habitants.", "objectif: Réunir les « habitants » pour une "
                               "mise en \x00").encode().replace(b"\x00", "œuvre commune.".encode("cp1252"))


def _line_of_links() -> bytes:
    """A free page whose one line is 128 Kio of links (Python-Markdown took 135 s on it)."""
    return b"# Liens\n\n" + b"[a](b) " * 18_000 + b"\n"


def _paragraph_of_links() -> bytes:
    """Short lines, one paragraph: Markdown reads its links together."""
    return b"# Liens\n\n" + b"[a](b) [c](d)\n" * 16 + b"\n"


def _huge_page() -> bytes:
    return b"# Page\n\n" + b"Un paragraphe ordinaire de la page.\n\n" * 9000


def _cubic_braces() -> bytes:
    """6,000 characters of `{=` (the longest text a field takes): the former pattern of attribute lists took
    156 s on them."""
    return VALID_FICHE.replace("objectif: Réunir les habitants.", "objectif: 'Texte " + "{=" * 2990 + "}'").encode()


def _disguised_png() -> bytes:
    return b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"


def _real_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(32)


GENERATORS: dict[str, Callable[[], bytes]] = {
    "ligne-de-liens": _line_of_links,
    "paragraphe-de-liens": _paragraph_of_links,
    "page-immense": _huge_page,
    "accolades-cubiques": _cubic_braces,
    "png-deguise": _disguised_png,
    "png": _real_png,
    "dix-megaoctets": _ten_megabytes,
    "crochets-imbriques": _deep_brackets,
    "blocs-imbriques": _deep_blocks,
    "liste-immense": _wide_list,
    "dictionnaire-immense": _wide_mapping,
    "entier-geant": _huge_integer,
    "melange-d-encodages": _mixed_encodings,
}
"""Cases too big or too regular to be written out in `cases.yaml`."""


@dataclass(frozen=True)
class Expected:
    """One problem that `check` prints, as `fichier:ligne:colonne: champ : message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    @property
    def prefix(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: "
        return f"{where}{self.field} : " if self.field else where


@dataclass(frozen=True)
class Case:
    name: str
    place: str
    spec: dict[str, Any]
    expected: Expected
    others: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name

    def data(self) -> bytes:
        """The bytes of the file (for cases that are a file)."""
        spec = self.spec
        if "generate" in spec:
            return GENERATORS[spec["generate"]]()
        if "content" in spec:
            text = spec["content"]
        else:
            text = (FIXTURE / spec.get("from", self.place)).read_text(encoding="utf-8")
            for old, new in spec["replace"]:
                assert old in text, f"{self.name}: {old!r} is not in {spec.get('from', self.place)}"
                text = text.replace(old, new, 1)
        if "repeat" in spec:
            part, times = spec["repeat"]
            assert part in text, f"{self.name}: {part!r} is not in the text"
            text = text.replace(part, part * times, 1)
        if "pad_kib" in spec:
            line = "# Une ligne de commentaire qui ne fait que grossir le fichier.\n"
            text += line * (spec["pad_kib"] * 1024 // len(line) + 1)
        if spec.get("newline") == "crlf":
            text = text.replace("\n", "\r\n")
        return text.encode(spec.get("encoding", "utf-8"))

    def write(self, root: Path) -> None:
        """Put the case into a référentiel."""
        path = root / self.place
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)  # a folder of the fixture replaced by the case (a link to a folder outside)
        elif path.exists() or path.is_symlink():
            path.unlink()
        if "symlink" in self.spec:
            path.symlink_to(self.spec["symlink"])
        elif self.spec.get("fifo"):
            os.mkfifo(path)
        elif self.spec.get("folder"):
            path.mkdir()
            (path / "dedans.yaml").write_text("id: dedans\n", encoding="utf-8")
        else:
            path.write_bytes(self.data())


def load_cases() -> list[Case]:
    raw = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    cases = []
    for spec in raw:
        expect = spec["expect"]
        expected = Expected(expect.get("file", spec["place"]), expect["line"], expect["column"],
                            expect.get("field", ""), expect["message"])
        cases.append(Case(spec["name"], spec["place"], spec, expected, tuple(spec.get("others", ()))))
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "two cases have the same name"
    return cases


def referentiel(case: Case, folder: Path) -> Path:
    """A copy of the small référentiel, in `folder`, with the case placed into it."""
    root = folder / case.name
    shutil.copytree(FIXTURE, root)
    case.write(root)
    return root
