"""What a reader downloads: `python bench/bench_reader.py [SITE…] [--synthetique N] [--detail] [--lighthouse [CLI]]`.

Serves each built site (`site/` by default) from 127.0.0.1 with gzip, as most hosts do, and opens
it, with GitHub Pages' ten minutes of caching, in Debian's headless Chromium at mobile settings (412 × 823,
touch, nothing cached). For the home page, a lesson, a fiche and a territory it measures the bytes
transferred by a first view (goal for a lesson ≤ 150 KB), then, on the lesson, the bytes a first search
adds in the same tab (goal ≤ 300 KB), whichever search the site has: Pagefind's form in the header or
Material's search box (`--detail` lists that search's requests by kind of file: Pagefind's scripts, its
WebAssembly, meta file, index chunks, fragments). `--synthetique 5000` also builds a synthetic référentiel
of 5,000 entries (`synthetic.py`, without the PDFs, once, within `--delai` seconds; the time it took is
printed) and measures it the same way. With `--lighthouse`, each page also gets Lighthouse's mobile scores (goal ≥ 95
for performance, 100 for accessibility), with Lighthouse 12.8.2 installed on first use into
~/.cache/referentiel/ (or the `cli/index.js` given) and driving Debian's Chromium, never a downloaded one.
The figures of every site are printed side by side at the end.

Run it on a quiet machine: Lighthouse simulates a slow phone but still measures this one's CPU; its
« benchmarkIndex » (printed) says how fast the machine was (a desktop of 2024 scores about 1,500 to 2,000;
below 1,000, Lighthouse warns that the performance score is pessimistic).

    python bench/bench_reader.py site/ /tmp/site-avant/ --synthetique 5000 --lighthouse
"""

import argparse
import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from playwright.sync_api import BrowserContext, Page, Request, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support import served  # noqa: E402  # the tests' local server, here with gzip

CHROMIUM = "/usr/bin/chromium"
PAGES = {"accueil": "", "enseignement": "enseignements/recit-partage/", "fiche": "fiches/fifty-fifty/",
         "territoire": "territoires/loos-en-gohelle/"}
"""The pages measured, where the site has them; otherwise the first entry of the same folder."""
LIGHTHOUSE = "12.8.2"
LIGHTHOUSE_HOME = Path.home() / ".cache" / "referentiel" / f"lighthouse-{LIGHTHOUSE}"
BENCH = Path(__file__).resolve().parent
PHONE_VIEWPORT: ViewportSize = {"width": 412, "height": 823}
COMPRESSED = ("text", "javascript", "json", "xml", "svg", "wasm", "pagefind", "pf_")


class Gzip(http.server.SimpleHTTPRequestHandler):
    """A static host that compresses text as it sends it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", "") and (
                any(part in kind for part in COMPRESSED) or any(part in path for part in COMPRESSED)):
            data = gzip.compress(Path(path).read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)
        return super().send_head()

    def end_headers(self) -> None:
        if "Cache-Control" not in "".join(str(header) for header in getattr(self, "_headers_buffer", [])):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


class Meter:
    """The bytes the tab transferred (bodies as sent, with headers), worker fetches included."""

    def __init__(self, context: BrowserContext):
        self.bytes = 0
        self.requests = 0
        self.files: list[tuple[str, int]] = []
        context.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        if not body and sizes["responseHeadersSize"]:  # sent, but Chromium reports no body for a worker's script
            response = request.response()
            body = int(response.headers.get("content-length", 0) or 0) if response else 0
        size = body + sizes["responseHeadersSize"]
        self.bytes += size
        self.requests += 1
        self.files.append((request.url, size))

    def take(self) -> tuple[int, int]:
        taken = self.bytes, self.requests
        self.bytes, self.requests, self.files = 0, 0, []
        return taken

    def detail(self) -> str:
        """The requests since the last `take`, by kind of file: count and kilobytes (with `--detail`)."""
        kinds: dict[str, list[int]] = {}
        for url, size in self.files:
            name = url.split("?")[0].rstrip("/").rsplit("/", 2)
            kind = name[-2] + "/" if name[-2] in ("fragment", "index", "filter") else name[-1]
            kinds.setdefault(re.sub(r"_[0-9a-f]{10}\b", "_…", kind), []).append(size)
        return "\n".join(f"    {kind:40} {len(sizes):3} × → {sum(sizes) / 1000:7.1f} ko"
                         for kind, sizes in sorted(kinds.items(), key=lambda item: -sum(item[1])))


def search(page: Page, query: str) -> int:
    """Search `query` with the site's search; the number of results shown."""
    if page.locator("form.ref-recherche").count():
        if page.locator("input[name=q]").is_visible():
            page.locator("input[name=q]").fill(query)
            page.locator("input[name=q]").press("Enter")
        else:  # on a phone, the magnifier opens the « Rechercher » page
            page.locator(".ref-recherche__bouton").click()
            page.locator(".pagefind-ui__search-input").fill(query)
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        page.wait_for_load_state("networkidle")
        return page.locator(".pagefind-ui__result-link").count()
    page.locator("label[for=__search]").first.click()
    page.locator(".md-search__input").press_sequentially(query)
    page.wait_for_function("/trouvé/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page.locator(".md-search-result__item").count()


def lighthouse_cli(given: Path | None) -> Path:
    """Lighthouse's command line: the one given, or the pinned version, installed by npm on first use into
    a cache folder (not into the repository, whose installs stay what the tests need)."""
    if given:
        return given
    cli = LIGHTHOUSE_HOME / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        LIGHTHOUSE_HOME.mkdir(parents=True, exist_ok=True)
        print(f"Installation de Lighthouse {LIGHTHOUSE} dans {LIGHTHOUSE_HOME}…", flush=True)
        subprocess.run(["npm", "install", "--prefix", str(LIGHTHOUSE_HOME), "--no-audit", "--no-fund", "--silent",
                        f"lighthouse@{LIGHTHOUSE}"], check=True, timeout=600,
                       env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})
    return cli


