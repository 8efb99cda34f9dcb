"""Building the site: the pages at their addresses, a short navigation, French search without accents,
and a `site/` that is only ever replaced by a complete, successful build."""

import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from conftest import build, copy_of_built
from support import (
    PAYLOAD,
    checked,
    executable_vectors,
    hostile_referentiel,
    mini_referentiel,
    own_publication,
    replace,
)

from engine.build import pagefind
from engine.build.late_pdfs import LatePdfs
from engine.build.pagefind import ignore_excluded_sections
from engine.build.search_accents import fold, fold_index, fold_text, folded_words
from engine.build.site import Layout, SiteError, prepare, publish, write_tree
from engine.cli import main
from engine.model.format import Fiche

ROOT = Path(__file__).resolve().parent.parent
ENTRY_PAGES = ["enseignements/recit-partage", "enseignements/proximite-quotidien", "enseignements/penser-systemique",
               "fiches/fifty-fifty", "fiches/visite-prealable", "territoires/loos-en-gohelle", "territoires/le-mene",
               "parcours/premiers-pas"]


def run_here(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line run in this process (an exception fails the test), with what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--racine", str(root), *args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def fingerprint(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def html(layout: Layout, page: str) -> str:
    return (layout.site / page / "index.html").read_text(encoding="utf-8")


def test_every_page_is_built_at_its_stable_address(built: Layout):
    for page in ["", "enseignements", "fiches", "territoires", "parcours", "matrice", "glossaire", "bibliographie",
                 "code-source", "questions-ouvertes", *ENTRY_PAGES]:
        assert (built.site / page / "index.html").is_file(), page
    assert "<h1 id=" in html(built, "enseignements/recit-partage")


def test_the_build_folder_is_plain_markdown_and_a_mkdocs_configuration(built: Layout):
    config = yaml.safe_load(built.config.read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert config["theme"]["font"] is False and config["theme"]["language"] == "fr"
    assert [next(iter(plugin)) if isinstance(plugin, dict) else plugin for plugin in config["plugins"]] == [
        "search", "tags"]
    assert config["plugins"][0]["search"]["enabled"] is False, "Material's search is for the offline site only"
    assert config["extra"]["recherche"] == "pagefind"
    assert (built.docs / "enseignements/recit-partage.md").read_text(encoding="utf-8").startswith("---\ntitle: ")
    assert (built.docs / "assets/javascripts/filtres.js").is_file()
    assert (built.build / "overrides/partials/actions.html").is_file()


def test_the_navigation_lists_the_lists_never_the_entries(built: Layout):
    config = yaml.safe_load(built.config.read_text(encoding="utf-8"))
    listed = json.dumps(config["nav"])
    assert "enseignements/index.md" in listed
    assert not any(f"{page}.md" in listed for page in ENTRY_PAGES)
    glossary = html(built, "glossaire")  # a page that links to no entry: only the navigation could
    assert 'href="../enseignements/"' in glossary
    assert not any(f'href="../{page}/"' in glossary for page in ENTRY_PAGES)


def searched_pages(site: Path) -> dict[str, dict]:
    """What Pagefind indexed, by address: each page's text, title and headings."""
    pages = {}
    for fragment in (site / "pagefind/fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data
    return pages


def test_the_site_is_searched_by_pagefind_in_french_and_its_first_view_loads_none_of_it(built: Layout):
    assert not (built.site / "search/search_index.json").exists(), "no index fetched on the first view"
    assert (built.site / "pagefind/pagefind-ui.js").is_file() and (built.site / "pagefind/wasm.fr.pagefind").is_file()
    lesson = searched_pages(built.site)["/enseignements/proximite-quotidien/"]
    assert lesson["meta"]["title"] == "S'inscrire dans une proximité au territoire vécu, au quotidien"
    assert "Question clé : Comment faire naître" in lesson["content"]
    assert "énergétique" in lesson["content"]
    page = html(built, "enseignements/proximite-quotidien")
    assert not re.search(r'(src|href)="[^"]*pagefind', page), "the first view of a page loads none of it"
    assert '<form class="ref-recherche" role="search" action="../../recherche/" method="get">' in page
    assert "pagefind/pagefind-ui.js" in html(built, "recherche")


def test_the_online_site_ships_no_source_maps_no_unused_search_engine_and_no_unlinked_styles(built: Layout):
    assert list(built.site.rglob("*.map")) == []
    assert not any("sourceMappingURL" in path.read_text(encoding="utf-8") for path in built.site.glob("assets/**/*.js"))
    assert not (built.site / "assets/javascripts/lunr").exists()
    styles = [path.name.split(".")[0] for path in (built.site / "assets/stylesheets").glob("*.min.css")]
    assert styles == ["main"], "the palette's stylesheet is linked by no page of a site without a palette"


def test_boilerplate_lists_of_other_entries_and_source_lists_stay_out_of_the_search_index(built: Layout):
    pages = searched_pages(built.site)
    headings = {anchor["id"] for address, page in pages.items() if address.count("/") == 3  # the entries
                for anchor in page["anchors"] if anchor["text"]}
    assert {"quoi", "objectif", "histoire", "remarques-sources"} <= headings
    assert not headings & {"citer", "modifications", "fiches", "enseignements", "code-source", "parcours", "sources"}
    assert not any("Vous pouvez reprendre, modifier" in page["content"] for page in pages.values())
    page = (built.site / "enseignements/proximite-quotidien/index.html").read_text(encoding="utf-8")
    assert '<details data-pagefind-ignore class="ref-pli" data-search-exclude="oui" id="citer">' in page
    assert "/recherche/" not in pages, "the search page is not a result"


def test_the_search_finds_each_text_once_and_not_the_apparatus_the_pages_repeat_around_it(built: Layout):
    """What a reader searches for is each entry's title, summary and text. Left out: the lines of sources and
    notes (« Source : … », « Le territoire : … »), the pictures' names and captions (the lists and tables that
    follow hold the same), the entries that cite a document and the items of the lists of lessons and fiches
    (each found on its own page), the sources of the population figures, and the first factor, point of
    vigilance and difficulty that « L'essentiel » repeats from their lists (found there)."""
    pages = {address: " ".join(page["content"].replace("\u202f", " ").replace("\xa0", " ").split())
             for address, page in searched_pages(built.site).items()}
    lesson = pages["/enseignements/recit-partage/"]
    assert lesson.count("Un portage au plus haut niveau de la collectivité") == 1
    assert lesson.count("Le travail de récit demande des compétences et du temps") == 1
    assert "Le festival des Gohelliades a retourné l'image laissée par la mine" in lesson
    assert "Le territoire :" not in lesson and "Source :" not in lesson
    assert pages["/fiches/fifty-fifty/"].count("La charge de suivi pour les services est réelle") == 1
    territory = pages["/territoires/loos-en-gohelle/"]
    assert "Histoire" in territory and "Les projets (barres)" not in territory
    assert "chiffres des sources" not in territory
    assert "Cité par" not in pages["/bibliographie/"]
    assert "Les piliers reposent sur le socle" not in pages["/code-source/"]
    assert "Ce qui marche pour conduire le changement" in pages["/enseignements/"]
    assert "S'inscrire dans une proximité au territoire vécu" not in pages["/enseignements/"]
    assert "Des dispositifs, des méthodes" in pages["/fiches/"] and "La visite préalable" not in pages["/fiches/"]


def test_a_lesson_shows_no_comment_of_its_template(built: Layout):
    page = html(built, "enseignements/recit-partage")
    assert "{#" + "-" not in page and "-" + "#}" not in page


def test_folding_appends_the_accent_free_words_to_each_block_and_title(tmp_path: Path):
    (tmp_path / "search").mkdir()
    index = {"config": {"lang": ["fr"]}, "docs": [
        {"location": "a/", "title": "Énergie", "text": "<p>L'énergie des élus, encore l'énergie.</p>"},
        {"location": "b/", "title": "Sans accent", "text": "<p>Rien a ajouter.</p>"},
        {"location": "c/", "title": "Élus", "text": "<p>Le titre seul a un accent.</p>"},
    ]}
    (tmp_path / "search/search_index.json").write_text(json.dumps(index), encoding="utf-8")
    fold_index(tmp_path)
    docs = json.loads((tmp_path / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert docs[0]["text"] == "<p>L'énergie des élus, encore l'énergie.<span hidden>energie elus</span></p>"
    assert docs[1]["text"] == "<p>Rien a ajouter.</p>" and docs[1]["title"] == "Sans accent"
    assert docs[2]["text"] == "<p>Le titre seul a un accent.</p>"
    # in the title itself, so that Material's boost of titles holds for « energie » as for « énergie »
    assert docs[0]["title"] == "Énergie<span hidden>energie</span>"
    assert docs[2]["title"] == "Élus<span hidden>elus</span>"


def test_folding_adds_each_accented_word_once_and_nothing_else():
    assert fold("Œuvre") == "OEuvre" and fold("été") == "ete" and fold("Élu·es") == "Elu·es"
    assert folded_words("<p>L'énergie, l'<em>énergie</em> et l'energie ; un élu.</p>") == ["elu"]
    assert folded_words("<p>Une école, des écoles</p>") == ["ecole", "ecoles"]
    assert folded_words("<p>sans accent</p>") == []


def test_the_added_words_hide_inside_the_block_they_come_from():
    assert fold_text("<p>Une école.</p> <ul> <li>Un élu</li> </ul> Vécu") == (
        "<p>Une école.<span hidden>ecole</span></p> <ul> <li>Un élu</li> <span hidden>elu</span></ul> "
        "Vécu<span hidden>vecu</span>")
    assert fold_text("<p>Rien</p>") == "<p>Rien</p>"


def test_python_build_py_without_command_checks_then_builds(tmp_path: Path, built: Layout):
    """Run in this process, on a copy of the built small référentiel without its site: its build folder holds the
    PDFs of the earlier build, which are not laid out again (a first build from nothing is `built` itself, and
    `python build.py` starting the command line is tested in test_cli.py)."""
    root = copy_of_built(built, tmp_path)
    shutil.rmtree(root / "site")
    result = run_here(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Site construit dans {root / 'site'} en ")
    assert f"Pour le regarder : python build.py --racine {root} serve, puis ouvrez http://127.0.0.1:8000/" \
        in result.stdout
    steps = [re.sub(r"\d+(\.\d)?", "N", line) for line in result.stderr.splitlines()]
    for step in ("Vérification du référentiel", "Construction du site par MkDocs, puis de l'index de recherche"):
        assert f"{step}…" in steps, "a line when a long step starts"
    assert "Construction du site par MkDocs, puis de l'index de recherche : N pages HTML en N s" in steps, \
        "and one with its count and time when it ends"
    assert "Vérification du référentiel : 8 entrées valides en " in result.stderr, "the 8 entries of the fixture"
    assert (root / "site/fiches/fifty-fifty/index.html").is_file()
    assert run_here(root, "build").returncode == 0
    assert not list(root.glob(".site*")), "no temporary folder is left behind"


def test_an_invalid_entry_stops_the_build_and_leaves_the_previous_site_byte_identical(tmp_path: Path,
                                                                                      built: Layout):
    layout = Layout(copy_of_built(built, tmp_path))
    root = layout.root
    before = fingerprint(layout.site)
    replace(root, "lessons/recit-partage.yaml", "statut: oui", "statut: peut-etre")
    result = run_here(root)
    assert result.returncode == 1
    assert "lessons/recit-partage.yaml:" in result.stderr
    assert "« peut-etre » n'est pas dans le vocabulaire" in result.stderr
    assert "Le site n'a pas été construit" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert fingerprint(layout.site) == before


def test_a_failed_mkdocs_build_leaves_the_previous_site_byte_identical(tmp_path: Path, built: Layout):
    layout = Layout(copy_of_built(built, tmp_path))
    root = layout.root
    before = fingerprint(layout.site)
    (root / "content/questions-ouvertes.md").write_text("# Questions\n\nVoir [la page](absente.md).\n")
    result = run_here(root)
    assert result.returncode == 1
    assert "MkDocs a refusé de construire le site (mode strict)" in result.stderr
    assert "absente.md" in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(layout.site) == before
    assert sorted(path.name for path in root.iterdir() if path.name.startswith(".")) == []


def test_a_failed_search_index_fails_the_build_in_french_and_leaves_the_previous_site_byte_identical(
        tmp_path: Path, built: Layout, monkeypatch: pytest.MonkeyPatch):
    layout = Layout(copy_of_built(built, tmp_path))
    before = fingerprint(layout.site)

    def failing(site: Path) -> None:
        raise pagefind.SearchError("Pagefind n'a pas pu indexer le site : disque plein")

    monkeypatch.setattr(pagefind, "index", failing)
    with pytest.raises(SiteError, match=r"^Pagefind n'a pas pu indexer le site : disque plein$"):
        publish(layout)
    assert fingerprint(layout.site) == before
    assert sorted(path.name for path in layout.root.iterdir() if path.name.startswith(".")) == []


def test_the_pdfs_laid_out_while_mkdocs_builds_reach_the_site_which_is_the_same_as_when_they_are_waited_for(
        tmp_path: Path):
    overlapped, waited = mini_referentiel(tmp_path / "a"), mini_referentiel(tmp_path / "b")
    result = run_here(overlapped)
    assert result.returncode == 0, result.stderr
    assert "PDF : 8/8 mis en page" in result.stderr
    prepare(checked(waited), Layout(waited))
    publish(Layout(waited))
    site = fingerprint(Layout(overlapped).site)
    assert site == fingerprint(Layout(waited).site)
    pdfs = {path: digest for path, digest in site.items() if path.endswith(".pdf")}
    assert len(pdfs) == 8, "one PDF per entry (the booklet is not asked for)"
    assert {path: digest for path, digest in fingerprint(Layout(overlapped).docs).items()
            if path.endswith(".pdf")} == pdfs, "the build folder holds them too, for any other builder"


class SettledPdfs(LatePdfs):
    """Late PDFs already laid out when MkDocs is done (`ready`), or still being laid out then."""

    def __init__(self, pdfs: dict[str, bytes], ready: bool):
        super().__init__()
        self.paths, self.pdfs, self.settled = frozenset(pdfs), pdfs, ready

    def ready(self) -> bool:
        return self.settled

    def wait(self) -> dict[str, bytes]:
        return self.pdfs


@pytest.mark.parametrize("ready", [True, False], ids=["written-while-pagefind-indexes", "written-after-it"])
def test_late_pdfs_reach_the_site_and_the_build_folder_whether_laid_out_before_mkdocs_is_done_or_after(
        tmp_path: Path, ready: bool):
    root = mini_referentiel(tmp_path)
    layout = Layout(root)
    prepare(checked(root), layout)
    late = SettledPdfs({"pdf/fiches/fifty-fifty.pdf": b"%PDF-1.7 mis en page pendant MkDocs"}, ready)
    publish(layout, late=late)
    assert (layout.site / "pdf/fiches/fifty-fifty.pdf").read_bytes() == b"%PDF-1.7 mis en page pendant MkDocs"
    assert (layout.docs / "pdf/fiches/fifty-fifty.pdf").read_bytes() == b"%PDF-1.7 mis en page pendant MkDocs"
    assert (layout.site / "pagefind/pagefind.js").is_file(), "the site indexed all the same"


def test_after_an_edit_the_pdf_laid_out_again_replaces_the_former_one_in_the_site_and_the_build_folder(
        tmp_path: Path, built: Layout):
    layout = Layout(copy_of_built(built, tmp_path))
    assert run_here(layout.root).returncode == 0
    before = fingerprint(layout.site)
    replace(layout.root, "fiches/fifty-fifty.yaml", "titre: ", "titre: Corrigé, ")
    result = run_here(layout.root)
    assert result.returncode == 0, result.stderr
    after, docs = fingerprint(layout.site), fingerprint(layout.docs)
    changed = [path for path in after if path.endswith(".pdf") and after[path] != before[path]]
    assert "pdf/fiches/fifty-fifty.pdf" in changed, "its title is in the PDFs of the entries that link to it too"
    assert f"PDF : {len(changed)}/{len(changed)} mis en page" in result.stderr, "those alone are laid out again"
    assert {path: docs[path] for path in changed} == {path: after[path] for path in changed}


def test_a_link_to_a_pdf_that_no_entry_has_fails_the_build_while_the_pdfs_are_being_laid_out(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    (root / "content/questions-ouvertes.md").write_text(
        "# Questions\n\n[Fiche](pdf/fiches/fifty-fifty.pdf), [absente](pdf/fiches/absente.pdf).\n")
    result = run_here(root)
    assert result.returncode == 1
    assert "pdf/fiches/absente.pdf" in result.stderr and "pdf/fiches/fifty-fifty.pdf" not in result.stderr
    assert not Layout(root).site.exists()


def test_a_content_page_may_not_take_the_name_of_a_generated_page(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = checked(root)  # before the page is added: check refuses it too, the build must on its own
    (root / "content/glossaire.md").write_text("# Mon glossaire\n")
    with pytest.raises(SiteError, match=re.escape("content/glossaire.md:1:1: « glossaire.md » est le nom d'une page du site")):
        prepare(referentiel, Layout(root))


def test_former_ids_redirect_to_the_entry(tmp_path: Path, built: Layout):
    root = copy_of_built(built, tmp_path)
    replace(root, "fiches/fifty-fifty.yaml", "id: fifty-fifty\n", "id: fifty-fifty\nanciens_ids:\n  - moitie-moitie\n")
    layout = build(root)
    redirect = (layout.site / "fiches/moitie-moitie/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../fifty-fifty/">' in redirect


def test_the_edit_action_opens_the_yaml_source_when_the_repository_is_known(tmp_path: Path, built: Layout):
    assert 'rel="edit"' not in html(built, "fiches/fifty-fifty")
    root = copy_of_built(built, tmp_path)
    own_publication(root, depot="https://example.org/depot/referentiel")
    page = html(build(root), "fiches/fifty-fifty")
    assert '<a href="https://example.org/depot/referentiel/edit/main/fiches/fifty-fifty.yaml" ' \
           'title="Modifier cette page"' in page
    assert 'data-md-component="source"' not in page, "no request to the forge's API from the reader's browser"


def test_the_page_shows_when_its_source_was_last_changed(built: Layout):
    page = html(built, "fiches/fifty-fifty")
    assert "Mis à jour le <time datetime=" in page


def test_write_tree_rewrites_only_what_changed_and_removes_what_is_gone(tmp_path: Path):
    folder = tmp_path / "docs"
    assert write_tree({"a.md": b"A", "b/c.md": b"C"}, folder) == ["a.md", "b/c.md"]
    assert write_tree({"a.md": b"A", "d.md": b"D"}, folder) == ["d.md"]
    assert sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")) == ["a.md", "d.md"]


# --- Hostile text never reaches the reader's browser as code --------------------------------------

def vectors_per_page(site: Path) -> dict[str, Counter]:
    return {path.relative_to(site).as_posix(): Counter(executable_vectors(path.read_text(encoding="utf-8")))
            for path in sorted(site.rglob("*.html"))}


def test_hostile_text_in_every_field_adds_no_script_handler_or_scripted_link(hostile_built: Layout, built: Layout):
    layout = hostile_built
    assert hostile_referentiel(layout.root).by_id(Fiche)["fifty-fifty"].titre == PAYLOAD
    assert "alert(1)" in html(layout, "fiches/fifty-fifty"), "the text is shown, as text"
    assert vectors_per_page(layout.site) == vectors_per_page(built.site), \
        "the theme's own scripts and icons only, exactly as with ordinary text"
    # Pagefind's excerpts are HTML made from the page's text, which pagefind.js escapes first; titles and
    # headings are inserted as text.
    escaping = 'fragment.raw_content=fragment.content.replace(/</g,"&lt;").replace(/>/g,"&gt;")'
    assert escaping in (layout.site / "pagefind/pagefind.js").read_text(encoding="utf-8")
    shown = [page["content"].replace("<", "&lt;").replace(">", "&gt;") for page in searched_pages(layout.site).values()]
    assert any("alert(1)" in text for text in shown)
    assert [vector for text in shown for vector in executable_vectors(text)] == [], \
        "search results are inserted as HTML: they must be inert too"


def test_a_section_whose_heading_is_excluded_is_left_out_up_to_the_next_heading_of_its_level():
    page = ('<div><h2 id="a">A</h2><p>gardé</p><h2 data-search-exclude id="c">Citer</h2><p>non<br>non</p><hr>'
            '<h3>sous-section</h3><p>non</p><h2 id="d">D</h2><p>gardé</p></div><p>hors de la section</p>')
    assert ignore_excluded_sections(page) == (
        '<div><h2 id="a">A</h2><p>gardé</p><h2 data-search-exclude id="c">Citer</h2><p data-pagefind-ignore>non<br>'
        'non</p><hr data-pagefind-ignore><h3 data-pagefind-ignore>sous-section</h3><p data-pagefind-ignore>non</p>'
        '<h2 id="d">D</h2><p>gardé</p></div><p>hors de la section</p>')
    last = '<div><h2 data-search-exclude id="c">Citer</h2><p>non</p></div><p>hors de la section</p>'
    assert ignore_excluded_sections(last).endswith('<p data-pagefind-ignore>non</p></div><p>hors de la section</p>')
