"""The printed référentiel: a PDF for every fiche, lesson and training path, and a booklet of everything.

The HTML is rendered from `templates/pdf/` by the site's own template environment: contributor
text goes through the same sanitising renderer (`markup`), every other value is made inert.
WeasyPrint lays it out with `templates/pdf/impression.css` and fetches nothing: its URL fetcher
refuses every address but the files of `templates/pdf/` (no network, no other file).

Every document carries the edition, the date of its last change, the licence, its sources and
the permalink of its page, with a QR code leading to it; the name, address, edition and licence
are those of `referentiel.yaml`.
"""

import datetime
import hashlib
import html
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
import weasyprint
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .addresses import BOOKLET, HOME, TEMPLATES, pdf_page
from .format import KINDS, Entry, Fiche, Parcours
from .french import sort_key
from .pages import Links, Pages

PRINT = TEMPLATES / "pdf"
STYLESHEET = PRINT / "impression.css"
PARALLEL_FROM = 8
"""From this many documents on, they are laid out by one process per core."""


class OwnFilesOnly(URLFetcher):
    """Fetches the files of `templates/pdf/` and nothing else; any other address stops the rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"adresse refusée : {url} (les PDF ne chargent rien du réseau)")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(PRINT):
            raise ValueError(f"fichier refusé : {path} (les PDF ne lisent que templates/pdf/)")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Imprint:
    """What every document says of the référentiel it comes from."""

    site_name: str
    site_url: str | None
    """None while the publication has no address: the documents then link to no page of the site."""
    edition: str
    licence: str


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


def target(entry: Entry) -> str:
    """The id of an entry's article in a booklet."""
    return f"{entry.kind}-{entry.id}"


def qr_code(address: str) -> Markup:
    """An inline SVG QR code of an address (sized by the stylesheet)."""
    return Markup(segno.make(address, error="m").svg_inline(omitsize=True, border=2, svgclass="qr", lineclass=None))


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
                                 edition=self.imprint.edition, licence=self.imprint.licence, qr_code=qr_code,
                                 target=target, steps=self.steps, **context)

    def entry(self, entry: Entry) -> str:
        dated = [entry, *self.steps(entry)] if isinstance(entry, Parcours) else [entry]
        return self.render("entree.html.j2", self.web, e=entry, permalink=self.pages.permalink(entry),
                           date=self.updated(dated))

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
        return self.render("referentiel.html.j2", BookletLinks(self.imprint.site_url, inside), parts=parts,
                           permalink=self.web.page(HOME), date=self.updated(every),
                           terms=[term for _, group in self.pages.glossary_initials() for term in group],
                           documents=sorted(referentiel.bibliography.documents, key=lambda d: sort_key(d.titre)))

    def documents(self) -> dict[str, str]:
        """The HTML of every printed document, by the path of its PDF in the docs folder."""
        documents = {pdf_page(kind, entry.id): self.entry(entry)
                     for kind, model in KINDS.items() if model.printed
                     for entry in self.pages.referentiel.of_kind(kind)}
        documents[BOOKLET] = self.booklet()
        return documents


def lay_out(document: str) -> bytes:
    """The PDF of an HTML document."""
    fetcher = OwnFilesOnly()
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return HTML(string=document, base_url=PRINT.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet])


def lay_out_many(documents: list[str]) -> list[bytes]:
    """The PDFs of documents, laid out on every core when there are enough of them to gain from it."""
    workers = min(os.cpu_count() or 1, len(documents))
    if len(documents) < PARALLEL_FROM or workers == 1:
        return [lay_out(document) for document in documents]
    largest_first = sorted(range(len(documents)), key=lambda index: -len(documents[index]))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        laid_out = dict(zip(largest_first, pool.map(lay_out, [documents[index] for index in largest_first])))
    return [laid_out[index] for index in range(len(documents))]


def cache_key(document: str, stylesheet: str) -> str:
    """What a PDF depends on: its HTML, the stylesheet and the version of WeasyPrint."""
    return hashlib.sha256("\0".join([weasyprint.__version__, stylesheet, document]).encode("utf-8")).hexdigest()


def lay_out_all(documents: dict[str, str], cache: Path) -> dict[str, bytes]:
    """Every PDF, by the same keys as its HTML document.

    The same HTML with the same stylesheet gives the same PDF, byte for byte: a document laid out by
    an earlier build is read from `cache`, only the others are laid out. The cache then holds the
    PDFs of this build and no other."""
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    keys = {path: cache_key(document, stylesheet) for path, document in documents.items()}
    missing = {key: documents[path] for path, key in keys.items() if not (cache / f"{key}.pdf").is_file()}
    cache.mkdir(parents=True, exist_ok=True)
    for key, data in zip(missing, lay_out_many(list(missing.values()))):
        partial = cache / f"{key}.partiel"
        partial.write_bytes(data)
        partial.replace(cache / f"{key}.pdf")
    kept = {f"{key}.pdf" for key in keys.values()}
    for path in cache.iterdir():
        if path.name not in kept:
            path.unlink()
    return {path: (cache / f"{key}.pdf").read_bytes() for path, key in keys.items()}


def printed_files(pages: Pages, cache: Path) -> dict[str, bytes]:
    """Every PDF of the référentiel, by its path in the docs folder; the imprint is that of `referentiel.yaml`.
    `cache` keeps the PDFs from one build to the next."""
    publication = pages.referentiel.publication
    imprint = Imprint(publication.titre, pages.site_url, publication.edition, publication.licence.nom)
    return lay_out_all(Printer(pages, imprint).documents(), cache)
