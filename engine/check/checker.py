"""Checking the whole référentiel: every file against its model, then the rules between files.

All problems of a run are collected (never only the first), each with its file, line, column,
field and a French message that says how to fix it.
"""

import gc
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from engine.check import messages, zenodo
from engine.check.free_pages import check_content
from engine.check.messages import validate
from engine.check.publication import Publication, citation_problems, edition_problems, publication_file
from engine.check.referentiel import Referentiel
from engine.load.base_config import markdown_extensions
from engine.load.base_config import read as read_base_config
from engine.load.documents import Document, LoadError
from engine.load.history import IGNORED_REVISIONS
from engine.load.inputs import link_on_the_way, read_copied, read_document, read_text, walk
from engine.load.problems import ERROR, WARNING, Problem
from engine.load.repository import Published, published
from engine.model.annotations import markers, values_at
from engine.model.format import (
    DATA,
    ID_PATTERN,
    KINDS,
    SHARED_FILES,
    TO_COMPLETE,
    Bibliography,
    CodeSource,
    Enseignement,
    Entry,
    FranceOutline,
    Glossary,
    Landmarks,
    Ref,
    Territoire,
    Vocabularies,
    referables,
)

if TYPE_CHECKING:
    import multiprocessing.context

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[M]):
    """A file that was read and validated against its model."""

    document: Document
    model: type[BaseModel]
    value: M


@dataclass
class Outcome:
    """What `check` found: the problems, and the référentiel when it has no error."""

    referentiel: Referentiel | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(problem.severity == ERROR for problem in self.problems)


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


FileResult = tuple[Document | None, BaseModel | None, list[Problem]]
"""What reading one file gives: its document (if it is YAML), its model (if valid), its problems."""

PARALLEL_FROM = 400
"""From this many entry files on, they are read by one process per core."""