def lighthouse(cli: Path, address: str) -> tuple[float, float, float]:
    """Lighthouse's mobile scores of a page (performance, accessibility) and the machine's benchmarkIndex."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rapport.json"
        subprocess.run(["node", str(cli), address, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility", f"--chrome-path={CHROMIUM}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       check=True, timeout=300, capture_output=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(report.read_text(encoding="utf-8"))
    categories = result["categories"]
    return (categories["performance"]["score"] * 100, categories["accessibility"]["score"] * 100,
            result["environment"]["benchmarkIndex"])


def pages_of(site: Path) -> dict[str, str]:
    """The pages to measure in a site: those of PAGES, or the first entry of their folder."""
    pages = {}
    for name, path in PAGES.items():
        if not path or (site / path / "index.html").is_file():
            pages[name] = path
            continue
        folder = site / path.split("/")[0]
        entries = sorted((page.parent for page in folder.glob("*/index.html")),
                         key=lambda entry: (len(entry.name), entry.name))
        if entries:
            pages[name] = f"{entries[0].relative_to(site).as_posix()}/"
    return pages


def measure(site: Path, query: str, cli: Path | None, detail: bool = False) -> dict[str, str]:
    """The figures of a site, by measure, each printed as soon as it is known."""
    print(f"== {site}", flush=True)
    figures = {}
    with served(site, Gzip) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, path in pages_of(site).items():
            context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=1.75, is_mobile=True,
                                          has_touch=True, locale="fr-FR")
            meter = Meter(context)
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            view, view_requests = meter.take()
            figures[f"{name} : premier affichage"] = f"{view / 1000:.1f} ko ({view_requests} req.)"
            line = f"{name:12} /{path} premier affichage {view / 1000:7.1f} ko ({view_requests} requêtes)"
            if name == "enseignement":
                found = search(page, query)
                if detail:
                    print(f"  première recherche « {query} », requête par requête :\n{meter.detail()}", flush=True)
                added, added_requests = meter.take()
                figures[f"première recherche « {query} »"] = f"+{added / 1000:.1f} ko ({added_requests} req.)"
                line += (f" ; première recherche « {query} » : +{added / 1000:.1f} ko ({added_requests} requêtes, "
                         f"{found} résultats), total {(view + added) / 1000:.1f} ko")
            context.close()
            if cli:
                performance, accessibility, machine = lighthouse(cli, base + path)
                figures[f"{name} : Lighthouse perf. / access. (benchmarkIndex)"] = (
                    f"{performance:.0f} / {accessibility:.0f} ({machine:.0f})")
                line += (f" ; Lighthouse mobile : performance {performance:.0f}, accessibilité {accessibility:.0f} "
                         f"(benchmarkIndex {machine:.0f})")
            print(line, flush=True)
        browser.close()
    return figures


def synthetic_site(entries: int, folder: Path, timeout: int) -> Path:
    """Build the site of a synthetic référentiel of `entries` entries (without the PDFs) in `folder`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "synthetic.py"), str(folder), str(entries), "--site"],
                   check=True, timeout=timeout, stdout=subprocess.DEVNULL)
    print(f"référentiel synthétique de {entries} entrées construit (sans PDF) en {time.perf_counter() - start:.0f} s",
          flush=True)
    return folder / "site"


def table(results: dict[str, dict[str, str]]) -> str:
    """The figures of every site side by side, as a Markdown table."""
    measures = list(dict.fromkeys(measure for figures in results.values() for measure in figures))
    lines = ["| mesure | " + " | ".join(results) + " |", "| --- |" + " --- |" * len(results)]
    lines += [f"| {measure} | " + " | ".join(figures.get(measure, "—") for figures in results.values()) + " |"
              for measure in measures]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--query", default="energie", help="les mots de la première recherche")
    parser.add_argument("--synthetique", type=int, metavar="N", help="mesurer aussi un référentiel synthétique de N entrées")
    parser.add_argument("--delai", type=int, default=3600, help="le temps laissé à sa construction, en secondes")
    parser.add_argument("--detail", action="store_true", help="détailler la première recherche, requête par requête")
    parser.add_argument("--lighthouse", nargs="?", const="", metavar="CLI",
                        help="ajouter les notes de Lighthouse (le chemin de son cli/index.js, ou rien : installé au besoin)")
    args = parser.parse_args()
    sites = args.sites or ([] if args.synthetique else [Path("site")])
    cli = None if args.lighthouse is None else lighthouse_cli(Path(args.lighthouse) if args.lighthouse else None)
    results = {}
    for site in sites:
        results[f"{site}"] = measure(site, args.query, cli, args.detail)
    if args.synthetique:
        with tempfile.TemporaryDirectory(prefix="referentiel-synthetique-") as folder:
            site = synthetic_site(args.synthetique, Path(folder) / "referentiel", args.delai)
            results[f"synthétique ({args.synthetique} entrées)"] = measure(site, args.query, cli, args.detail)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
