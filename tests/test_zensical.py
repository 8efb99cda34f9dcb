"""The way out of Material for MkDocs (end of life in May 2027): the build folder the engine writes
is all that Zensical, its successor, needs. It builds it as it is, in strict mode, into the same
pages with the same text; only the search index (Zensical's own format, without the engine's accent
folding) and Material's plugin exports differ."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.build.site import Layout


class _Article(HTMLParser):
    """The words of a page's article (its content, without the theme around it), and its tags apart:
    Material shows them above the text, Zensical below."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = False
        self.tags_depth = 0  # depth of <nav> elements inside the tags' <nav>
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_article |= tag == "article"
        if tag == "nav" and self.in_article and (self.tags_depth or ("class", "md-tags") in attrs):
            self.tags_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False
        elif tag == "nav" and self.tags_depth:
            self.tags_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_article:
            (self.tags if self.tags_depth else self.text).extend(data.split())


def article(page: Path) -> tuple[str, str]:
    """The text of a page's article and the words of its tags."""
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(parser.text), " ".join(parser.tags)


def pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


@pytest.fixture(scope="module")
def zensical_site(built: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the small référentiel, built by Zensical where it lies (in a copy)."""
    folder = tmp_path_factory.mktemp("zensical") / "build"
    shutil.copytree(built.build, folder)
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"],
                            cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def test_zensical_builds_the_build_folder_into_every_page_mkdocs_makes(built: Layout, zensical_site: Path):
    assert pages(zensical_site) == pages(built.site)
    assert {"enseignements/recit-partage/index.html", "fiches/fifty-fifty/index.html",
            "territoires/le-mene/index.html", "code-source/index.html"} <= pages(zensical_site)


def test_zensical_pages_say_what_the_mkdocs_pages_say(built: Layout, zensical_site: Path):
    different = [name for name in sorted(pages(built.site)) if article(zensical_site / name) != article(built.site / name)]
    assert different == []
    text, tags = article(zensical_site / "enseignements/recit-partage/index.html")
    assert "Question clé" in text and "Récit" in tags


def test_zensical_pages_keep_the_sites_own_styles_scripts_and_dates(zensical_site: Path):
    html = (zensical_site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    for asset in ("referentiel.css", "liens.js", "citer.js"):
        assert asset in html
    assert "filtres.js" not in html and "filtres.js" in (zensical_site / "fiches/index.html").read_text(encoding="utf-8")
    assert re.search(r'Mis à jour le <time datetime="\d{4}-\d\d-\d\d">', html)
    assert "fonts.googleapis" not in html
