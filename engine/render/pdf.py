"""The printed référentiel: a PDF for every fiche, lesson, territory and training path, and a booklet of everything.

The HTML is rendered from `templates/pdf/` by the site's own template environment: contributor
text goes through the same sanitising renderer (`markup`), every other value is made inert.
`typesetting` has Typst lay each one out from data (see there): no text ever reaches Typst as markup.
This module decides which documents there are, and keeps the PDFs in a cache by content: a build lays
out only the documents whose HTML (or the layout, or Typst) changed, on every core when they are many.

Every document carries the edition, the date of its last change, the licence, its sources and
the permalink of its page, with a QR code leading to it; the name, publisher, address, edition and
licence are those of `referentiel.yaml`. The PDFs are tagged for screen readers (PDF/UA-1),
hyphenated in French, with French no-break spaces.
"""

import datetime
import hashlib
import html
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import typst
from markupsafe import Markup

from engine.model.format import KINDS, Entry, Fiche, Parcours
from engine.model.french import sort_key
from engine.render import typesetting
from engine.render.addresses import BOOKLET, HOME, pdf_page
from engine.render.pages import Links, Pages
from engine.render.typesetting import LAYOUT, TREE, lay_out

BOOKLET_KEY = "livret.cle"
"""In the cache: the key of the booklet it holds, if any."""
PARALLEL_FROM = 16
"""From this many documents to lay out on, they are laid out by one process per core."""


@dataclass(frozen=True)
class Imprint:
    """What every document says of the référentiel it comes from."""

    site_name: str
    site_url: str | None
    """None while the publication has no address: the documents then link to no page of the site."""
    edition: str
    licence: str
    author: str
    """The publisher, as the documents' author."""


class WebLinks(Links):
    """Links from a printed document: every page of the site by its full address, or none (an empty link,
    printed as plain text) while the site has no address."""

    def __init__(self, site_url: str | None):
        self.base = html.escape(site_url.rstrip("/") + "/", quote=True) if site_url else None

    def page(self, path: str, anchor: str | None = None) -> Markup:
        if self.base is None:
            return Markup("")
        address = self.base + (path.removesuffix(HOME) if path.endswith(HOME) else path.removesuffix(".md") + "/")
        return Markup(f"{address}#{anchor}" if anchor else address)

    def source(self, article: str, document: str) -> Markup:
        """Where a short citation in the entry whose article has this id leads: its full reference, at the
        foot of the entry (`_outils.html.j2`)."""
        return Markup(f"#{article}-source-{document}")


class BookletLinks(WebLinks):
    """Links from the booklet: to an entry or a document inside it when it is there, to the site otherwise."""

    def __init__(self, site_url: str | None, inside: set[tuple[str, str]]):
        super().__init__(site_url)
        self.inside = inside

    def entry(self, entry: Entry, anchor: str | None = None) -> Markup:
        if (entry.kind, entry.id) in self.inside:
            return Markup(f"#{target(entry)}")
        return super().entry(entry, anchor)

    def document(self, ident: str) -> Markup:
        return Markup(f"#document-{ident}")

    def source(self, article: str, document: str) -> Markup:
        """The full reference of a document cited by an entry: in the booklet's bibliography."""
        return self.document(document)


def target(entry: Entry) -> str:
    """The id of an entry's article in a booklet."""
    return f"{entry.kind}-{entry.id}"


