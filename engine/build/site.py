"""From the checked référentiel to the published site.

1. `prepare` writes the build folder: `build/docs/` (the generated Markdown pages, the free pages
   of `content/` and the site's assets), `build/overrides/` and `build/mkdocs.yml` (the base
   configuration plus the navigation). That folder is all a MkDocs-compatible builder needs, Zensical
   included: run by hand, one writes into `build/site/`, never into the published `site/`.
2. `publish` runs MkDocs in strict mode into a temporary folder beside `site/`, makes the search
   index accent-insensitive, and only then swaps the new site into place: a failed build leaves
   the previous `site/` untouched. `python build.py` runs both while the PDFs are laid out, and writes
   them last (`prepare_overlapped`, `late_pdfs`).
"""

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from engine.build import pagefind
from engine.build.atomic import replace_folder
from engine.build.late_pdfs import PLUGIN, LatePdfs
from engine.build.progress import QUIET, Progress
from engine.build.search_accents import INDEX, fold_index
from engine.check.free_pages import IMAGE_MAX_BYTES, IMAGES, check_content, pages_in_folders
from engine.check.referentiel import Referentiel
from engine.load.base_config import config_file, markdown_extensions
from engine.load.base_config import read as read_base_config
from engine.load.documents import LoadError
from engine.load.history import History
from engine.load.inputs import read_bytes, read_copied, walk
from engine.load.problems import Problem, is_error
from engine.model.format import CONTENT, KINDS
from engine.render import changes_page, format_reference, opendata, proposal
from engine.render.addresses import (
    AXES,
    BIBLIOGRAPHY,
    CODE_SOURCE,
    ENGINE_ROOT,
    FOLDERS,
    GLOSSARY,
    HOME,
    MATRIX,
    OPEN_DATA,
    QUESTIONS,
    index_page,
)
from engine.render.feed import FEED, feed
from engine.render.pages import Pages, free_page
from engine.render.scrutaridata import scrutaridata

if TYPE_CHECKING:
    from engine.render.pdf import PrintedFiles

DEFAULT_CONFIG = ENGINE_ROOT / "mkdocs.yml"
ASSETS = ENGINE_ROOT / "assets"
OVERRIDES = ENGINE_ROOT / "overrides"
DOCS = "docs"
THEME = "overrides"
"""The folders of the build folder: the pages (`docs_dir`) and the theme's overrides (`custom_dir`)."""
FIRST_FREE_PAGES = ["questions-ouvertes.md", "evaluation-2016.md"]
"""Free pages of `content/` listed first in the navigation, in this order; the others follow by name."""
MATRIX_AFTER = "territoire"
"""The matrix (lessons × territories) follows the list of this kind in the navigation."""


class SiteError(Exception):
    """The site could not be built; the message, in French, says why."""


@dataclass(frozen=True)
class Layout:
    """Where the build folder and the site of a référentiel are."""

    root: Path

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def lock(self) -> Path:
        """Held while a build writes the build folder and the site: builds run one at a time."""
        return self.build / ".verrou"

    @property
    def docs(self) -> Path:
        return self.build / DOCS

    @property
    def overrides(self) -> Path:
        return self.build / THEME

    @property
    def config(self) -> Path:
        return self.build / "mkdocs.yml"

    @property
    def pdf_cache(self) -> Path:
        """The PDFs of the last build, by the fingerprint of their HTML: unchanged ones are not laid out again."""
        return self.build / "pdf"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def base_config(self) -> Path:
        """The référentiel's own `mkdocs.yml`, or the engine's."""
        return config_file(self.root)