def load_file(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one file as YAML fields, under the rule of every input (`inputs`), or say why it cannot be."""
    try:
        document = read_document(path, display)
    except LoadError as error:
        return None, [error.problem]
    if not isinstance(document.data, dict):
        return None, [Problem(display, 1, 1, "", "le fichier doit contenir des champs « nom: valeur », un par ligne")]
    return document, []


def read_file(path: Path, display: str, model: type[BaseModel]) -> FileResult:
    """Read one file and validate it against its model."""
    return _validated(load_file(path, display), model)


def _validated(loaded: tuple[Document | None, list[Problem]], model: type[BaseModel]) -> FileResult:
    document, problems = loaded
    if document is None:
        return None, None, problems
    value, problems = validate(document, model)
    return document, value, problems


def _load_job(job: tuple[Path, str, type[BaseModel]]) -> tuple[Document | None, list[Problem]]:
    return load_file(job[0], job[1])


def process_context() -> "multiprocessing.context.BaseContext":
    """`fork` where it exists (the workers start at once, with the engine already imported), else the
    platform's default (`spawn` on Windows: each worker imports the engine itself)."""
    import multiprocessing  # only when reading in parallel: it costs the start-up of every check

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return multiprocessing.get_context()


def read_files(jobs: list[tuple[Path, str, type[BaseModel]]]) -> list[FileResult]:
    """Read many files, in parallel on every core when there are enough of them to gain from it.

    The other processes only read the YAML: sending models back costs more than building them here
    (pydantic objects are slow to unpickle), so they are validated here as the files arrive."""
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or workers == 1:
        return [read_file(*job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor  # only here: it imports much of multiprocessing

    with ProcessPoolExecutor(workers, mp_context=process_context()) as pool:
        loaded = pool.map(_load_job, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
        return [_validated(result, model) for (_, _, model), result in zip(jobs, loaded)]


class Checker:
    """Collects the files of a référentiel and every problem found in them."""

    def __init__(self, root: Path, editions: Published | None = None):
        self.root = root
        self.editions = editions or Published()
        """The editions already published (git tags), as `repository` found them: the checker does no git."""
        self.problems: list[Problem] = []
        self.shared: dict[str, Loaded[BaseModel]] = {}
        self.entries: dict[tuple[str, str], Loaded[Entry]] = {}
        self.parsed: list[tuple[Document, type[BaseModel]]] = []
        """Every file that is valid YAML, valid against its model or not: its references are checked."""
        self.files: set[tuple[str, str]] = set()
        """Every entry file with a valid name, valid or not: references to it are not reported twice."""
        self.publication: Publication | None = None

    def read(self, path: Path, model: type[BaseModel]) -> Loaded[BaseModel] | None:
        return self.accept(read_file(path, relative(path, self.root), model), model)

    def accept(self, result: "FileResult", model: type[BaseModel]) -> Loaded[BaseModel] | None:
        """Record what reading one file gave; the Loaded file when it is valid."""
        document, value, problems = result
        self.problems += problems
        if document is None:
            return None
        self.parsed.append((document, model))
        return Loaded(document, model, value) if value is not None else None

    def valid(self, model: type[M]) -> M | None:
        """The value of the shared file of this model, when it was read and is valid."""
        found = next((loaded.value for loaded in self.shared.values() if loaded.model is model), None)
        return found if isinstance(found, model) else None

    def read_shared(self, names: tuple[str, ...] = tuple(SHARED_FILES)) -> None:
        for name in names:
            model, required = SHARED_FILES[name]
            path = self.root / DATA / name
            if link_on_the_way(path.parent, self.root):
                continue  # a folder on its way is a link, reported by check_site_files: never read through it
            if not path.exists() and not path.is_symlink():
                if required:
                    self.problems.append(Problem(f"{DATA}/{name}", 1, 1, "", "fichier manquant"))
                continue
            loaded = self.read(path, model)
            if loaded:
                self.shared[name] = loaded

    def read_publication(self) -> None:
        """`referentiel.yaml`, then what must agree with it: the edition tags and `CITATION.cff`."""
        loaded = self.read(publication_file(self.root), Publication)
        if loaded is None:
            return
        assert isinstance(loaded.value, Publication)
        self.publication = loaded.value
        self.problems += edition_problems(self.editions.editions, self.publication, loaded.document)
        self.problems += citation_problems(self.root, self.publication)
        self.problems += zenodo.problems(self.root, self.publication)

    def read_entries(self) -> None:
        jobs: list[tuple[Path, str, type[BaseModel]]] = []
        for kind, model in KINDS.items():
            folder = self.root / model.folder
            if not folder.is_dir() or folder.is_symlink():  # a linked folder is reported by check_site_files
                continue
            for path in sorted(folder.iterdir()):
                display = f"{model.folder}/{path.name}"
                if path.suffix == ".yml":
                    self.problems.append(Problem(display, 1, 1, "", "extension « .yml » : renommez le fichier en "
                                                 f"« {path.stem}.yaml »"))
                    continue
                if path.suffix != ".yaml" or path.name.startswith("."):
                    continue
                if not re.fullmatch(ID_PATTERN[1:-1], path.stem):
                    self.problems.append(Problem(display, 1, 1, "", f"nom de fichier invalide : "
                                                 f"{messages.id_flaw(path.stem)} ; minuscules sans accents, "
                                                 "chiffres et tirets, puis « .yaml »"))
                    continue
                self.files.add((kind, path.stem))
                jobs.append((path, display, model))
        for (path, _, entry_model), result in zip(jobs, read_files(jobs)):
            loaded = self.accept(result, entry_model)
            if loaded is None:
                continue
            entry = loaded.value
            assert isinstance(entry, Entry)
            if entry.id != path.stem:
                self.problems.append(loaded.document.problem(
                    ("id",), f"l'id « {entry.id} » diffère du nom du fichier : renommez le fichier en "
                    f"« {entry.id}.yaml » ou corrigez l'id en « {path.stem} »"))
                continue
            self.entries[(entry.kind, entry.id)] = Loaded(loaded.document, entry_model, entry)

    # --- rules between files --------------------------------------------------------------

    def ids(self) -> dict[str, set[str]]:
        """The ids of each kind; documents and terms only when their file could be read (else it is reported)."""
        known: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for kind, ident in self.files:
            known[kind].add(ident)
        bibliography, glossary = self.valid(Bibliography), self.valid(Glossary)
        if bibliography:
            known["document"] = {doc.id for doc in bibliography.documents}
        if glossary:
            known["terme"] = {term.id for term in glossary.termes}
        return known

    def vocabularies(self) -> dict[str, set[str]]:
        vocab = self.valid(Vocabularies)
        if vocab is None:
            return {}
        return {name: {item.id for item in getattr(vocab, name)} for name in Vocabularies.model_fields}

    def check_references(self) -> None:
        known = self.ids()
        vocab = self.vocabularies()
        for document, model in self.parsed:
            for pattern, marker in markers(model):
                for loc, value in values_at(document.data, pattern):
                    if not isinstance(value, str):
                        continue  # reported by the model
                    if isinstance(marker, Ref):
                        self.check_ref(document, loc, value, marker.kind, known)
                    elif vocab and value not in vocab[marker.name]:
                        self.problems.append(document.problem(
                            loc, f"« {value} » n'est pas dans le vocabulaire « {marker.name} » "
                            f"(data/vocabulaires.yaml) : {messages.suggestion(value, sorted(vocab[marker.name]))}"))

    def check_ref(self, document: Document, loc: tuple, value: str, kind: str, known: dict[str, set[str]]) -> None:
        if kind not in known or value in known[kind]:
            return
        names = referables()
        label = names[kind].name
        elsewhere = [other for other in KINDS if other != kind and value in known[other]]
        if elsewhere:
            message = f"« {value} » est un(e) {names[elsewhere[0]].name}, pas un(e) {label}"
        else:
            flaw = "" if re.fullmatch(ID_PATTERN, value) else f"{messages.id_flaw(value)} ; "
            message = (f"aucun(e) {label} n'a l'id « {value} » : "
                       f"{flaw}{messages.suggestion(value, sorted(known[kind]))}")
        self.problems.append(document.problem(loc, message))

    def check_duplicates(self) -> None:
        lists = {"glossaire.yaml": "termes", "bibliographie.yaml": "documents"}
        for name, shared in self.shared.items():
            vocabularies = list(Vocabularies.model_fields) if name == "vocabulaires.yaml" else []
            fields = [lists[name]] if name in lists else vocabularies
            for field in fields:
                seen: dict[str, int] = {}
                for index, item in enumerate(getattr(shared.value, field)):
                    if item.id in seen:
                        self.problems.append(shared.document.problem(
                            (field, index, "id"), f"id « {item.id} » déjà utilisé (élément {seen[item.id]}) : "
                            "chaque id doit être unique"))
                    seen.setdefault(item.id, index)
        owners: dict[tuple[str, str], str] = {}
        for (kind, ident), loaded in self.entries.items():
            for index, former in enumerate(loaded.value.anciens_ids):
                if (kind, former) in self.entries:
                    self.problems.append(loaded.document.problem(
                        ("anciens_ids", index), f"« {former} » est encore l'id d'une entrée : un ancien id ne "
                        "peut pas être réutilisé"))
                elif (kind, former) in owners:
                    self.problems.append(loaded.document.problem(
                        ("anciens_ids", index), f"« {former} » est déjà un ancien id de « {owners[kind, former]} »"))
                owners[(kind, former)] = ident

    def check_kinships(self) -> None:
        """A link to a close lesson goes to another family, once, and is written on one side only."""
        lessons = {ident: (loaded.value, loaded.document) for (_, ident), loaded in self.entries.items()
                   if isinstance(loaded.value, Enseignement)}
        written: dict[frozenset[str], str] = {}
        for ident, (entry, document) in sorted(lessons.items()):
            for index, link in enumerate(entry.enseignements_proches):
                where = ("enseignements_proches", index, "enseignement")
                other = lessons.get(link.enseignement)
                if link.enseignement == ident:
                    message = "un enseignement n'est pas proche de lui-même : retirez ce lien"
                elif other is not None and other[0].famille == entry.famille:
                    message = (f"« {link.enseignement} » est de la même famille (« {entry.famille} ») : les "
                               "enseignements proches sont d'autres familles ; mettez-le dans enseignements_lies")
                elif frozenset((ident, link.enseignement)) in written:
                    side = written[frozenset((ident, link.enseignement))]
                    message = (f"le lien avec « {link.enseignement} » est déjà écrit dans « {side} » : un lien "
                               "s'écrit d'un seul côté, la page de l'autre enseignement le montre aussi")
                else:
                    written[frozenset((ident, link.enseignement))] = ident
                    continue
                self.problems.append(document.problem(where, message))

    def check_shared_columns(self, lesson: Enseignement, document: Document) -> None:
        """`meme_colonne_que` names another territory observed for the same lesson, which does not name it back."""
        observations = lesson.observations
        shared = {observation.territoire: observation.meme_colonne_que for observation in observations}
        for index, observation in enumerate(observations):
            other = observation.meme_colonne_que
            if other is None:
                continue
            if other == observation.territoire or other not in shared:
                message = (f"« {other} » n'est pas un autre territoire observé pour cet enseignement : la colonne "
                           "commune se partage avec une autre observation de la liste")
            elif shared[other] == observation.territoire:
                message = (f"« {other} » renvoie déjà à « {observation.territoire} » : écrivez la colonne commune "
                           "d'un seul côté")
                shared[observation.territoire] = None
            else:
                continue
            self.problems.append(document.problem(("observations", index, "meme_colonne_que"), message))

    def check_entries(self) -> None:
        vocab = self.valid(Vocabularies)
        poles = {pole.id: pole.famille for pole in vocab.poles} if vocab else {}
        for loaded in self.entries.values():
            entry = loaded.value
            document = loaded.document
            if isinstance(entry, Enseignement):
                if entry.pole in poles and poles[entry.pole] != entry.famille:
                    self.problems.append(document.problem(
                        ("pole",), f"le pôle « {entry.pole} » appartient à la famille « {poles[entry.pole]} », "
                        f"pas à « {entry.famille} »"))
                self.check_shared_columns(entry, document)
                counts = Counter(observation.territoire for observation in entry.observations)
                for index, observation in enumerate(entry.observations):
                    if counts[observation.territoire] > 1:
                        counts[observation.territoire] = 0
                        self.problems.append(document.problem(
                            ("observations", index, "territoire"), f"le territoire « {observation.territoire} » a "
                            "plusieurs observations : réunissez-les en une seule"))
            if isinstance(entry, Territoire):
                dates = [event.date for event in entry.chronologie]
                for index in range(1, len(dates)):
                    if dates[index] < dates[index - 1][: len(dates[index])]:
                        self.problems.append(document.problem(
                            ("chronologie", index, "date"), f"chronologie dans le désordre : {dates[index]} vient "
                            f"après {dates[index - 1]} ; rangez les événements du plus ancien au plus récent",
                            severity=WARNING))

    def check_pages(self) -> None:
        """Every file of `content/` (sub-folders too) follows the rules of free pages and images (freepages.py)."""
        self.problems += check_content(self.root, markdown_extensions(self.root))[1]

    def check_site_files(self) -> None:
        """`mkdocs.yml`, and the folders that the site copies as they are: no link, nothing too big."""
        self.problems += read_base_config(self.root)[1]
        if (self.root / IGNORED_REVISIONS).exists() or (self.root / IGNORED_REVISIONS).is_symlink():
            try:
                read_text(self.root / IGNORED_REVISIONS, IGNORED_REVISIONS)
            except LoadError as error:
                self.problems.append(error.problem)
        for name in ("assets", "overrides", *(model.folder for model in KINDS.values()), DATA):
            found: list[Problem] = []
            for item in walk(self.root / name, self.root, found):
                if name in ("assets", "overrides"):
                    try:
                        read_copied(item.path, item.display)
                    except LoadError as error:
                        found.append(error.problem)
            self.problems += found

    def check_schemas(self) -> None:
        """The JSON Schemas of `schemas/`, when the référentiel has them, must be those the format and the
        vocabularies give: else editors flag valid entries (or let wrong ones pass)."""
        from engine.check.json_schemas import SCHEMA_DIR, stale_schemas  # schema.py imports this module

        vocabularies = self.shared.get("vocabulaires.yaml")
        if not (self.root / SCHEMA_DIR).is_dir() or vocabularies is None:
            return
        for name in stale_schemas(self.root, vocabularies.value):  # type: ignore[arg-type]
            self.problems.append(Problem(
                f"{SCHEMA_DIR}/{name}", 1, 1, "", "schéma JSON périmé : il ne correspond plus au format ou aux "
                "vocabulaires de data/ ; régénérez les schémas avec python build.py schema"))

    def check_permalinks(self) -> None:
        """An id published in the previous edition may not disappear without a redirect."""
        edition = self.editions.latest
        if edition is None:
            return
        redirected = {(kind, former) for (kind, _), loaded in self.entries.items()
                      for former in loaded.value.anciens_ids}
        for kind, ident in sorted(self.editions.entries - self.files - redirected):
            path = f"{KINDS[kind].folder}/{ident}.yaml"
            self.problems.append(Problem(
                path, 1, 1, "id", f"« {ident} » existait dans l'édition {edition} et a disparu sans redirection : "
                "ajoutez-le aux anciens_ids de l'entrée qui le remplace, ou rétablissez le fichier"))

    def check_unfinished(self) -> None:
        """A draft is never published: text left as written by `build.py new` is an error until it is replaced."""
        for loaded in self.entries.values():
            if TO_COMPLETE not in loaded.document.text:
                continue
            for loc, value in leaves(loaded.document.data):
                if isinstance(value, str) and value.startswith(TO_COMPLETE):
                    self.problems.append(loaded.document.problem(
                        loc, "brouillon : remplacez « À compléter » par le contenu ; une entrée n'est publiée "
                        "(site, PDF, données ouvertes) qu'une fois complète"))

    def check_orphans(self) -> None:
        """An entry that no other entry links to, and that links to none, is reported as a warning."""
        linked: set[tuple[str, str]] = set()
        sources: list[tuple[tuple[str, str] | None, type[BaseModel], Any]] = [
            (key, loaded.model, loaded.document.data) for key, loaded in self.entries.items()]
        if "code-source.yaml" in self.shared:
            sources.append((None, CodeSource, self.shared["code-source.yaml"].document.data))
        for key, model, data in sources:
            for pattern, marker in markers(model):
                if isinstance(marker, Ref) and marker.kind in KINDS:
                    targets = {(marker.kind, value) for _, value in values_at(data, pattern)} - {key}
                    linked |= targets
                    if targets and key:
                        linked.add(key)
        for (kind, ident), loaded in self.entries.items():
            if (kind, ident) not in linked:
                self.problems.append(loaded.document.problem(
                    ("id",), f"{referables()[kind].name} isolé(e) : aucun lien vers une autre entrée ni depuis une "
                    "autre ; "
                    "reliez-la (fiches_liees, enseignements_lies, observations, exemples)", severity=WARNING))

    def referentiel(self) -> Referentiel:
        vocabularies, glossary, bibliography = self.valid(Vocabularies), self.valid(Glossary), self.valid(Bibliography)
        assert vocabularies and glossary and bibliography and self.publication, "referentiel() is for a valid one"
        referentiel = Referentiel(
            root=self.root, vocabularies=vocabularies, glossary=glossary, bibliography=bibliography,
            code_source=self.valid(CodeSource), publication=self.publication,
            landmarks=self.valid(Landmarks), outline=self.valid(FranceOutline),
        )
        for (kind, ident), loaded in sorted(self.entries.items()):
            referentiel.entries[kind][ident] = loaded.value
            referentiel.paths[(kind, ident)] = Path(loaded.document.file)
        return referentiel


def leaves(data: Any, prefix: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every scalar of a loaded file with its path."""
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in leaves(value, (*prefix, key))]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in leaves(value, (*prefix, index))]
    return [(prefix, data)]


def inspect(root: Path) -> Checker:
    """Read the whole référentiel under `root` and apply every rule; the checker keeps what it read."""
    with fewer_collections():
        return _inspect(root)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a référentiel is read.

    Reading makes hundreds of thousands of objects that all stay alive, and creates no reference
    cycles to speak of: the collector's frequent passes over them only cost time (a quarter of it)."""
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _inspect(root: Path) -> Checker:
    checker = Checker(root, published(root))
    checker.read_shared()
    checker.read_publication()
    checker.read_entries()
    checker.check_references()
    checker.check_duplicates()
    checker.check_entries()
    checker.check_kinships()
    checker.check_orphans()
    checker.check_unfinished()
    checker.check_permalinks()
    checker.check_pages()
    checker.check_schemas()
    checker.check_site_files()
    return checker


def check(root: Path) -> Outcome:
    """Read and check the whole référentiel under `root`."""
    checker = inspect(root)
    outcome = Outcome(None, sorted(set(checker.problems)))
    if outcome.ok:
        outcome.referentiel = checker.referentiel()
    return outcome
