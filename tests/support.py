"""Helpers shared by the engine tests: a small valid référentiel to copy and break."""

import contextlib
import functools
import http.server
import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.cli import main
from engine.model.annotations import markers

FIXTURE = Path(__file__).parent / "fixtures" / "engine"
PUBLISHED = Path(__file__).parent / "fixtures" / "referentiel.yaml"
"""The referentiel.yaml of the test référentiels: the shipped one, with a site address and a contact page."""


def small_referentiel(destination: Path) -> Path:
    """A copy of the small valid référentiel of the fixtures, that a test may change."""
    root = destination / "referentiel"
    shutil.copytree(FIXTURE, root)
    shutil.copy(PUBLISHED, root / "referentiel.yaml")
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
    shutil.copy(PUBLISHED, root / "referentiel.yaml")
    return root


def checked(root: Path) -> Referentiel:
    """The référentiel under `root` as the check accepted it; the test fails with the check's problems if it
    refused it."""
    outcome = check(root)
    assert outcome.referentiel is not None, [problem.human() for problem in outcome.problems]
    return outcome.referentiel


class _Vectors(HTMLParser):
    """Collects what a browser would run or load: scripts, event handlers, scripted URLs, frames."""

    DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "svg", "img", "style", "form", "base", "meta",
                                "link"})

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
            elif name == "title" and value:  # Material's tooltips (content.tooltips) write a title as HTML
                self.found += [f"{tag}[title]: {found}" for found in executable_vectors(value)]


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
M = TypeVar("M", bound=BaseModel)


def poisoned(model: M) -> M:
    """The same model with every free text replaced by the payload, bypassing validation."""
    coded = {pattern[0] for pattern, _ in markers(type(model)) if len(pattern) == 1 or pattern[1:] == ("*",)}
    updates: dict[str, object] = {}
    for name in type(model).model_fields:
        field = getattr(model, name)
        if name in UNTOUCHED or name in coded:
            continue
        if isinstance(field, str):
            updates[name] = PAYLOAD
        elif isinstance(field, list) and field and isinstance(field[0], str):
            updates[name] = [PAYLOAD for _ in field]
        else:
            updates[name] = _poisoned_within(field)
    return model.model_copy(update=updates)


def _poisoned_within(value: object) -> object:
    """A value with the models in it poisoned, lists of them item by item; anything else as it is."""
    if isinstance(value, list):
        return [_poisoned_within(item) for item in value]
    if isinstance(value, BaseModel):
        return poisoned(value)
    return value


def hostile_referentiel(root: Path) -> Referentiel:
    """The référentiel under `root` with every free text replaced by the payload."""
    clean = checked(root)
    return Referentiel(
        root=root, vocabularies=poisoned(clean.vocabularies), glossary=poisoned(clean.glossary),
        bibliography=poisoned(clean.bibliography),
        code_source=poisoned(clean.code_source) if clean.code_source is not None else None,
        entries={kind: {ident: poisoned(entry) for ident, entry in entries.items()}
                 for kind, entries in clean.entries.items()},
        paths=clean.paths, publication=clean.publication, outline=clean.outline,
        landmarks=poisoned(clean.landmarks) if clean.landmarks else None,
    )


# --- The command line, in this process ------------------------------------------------------------

def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` from the folder `cwd`, run by the command line's main function in this process,
    with its exit code and what it printed (an exception fails the test, as a traceback would). A test runs the
    command line in a child process only where it needs one: `build.py` itself, memory caps, kills."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or Path.cwd()), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse: a wrong command line
            code = exit.code if isinstance(exit.code, int) else 1
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


# --- Editions: a référentiel under git, with its own referentiel.yaml ----------------------------

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
"""Who commits in the tests (mike commits to gh-pages under the same identity)."""


def git(root: Path, *args: str, date: str | None = None) -> str:
    """Run git in `root` as the test identity, at `date` (ISO 8601) for a commit."""
    dates = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    return subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_IDENTITY, **dates}, check=True,
                          capture_output=True, text=True).stdout


def commit_all(root: Path, message: str, *, date: str = "2026-01-15T12:00:00+00:00", tag: str | None = None) -> None:
    """Commit every file of `root` (making it a repository first), and tag the commit."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, date=date)
    if tag:
        git(root, "tag", tag)


def own_publication(root: Path, **values: Any) -> dict[str, Any]:
    """Give the référentiel its own referentiel.yaml: the tests' one, with these values changed; it is returned."""
    publication = {**yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")), **values}
    (root / "referentiel.yaml").write_text(yaml.safe_dump(publication, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return publication


def plain(text: str) -> str:
    """A rendered text with French no-break spaces read as ordinary ones (the typography is tested apart)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# --- A built site served locally, for the browser tests -----------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """The address of a local HTTP server (127.0.0.1, a free port) serving `folder` with `handler` (quiet by
    default), stopped on leaving."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