class Printer:
    """Renders the HTML of every printed document of a référentiel."""

    def __init__(self, pages: Pages, imprint: Imprint):
        self.pages = pages
        self.imprint = imprint
        self.web = WebLinks(imprint.site_url)

    def updated(self, entries: Iterable[Entry]) -> datetime.date:
        """The date of the latest change among the source files of these entries."""
        paths = self.pages.referentiel.paths
        return max(self.pages.history.dates(paths[(entry.kind, entry.id)].as_posix()).updated for entry in entries)

    def steps(self, parcours: Parcours) -> list[Entry]:
        """The entries of the steps of a training path, in order."""
        return [self.pages.stage_entry(step) for step in parcours.etapes]

    def render(self, template: str, links: Links, **context: Any) -> str:
        return self.pages.render(f"pdf/{template}", "", links=links, site_name=self.imprint.site_name,
                                 edition=self.imprint.edition, licence=self.imprint.licence, author=self.imprint.author,
                                 target=target, steps=self.steps, **context)

    def entry(self, entry: Entry) -> str:
        dated = [entry, *self.steps(entry)] if isinstance(entry, Parcours) else [entry]
        return self.render("entree.html.j2", self.web, e=entry, permalink=self.pages.permalink(entry),
                           date=self.updated(dated), in_booklet=False)

    def booklet(self) -> str:
        referentiel = self.pages.referentiel
        types = [item.id for item in referentiel.vocabularies.types_fiche]
        fiches = sorted(referentiel.of_model(Fiche), key=lambda fiche: types.index(fiche.type))
        parts: list[tuple[str, Sequence[Entry]]] = [("enseignement", self.pages.lessons_in_order()),
                                                    ("fiche", fiches),
                                                    ("territoire", referentiel.of_kind("territoire")),
                                                    ("parcours", referentiel.of_kind("parcours"))]
        every = [entry for _, entries in parts for entry in entries]
        inside = {(entry.kind, entry.id) for entry in every}
        return self.render("referentiel.html.j2", BookletLinks(self.imprint.site_url, inside), in_booklet=True,
                           parts=parts,
                           permalink=self.web.page(HOME), date=self.updated(every),
                           terms=[term for _, group in self.pages.glossary_initials() for term in group],
                           documents=sorted(referentiel.bibliography.documents, key=lambda d: sort_key(d.titre)))

    def documents(self) -> dict[str, str]:
        """The HTML of every entry's printed document, by the path of its PDF in the docs folder."""
        return {pdf_page(kind, entry.id): self.entry(entry)
                for kind, model in KINDS.items() if model.printed for entry in self.pages.referentiel.of_kind(kind)}


def engine_fingerprint() -> str:
    """What every PDF depends on beside its HTML: the code that turns it into data, the layout and the version
    of Typst (read once per build, not once per document)."""
    code = [path.read_text(encoding="utf-8") for path in (LAYOUT, TREE)]
    version: str = typst.__version__  # type: ignore[attr-defined]  # set by the module, not declared in its stubs
    return hashlib.sha256("\0".join([version, *code]).encode("utf-8")).hexdigest()


def cache_key(document: str, engine: str | None = None) -> str:
    """What a PDF depends on: its HTML and `engine_fingerprint()` (computed here unless given)."""
    engine = engine_fingerprint() if engine is None else engine
    return hashlib.sha256(f"{engine}\0{document}".encode()).hexdigest()


class Layouts:
    """Documents being laid out, by key: on every core, largest first, when there are enough of them to gain
    from it, the workers starting at once so that the caller does other work meanwhile; read them as they
    come, and `close` in any case. The workers are started afresh (`spawn`), as Typst does not survive a
    fork, and import `typesetting` alone. With `behind`, the caller has work of its own meanwhile, on which
    the build waits: the workers then run at a lower priority, so that the caller keeps a core and they take
    every core it leaves (a pool of fewer workers would leave a core idle once the caller is done)."""

    def __init__(self, documents: dict[str, str], behind: bool = False):
        workers = max(1, min(os.cpu_count() or 1, len(documents)))
        self.pool: ProcessPoolExecutor | None = None
        if len(documents) < PARALLEL_FROM or workers == 1:
            self.laid_out: Iterator[tuple[str, bytes]] = ((key, lay_out(document)) for key, document in
                                                          documents.items())
            return
        largest_first = sorted(documents, key=lambda key: -len(documents[key]))
        context = typesetting.BackgroundContext() if behind else multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(workers, mp_context=context)
        self.laid_out = zip(largest_first, self.pool.map(typesetting.lay_out,
                                                         [documents[key] for key in largest_first], chunksize=2))

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return self.laid_out

    def close(self) -> None:
        """Stop the workers, the documents not yet laid out left aside."""
        pool, self.pool = self.pool, None  # closed by the thread that collects the PDFs, or after a failure
        if pool is not None:
            pool.shutdown(cancel_futures=True)


