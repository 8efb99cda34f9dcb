"""PDFs still being laid out once the pages are written: MkDocs and Pagefind build the site meanwhile.

A build lays out its PDFs in other processes (`pdf.start_printing`). The pages only link to them, so instead of
waiting for them before MkDocs, a build writes the pages, runs MkDocs and Pagefind while the PDFs are laid out, and
only then writes the PDFs into the docs folder and the new site, before it replaces `site/`. MkDocs is told of the
PDFs to come (`Announced`): in strict mode it still checks every link to them, and it leaves their copy to us.
"""

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

if TYPE_CHECKING:
    from engine.render.pdf import PrintedFiles

PLUGIN = "referentiel-pdf-a-venir"


class LatePdfs:
    """The PDFs of `printing` (none when it is None), collected in a thread of this process as they are laid out,
    so that their progress is shown while this process does other work; `wait` for them, `close` in any case."""

    def __init__(self, printing: "PrintedFiles | None" = None):
        self.printing = printing
        self.paths = frozenset(printing.keys) if printing else frozenset[str]()
        """The paths of the PDFs in the docs folder."""
        self._collector = ThreadPoolExecutor(1, thread_name_prefix="pdf") if printing else None
        self._laid_out: Future[dict[str, bytes]] | None = \
            self._collector.submit(printing.result) if self._collector and printing else None

    def ready(self) -> bool:
        """Whether every PDF is laid out, or one could not be: `wait` then returns or raises at once."""
        return self._laid_out is None or self._laid_out.done()

    def wait(self) -> dict[str, bytes]:
        """Every PDF by its path in the docs folder, once all are laid out; a `PdfError` if one could not be."""
        return self._laid_out.result() if self._laid_out else {}

    def close(self) -> None:
        """Stop the layout if it still runs (after a failure elsewhere), and the thread."""
        if self.printing is not None and self._laid_out is not None and not self._laid_out.done():
            self.printing.close()
        if self._collector is not None:
            self._collector.shutdown(wait=True, cancel_futures=True)

    def announcement(self, docs: str, site: str, directory_urls: bool) -> "Announced":
        return Announced(self.paths, docs, site, directory_urls)


class _ToCome(File):
    """A PDF that MkDocs knows of, for its links, but does not copy: the build writes it into the site."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class Announced(BasePlugin):
    """Puts the PDFs to come among MkDocs's files, in place of those of the last build (see the module)."""

    def __init__(self, paths: frozenset[str], docs: str, site: str, directory_urls: bool):
        self.coming = [_ToCome(path, docs, site, directory_urls, inclusion=InclusionLevel.INCLUDED)
                       for path in sorted(paths)]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in self.coming:
            earlier = files.get_file_from_path(file.src_uri)  # the PDF of the last build, in the docs folder
            if earlier is not None:
                files.remove(earlier)
            files.append(file)
        return files
