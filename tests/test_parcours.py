"""Training paths (parcours): entries of the référentiel in the order a trainer works them, each with an intent."""

import json
from pathlib import Path

from support import small_referentiel

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.model.format import KINDS, Parcours

ROOT = Path(__file__).resolve().parent.parent

PARCOURS = """\
id: premiere-rencontre
titre: Première rencontre
resume: Une heure pour découvrir le récit partagé et la réunion publique.
public: Élus d'une commune.
duree_totale: une heure
objectifs:
  - Savoir ce qu'est un récit partagé.
etapes:
  - enseignement: recit-partage
    intention: Faire raconter l'histoire de la commune.
    duree: 30 minutes
  - fiche: reunion-test
    intention: Préparer une réunion.
    duree: 30 minutes
sources:
  - document: rapport
    passage: § 4
"""


def with_parcours(tmp_path: Path, text: str = PARCOURS) -> Path:
    root = small_referentiel(tmp_path)
    (root / "parcours").mkdir()
    (root / "parcours/premiere-rencontre.yaml").write_text(text, encoding="utf-8")
    return root


def errors(root: Path) -> list[str]:
    return [problem.human() for problem in check(root).problems if problem.severity == "erreur"]


def test_a_parcours_is_a_kind_of_entry_with_its_own_folder():
    assert KINDS["parcours"] is Parcours and Parcours.folder == "parcours"


def test_a_valid_parcours_is_loaded_with_its_steps_in_order(tmp_path: Path):
    outcome = check(with_parcours(tmp_path))
    assert outcome.ok, [problem.human() for problem in outcome.problems]
    assert outcome.referentiel is not None
    parcours = outcome.referentiel.by_id(Parcours)["premiere-rencontre"]
    assert [step.entry for step in parcours.etapes] == [("enseignement", "recit-partage"), ("fiche", "reunion-test")]


def test_a_step_that_names_a_missing_entry_fails_check_at_its_line(tmp_path: Path):
    root = with_parcours(tmp_path, PARCOURS.replace("fiche: reunion-test", "fiche: reunion-tst"))
    assert errors(root) == [
        "parcours/premiere-rencontre.yaml:12:12: etapes.1.fiche : aucun(e) fiche n'a l'id « reunion-tst » : "
        "vouliez-vous dire « reunion-test » ?"]


def test_a_step_that_names_an_entry_of_another_kind_says_what_it_is(tmp_path: Path):
    root = with_parcours(tmp_path, PARCOURS.replace("fiche: reunion-test", "fiche: ville-test"))
    assert errors(root) == [
        "parcours/premiere-rencontre.yaml:12:12: etapes.1.fiche : « ville-test » est un(e) territoire, pas un(e) fiche"]


def test_a_step_names_exactly_one_entry(tmp_path: Path):
    none = with_parcours(tmp_path / "aucune", PARCOURS.replace("  - fiche: reunion-test\n", "  - duree: 1 heure\n")
                         .replace("    duree: 30 minutes\nsources", "sources"))
    assert errors(none) == [
        "parcours/premiere-rencontre.yaml:12:5: etapes.1 : l'étape ne renvoie à aucune entrée : ajoutez "
        "« enseignement: … », « fiche: … » ou « territoire: … » avec l'id de l'entrée"]
    two = with_parcours(tmp_path / "deux", PARCOURS.replace("  - fiche: reunion-test\n",
                                                             "  - fiche: reunion-test\n    territoire: ville-test\n"))
    assert errors(two) == [
        "parcours/premiere-rencontre.yaml:12:5: etapes.1 : une étape renvoie à une seule entrée, celle-ci en a "
        "plusieurs (fiche, territoire) : gardez-en une, faites une autre étape pour l'autre"]


def test_a_parcours_needs_at_least_one_step_and_one_goal(tmp_path: Path):
    empty = PARCOURS.replace("objectifs:\n  - Savoir ce qu'est un récit partagé.\n", "objectifs: []\n")
    empty = empty[:empty.index("etapes:")] + "etapes: []\n" + empty[empty.index("sources:"):]
    assert errors(with_parcours(tmp_path, empty)) == [
        "parcours/premiere-rencontre.yaml:6:12: objectifs : il faut au moins 1 élément",
        "parcours/premiere-rencontre.yaml:7:9: etapes : il faut au moins 1 élément"]


def test_the_editor_schema_says_a_step_names_one_entry():
    schema = json.loads((ROOT / "schemas/parcours.schema.json").read_text(encoding="utf-8"))
    step = schema["$defs"]["Stage"]
    assert step["oneOf"] == [{"required": [name], "properties": {name: {"type": "string"}}}
                             for name in ("enseignement", "fiche", "territoire")]
    assert set(step["required"]) == {"intention", "duree"}


def test_the_shipped_referentiel_has_training_paths_with_an_intent_and_a_duration_per_step(
        shipped_referentiel: Referentiel):
    referentiel = shipped_referentiel
    shipped = referentiel.of_model(Parcours)
    assert len(shipped) >= 2
    for parcours in shipped:
        assert len(parcours.etapes) >= 4, parcours.id
        assert all(step.intention and step.duree for step in parcours.etapes), parcours.id
