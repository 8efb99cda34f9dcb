"""The site's search: Pagefind, run on the built HTML, its index split into chunks fetched only when
someone searches.

Material's own search downloads its whole index (about 430 KB gzipped here) on the first view of
every page, before anyone searches. Pagefind reads the pages MkDocs wrote (any builder's pages:
the search survives a change of builder), folds accents (« energie » finds « énergie »), handles
French word endings and ships a French interface. The first view of a page loads none of it: the
header holds a plain form that leads to the « Rechercher » page, which loads Pagefind's interface.

Pagefind does not work from `file://`: the offline site keeps Material's search (`offline.py`).
"""

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PAGE = "recherche.md"
BUNDLE = "pagefind"
"""The folder of the site where Pagefind writes its index and its interface."""
TEMPLATE = "recherche.html"
EXCLUDED = "[data-search-exclude], .headerlink"
"""What Pagefind leaves out, as Material's search does: lists of other entries, « Citer », sources…, and the
section links (« ¶ »)."""
TIMEOUT = 1800
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")
"""Material's search engine and its worker: the site's pages never load them without Material's search."""


class SearchError(Exception):
    """Pagefind could not index the site; the message, in French, says why."""


def page() -> str:
    """The « Rechercher » page: its template holds the search interface."""
    return ("---\ntitle: Rechercher\ntemplate: recherche.html\nhide:\n  - navigation\n  - toc\n"
            "search:\n  exclude: true\n---\n\n# Rechercher dans le référentiel\n")


def search_plugin(plugins: list[Any], *, enabled: bool) -> list[Any]:
    """The plugins of a configuration with Material's search turned on or off, its options kept."""
    changed: list[Any] = []
    for plugin in plugins:
        name = plugin if isinstance(plugin, str) else next(iter(plugin), None)
        if name in ("search", "material/search"):
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            plugin = {name: {**options, "enabled": enabled}}
        changed.append(plugin)
    return changed


def index(site: Path) -> None:
    """Write Pagefind's index and interface into `site/pagefind/`, in French."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
               "--force-language", "fr", "--exclude-selectors", EXCLUDED, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SearchError(f"Pagefind n'a pas fini d'indexer le site en {TIMEOUT} s") from None
    if done.returncode != 0 or not (site / BUNDLE / "pagefind.js").is_file():
        details = (done.stderr or done.stdout).strip() or f"code de sortie {done.returncode}"
        if "No module named pagefind" in details:
            details = "Pagefind est absent : installez le moteur avec « pip install -e . » (paquet pagefind[bin])"
        raise SearchError(f"Pagefind n'a pas pu indexer le site : {details}")


def prune(site: Path) -> None:
    """Remove what no page of the online site loads: source maps and Material's search engine."""
    for map_file in site.glob("assets/**/*.map"):
        map_file.unlink()
    for script in site.glob("assets/**/*.min.*"):
        text = script.read_text(encoding="utf-8")
        lines = text.rstrip("\n").split("\n")
        if lines and "sourceMappingURL=" in lines[-1]:
            script.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    for folder in UNUSED_THEME_FILES:
        if (site / folder).is_dir():
            shutil.rmtree(site / folder)
