"""What a reader downloads: `python bench/bench_reader.py SITE [SITE…] [--lighthouse CLI]`.

Serves each built site (`site/` by default) from 127.0.0.1 with gzip, as most hosts do, and opens
it, with GitHub Pages' ten minutes of caching, in Debian's headless Chromium at mobile settings (412 × 823, touch, nothing cached). For each page
it prints the bytes transferred by a first view (goal for a lesson ≤ 150 KB), then the bytes a first
search then adds, in the same tab (goal ≤ 300 KB), whichever search the site has: Pagefind's form in
the header or Material's search box. With `--lighthouse` (the path of Lighthouse's `cli/index.js`,
e.g. after `npm install lighthouse` in a scratch folder), it also prints Lighthouse's mobile scores
(goal ≥ 95 for performance, 100 for accessibility). Run it on a quiet machine: Lighthouse simulates
a slow phone but still measures this one's CPU.

    python bench/bench_reader.py site/ /tmp/site-avant/ --query energie
"""

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
PAGES = {"accueil": "", "enseignement": "enseignements/recit-partage/", "fiche": "fiches/fifty-fifty/",
         "territoire": "territoires/loos-en-gohelle/"}
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
         "has_touch": True, "locale": "fr-FR"}
COMPRESSED = ("text", "javascript", "json", "xml", "svg", "wasm", "pagefind", "pf_")


class Gzip(http.server.SimpleHTTPRequestHandler):
    """A static host that compresses text as it sends it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
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


@contextmanager
def served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Gzip, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class Meter:
    """The bytes the tab transferred (bodies as sent, with headers), worker fetches included."""

    def __init__(self, context: BrowserContext):
        self.bytes = 0
        self.requests = 0
        context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:  # type: ignore[no-untyped-def]
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        self.requests += 1

    def take(self) -> tuple[int, int]:
        taken = self.bytes, self.requests
        self.bytes, self.requests = 0, 0
        return taken


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


def lighthouse(cli: Path, address: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rapport.json"
        subprocess.run(["node", str(cli), address, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility", f"--chrome-path={CHROMIUM}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       check=True, timeout=300, capture_output=True)
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return f"performance {categories['performance']['score'] * 100:.0f}, " \
           f"accessibilité {categories['accessibility']['score'] * 100:.0f}"


def measure(site: Path, query: str, cli: Path | None) -> None:
    print(f"== {site}")
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, path in PAGES.items():
            context = browser.new_context(**PHONE)
            meter = Meter(context)
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            view, view_requests = meter.take()
            line = f"{name:12} premier affichage {view / 1000:7.1f} ko ({view_requests} requêtes)"
            if name == "enseignement":
                found = search(page, query)
                added, added_requests = meter.take()
                line += (f" ; première recherche « {query} » : +{added / 1000:.1f} ko ({added_requests} requêtes, "
                         f"{found} résultats), total {(view + added) / 1000:.1f} ko")
            if cli:
                line += " ; Lighthouse mobile : " + lighthouse(cli, base + path)
            print(line, flush=True)
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path, default=[Path("site")])
    parser.add_argument("--query", default="energie", help="les mots de la première recherche")
    parser.add_argument("--lighthouse", type=Path, help="le chemin de cli/index.js de Lighthouse")
    args = parser.parse_args()
    for site in args.sites:
        measure(site, args.query, args.lighthouse)


if __name__ == "__main__":
    main()
