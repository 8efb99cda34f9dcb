"""Close lessons of other families (« enseignements proches »): checked, and shown on both lessons."""

from pathlib import Path

from support import checked, replace, small_referentiel

from engine.check.checker import check
from engine.load.history import History
from engine.render.pages import Pages

OLDER = """id: recit-ancien
titre: Raconter d'où l'on vient
titre_court: Récit ancien
resume: Un récit de la trajectoire donne envie d'adhérer.
famille: evaluation
pole: pratiques
question_cle: Comment donner envie d'adhérer ?
niveau: structurant
quoi: Raconter la trajectoire du territoire.
pour_quels_resultats: Les acteurs adhèrent au projet.
enseignements_proches:
  - enseignement: recit-partage
    lien: version-posterieure
sources:
  - document: rapport
    passage: § 6
"""


def with_two_families(tmp_path: Path, lesson: str = OLDER) -> Path:
    """The small référentiel with a second family and, in it, an earlier wording of `recit-partage`."""
    root = small_referentiel(tmp_path)
    replace(root, "data/vocabulaires.yaml", "poles:\n", "  - id: evaluation\n    libelle: Évaluation\npoles:\n"
            "  - id: pratiques\n    famille: evaluation\n    libelle: Pratiques\n")
    (root / "lessons/recit-ancien.yaml").write_text(lesson, encoding="utf-8")
    return root


def test_a_close_lesson_of_another_family_is_valid(tmp_path: Path):
    outcome = check(with_two_families(tmp_path))
    assert outcome.ok and outcome.problems == []


def test_an_unknown_close_lesson_is_rejected_at_its_line_with_a_suggestion(tmp_path: Path):
    root = with_two_families(tmp_path, OLDER.replace("enseignement: recit-partage", "enseignement: recit-partag"))
    assert [problem.human() for problem in check(root).problems] == [
        "lessons/recit-ancien.yaml:12:19: enseignements_proches.0.enseignement : aucun(e) enseignement n'a l'id "
        "« recit-partag » : vouliez-vous dire « recit-partage » ou « recit-ancien » ?"
    ]


def test_a_close_lesson_of_the_same_family_is_rejected(tmp_path: Path):
    root = with_two_families(tmp_path, OLDER.replace("famille: evaluation\npole: pratiques",
                                                     "famille: recherche-action\npole: autre-pole"))
    assert [problem.human() for problem in check(root).problems] == [
        "lessons/recit-ancien.yaml:12:19: enseignements_proches.0.enseignement : « recit-partage » est de la même "
        "famille (« recherche-action ») : les enseignements proches sont d'autres familles ; mettez-le dans "
        "enseignements_lies"
    ]


def test_a_link_written_on_both_sides_is_rejected_on_the_second(tmp_path: Path):
    root = with_two_families(tmp_path)
    replace(root, "lessons/recit-partage.yaml", "sources:", "enseignements_proches:\n  - enseignement: recit-ancien\n"
            "sources:")
    assert [problem.human() for problem in check(root).problems] == [
        "lessons/recit-partage.yaml:18:19: enseignements_proches.0.enseignement : le lien avec « recit-ancien » est "
        "déjà écrit dans « recit-ancien » : un lien s'écrit d'un seul côté, la page de l'autre enseignement le "
        "montre aussi"
    ]


def test_an_unknown_kind_of_link_is_rejected_with_the_kinds_allowed(tmp_path: Path):
    root = with_two_families(tmp_path, OLDER.replace("lien: version-posterieure", "lien: ancetre"))
    [problem] = check(root).problems
    assert problem.field == "enseignements_proches.0.lien" and "version-anterieure" in problem.message


def test_both_lessons_show_the_link_and_which_wording_is_the_later(tmp_path: Path):
    root = with_two_families(tmp_path)
    pages = Pages(checked(root), History(root)).all("# Accueil\n")
    older, later = pages["enseignements/recit-ancien.md"], pages["enseignements/recit-partage.md"]
    assert ("- [Partager un récit](recit-partage.md) — Recherche-action · **formulation plus récente**, qui reprend "
            "cet enseignement\n") in older
    assert ("- [Raconter d'où l'on vient](recit-ancien.md) — Évaluation · **formulation plus ancienne**, que cet "
            "enseignement reprend\n") in later
    assert "{#enseignements-proches" in older and "{#enseignements-proches" in later


def test_most_shipped_lessons_link_a_close_lesson_of_another_family_and_each_2016_lesson_its_later_wording():
    referentiel = checked(Path(__file__).resolve().parent.parent)
    kin = Pages(referentiel, History(referentiel.root)).relations.kin_of_lesson
    lessons = referentiel.entries["enseignement"]
    assert sum(bool(found) for found in kin.values()) * 2 >= len(lessons)
    for ident, lesson in lessons.items():
        if lesson.famille == "evaluation-loos-2016":
            assert any(lien == "version-posterieure" for _, lien, _ in kin[ident]), ident