class Printing:
    """The PDFs of a build, by the same keys as their HTML documents, being laid out from the moment it is made
    (see `Layouts`) until `result`; `close` it in any case (or use it in a `with` block).

    The same HTML with the same code and layout gives the same PDF, byte for byte: a document laid out by an
    earlier build is read from `cache`, only the others are laid out. The cache then holds the PDFs of
    this build and no other. `report` is told the progress; `behind` as in `Layouts`."""

    def __init__(self, documents: dict[str, str], cache: Path, report: Callable[[str], None] = lambda line: None,
                 behind: bool = False):
        self.cache, self.report = cache, report
        engine = engine_fingerprint()
        self.keys = {path: cache_key(document, engine) for path, document in documents.items()}
        missing = {key: documents[path] for path, key in self.keys.items() if not (cache / f"{key}.pdf").is_file()}
        self.total = len(missing)
        report(f"PDF : {len(self.keys) - self.total} sur {len(self.keys)} déjà à jour, {self.total} à mettre en page")
        self.layouts = Layouts(missing, behind)

    def result(self) -> dict[str, bytes]:
        """Every PDF, once all are laid out; a `PdfError` if one could not be."""
        cache, total = self.cache, self.total
        cache.mkdir(parents=True, exist_ok=True)
        step = max(1, total // 10)
        for done, (key, pdf) in enumerate(self.layouts, start=1):
            partial = cache / f"{key}.partiel"
            partial.write_bytes(pdf)
            partial.replace(cache / f"{key}.pdf")
            if done % step == 0 or done == total:
                self.report(f"PDF : {done}/{total} mis en page")
        self.close()
        kept = {f"{key}.pdf" for key in self.keys.values()}
        for path in cache.glob("*.pdf"):
            if path.name not in kept:
                path.unlink()
        return {path: (cache / f"{key}.pdf").read_bytes() for path, key in self.keys.items()}

    def close(self) -> None:
        self.layouts.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


def lay_out_all(documents: dict[str, str], cache: Path,
                report: Callable[[str], None] = lambda line: None) -> dict[str, bytes]:
    """Every PDF, by the same keys as its HTML document, laid out or read from `cache` (see `Printing`)."""
    with Printing(documents, cache, report) as printing:
        return printing.result()


class PrintedFiles(Printing):
    """Every PDF of a référentiel, being laid out (see `start_printing`); `booklet` tells whether the booklet is
    among them."""

    def __init__(self, documents: dict[str, str], cache: Path, report: Callable[[str], None],
                 behind: bool = False):
        self.booklet = BOOKLET in documents
        super().__init__(documents, cache, report, behind)

    def result(self) -> dict[str, bytes]:
        laid_out = super().result()
        last = self.cache / BOOKLET_KEY
        if self.booklet:
            last.write_text(self.keys[BOOKLET], encoding="utf-8")
        else:
            last.unlink(missing_ok=True)
        return laid_out


def start_printing(pages: Pages, cache: Path, *, booklet: bool = False,
                   report: Callable[[str], None] = lambda line: None, behind: bool = False) -> PrintedFiles:
    """Every PDF of the référentiel, by its path in the docs folder, being laid out in the background while
    the caller writes the site; the imprint is that of `referentiel.yaml`. `cache` keeps the PDFs from one
    build to the next.

    The booklet holds every entry: any edit changes it, and it takes the longest to lay out. It is laid
    out only when `booklet` is asked for (`publier`, `offline`, `python build.py --livret`); otherwise it
    is published only if the cache already holds the booklet of this very content, and kept in the cache.
    Its HTML, the longest to render, is rendered only when asked for or while a booklet is in the cache.
    `behind`: the caller builds the site meanwhile (see `Layouts`)."""
    publication = pages.referentiel.publication
    imprint = Imprint(publication.titre, pages.site_url, publication.edition, publication.licence.nom,
                      publication.editeur.nom)
    printer = Printer(pages, imprint)
    documents = printer.documents()
    last = cache / BOOKLET_KEY
    whole = printer.booklet() if booklet or last.is_file() else None
    if whole is not None and (booklet or last.read_text(encoding="utf-8") == cache_key(whole)):
        documents[BOOKLET] = whole
    else:
        report("PDF : livret non remis en page (python build.py --livret, offline et publier le font)")
    return PrintedFiles(documents, cache, report, behind)


def printed_files(pages: Pages, cache: Path, *, booklet: bool = False,
                  report: Callable[[str], None] = lambda line: None) -> dict[str, bytes]:
    """Every PDF of the référentiel, by its path in the docs folder, once laid out (see `start_printing`)."""
    with start_printing(pages, cache, booklet=booklet, report=report) as printing:
        return printing.result()
