"""The offline site: `python build.py offline` writes a zip archive whose pages work from the file system,
search included, and load nothing from anywhere else."""

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from support import mini_referentiel
from test_browser import browser  # noqa: F401 (fixture)

from engine.build.offline import install_shim, offline_configuration
from engine.build.site import SiteError
from engine.cli import ARCHIVE

ROOT = Path(__file__).resolve().parent.parent


def test_the_offline_configuration_is_the_site_with_materials_offline_plugin_and_without_instant_navigation():
    config = {"theme": {"name": "material", "features": ["navigation.instant", "navigation.instant.progress",
                                                         "navigation.sections", "search.suggest"]},
              "plugins": [{"search": {"lang": "fr", "enabled": False}}, "tags"],
              "extra": {"version": {"provider": "mike"}, "recherche": "pagefind", "autre": 1}}
    offline = offline_configuration(config)
    assert offline["plugins"] == [{"search": {"lang": "fr", "enabled": True}}, "tags", "offline"], \
        "Material's search, since Pagefind does not work from file://"
    assert offline["exclude_docs"] == "/recherche.md", "no Pagefind page"
    assert offline["theme"] == {"name": "material", "features": ["navigation.sections", "search.suggest"]}
    assert offline["extra"] == {"autre": 1, "polyfills": ["assets/javascripts/iframe-worker.js"]}, \
        "no versions; the search shim is served from the site, not from unpkg.com"
    assert config["plugins"] == [{"search": {"lang": "fr", "enabled": False}}, "tags"], "the site's own configuration is left as it was"


def test_without_npm_the_offline_site_says_in_french_to_install_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copy(ROOT / "package.json", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SiteError, match=r"npm introuvable : installez Node\.js.*recherche hors ligne"):
        install_shim(tmp_path)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline site of the small référentiel, built by the command line and unzipped."""
    root = mini_referentiel(tmp_path_factory.mktemp("hors-ligne"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--racine", str(root), "offline"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"Site hors ligne écrit dans {root / ARCHIVE}" in result.stdout
    with zipfile.ZipFile(root / ARCHIVE) as bundle:
        bundle.extractall(root / "decompresse")
    return root / "decompresse" / Path(ARCHIVE).stem


def test_the_archive_holds_the_pages_as_html_files_the_pdfs_and_the_inlined_search_index(unpacked: Path):
    for page in ["index.html", "fiches/fifty-fifty.html", "parcours/premiers-pas.html", "pdf/referentiel.pdf",
                 "pdf/fiches/fifty-fifty.pdf", "search/search_index.js", "assets/javascripts/iframe-worker.js"]:
        assert (unpacked / page).is_file(), page
    index = (unpacked / "search/search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = ") and "energetique" in index, "accent-free words are in it too"
    home = (unpacked / "index.html").read_text(encoding="utf-8")
    assert 'href="fiches/index.html"' in home and "unpkg.com" not in home
    assert 'form class="md-search__form"' in home and "ref-recherche" not in home, "Material's search, not Pagefind"
    assert not (unpacked / "recherche.html").exists() and not (unpacked / "pagefind").exists()
    assert list(unpacked.rglob("*.map")) == []


@pytest.fixture
def page(browser: Browser) -> Iterator:  # noqa: F811 (fixture)
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_opened_from_the_file_system_the_site_shows_its_pages_and_finds_words(unpacked: Path, page):
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((unpacked / "index.html").as_uri())
    assert page.locator("h1").first.inner_text().removesuffix("¶").strip() == "Référentiel de test"
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("energie")
    page.wait_for_function("/trouvé/.test(document.querySelector('.md-search-result__meta').textContent)")
    result = page.locator(".md-search-result__item > a[href*='proximite-quotidien.html']").first
    result.click()
    page.wait_for_url("**/enseignements/proximite-quotidien.html*")
    assert page.locator("h1").first.inner_text().startswith("S'inscrire dans une proximité")
    assert [url for url in requests if urlsplit(url).scheme not in ("file", "data", "blob")] == []
    assert errors == []
