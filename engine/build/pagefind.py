"""The site's search: Pagefind, run on the built HTML, its index split into chunks fetched only when
someone searches.

Material's own search downloads its whole index (about 430 KB gzipped here) on the first view of
every page, before anyone searches. Pagefind reads the pages MkDocs wrote (any builder's pages:
the search survives a change of builder), folds accents (« energie » finds « énergie »), handles
French word endings and ships a French interface. The first view of a page loads none of it: the
header holds a plain form that leads to the « Rechercher » page, which loads Pagefind's interface.

Pagefind does not work from `file://`: the offline site keeps Material's search (`offline.py`).

A first search fetches the index chunk of its words. Pagefind 1.5 (the last on PyPI) sizes its chunks by
the unaccented form of each word only (Pagefind issue #1211, fixed in 1.6.0 by #1316): the chunk of a
frequent accented word (« énergie ») also holds the frequent accented words beside it (« écologique »,
« élus », « évaluation »). So the build runs npm's Pagefind 1.6 (package.json, installed with the packages
the site serves, `npm.py`) and falls back to PyPI's `pagefind[bin]` where Node.js is missing, saying so
(`bench/bench_reader.py --detail` measures both).
"""

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from engine.render.addresses import ENGINE_ROOT

PAGE = "recherche.md"
BUNDLE = "pagefind"
"""The folder of the site where Pagefind writes its index and its interface."""
TEMPLATE = "recherche.html"
EXCLUDED = "[data-search-exclude], .headerlink, .ref-source, .ref-dessin"
"""What Pagefind leaves out. As Material's search does: lists of other entries, « Citer », sources…, and the
section links (« ¶ »). Also the apparatus the pages repeat around their text: the lines of sources and
notes (`.ref-source`: « Source : … », « Le territoire : … ») and the pictures (`.ref-dessin`), whose
names and captions repeat the lists and tables that follow them. What is left is what a reader searches
for: each page's title, summary and text."""
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


_EXCLUDED_HEADING = re.compile(r"<h([1-6])\b[^>]*\bdata-search-exclude\b[^>]*>.*?</h\1>", re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b[^>]*?(/?)>")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
IGNORED = " data-pagefind-ignore"


def ignore_excluded_sections(html: str) -> str:
    """The page with every element of a section whose heading has `data-search-exclude` marked
    `data-pagefind-ignore`, up to the next heading of the same or a higher level, as Material's
    search leaves out the whole section (Pagefind would leave out the heading only)."""
    marks: list[int] = []
    for heading in _EXCLUDED_HEADING.finditer(html):
        level, depth = int(heading.group(1)), 0
        for tag in _TAG.finditer(html, heading.end()):
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if depth == 0 and not closing and re.fullmatch(r"h[1-6]", name) and int(name[1]) <= level:
                break
            if closing:
                depth -= 1
                if depth < 0:
                    break  # the end of the element that holds the section
            else:
                if depth == 0:
                    marks.append(tag.start() + 1 + len(tag.group(2)))
                if name not in _VOID and not tag.group(3):
                    depth += 1
    for position in sorted(set(marks), reverse=True):
        html = html[:position] + IGNORED + html[position:]
    return html


def mark_excluded_sections(site: Path) -> None:
    """Mark the excluded sections of every page for Pagefind (see `ignore_excluded_sections`)."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-search-exclude" in html:
            marked = ignore_excluded_sections(html)
            if marked != html:
                page.write_text(marked, encoding="utf-8")


NPM_PACKAGE = ENGINE_ROOT / "node_modules" / "pagefind"
"""npm's Pagefind, installed by `npm ci` with the other packages the site serves (`npm.py`)."""


def npm_script(package: Path) -> Path | None:
    """The Node.js script that npm's Pagefind installs as its command (its package.json's `bin`), if any."""
    try:
        script = json.loads((package / "package.json").read_text(encoding="utf-8")).get("bin")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(script, dict):
        script = script.get("pagefind")
    return package / script if isinstance(script, str) and (package / script).is_file() else None


def pagefind_command() -> tuple[list[str], str | None]:
    """The command that runs Pagefind, and a French note when it is not npm's: npm's when it is installed
    and Node.js is there, else PyPI's `pagefind[bin]`.

    npm's is its own command (a Node.js script that starts the binary of the platform, from
    `@pagefind/linux-x64`, `@pagefind/windows-x64`…) run by `node`, the same on every system, where
    `node_modules/.bin/pagefind.cmd` would pass the arguments through `cmd.exe` on Windows."""
    node, script = shutil.which("node"), npm_script(NPM_PACKAGE)
    if node is not None and script is not None:
        return [node, str(script)], None
    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        version = "absent"
    advice = ("installez Node.js (https://nodejs.org)" if node is None
              else "le paquet npm pagefind manque : lancez « npm ci --omit=dev »")
    return [sys.executable, "-m", "pagefind"], (
        f"Pagefind de PyPI ({version}) : {advice} pour indexer le site avec celui de npm (1.6), "
        "dont la première recherche télécharge moins.")


def index(site: Path) -> None:
    """Write Pagefind's index and interface into `site/pagefind/`, in French."""
    mark_excluded_sections(site)
    pagefind, fallback = pagefind_command()
    if fallback:
        print(fallback, file=sys.stderr, flush=True)
    command = [*pagefind, "--site", str(site), "--output-subdir", BUNDLE,
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


def remove_source_maps(site: Path) -> None:
    """Remove the theme's source maps (1.3 MB, for its developers) and the comments that name them."""
    for map_file in site.glob("assets/**/*.map"):
        map_file.unlink()
    for script in site.glob("assets/**/*.min.*"):
        text = script.read_text(encoding="utf-8")
        lines = text.rstrip("\n").split("\n")
        if lines and "sourceMappingURL=" in lines[-1]:
            script.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")


def remove_unlinked_theme_styles(site: Path) -> None:
    """Remove the theme's stylesheets that the pages do not link (its palette's, when the site sets no palette):
    every page links the same ones, the home page's."""
    home = site / "index.html"
    if not home.is_file():
        return
    linked = home.read_text(encoding="utf-8")
    for sheet in site.glob("assets/stylesheets/*.min.css"):
        if f"assets/stylesheets/{sheet.name}" not in linked:
            sheet.unlink()


def prune(site: Path) -> None:
    """Remove what no page of the online site loads: source maps, Material's search engine and unlinked styles."""
    remove_source_maps(site)
    for folder in UNUSED_THEME_FILES:
        if (site / folder).is_dir():
            shutil.rmtree(site / folder)
    remove_unlinked_theme_styles(site)
