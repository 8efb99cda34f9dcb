"""One thematic spine for the whole référentiel: the « code source » of `data/code-source.yaml`, its socle, its
pillars, the dimensions that cross them and the results the method produces. Every lesson and every fiche hangs
on it, and the code-source page lists them element by element."""

from pathlib import Path

import pytest
from support import checked, mini_referentiel, replace

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.render.pages import Pages

SHIPPED = Path(__file__).resolve().parent.parent

CROSSING = """dimensions:
  - id: echelles
    titre: Travailler à plusieurs échelles
    description: Aller chercher ailleurs ce qui manque.
    fiches:
      - visite-prealable
resultats:
  - id: systemiques
    titre: Des résultats systémiques
    description: La confiance, le pouvoir d'agir.
    enseignements:
      - recit-partage
      - proximite-quotidien
      - penser-systemique
      - recit-partage-bis
      - recit-partage-ter
      - recit-partage-quater
sources:
"""


def crossed(tmp_path: Path, lessons: int = 6) -> Path:
    """The mini référentiel whose code source also has a dimension and results (`lessons` lessons hung on them)."""
    root = mini_referentiel(tmp_path)
    named = CROSSING.split("    enseignements:\n")[1].split("sources:")[0].splitlines()[:lessons]
    text = CROSSING.split("    enseignements:\n")[0] + "    enseignements:\n" + "\n".join(named) + "\nsources:\n"
    replace(root, "data/code-source.yaml", "sources:\n", text)
    return root


def pages_of(root: Path) -> dict[str, str]:
    return Pages(checked(root), History(root)).all("# Accueil\n")


def test_every_shipped_lesson_and_fiche_hangs_on_the_code_source(shipped_referentiel: Referentiel):
    referentiel = shipped_referentiel
    assert referentiel.code_source is not None
    hung = {(kind, ident) for element in referentiel.code_source.elements()
            for kind, idents in (("enseignement", element.enseignements), ("fiche", element.fiches))
            for ident in idents}
    for kind in ("enseignement", "fiche"):
        assert {(kind, ident) for ident in referentiel.entries[kind]} - hung == set(), kind


def test_a_dimension_naming_an_unknown_lesson_is_rejected_at_its_line_with_a_suggestion(tmp_path: Path):
    root = crossed(tmp_path, lessons=4)
    problems = [problem.human() for problem in check(root).problems]
    assert len(problems) == 1 and problems[0].startswith("data/code-source.yaml:")
    assert "resultats.0.enseignements.3 : aucun(e) enseignement n'a l'id « recit-partage-bis »" in problems[0]
    assert "vouliez-vous dire « recit-partage » ?" in problems[0]


def test_the_code_source_page_shows_what_crosses_the_method_and_what_it_produces_below_the_socle(tmp_path: Path):
    root = crossed(tmp_path, lessons=3)
    page = pages_of(root)["code-source.md"]
    order = [page.index(anchor) for anchor in ("{#schema-piliers}", "{#schema-socle}", "{#schema-dimensions}",
                                               "{#schema-resultats}", "{#sources")]
    assert order == sorted(order)
    assert "## Ce qui traverse l'ensemble {#schema-dimensions}" in page
    assert "### Travailler à plusieurs échelles {#echelles}" in page
    assert "](fiches/visite-prealable.md)" in page.split("{#echelles}")[1].split("{#systemiques}")[0]


def test_an_entry_hung_on_a_result_links_back_to_it(tmp_path: Path):
    pages = pages_of(crossed(tmp_path, lessons=3))
    assert "[Des résultats systémiques](../code-source.md#systemiques)" in pages["enseignements/penser-systemique.md"]
    assert "[Travailler à plusieurs échelles](../code-source.md#echelles)" in pages["fiches/visite-prealable.md"]


@pytest.mark.parametrize("lessons, folded", [(3, False), (6, True)])
def test_a_long_list_of_an_element_is_folded_a_short_one_shown(tmp_path: Path, lessons: int, folded: bool):
    root = crossed(tmp_path, lessons=lessons)
    if lessons == 6:  # three more lessons, copies of one under other ids, so that the list runs past five
        for suffix in ("bis", "ter", "quater"):
            text = (root / "lessons/recit-partage.yaml").read_text(encoding="utf-8")
            (root / f"lessons/recit-partage-{suffix}.yaml").write_text(
                text.replace("id: recit-partage\n", f"id: recit-partage-{suffix}\n", 1), encoding="utf-8")
    results = pages_of(root)["code-source.md"].split("{#systemiques}")[1]
    assert ("<summary>6 enseignements</summary>" in results) is folded
    assert ('<p class="ref-schema__liens-titre">Enseignements</p>' in results) is not folded


def test_the_home_page_and_the_lessons_index_lead_to_each_pillar_of_the_shipped_code_source(
        shipped_referentiel: Referentiel):
    referentiel = shipped_referentiel
    pages = Pages(referentiel, History(SHIPPED)).all("# Accueil\n")
    home, lessons = pages["index.md"], pages["enseignements/index.md"]
    assert referentiel.code_source is not None
    for pillar in referentiel.code_source.piliers:
        assert f"    - [{pillar.titre}](code-source.md#{pillar.id})" in home.split("{#fil-conducteur}")[1]
        assert f"[{pillar.titre}](../code-source.md#{pillar.id})" in lessons.split("{#famille-")[0]
