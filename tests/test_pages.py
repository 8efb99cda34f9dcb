"""The Markdown pages rendered from the référentiel: what each kind of page shows, and its links."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from support import checked, mini_referentiel, plain

from engine.load.history import History
from engine.render.pages import Pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = mini_referentiel(tmp_path_factory.mktemp("pages"))
    return Pages(checked(root), History(root)).all("# Accueil\n")


def meta(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


NBSP, NNBSP = "\u00a0", "\u202f"


def anchors(page: str) -> list[str]:
    """The explicit ids of the page's headings and folds, in order."""
    found = re.findall(r"^(?:#+ .* \{#([\w-]+)(?: [^}]*)?\}|<details [^>]*id=\"([\w-]+)\")", page, flags=re.M)
    return [heading or folded for heading, folded in found]


def fold(page: str, anchor: str) -> str:
    """The Markdown inside one fold (`<details id=…>`), its summary included."""
    match = re.search(rf'^<details [^>]*id="{anchor}"[^>]*>\n(.*?)^</details>$', page, flags=re.M | re.S)
    assert match, f"no fold #{anchor}"
    return match.group(1)


def section(page: str, anchor: str) -> str:
    """The Markdown of one section, from its heading to the next heading of the same level."""
    match = re.search(rf"^(#+) .* \{{#{anchor}(?: [^}}]*)?\}}$", page, flags=re.M)
    if not match:
        return fold(page, anchor)
    level = len(match.group(1))
    rest = page[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    return rest[: end.start()] if end else rest


def test_every_entry_has_a_page_at_a_stable_address(pages: dict[str, str]):
    assert {path for path in pages if path.count("/") == 1 and not path.endswith("index.md")} == {
        "enseignements/recit-partage.md", "enseignements/proximite-quotidien.md", "enseignements/penser-systemique.md",
        "fiches/fifty-fifty.md", "fiches/visite-prealable.md",
        "territoires/loos-en-gohelle.md", "territoires/le-mene.md", "parcours/premiers-pas.md",
    }
    assert {"index.md", "enseignements/index.md", "fiches/index.md", "territoires/index.md", "parcours/index.md",
            "matrice.md",
            "glossaire.md", "bibliographie.md", "code-source.md"} <= set(pages)


def test_an_entry_page_has_its_front_matter(pages: dict[str, str]):
    front = meta(pages["fiches/fifty-fifty.md"])
    assert front["title"] == "Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants"
    assert front["description"].startswith("Des habitants proposent un projet d'intérêt général")
    assert front["source_yaml"] == "fiches/fifty-fifty.yaml"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", front["date_maj"]) and front["date_creation"] <= front["date_maj"]
    assert front["tags"] == ["Dispositif d'implication", "Coproduction"]


def test_a_lesson_page_shows_its_observations_with_links_to_the_territories(pages: dict[str, str]):
    page = pages["enseignements/recit-partage.md"]
    loos = fold(page, "observation-loos-en-gohelle")
    assert loos.startswith('<summary>Loos-en-Gohelle <span class="ref-statut ref-statut--confirme">Observé</span>'
                           '</summary>'), "the fold's summary gives the territory and the status"
    assert "Le festival des Gohelliades a retourné l'image laissée par la mine." in loos
    assert f"[Le territoire{NBSP}: Loos-en-Gohelle](../territoires/loos-en-gohelle.md)" in loos
    assert f"Source{NBSP}: [ADEME 2019](#source-rapport-test), pôle Récit" in loos, "a short citation, to the foot"
    le_mene = fold(page, "observation-le-mene")
    assert "ref-statut--non-confirme" in le_mene and ">Non observé</span>" in le_mene


def test_the_evidence_level_counts_the_territories_of_each_status_apart(pages: dict[str, str]):
    assert "observé dans 1 territoire ; non observé dans 1 territoire" in plain(pages["enseignements/recit-partage.md"])
    assert ("observé ponctuellement dans 1 territoire ; exemple cité dans 1 territoire"
            in plain(pages["enseignements/proximite-quotidien.md"]))


def test_a_territory_page_lists_the_lessons_observed_and_the_fiches_practised_there(pages: dict[str, str]):
    page = pages["territoires/le-mene.md"]
    assert [line for line in section(page, "enseignements").strip().splitlines() if line] == [
        "- [S'inscrire dans une proximité au territoire vécu, au quotidien]"
        "(../enseignements/proximite-quotidien.md#observation-le-mene) — "
        '<span class="ref-statut ref-statut--confirme">Exemple cité</span>',
        "- [Co-construire et partager un récit avec les acteurs du territoire]"
        "(../enseignements/recit-partage.md#observation-le-mene) — "
        '<span class="ref-statut ref-statut--non-confirme">Non observé</span>',
    ], "the lessons the territory confirms come first"
    assert section(page, "fiches").strip() == (
        "- [La visite préalable du territoire](../fiches/visite-prealable.md#exemple-le-mene) — 1 exemple")


def test_links_between_lessons_and_fiches_show_on_both_sides(pages: dict[str, str]):
    # Written on the lesson's side only: recit-partage → visite-prealable.
    assert "](../fiches/visite-prealable.md)" in section(pages["enseignements/recit-partage.md"], "fiches")
    assert "](../enseignements/recit-partage.md)" in section(pages["fiches/visite-prealable.md"], "enseignements")
    # Written on the fiche's side only: fifty-fifty → proximite-quotidien.
    assert "](../enseignements/proximite-quotidien.md)" in section(pages["fiches/fifty-fifty.md"], "enseignements")
    assert "](../fiches/fifty-fifty.md)" in section(pages["enseignements/proximite-quotidien.md"], "fiches")
    # Between fiches: written once, shown on both.
    assert "](visite-prealable.md)" in section(pages["fiches/fifty-fifty.md"], "fiches")
    assert "](fifty-fifty.md)" in section(pages["fiches/visite-prealable.md"], "fiches")


def test_links_between_lessons_show_on_both_sides(pages: dict[str, str]):
    # Written on penser-systemique only.
    assert "- [Co-construire et partager un récit avec les acteurs du territoire](recit-partage.md)" in section(
        pages["enseignements/penser-systemique.md"], "enseignements-proches")
    assert "- [Construire son intervention en pensant systémique](penser-systemique.md)" in section(
        pages["enseignements/recit-partage.md"], "enseignements-proches")


def test_a_training_path_lists_its_steps_and_the_entries_name_it_back(pages: dict[str, str]):
    page = pages["parcours/premiers-pas.md"]
    assert page.index("### 1. [Loos-en-Gohelle](../territoires/loos-en-gohelle.md) {#etape-1}") < page.index(
        "### 2. [Co-construire et partager un récit avec les acteurs du territoire]"
        "(../enseignements/recit-partage.md) {#etape-2}")
    assert f"Territoire, durée{NBSP}:</span> 30 minutes" in page
    backlink = "- [Premiers pas avec les habitants](../parcours/premiers-pas.md)"
    for entry in ("territoires/loos-en-gohelle.md", "enseignements/recit-partage.md", "fiches/fifty-fifty.md"):
        assert backlink in section(pages[entry], "parcours")
    assert "](premiers-pas.md) — Élus et agents d'une commune qui débute. (une demi-journée)" in pages[
        "parcours/index.md"]


def test_entries_named_in_the_code_source_link_back_to_it(pages: dict[str, str]):
    assert "[L'implication des habitants](../code-source.md#implication)" in section(
        pages["fiches/fifty-fifty.md"], "code-source")
    code_source = pages["code-source.md"]
    assert "[Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants](fiches/fifty-fifty.md)" \
        in section(code_source, "implication")
    assert code_source.index("{#schema-piliers}") < code_source.index("{#schema-socle}")


def test_headings_have_ids_that_do_not_depend_on_their_wording(pages: dict[str, str]):
    assert anchors(pages["enseignements/recit-partage.md"]) == [
        "quoi", "comment", "pour-quels-resultats", "observations", "observation-loos-en-gohelle",
        "observation-le-mene", "facteurs-de-reussite", "points-de-vigilance", "fiches", "enseignements-proches",
        "citations",
        "code-source", "parcours", "historique", "sources", "sources-citees", "remarques-sources", "modifications",
        "citer",
    ]
    assert anchors(pages["fiches/fifty-fifty.md"]) == [
        "objectif", "etapes", "etape-1", "etape-2", "difficultes", "exemples", "exemple-loos-en-gohelle",
        "chiffres", "citations", "enseignements", "fiches", "code-source", "parcours", "sources", "sources-citees",
        "modifications", "citer",
    ]
    assert anchors(pages["territoires/loos-en-gohelle.md"]) == [
        "populations", "histoire", "chronologie", "chronologie-1980", "chronologie-2000", "chronologie-2010",
        "projets", "projet-1", "roles", "enseignements", "fiches", "parcours", "sources", "sources-citees",
        "modifications", "citer",
    ]


def test_a_fiche_shows_its_steps_in_order_and_its_figures_in_french(pages: dict[str, str]):
    page = pages["fiches/fifty-fifty.md"]
    assert fold(page, "etape-1").startswith("<summary>1. Initialisation")
    assert page.index('id="etape-1"') < page.index('id="etape-2"') and "<summary>2. Convention" in page
    assert "<dt data-search-exclude=\"oui\">Durée</dt>\n<dd>\n\nQuelques jours à plusieurs mois.\n\n</dd>" in page
    assert f"- **environ 25{NNBSP}000{NBSP}€ par an**{NBSP}: Rénovation d'un kilomètre de chemins ruraux" in page
    assert f"- **4 à 6**{NBSP}: Projets par an (2019)" in page


def test_a_territory_shows_its_identity_and_its_dated_story(pages: dict[str, str]):
    page = pages["territoires/loos-en-gohelle.md"]
    assert "<dd>\n\nPas-de-Calais (62)\n\n</dd>" in page
    assert f"7{NNBSP}000 habitants en 2016 ([ADEME 2019](#populations)), [1 autre chiffre](#populations)" in page, \
        "the key facts give the first figure, the fold all of them with their sources"
    assert (f"6{NNBSP}500 habitants, chiffre arrondi par la source ([Ville de Loos-en-Gohelle 2019]"
            "(#source-referentiel-test), avant-propos)") in fold(page, "populations")
    assert '<time datetime="2000-06">juin 2000</time> Adoption de la Charte du cadre de vie.' in fold(
        page, "chronologie-2000")
    assert '<time datetime="1984">vers 1984</time>' in fold(page, "chronologie-1980")
    assert "<dd>\n\nCommunauté d'agglomération de Lens-Liévin\n\n</dd>" in page
    assert '<time datetime="2014-03-22">22 mars 2014</time>' in page


def test_the_lists_group_entries_by_vocabulary_and_carry_filter_attributes(pages: dict[str, str]):
    page = pages["enseignements/index.md"]
    assert page.index("{#famille-recherche-action-ademe}") < page.index("{#pole-recit}") < page.index(
        "{#famille-villes-pairs}")
    assert ("- [Co-construire et partager un récit avec les acteurs du territoire](recit-partage.md) — "
            f"Comment partager le projet de transition avec les acteurs du territoire{NNBSP}?\n"
            '  { data-famille="recherche-action-ademe" data-pole="recit" data-niveau="structurant" data-search-exclude }'
            ) in page, "each item repeats its lesson's title and key question: the search finds the lesson's page"
    form = page[page.index("<form"):page.index("</form>")]
    assert form.count("<option") == (1 + 2) + (1 + 3) + (1 + 2), "« Toutes », then only the values some entry uses"
    assert '<label>Famille\n<select data-filtre="famille">\n<option value="">Toutes</option>' in form
    assert '<label>Pôle\n<select data-filtre="pole">\n<option value="">Tous</option>' in form
    assert "<form class=\"ref-filtres\" data-ref-filtres hidden>" in page


def test_the_matrix_crosses_every_lesson_with_every_territory(pages: dict[str, str]):
    words = pages["matrice.md"].partition("</figure>")[2]  # the table in words, after the picture
    rows = [row for row in words.splitlines() if row.startswith("| [")]
    assert len(rows) == 3
    recit = next(row for row in rows if "recit-partage.md)" in row)
    assert "[Non observé](enseignements/recit-partage.md#observation-le-mene){ .ref-statut" in recit
    assert "[Observé](enseignements/recit-partage.md#observation-loos-en-gohelle){ .ref-statut" in recit
    systemique = next(row for row in rows if "penser-systemique.md)" in row)
    assert '<span class="ref-sr">pas d\'observation</span>' in systemique


def test_with_more_territories_than_fit_a_grid_the_matrix_lists_each_lessons_observations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("engine.render.pages.MATRIX_COLUMNS", 1)
    root = mini_referentiel(tmp_path)
    page = Pages(checked(root), History(root)).all("# Accueil\n")["matrice.md"]
    assert "| Enseignement | Observations | Confirmé dans |" in page
    recit = next(row for row in page.splitlines() if "recit-partage.md)" in row)
    assert f"| [Loos-en-Gohelle](territoires/loos-en-gohelle.md){NBSP}: [Observé]" in recit
    assert (f"{NNBSP}; [Le Mené](territoires/le-mene.md){NBSP}: [Non observé](enseignements/recit-partage.md#observation-le-mene)"
            "{ .ref-statut .ref-statut--non-confirme } | 1 territoire |") in recit
    assert len([row for row in page.splitlines() if row.startswith("| [")]) == 3, "one row per lesson"


def test_the_matrix_is_left_out_of_the_search_index(pages: dict[str, str]):
    assert meta(pages["matrice.md"])["search"] == {"exclude": True}


def test_the_glossary_and_the_bibliography_have_an_anchor_per_item(pages: dict[str, str]):
    assert anchors(pages["glossaire.md"]) == ["lettre-a", "ademe", "lettre-p", "plu"]
    assert f'<span class="ref-glossaire__etiquette">Voir aussi{NBSP}:</span> [ADEME](glossaire.md#ademe)\n' \
           '{ .ref-voir-aussi }' in pages["glossaire.md"], "« Voir aussi » and « Sources » are told apart"
    bibliography = pages["bibliographie.md"]
    assert '<div class="ref-document" id="rapport-test" markdown>' in bibliography
    assert "[Consulter le document](https://example.org/referentiel.pdf)" in bibliography
    assert re.search(r"<summary>Cité par \d+\s+entrées?</summary>", bibliography), "the entries citing a document are folded"
    assert "\n- [Co-construire et partager un récit" in bibliography, "one entry a line"


def test_the_home_page_ends_with_the_latest_changes(pages: dict[str, str]):
    home = pages["index.md"]
    assert home.startswith("# Accueil\n") and "## Ce que contient le référentiel {#contenu}" in home
    assert re.findall(r"^## .*$", home, flags=re.M)[-1] == "## Dernières modifications {#dernieres-modifications}"
    assert len(re.findall(r"^- <time datetime=", home, flags=re.M)) == 8


def test_contributor_titles_are_shown_as_written_not_interpreted(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    path = root / "lessons/penser-systemique.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "titre: Construire son intervention en pensant systémique",
        "titre: 'Penser & [agir](https://example.org) *vite* \"ensemble\" #1'"), encoding="utf-8")
    page = Pages(checked(root), History(root)).all("# Accueil\n")["enseignements/penser-systemique.md"]
    assert meta(page)["title"] == "Penser &amp; [agir](https://example.org) *vite* &quot;ensemble&quot; #1"
    assert "# Penser &amp; &#91;agir&#93;(https://example.org) &#42;vite&#42; &quot;ensemble&quot; &#35;1\n" in page


def git(root: Path, *args: str, date: str | None = None) -> None:
    environment = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                   check=True, capture_output=True, env={**environment, "PATH": "/usr/bin:/bin"})


def test_dates_come_from_the_git_history_of_the_yaml_source(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "début", date="2024-01-15T12:00:00Z")
    (root / "fiches/fifty-fifty.yaml").write_text((root / "fiches/fifty-fifty.yaml").read_text() + "\n")
    git(root, "commit", "-q", "-am", "retouche", date="2025-03-02T12:00:00Z")
    history = History(root)
    assert history.dates("fiches/fifty-fifty.yaml").created.isoformat() == "2024-01-15"
    assert history.dates("fiches/fifty-fifty.yaml").updated.isoformat() == "2025-03-02"
    assert history.dates("lessons/recit-partage.yaml").updated.isoformat() == "2024-01-15"


def test_source_date_epoch_caps_every_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = mini_referentiel(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dates = History(root).dates("fiches/fifty-fifty.yaml")  # outside git: the file's time, capped
    assert dates.created.isoformat() == dates.updated.isoformat() == "2023-11-14"
