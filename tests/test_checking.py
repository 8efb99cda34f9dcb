"""Checking a référentiel: every problem of a run, each at its place, in French, with a fix."""

import json
from pathlib import Path

import pytest
from support import checked, mini_referentiel, replace, small_referentiel

from engine.check import checker as checking
from engine.check.checker import check
from engine.load.problems import render


def human(root: Path) -> list[str]:
    return [problem.human() for problem in check(root).problems]


def test_the_small_referentiel_is_valid_and_fully_loaded(tmp_path: Path):
    outcome = check(small_referentiel(tmp_path))
    assert outcome.ok and outcome.problems == []
    assert outcome.referentiel is not None
    assert set(outcome.referentiel.entries["fiche"]) == {"reunion-test"}


def test_a_fiche_with_an_unknown_territory_is_rejected_with_its_line_and_a_suggestion(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "territoire: ville-test", "territoire: vile-test")
    assert human(root) == [
        "fiches/reunion-test.yaml:11:17: exemples.0.territoire : aucun(e) territoire n'a l'id « vile-test » : "
        "vouliez-vous dire « ville-test » ?"
    ]
    assert not check(root).ok


def test_a_reference_to_an_entry_of_the_wrong_kind_says_what_it_is(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "lessons/recit-partage.yaml", "  - reunion-test", "  - ville-test")
    assert human(root) == [
        "lessons/recit-partage.yaml:16:5: fiches_liees.0 : « ville-test » est un(e) territoire, pas un(e) fiche"
    ]


def test_an_id_that_differs_from_its_file_name_is_rejected(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "id: reunion-test", "id: reunion-autre")
    assert human(root)[0] == (
        "fiches/reunion-test.yaml:1:5: id : l'id « reunion-autre » diffère du nom du fichier : renommez le "
        "fichier en « reunion-autre.yaml » ou corrigez l'id en « reunion-test »")


def test_a_missing_required_field_points_at_the_mapping_that_lacks_it(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "objectif: Réunir les habitants.\n", "")
    assert human(root) == ["fiches/reunion-test.yaml:1:1: objectif : champ obligatoire manquant : "
                           "ajoutez « objectif: … »"]


def test_an_unknown_field_is_pointed_at_its_key_with_the_closest_field_name(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "objectif:", "objectifs:")
    assert human(root) == [
        "fiches/reunion-test.yaml:1:1: objectif : champ obligatoire manquant : ajoutez « objectif: … »",
        "fiches/reunion-test.yaml:6:1: objectifs : champ inconnu « objectifs » : vouliez-vous dire « objectif » ?",
    ]


def test_a_date_that_does_not_exist_is_rejected(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "territories/ville-test.yaml", '"2001-03"', '"2019-02-30"')
    assert human(root) == [
        "territories/ville-test.yaml:18:11: chronologie.1.date : la date « 2019-02-30 » n'existe pas : "
        "vérifiez le jour, le mois et l'année"
    ]


def test_a_title_too_long_for_a_printed_card_is_rejected_with_its_length(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "titre: Réunion de test", "titre: " + "x" * 130)
    assert human(root) == [
        "fiches/reunion-test.yaml:2:8: titre : trop long : 130 caractères pour 120 au plus "
        "(la fiche doit tenir sur une carte imprimée) ; raccourcissez"
    ]


def test_numbers_out_of_range_are_rejected(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "territories/ville-test.yaml", "valeur: 7000", "valeur: -5")
    assert human(root) == ["territories/ville-test.yaml:9:13: populations.0.valeur : -5 est trop petit : au moins 1"]


def test_a_value_outside_its_vocabulary_is_rejected_with_a_suggestion(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "lessons/recit-partage.yaml", "statut: oui", "statut: ouii")
    assert human(root) == [
        "lessons/recit-partage.yaml:13:13: observations.0.statut : « ouii » n'est pas dans le vocabulaire "
        "« statuts » (data/vocabulaires.yaml) : vouliez-vous dire « oui » ?"
    ]


def test_a_pole_must_belong_to_the_family_of_the_lesson(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "data/vocabulaires.yaml", "  - id: recit\n    famille: recherche-action",
            "  - id: recit\n    famille: autre")
    replace(root, "data/vocabulaires.yaml", "familles:\n", "familles:\n  - id: autre\n    libelle: Autre\n")
    assert human(root) == [
        "lessons/recit-partage.yaml:6:7: pole : le pôle « recit » appartient à la famille « autre », "
        "pas à « recherche-action »"
    ]


def test_an_entry_linked_to_nothing_is_a_warning_not_an_error(tmp_path: Path):
    root = small_referentiel(tmp_path)
    (root / "fiches/isolee.yaml").write_text(
        (root / "fiches/reunion-test.yaml").read_text(encoding="utf-8")
        .replace("id: reunion-test", "id: isolee").split("exemples:")[0]
        + "sources:\n  - document: rapport\n    passage: § 1\n", encoding="utf-8")
    outcome = check(root)
    assert outcome.ok
    assert [problem.human() for problem in outcome.problems] == [
        "fiches/isolee.yaml:1:5: id : avertissement : fiche isolé(e) : aucun lien vers une autre entrée ni depuis "
        "une autre ; reliez-la (fiches_liees, enseignements_lies, observations, exemples)"
    ]


