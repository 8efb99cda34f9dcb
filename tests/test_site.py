"""Building the site: the pages at their addresses, a short navigation, French search without accents,
and a `site/` that is only ever replaced by a complete, successful build."""

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import build
from engine.checking import check
from engine.search import fold, fold_index, fold_text, folded_words
from engine.site import Layout, SiteError, prepare, publish, write_tree
from support import PAYLOAD, executable_vectors, hostile_referentiel, mini_referentiel, own_publication, replace

ROOT = Path(__file__).resolve().parent.parent
ENTRY_PAGES = ["enseignements/recit-partage", "enseignements/proximite-quotidien", "enseignements/penser-systemique",
               "fiches/fifty-fifty", "fiches/visite-prealable", "territoires/loos-en-gohelle", "territoires/le-mene",
               "parcours/premiers-pas"]


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), "--racine", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


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


def test_the_search_index_also_holds_the_words_without_their_accents(built: Layout):
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fr"] and "stemmer" not in index["config"]["pipeline"]
    lesson = next(doc for doc in index["docs"] if doc["location"] == "enseignements/proximite-quotidien/")
    assert lesson["text"].startswith("<p>Question clé : Comment faire naître"), "the preview is unchanged"
    words = set(re.findall(r"\w+", re.sub(r"<[^>]*>", " ", lesson["text"])))
    assert {"énergétique", "energetique", "naître", "naitre", "proximite"} <= words


def test_boilerplate_lists_of_other_entries_and_source_lists_stay_out_of_the_search_index(built: Layout):
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    anchors = {doc["location"].partition("#")[2] for doc in index["docs"]}
    assert {"quoi", "objectif", "histoire", "remarques-sources"} <= anchors
    assert not anchors & {"citer", "modifications", "fiches", "enseignements", "code-source", "parcours", "sources"}
    page = (built.site / "enseignements/proximite-quotidien/index.html").read_text(encoding="utf-8")
    assert '<h2 data-search-exclude id="citer">' in page


def test_folding_appends_the_accent_free_words_to_each_document(tmp_path: Path):
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
    assert docs[1]["text"] == "<p>Rien a ajouter.</p>"
    assert docs[2]["text"] == "<p>Le titre seul a un accent.</p><span hidden>elus</span>"


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


def test_python_build_py_without_command_checks_then_builds(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Site construit dans {root / 'site'} en ")
    assert (root / "site/fiches/fifty-fifty/index.html").is_file()
    assert run(root, "build").returncode == 0
    assert not list(root.glob(".site*")), "no temporary folder is left behind"


def test_an_invalid_entry_stops_the_build_and_leaves_the_previous_site_byte_identical(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    layout = build(root)
    before = fingerprint(layout.site)
    replace(root, "lessons/recit-partage.yaml", "statut: oui", "statut: peut-etre")
    result = run(root)
    assert result.returncode == 1
    assert "lessons/recit-partage.yaml:" in result.stderr
    assert "« peut-etre » n'est pas dans le vocabulaire" in result.stderr
    assert "Le site n'a pas été construit" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert fingerprint(layout.site) == before


def test_a_failed_mkdocs_build_leaves_the_previous_site_byte_identical(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    layout = build(root)
    before = fingerprint(layout.site)
    (root / "content/questions-ouvertes.md").write_text("# Questions\n\nVoir [la page](absente.md).\n")
    result = run(root)
    assert result.returncode == 1
    assert "MkDocs a refusé de construire le site (mode strict)" in result.stderr
    assert "absente.md" in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(layout.site) == before
    assert sorted(path.name for path in root.iterdir() if path.name.startswith(".")) == []


def test_a_content_page_may_not_take_the_name_of_a_generated_page(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    (root / "content/glossaire.md").write_text("# Mon glossaire\n")
    with pytest.raises(SiteError, match="content/glossaire.md:1:1: « glossaire.md » est le nom d'une page du site"):
        prepare(check(root).referentiel, Layout(root))


def test_former_ids_redirect_to_the_entry(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    replace(root, "fiches/fifty-fifty.yaml", "id: fifty-fifty\n", "id: fifty-fifty\nanciens_ids:\n  - moitie-moitie\n")
    layout = build(root)
    redirect = (layout.site / "fiches/moitie-moitie/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../fifty-fifty/">' in redirect


def test_the_edit_action_opens_the_yaml_source_when_the_repository_is_known(tmp_path: Path, built: Layout):
    assert 'rel="edit"' not in html(built, "fiches/fifty-fifty")
    root = mini_referentiel(tmp_path)
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


def test_hostile_text_in_every_field_adds_no_script_handler_or_scripted_link(tmp_path: Path, built: Layout):
    root = mini_referentiel(tmp_path)
    hostile = hostile_referentiel(root)
    assert hostile.get("fiche", "fifty-fifty").titre == PAYLOAD
    layout = Layout(root)
    prepare(hostile, layout)
    publish(layout)
    assert "alert(1)" in html(layout, "fiches/fifty-fifty"), "the text is shown, as text"
    assert vectors_per_page(layout.site) == vectors_per_page(built.site), \
        "the theme's own scripts and icons only, exactly as with ordinary text"
    index = json.loads((layout.site / "search/search_index.json").read_text(encoding="utf-8"))
    shown = [f"{doc['title']} {doc['text']} {' '.join(doc.get('tags', []))}" for doc in index["docs"]]
    assert any("alert(1)" in text for text in shown)
    assert [vector for text in shown for vector in executable_vectors(text)] == [], \
        "search results are inserted as HTML: they must be inert too"
