"""The map above the families (`data/reperes.yaml`): ADEME's axes and the readers' questions, and the home
page that leads with them."""

from pathlib import Path

import pytest
from support import checked, plain, replace, small_referentiel

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.model.format import Axis, ReaderQuestion
from engine.render.pages import Pages

SHIPPED = Path(__file__).resolve().parent.parent

LANDMARKS = """axes_introduction: Quatre axes.
axes:
  - id: recit
    titre: Le récit
    description: Raconter la trajectoire.
    enseignements:
      - recit-partage
axes_sources:
  - document: rapport
    passage: préambule
questions:
  - id: impliquer
    question: Comment impliquer les habitants ?
    reponse: En partant de leur quotidien.
    enseignements:
      - recit-partage
    fiches:
      - reunion-test
a_lire_d_abord:
  - recit-partage
exemple_territoire: ville-test
exemple_fiche: reunion-test
"""


def with_landmarks(tmp_path: Path, text: str = LANDMARKS) -> Path:
    root = small_referentiel(tmp_path)
    (root / "data/reperes.yaml").write_text(text, encoding="utf-8")
    return root


def rendered(root: Path) -> dict[str, str]:
    return {path: plain(page) for path, page in Pages(checked(root), History(root)).all("# Accueil\n").items()}


def test_a_question_naming_an_unknown_lesson_is_rejected_at_its_line_with_a_suggestion(tmp_path: Path):
    root = with_landmarks(tmp_path, LANDMARKS.replace("    enseignements:\n      - recit-partage\n    fiches",
                                                      "    enseignements:\n      - recit-partag\n    fiches"))
    assert [problem.human() for problem in check(root).problems] == [
        "data/reperes.yaml:16:9: questions.0.enseignements.0 : aucun(e) enseignement n'a l'id « recit-partag » : "
        "vouliez-vous dire « recit-partage » ?"
    ]


def test_a_question_answers_with_lessons_by_family_fiches_and_the_territories_where_it_was_seen(tmp_path: Path):
    page = rendered(with_landmarks(tmp_path))["questions/impliquer.md"]
    assert page.startswith("---\ntitle: Comment impliquer les habitants ?\n")
    assert "*Recherche-action*\n{ .ref-famille }\n\n- [Partager un récit](../enseignements/recit-partage.md)" in page
    assert "- [Réunion de test](../fiches/reunion-test.md) — Dispositif d'implication" in page
    assert "## Les territoires où on l'a vu {#territoires}\n\n- [Ville-Test](../territoires/ville-test.md)" in page


def test_the_axes_have_their_own_page_with_their_source(tmp_path: Path):
    page = rendered(with_landmarks(tmp_path))["axes-ademe.md"]
    assert "## Le récit {#recit}" in page and "### Les enseignements, de toutes les familles {#recit-enseignements}" in page
    assert "## Sources {#sources" in page


def test_without_landmarks_no_question_or_axis_page_is_made(tmp_path: Path):
    pages = rendered(small_referentiel(tmp_path))
    assert not [path for path in pages if path.startswith("questions/") or path == "axes-ademe.md"]


def test_the_home_page_leads_with_the_questions_and_the_spine_and_counts_the_entries(tmp_path: Path):
    home = rendered(with_landmarks(tmp_path))["index.md"]
    order = [home.index(anchor) for anchor in ("{#questions}", "{#fil-conducteur}", "{#a-lire-d-abord}",
                                               "{#exemples}", "{#contenu}", "{#dernieres-modifications}")]
    assert order == sorted(order)
    assert "-   **[Comment impliquer les habitants ?](questions/impliquer.md)**" in home
    assert "[1 enseignement](enseignements/index.md)" in home and "[1 territoire](territoires/index.md)" in home
    assert "**Une histoire** : [Ville-Test](territoires/ville-test.md)" in home


def test_the_home_page_promises_an_edit_button_only_when_the_repository_is_known(tmp_path: Path):
    root = with_landmarks(tmp_path)
    assert checked(root).publication.depot is None
    assert "Modifier cette page" not in rendered(root)["index.md"]
    replace(root, "referentiel.yaml", "adresse: https://referentiel.example.org/\n",
            "adresse: https://referentiel.example.org/\ndepot: https://forge.example.org/org/referentiel\n")
    assert "Modifier cette page" in rendered(root)["index.md"]


@pytest.fixture(scope="module")
def shipped(shipped_referentiel: Referentiel) -> Pages:
    return Pages(shipped_referentiel, History(SHIPPED))


def test_every_shipped_question_and_axis_answers_with_lessons_of_every_family(shipped: Pages):
    landmarks = shipped.referentiel.landmarks
    assert landmarks is not None
    families = {family.id for family in shipped.referentiel.vocabularies.familles}
    answers: list[ReaderQuestion | Axis] = [*landmarks.questions, *landmarks.axes]
    for answer in answers:
        assert {family.id for family, _ in shipped.by_family(answer.enseignements)} == families, answer.id
        assert shipped.seen_in(answer.enseignements, answer.fiches), answer.id


def test_a_lesson_and_a_fiche_link_back_to_the_questions_they_answer(tmp_path: Path):
    pages = rendered(with_landmarks(tmp_path))
    for page in (pages["enseignements/recit-partage.md"], pages["fiches/reunion-test.md"]):
        assert "## Répond aux questions {#questions data-search-exclude}\n\n" \
               "[Comment impliquer les habitants ?](../questions/impliquer.md)" in page


def test_every_shipped_lesson_hangs_on_the_map_a_question_an_axis_or_the_code_source(shipped: Pages):
    referentiel = shipped.referentiel
    assert referentiel.landmarks is not None and referentiel.code_source is not None
    answers: list[ReaderQuestion | Axis] = [*referentiel.landmarks.questions, *referentiel.landmarks.axes]
    placed = {ident for answer in answers for ident in answer.enseignements}
    placed |= {ident for element in [*referentiel.code_source.socle, *referentiel.code_source.piliers]
               for ident in element.enseignements}
    assert set(referentiel.entries["enseignement"]) - placed == set()
