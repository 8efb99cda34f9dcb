"""A light first view: nothing holds up the first paint of a page but the stylesheets every page needs,
and a page loads the scripts and styles of a feature only when it holds that feature. (How fast it
is, in bytes and in Lighthouse's scores, is measured in bench/bench_reader.py, not tested.)"""

from html.parser import HTMLParser
from pathlib import Path

from engine.build.site import Layout

SITE_STYLES = ["assets/stylesheets/referentiel.css", "assets/stylesheets/editions.css"]


class _Assets(HTMLParser):
    """The scripts and stylesheets of a page, each with where it is (head or body) and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.scripts: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        place = "head" if self.in_head else "body"
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "script":
            self.scripts.append((place, attributes))
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append((place, attributes.get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def assets(site: Path, page: str) -> _Assets:
    parser = _Assets()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return parser


def loading(site: Path, name: str) -> set[str]:
    """The pages of the site that load the asset `name` (a script or a stylesheet)."""
    return {path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")
            if f'/{name}"' in path.read_text(encoding="utf-8") or f'"{name}"' in path.read_text(encoding="utf-8")}


PAGES = ["", "enseignements/recit-partage", "fiches/fifty-fifty", "territoires/loos-en-gohelle", "enseignements",
         "matrice", "glossaire", "proposer"]


def test_no_page_has_a_script_that_blocks_its_first_paint(built: Layout):
    for page in PAGES:
        found = assets(built.site, page)
        external = [attributes for _, attributes in found.scripts if attributes.get("src")]
        assert external, page
        assert [attributes["src"] for attributes in external if "defer" not in attributes] == [], page
        # in the head, only the theme's small inline scripts and the page's schema.org description
        assert [attributes for place, attributes in found.scripts
                if place == "head" and (attributes.get("src") or attributes.get("type") not in (None,
                                                                                                "application/ld+json"))] == []


def test_materials_bundle_is_deferred_and_runs_before_the_sites_scripts(built: Layout):
    sources = [attributes["src"] or "" for _, attributes in assets(built.site, "fiches/fifty-fifty").scripts
               if attributes.get("src")]
    bundle = next(index for index, source in enumerate(sources) if "/bundle." in source)
    assert sources[bundle + 1:] == ["../../assets/javascripts/liens.js"], "liens.js needs Material's document$"


def site_path(site: Path, page: str, address: str) -> str:
    """An address of a page as the path of a file of the site."""
    return (site / page / address).resolve().relative_to(site.resolve()).as_posix()


def test_the_first_paint_waits_for_materials_stylesheet_and_the_sites_own_only(built: Layout):
    for page in PAGES:
        styles = [site_path(built.site, page, href) for place, href in assets(built.site, page).styles if place == "head"]
        assert styles[0].startswith("assets/stylesheets/main.") and styles[1:3] == SITE_STYLES, page
        assert styles[3:] == (["assets/stylesheets/proposer.css"] if page == "proposer" else []), page


def test_the_proposer_form_loads_its_script_and_style_on_its_own_page_only(built: Layout):
    assert (built.site / "proposer/index.html").is_file()
    assert loading(built.site, "assets/javascripts/proposer.js") == {"proposer"}
    assert loading(built.site, "assets/stylesheets/proposer.css") == {"proposer"}
    assert loading(built.site, "assets/javascripts/jsoneditor.js") == set(), "proposer.js loads it when asked"


def test_the_lists_and_the_matrix_share_one_filter_script_that_no_other_page_loads(built: Layout):
    assert loading(built.site, "assets/javascripts/filtres.js") == {
        "enseignements", "fiches", "territoires", "matrice"}
    assert not (built.site / "assets/javascripts/matrice.js").exists()
    script = (built.site / "assets/javascripts/filtres.js").read_text(encoding="utf-8")
    assert '"data-ref-filtres": list, "data-ref-matrice": matrix' in script


def test_the_date_of_a_citation_is_filled_in_by_the_pages_that_cite_only(built: Layout):
    citing = {path.parent.relative_to(built.site).as_posix() for path in built.site.rglob("index.html")
              if "data-ref-consultation" in path.read_text(encoding="utf-8")}
    assert {"enseignements/recit-partage", "fiches/fifty-fifty", "territoires/loos-en-gohelle"} <= citing
    assert loading(built.site, "assets/javascripts/citer.js") == citing
    assert "toLocaleDateString" not in (built.site / "assets/javascripts/citer.js").read_text(encoding="utf-8")


def test_every_page_of_the_site_loads_only_files_the_site_has(built: Layout):
    for page in PAGES:
        found = assets(built.site, page)
        for address in [href for _, href in found.styles] + [attributes["src"] or "" for _, attributes in found.scripts
                                                              if attributes.get("src")]:
            assert (built.site / site_path(built.site, page, address)).is_file(), (page, address)