def _files_under(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """The files of a folder that the site copies as they are; a symbolic link, which may lead anywhere
    (`/proc/self/environ`), stops the build: nothing outside the repository reaches the site."""
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    try:
        for found in walk(folder, folder.parent, problems):
            files[prefix + found.path.relative_to(folder).as_posix()] = read_copied(found.path, found.display)
    except LoadError as error:
        problems.append(error.problem)
    if problems:
        raise SiteError("\n".join(problem.human() for problem in problems))
    return files


def _content(root: Path) -> dict[str, bytes]:
    """The files of `content/` as the site publishes them, checked again (a build never publishes what
    `check` would refuse): pages with their front matter written again, escaped, and images."""
    pages, problems = check_content(root, markdown_extensions(root))
    if any(is_error(problem) for problem in problems):
        raise SiteError("content/ a des problèmes, lancez python build.py check :\n"
                        + "\n".join(problem.human() for problem in problems))
    try:
        images = {found.path.relative_to(root / CONTENT).as_posix(): read_bytes(found.path, found.display,
                                                                                 IMAGE_MAX_BYTES)
                  for found in walk(root / CONTENT, root, problems) if found.path.suffix.lower() in IMAGES}
    except LoadError as error:  # changed since it was checked
        raise SiteError(error.problem.human()) from None
    return {**{name: free_page(page) for name, page in pages.items()}, **images}


def free_pages(root: Path) -> list[str]:
    """The Markdown pages of `content/` other than the home page, in navigation order."""
    names = sorted(path.name for path in (root / CONTENT).glob("*.md") if path.name != HOME)
    first = [name for name in FIRST_FREE_PAGES if name in names]
    return first + [name for name in names if name not in first]


def docs_files(referentiel: Referentiel, root: Path, *, printed: bool, versioned: bool = False, booklet: bool = False,
               report: Callable[[str], None] = lambda line: None,
               overlap: bool = False) -> tuple[dict[str, bytes], LatePdfs]:
    """Every file of the docs folder, by its path in it, the PDFs too when `printed` (the booklet laid out
    again only when `booklet`, see `pdf.start_printing`); `versioned` when the site is published as one
    edition among others (its permalinks then lead into the edition's folder). `report` is told the
    progress of the PDFs. With `overlap`, PDFs still to be laid out are not waited for: they are returned apart,
    being laid out (see `late_pdfs`), and the other files without any PDF."""
    content = _content(root)
    home = content.pop(HOME, None)
    introduction = home.decode("utf-8") if home else f"# {referentiel.publication.titre}\n"
    form = proposal.files(referentiel, ENGINE_ROOT)
    pages = Pages(referentiel, History(root), printed=printed, versioned=versioned,
                  proposals=proposal.PAGE if form else None)
    printing: PrintedFiles | None = None
    failures: tuple[type[Exception], ...] = ()
    if printed:
        from engine.render.pdf import start_printing
        from engine.render.typesetting import PdfError

        failures = (PdfError,)
        printing = start_printing(pages, Layout(root).pdf_cache, booklet=booklet, report=report, behind=overlap)
        pages.booklet = printing.booklet
    late = LatePdfs()
    try:
        # The PDFs are laid out by other processes while the pages are written.
        generated = {**pages.all(introduction), changes_page.PAGE: changes_page.page(pages),
                     OPEN_DATA: opendata.page(pages), pagefind.PAGE: pagefind.page(),
                     format_reference.PAGE: format_reference.reference_markdown(referentiel.vocabularies)}
        if form:
            generated[proposal.PAGE] = proposal.page(pages)
        clashes = sorted(set(content) & set(generated))
        if clashes:
            raise SiteError("ces fichiers de content/ portent le nom d'une page générée, renommez-les : "
                            + ", ".join(clashes))
        atom, scrutari = feed(pages), scrutaridata(pages)
        data = opendata.files(referentiel)
        if printing and overlap and printing.total:
            late, pdfs = LatePdfs(printing), {}
        else:
            pdfs = printing.result() if printing else {}
    except failures as error:
        raise SiteError(str(error)) from None
    finally:
        if printing and not late.printing:
            printing.close()
    return {**content, **{path: text.encode("utf-8") for path, text in generated.items()}, **pdfs,
            **data, **({FEED: atom} if atom else {}),
            **({opendata.SCRUTARIDATA: scrutari} if scrutari else {}), **_files_under(ASSETS, "assets/"), **form}, late


def write_file(path: Path, data: bytes) -> bool:
    """Write a file unless it already holds `data` (the preview server only sees real changes)."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_tree(files: dict[str, bytes], folder: Path, kept: frozenset[str] = frozenset()) -> list[str]:
    """Make `folder` hold exactly `files`, writing only what changed, the files at `kept` left as they are; the
    paths written are returned."""
    written = [name for name, data in files.items() if write_file(folder / name, data)]
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name not in files and name not in kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def navigation(files: dict[str, bytes], root: Path) -> list[Any]:
    """A short navigation: the lists and shared pages, never the entries one by one.

    Each list is a section made of its index page only (`navigation.indexes`): the section's
    title links to the list, and the entries, which are not in the navigation, stay out of it.
    """
    nav: list[Any] = [{"Accueil": HOME}]
    if f"{QUESTIONS}/index.md" in files:
        nav.append({"Vos questions": [f"{QUESTIONS}/index.md"]})
    if CODE_SOURCE in files:
        nav.append({"Le code source": CODE_SOURCE})
    if AXES in files:
        nav.append({"Les axes de l'ADEME": AXES})
    for kind, model in KINDS.items():
        nav.append({model.list_title: [index_page(kind)]})
        if kind == MATRIX_AFTER:
            nav.append({"Matrice enseignements × territoires": MATRIX})
    nav.append({"Ressources": [*free_pages(root), {"Glossaire": GLOSSARY}, {"Bibliographie": BIBLIOGRAPHY},
                               {changes_page.TITLE: changes_page.PAGE}, {"Données ouvertes": OPEN_DATA},
                               {format_reference.TITLE: format_reference.PAGE},
                               *([{proposal.TITLE: proposal.PAGE}] if proposal.PAGE in files else [])]})
    return nav


def configuration(base: dict[str, Any], files: dict[str, bytes], referentiel: Referentiel, root: Path,
                  versioned: bool = False, builder_search: bool = False) -> dict[str, Any]:
    """The base configuration completed with the pages of this build and the publisher's identity
    (`referentiel.yaml`); `versioned` adds Material's selector of the editions published with mike."""
    publication = referentiel.publication
    # What the templates know of the publication (`config.extra.referentiel`); the feed only when there is one.
    identity = {**publication.model_dump(mode="json"), **({"flux": FEED} if FEED in files else {})}
    config = {**base, "docs_dir": DOCS, "site_dir": "site", "use_directory_urls": True,
              "site_name": publication.titre, "site_url": publication.site_url(versioned),
              "site_description": publication.description, "repo_url": publication.depot,
              "theme": {**base.get("theme", {}), "custom_dir": THEME},
              "nav": navigation(files, root),
              "not_in_nav": "\n".join([*(f"/{folder}/*.md" for folder in (*FOLDERS.values(), QUESTIONS)),
                                        f"/{pagefind.PAGE}", *(f"/{name}" for name in pages_in_folders(root))]),
              # Pagefind searches the site (`pagefind.py`); Material's search the offline site and the preview.
              "plugins": pagefind.search_plugin(base.get("plugins", []), enabled=builder_search),
              "extra": {**base.get("extra", {}), "referentiel": identity, "recherche": pagefind.BUNDLE,
                        **({"version": {"provider": "mike"}} if versioned else {})}}
    if not publication.depot:
        del config["repo_url"]
        config.pop("edit_uri", None)  # only meaningful with the repository's address
    redirects = {f"{FOLDERS[kind]}/{former}.md": f"{FOLDERS[kind]}/{ident}.md"
                 for kind, entries in referentiel.entries.items()
                 for ident, entry in entries.items() for former in entry.anciens_ids}
    if redirects:
        config["plugins"] = [*config["plugins"], {"redirects": {"redirect_maps": redirects}}]
    return config


def prepare(referentiel: Referentiel, layout: Layout, *, printed: bool = True, versioned: bool = False,
            booklet: bool = False, report: Callable[[str], None] = lambda line: None,
            builder_search: bool = False) -> list[str]:
    """The build folder written, PDFs included (see `prepare_overlapped`); the files that changed are returned."""
    written, late = prepare_overlapped(referentiel, layout, printed=printed, versioned=versioned, booklet=booklet,
                                       report=report, builder_search=builder_search)
    late.close()
    return written


def prepare_overlapped(referentiel: Referentiel, layout: Layout, *, printed: bool = True, versioned: bool = False,
                       booklet: bool = False, report: Callable[[str], None] = lambda line: None,
                       builder_search: bool = False, overlap: bool = False) -> tuple[list[str], LatePdfs]:
    """Write the build folder, with the PDFs when `printed` (the booklet laid out again when `booklet`),
    for a site published as one edition among others when `versioned`; the files that changed are
    returned, by their path in the build folder (`docs/…`, `overrides/…`, `mkdocs.yml`). `report` is
    told the progress of the PDFs. `builder_search` keeps the builder's own search (the live preview has no
    Pagefind index). With `overlap`, the PDFs still to be laid out are returned being laid out, to be given to
    `publish`, and left out of the build folder until then; otherwise none are."""
    base, problems = read_base_config(layout.root)
    if base is None:
        raise SiteError("\n".join(problem.human() for problem in problems))
    files, late = docs_files(referentiel, layout.root, printed=printed, versioned=versioned, booklet=booklet,
                             report=report, overlap=overlap)
    written = [f"{DOCS}/{name}" for name in write_tree(files, layout.docs, late.paths)]
    written += [f"{THEME}/{name}" for name in write_tree(_files_under(OVERRIDES), layout.overrides)]
    config = yaml.safe_dump(configuration(base, files, referentiel, layout.root, versioned, builder_search),
                            allow_unicode=True,
                            sort_keys=False, width=1000)
    if write_file(layout.config, config.encode("utf-8")):
        written.append(layout.config.name)
    return written, late


class _Collector(logging.Handler):
    """Keeps the warnings and errors MkDocs logs during a build, to show them in French context."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_messages() -> Iterator[_Collector]:
    logger = logging.getLogger("mkdocs")
    collector = _Collector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def build_into(layout: Layout, destination: Path, config_file: Path | None = None,
               late: LatePdfs | None = None) -> MkDocsConfig:
    """Run MkDocs on the build folder in strict mode: any warning fails the build. The configuration
    is the build's own, or `config_file` (a variant of it, beside it); it is returned once used. The `late`
    PDFs are announced to MkDocs, not copied (see `late_pdfs`)."""
    with _mkdocs_messages() as messages:
        try:
            config = load_config(config_file=str(config_file or layout.config), strict=True,
                                 site_dir=str(destination.resolve()))
            if late is not None and late.paths:
                config.plugins[PLUGIN] = late.announcement(config.docs_dir, config.site_dir, config.use_directory_urls)
            mkdocs_build(config)
        except (MkDocsException, OSError, yaml.YAMLError) as error:
            details = "\n".join(f"  - {message}" for message in messages.messages) or f"  - {error}"
            raise SiteError(f"MkDocs a refusé de construire le site (mode strict) :\n{details}") from None
    if (destination / INDEX).is_file():
        fold_index(destination)
    return config


def _write_late(layout: Layout, site: Path, late: LatePdfs) -> None:
    """Write the `late` PDFs, once all are laid out, into the build folder and the new site."""
    from engine.render.typesetting import PdfError

    try:
        pdfs = late.wait()
    except PdfError as error:
        raise SiteError(str(error)) from None
    for path, data in pdfs.items():
        write_file(layout.docs / path, data)
        write_file(site / path, data)


def publish(layout: Layout, progress: Progress = QUIET, late: LatePdfs | None = None) -> None:
    """Build the site from the build folder and publish it in `site/`, or leave `site/` as it was. The `late`
    PDFs, laid out meanwhile, are then written into the build folder and the site: while Pagefind indexes the
    pages if they are all laid out by then (Pagefind reads only the pages), after it otherwise."""
    temporary = Path(tempfile.mkdtemp(prefix=f".{layout.site.name}-", dir=layout.root))
    pending = late if late is not None and late.paths else None
    try:
        with progress.step("Construction du site par MkDocs, puis de l'index de recherche") as done:
            build_into(layout, temporary, late=late)
            with ThreadPoolExecutor(1, thread_name_prefix="pagefind") as search:
                indexed = search.submit(pagefind.index, temporary)
                if pending is not None and pending.ready():
                    _write_late(layout, temporary, pending)
                    pending = None
                try:
                    indexed.result()
                except pagefind.SearchError as error:
                    raise SiteError(str(error)) from None
            pagefind.prune(temporary)
            done.count, done.unit = sum(1 for _ in temporary.rglob("*.html")), "pages HTML"
        if pending is not None:
            _write_late(layout, temporary, pending)
        replace_folder(temporary, layout.site)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)