def test_a_duplicate_id_in_the_glossary_is_rejected(tmp_path: Path):
    root = small_referentiel(tmp_path)
    glossary = root / "data/glossaire.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + text.split("termes:\n", 1)[1], encoding="utf-8")
    assert human(root) == ["data/glossaire.yaml:9:9: termes.1.id : id « tepcv » déjà utilisé (élément 0) : "
                           "chaque id doit être unique"]


def test_all_problems_of_a_run_are_reported_sorted_by_file_and_line(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "territories/ville-test.yaml", 'numero_departement: "62"', "numero_departement: 62x")
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    replace(root, "fiches/reunion-test.yaml", "titre: Inviter", "titre:")
    lines = human(root)
    assert [line.split(": ")[0] for line in lines] == [
        "fiches/reunion-test.yaml:4:7", "fiches/reunion-test.yaml:8:11", "territories/ville-test.yaml:6:21"]


def test_problems_can_be_printed_as_json_and_as_github_annotations(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    problems = check(root).problems
    assert json.loads(render(problems, "json"))[0] == {
        "file": "fiches/reunion-test.yaml", "line": 4, "column": 7, "field": "type", "severity": "erreur",
        "message": "« atelier » n'est pas dans le vocabulaire « types_fiche » (data/vocabulaires.yaml) : "
                   "valeurs possibles : dispositif-implication"}
    assert render(problems, "github").startswith("::error file=fiches/reunion-test.yaml,line=4,col=7,title=type::")


def test_a_broken_file_is_reported_once_without_hiding_the_problems_of_the_others(tmp_path: Path):
    root = small_referentiel(tmp_path)
    (root / "fiches/reunion-test.yaml").write_text("id: [\n", encoding="utf-8")
    replace(root, "territories/ville-test.yaml", "region: hauts-de-france", "region: picardie")
    lines = human(root)
    assert len(lines) == 2
    assert lines[0].startswith("fiches/reunion-test.yaml:2:1: YAML invalide")
    assert lines[1].startswith("territories/ville-test.yaml:7:9: region : « picardie » n'est pas dans le vocabulaire")


def test_a_free_page_with_raw_html_is_rejected_at_its_line(tmp_path: Path):
    root = small_referentiel(tmp_path)
    (root / "content").mkdir()
    (root / "content/a-propos.md").write_text("---\ntitle: À propos\n---\n\nTexte.\n\n<iframe src=x></iframe>\n",
                                                 encoding="utf-8")
    assert human(root) == ["content/a-propos.md:7:1: le HTML n'est pas permis (« <i ») : écrivez en Markdown "
                           "simple, sans balises"]


def test_reading_in_parallel_gives_the_same_entries_and_the_same_problems_at_the_same_places(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    valid = mini_referentiel(tmp_path / "valide")
    broken = mini_referentiel(tmp_path / "casse")
    replace(broken, "fiches/fifty-fifty.yaml", "    duree: quelques jours", "    duree: quelques jours\n    inconnu: 1")
    replace(broken, "lessons/recit-partage.yaml", "  - visite-prealable", "  - visite-prealabl")
    (broken / "territories/casse.yaml").write_text("id: casse\nnom: [\n", encoding="utf-8")
    one_by_one = check(valid), check(broken)
    monkeypatch.setattr(checking, "PARALLEL_FROM", 1)
    in_parallel = check(valid), check(broken)
    assert in_parallel[0].referentiel is not None and one_by_one[0].referentiel is not None
    assert in_parallel[0].referentiel.entries == one_by_one[0].referentiel.entries
    problems = [problem.human() for problem in one_by_one[1].problems]
    assert [problem.human() for problem in in_parallel[1].problems] == problems
    assert len(problems) == 3 and problems[0].startswith("fiches/fifty-fifty.yaml:19:5: etapes.0.inconnu")


def test_a_vocabulary_value_added_to_data_makes_check_refuse_the_stale_schemas(tmp_path: Path):
    from engine.check.json_schemas import write_schemas

    root = small_referentiel(tmp_path)
    write_schemas(root, checked(root).vocabularies)
    assert check(root).ok, "schemas written by `python build.py schema` are up to date"
    replace(root, "data/vocabulaires.yaml", "niveaux:\n", "niveaux:\n  - id: emergent\n    libelle: Émergent\n")
    outcome = check(root)
    assert not outcome.ok
    stale = [problem.human() for problem in outcome.problems if problem.file.startswith("schemas/")]
    assert stale and all(line.startswith("schemas/") and ":1:1: " in line for line in stale)
    assert "schemas/enseignement.schema.json:1:1: schéma JSON périmé" in "\n".join(stale)
    assert all("python build.py schema" in line for line in stale)


def test_a_referentiel_without_a_schemas_folder_is_not_asked_for_one(tmp_path: Path):
    root = small_referentiel(tmp_path)
    assert not (root / "schemas").exists() and check(root).ok
