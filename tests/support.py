"""Helpers shared by the engine tests: a small valid référentiel to copy and break."""

import shutil
from html.parser import HTMLParser
from pathlib import Path

from pydantic import BaseModel

from engine.checking import check
from engine.references import markers
from engine.referentiel import Referentiel

FIXTURE = Path(__file__).parent / "fixtures" / "engine"


def small_referentiel(destination: Path) -> Path:
    """A copy of the small valid référentiel of the fixtures, that a test may change."""
    root = destination / "referentiel"
    shutil.copytree(FIXTURE, root)
    return root


def replace(root: Path, relative: str, old: str, new: str) -> None:
    """Change one passage of a file of the copy (the passage must be there)."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


MINI = Path(__file__).parent / "fixtures" / "mini"


def mini_referentiel(destination: Path) -> Path:
    """A copy of the small référentiel used to build the site: every kind of page is in it."""
    root = destination / "mini"
    shutil.copytree(MINI, root)
    return root


class _Vectors(HTMLParser):
    """Collects what a browser would run or load: scripts, event handlers, scripted URLs, frames."""

    DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "img", "style", "form", "base", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            address = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            elif name in ("href", "src", "action", "formaction") and address.startswith(("javascript:", "data:",
                                                                                      "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")


def executable_vectors(html: str) -> list[str]:
    """Every element or attribute of an HTML fragment that could run code or load something."""
    parser = _Vectors()
    parser.feed(html)
    parser.close()
    return parser.found


# --- Hostile text, written straight into the models (bypassing validation) -----------------------

PAYLOAD = ('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) '
           '{: onclick="alert(1)" } \\[y\\](javascript:alert(2)) <a href="javascript:alert(3)">z</a> '
           '" onmouseover="alert(4)')
UNTOUCHED = {"id", "date", "url", "numero_departement", "anciens_ids", "type"}


def poisoned(value):
    """The same value with every free text replaced by the payload, bypassing validation."""
    if isinstance(value, list):
        return [poisoned(item) for item in value]
    if not isinstance(value, BaseModel):
        return value
    coded = {pattern[0] for pattern, _ in markers(type(value)) if len(pattern) == 1 or pattern[1:] == ("*",)}
    updates = {}
    for name in type(value).model_fields:
        field = getattr(value, name)
        if name in UNTOUCHED or name in coded:
            continue
        if isinstance(field, str):
            updates[name] = PAYLOAD
        elif isinstance(field, list) and field and isinstance(field[0], str):
            updates[name] = [PAYLOAD for _ in field]
        else:
            updates[name] = poisoned(field)
    return value.model_copy(update=updates)



def hostile_referentiel(root: Path) -> Referentiel:
    """The référentiel under `root` with every free text replaced by the payload."""
    clean = check(root).referentiel
    return Referentiel(
        root=root, vocabularies=poisoned(clean.vocabularies), glossary=poisoned(clean.glossary),
        bibliography=poisoned(clean.bibliography), code_source=poisoned(clean.code_source),
        entries={kind: {ident: poisoned(entry) for ident, entry in entries.items()}
                 for kind, entries in clean.entries.items()},
        paths=clean.paths,
    )
