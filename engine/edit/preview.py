"""`python build.py serve`: a live preview of the site while contributors write.

MkDocs serves the build folder and reloads the browser when its pages change. A watcher on the
sources (the YAML entries, `data/`, `content/`, `referentiel.yaml` and `mkdocs.yml`, and the
engine's templates and assets) checks the référentiel again after each change and re-renders the
pages into the build folder; only the pages whose text changed are rewritten. While the
référentiel has errors, they are printed in French and the preview keeps the last valid pages.

MkDocs rebuilds in its « dirty » mode: only the pages whose Markdown is newer than their HTML.
That gives the same site as a full build when the configuration and the theme did not change
and a single page did, a page with no page below it (Material's search index then replaces the
entries of that page's address and of every address under it). Otherwise every page is marked
as changed, and all are rebuilt.
"""

import logging
import os
import sys
import threading
import time
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from engine.build.atomic import one_at_a_time
from engine.build.site import ASSETS, DOCS, OVERRIDES, Layout, SiteError, prepare
from engine.check import publication
from engine.check.checker import check
from engine.load import problems as report
from engine.model.format import CONTENT, DATA, KINDS
from engine.render.addresses import TEMPLATES

DELAY = 0.3
"""Seconds of quiet after a change before rendering (an editor saves in several steps)."""


def watched_folders(layout: Layout) -> list[Path]:
    sources = [layout.root / model.folder for model in KINDS.values()]
    sources += [layout.root / DATA, layout.root / CONTENT, TEMPLATES, ASSETS, OVERRIDES]
    return [folder for folder in sources if folder.is_dir()]


ROOT_FILES = {publication.FILE, "mkdocs.yml"}
"""The files of the référentiel's root folder that the pages come from too: the publication's identity
and the base configuration. The root folder is watched for them only."""


def page_by_page(written: list[str]) -> bool:
    """Whether rebuilding only the pages among the `written` files of the build folder gives the same
    site as a full build (see above)."""
    pages = [Path(name) for name in written if name.endswith(".md")]
    unchanged_theme = all(name.startswith(f"{DOCS}/") for name in written)
    return unchanged_theme and (not pages or (len(pages) == 1 and pages[0].name != "index.md"))


def mark_every_page_changed(layout: Layout) -> None:
    """Make every page newer than its HTML, so that MkDocs rebuilds them all."""
    now = time.time()
    for page in layout.docs.rglob("*.md"):
        os.utime(page, (now, now))


def refresh(layout: Layout) -> bool:
    """Check the référentiel and re-render its pages; False, with the problems printed, if it has errors."""
    outcome = check(layout.root)
    if outcome.referentiel is None:
        errors = [problem for problem in outcome.problems if report.is_error(problem)]
        print(report.render(errors, "human"), file=sys.stderr)
        print(f"{report.summary(outcome.problems)} L'aperçu garde les pages précédentes.", file=sys.stderr)
        return False
    try:
        with one_at_a_time(layout.lock):  # a build running beside the preview writes the same folder
            # the PDFs are made by the build only; the preview searches with the builder's own index
            written = prepare(outcome.referentiel, layout, printed=False, builder_search=True)
    except SiteError as error:
        print(f"Pages non mises à jour : {error}", file=sys.stderr)
        return False
    if not page_by_page(written):
        mark_every_page_changed(layout)
    pages = [name.removeprefix(f"{DOCS}/") for name in written if name.startswith(f"{DOCS}/")]
    if pages:
        print(f"Pages mises à jour : {', '.join(pages[:5])}{' …' if len(pages) > 5 else ''}")
    return True


class Watcher(FileSystemEventHandler):
    """Renders the pages again a moment after the sources stop changing, one rendering at a time: a
    change saved during a rendering is rendered after it, so the last pages written are the latest."""

    def __init__(self, layout: Layout, delay: float = DELAY):
        self.layout = layout
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()
        self.rendering = threading.Lock()

    def render(self) -> None:
        with self.rendering:
            refresh(self.layout)

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [Path(str(path)) for path in (event.src_path, getattr(event, "dest_path", "")) if path]
        if event.event_type in ("opened", "closed_no_write") or all(path.name.startswith(".") for path in paths):
            return  # an editor's hidden working files
        in_root = self.layout.root in (paths[0], paths[0].parent)
        if in_root and not {path.name for path in paths} & ROOT_FILES:
            return  # the root folder counts for its own sources only
        with self.lock:
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self.render)
            self.timer.daemon = True
            self.timer.start()

    def start(self) -> BaseObserver:
        observer = Observer()
        for folder in watched_folders(self.layout):
            observer.schedule(self, str(folder), recursive=True)
        observer.schedule(self, str(self.layout.root), recursive=False)
        observer.start()
        return observer


class ExactDirtyBuilds(logging.Filter):
    """Leaves out MkDocs' warning that a dirty build may give inaccurate pages: `refresh` marks every
    page as changed whenever rebuilding only the changed ones would not give the same site."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def serve(layout: Layout, address: str) -> int:
    if not refresh(layout):
        print("Corrigez les erreurs ci-dessus pour lancer l'aperçu.", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.commands.build").addFilter(ExactDirtyBuilds())
    observer = Watcher(layout).start()
    print(f"Aperçu sur http://{address}/ — Ctrl+C pour arrêter.")
    try:
        mkdocs_serve(config_file=str(layout.config), dev_addr=address, livereload=True, build_type="dirty")
    finally:
        observer.stop()
        observer.join()
    return 0
