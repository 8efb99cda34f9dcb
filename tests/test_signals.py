"""Honest signals on lesson pages: evidence counted as the source counts it, levels and key questions
said to come from the source or from the editors, and the shipped content read that way."""

import re
from pathlib import Path

import pytest
from support import checked, plain, replace, small_referentiel

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.model.format import Enseignement
from engine.render.pages import Pages

SHIPPED = Path(__file__).resolve().parent.parent


def with_three_territories(tmp_path: Path, observations: str) -> Path:
    """The small référentiel with two more territories and `observations` for its lesson."""
    root = small_referentiel(tmp_path)
    town = (root / "territories/ville-test.yaml").read_text(encoding="utf-8")
    for ident, name in (("ville-b", "Ville-B"), ("ville-c", "Ville-C")):
        (root / f"territories/{ident}.yaml").write_text(
            town.replace("id: ville-test", f"id: {ident}").replace("nom: Ville-Test", f"nom: {name}"), encoding="utf-8")
    replace(root, "data/vocabulaires.yaml", "  - id: non\n", "  - id: ponctuellement\n    libelle: Observé "
            "ponctuellement\n    confirme: false\n  - id: non\n")
    replace(root, "lessons/recit-partage.yaml", "observations:\n  - territoire: ville-test\n    statut: oui\n"
            "    exemple: La ville raconte son histoire minière.\n", observations)
    return root


def lesson_page(root: Path) -> str:
    referentiel = checked(root)
    return plain(Pages(referentiel, History(root)).all("# Accueil\n")["enseignements/recit-partage.md"])


def evidence(page: str) -> str:
    found = re.search(r'<span class="ref-preuve">Niveau de preuve :</span> (.*)', page)
    assert found, "no evidence level in « L'essentiel »"
    return found.group(1).strip()


def card_value(page: str, label: str) -> str:
    """The value of a row of an entry's key-facts box."""
    found = re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", page, re.S)
    assert found, f"no « {label} » in the key facts"
    return found.group(1)


def test_each_kind_of_status_is_counted_apart_and_a_shared_column_once(tmp_path: Path):
    root = with_three_territories(tmp_path, "observations:\n  - territoire: ville-test\n    statut: oui\n"
                                  "  - territoire: ville-b\n    statut: ponctuellement\n"
                                  "  - territoire: ville-c\n    statut: ponctuellement\n    meme_colonne_que: ville-b\n")
    assert evidence(lesson_page(root)) == (
        "observé dans 1 territoire ; observé ponctuellement dans 1 territoire "
        "(Ville-B et Ville-C comptent pour un : la source leur donne un seul statut)")


@pytest.mark.parametrize("shared, message", [
    ("ville-c", "« ville-c » n'est pas un autre territoire observé pour cet enseignement"),
    ("ville-test", "« ville-b » renvoie déjà à « ville-test » : écrivez la colonne commune d'un seul côté"),
])
def test_a_shared_column_names_another_observed_territory_written_on_one_side(tmp_path: Path, shared: str,
                                                                                message: str):
    root = with_three_territories(tmp_path, "observations:\n  - territoire: ville-test\n    statut: oui\n"
                                  "    meme_colonne_que: ville-b\n"
                                  f"  - territoire: ville-b\n    statut: oui\n    meme_colonne_que: {shared}\n")
    problems = [problem for problem in check(root).problems if problem.field.endswith("meme_colonne_que")]
    assert len(problems) == 1 and message in problems[0].message


def family(root: Path, fields: str) -> None:
    replace(root, "data/vocabulaires.yaml", "    libelle: Recherche-action\n", f"    libelle: Recherche-action\n{fields}")


def test_a_level_classified_by_the_editors_says_so_and_no_level_is_shown_where_no_one_classifies(tmp_path: Path):
    root = small_referentiel(tmp_path)
    family(root, "    niveaux: redaction\n")
    assert card_value(lesson_page(root), "Niveau") == "Structurant (classement de la rédaction : la source n'en donne pas)"
    replace(root, "data/vocabulaires.yaml", "niveaux: redaction", "niveaux: aucun")
    assert not re.search(r"<dt[^>]*>Niveau</dt>", lesson_page(root))


def test_key_questions_written_by_the_editors_are_flagged_on_every_lesson_of_their_family(tmp_path: Path):
    root = small_referentiel(tmp_path)
    assert "Question clé :</span>" in lesson_page(root)
    family(root, "    questions_redigees: true\n")
    assert "Question clé (formulée par la rédaction) :</span>" in lesson_page(root)


def test_a_lesson_without_observation_says_what_it_rests_on_when_its_family_says_it(tmp_path: Path):
    root = with_three_territories(tmp_path, "")
    assert evidence(lesson_page(root)) == "pas encore observé dans un territoire"
    family(root, "    sans_observation: balise reconnue par les villes de l'atelier\n")
    assert evidence(lesson_page(root)) == "balise reconnue par les villes de l'atelier"


# --- the shipped content --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(shipped_referentiel: Referentiel) -> Pages:
    return Pages(shipped_referentiel, History(SHIPPED))


def counts(pages: Pages, ident: str) -> dict[str, int]:
    return {status.id: count for status, count in pages.relations.evidence_by_status[ident]}


def test_the_ademe_table_is_counted_as_it_reads(shipped: Pages):
    # Plaine Commune and L'Île-Saint-Denis share one column of the synthesis table (seed 000).
    assert counts(shipped, "experiences-personnelles-elus-agents") == {"oui": 2, "non": 3}
    assert counts(shipped, "expertise-externe") == {"oui": 2, "ponctuellement": 3}
    assert shipped.relations.evidence["expertise-externe"] == 2


def test_only_lessons_a_source_flags_as_new_are_new(shipped: Pages):
    new = {ident for ident, lesson in shipped.referentiel.by_id(Enseignement).items() if lesson.nouveau}
    assert new == {"planification-impulsion", "enfants-publics-cibles", "donner-a-voir-experimenter"}


def test_levels_and_key_questions_say_who_wrote_them(shipped: Pages):
    families = {family.id: family for family in shipped.referentiel.vocabularies.familles}
    assert families["recherche-action-ademe"].niveaux == "source"
    assert families["implication-habitante-loos"].niveaux == "redaction"
    assert {families[name].niveaux for name in ("villes-pairs", "evaluation-loos-2016")} == {"aucun"}
    for lesson in shipped.referentiel.by_id(Enseignement).values():
        if families[lesson.famille].niveaux == "aucun":
            assert lesson.niveau == "non-precise", lesson.id
    assert not families["recherche-action-ademe"].questions_redigees
    assert all(families[name].questions_redigees for name in ("villes-pairs", "evaluation-loos-2016",
                                                               "implication-habitante-loos"))


def test_the_villes_pairs_family_names_who_carried_the_workshop_and_its_balises_are_not_unobserved(shipped: Pages):
    villes_pairs = shipped.vocab["familles"]["villes-pairs"]
    assert villes_pairs.description is not None
    assert "IE-EFC" in villes_pairs.description and "ATEMIS" in villes_pairs.description
    assert "écrit par" not in villes_pairs.description
    page = shipped.entry(shipped.referentiel.entries["enseignement"]["cooperation-culture-du-risque-partage"])
    assert "pas encore observé" not in page and "balise (ou invariant)" in page


def test_a_status_asking_for_a_fresher_story_does_not_read_as_an_outdated_page(shipped: Pages):
    status = {status.id: status for status in shipped.referentiel.vocabularies.statuts}["a-mettre-a-jour"]
    assert status.libelle == "Récit du territoire à actualiser" and not status.confirme


# --- source criticism apart from the reader's text -------------------------------------------------

TABLE_NOTE = re.compile(r"tableau de synthèse|colonne commune|le tableau porte|statut vaut|statut est celui|\bOCR\b|"
                        r"ne cite pas d'exemple|ne donne pas d'exemple", re.IGNORECASE)


def test_source_notes_come_last_folded_under_their_heading(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "lessons/recit-partage.yaml", "sources:", "remarques_sources:\n  - Une figure est illisible.\n"
            "sources:")
    page = lesson_page(root)
    notes = page.index("{#remarques-sources")
    assert page.index("{#sources") < notes
    assert '<details class="ref-remarques" markdown>' in page[notes:] and "- Une figure est illisible." in page[notes:]


def test_no_observation_of_the_shipped_lessons_reads_as_a_note_on_the_source_table(shipped: Pages):
    found = [(lesson.id, observation.territoire) for lesson in shipped.referentiel.by_id(Enseignement).values()
             for observation in lesson.observations if observation.exemple and TABLE_NOTE.search(observation.exemple)]
    assert found == []


SOURCE_CRITICISM = re.compile(r"\bOCR\b|colonne commune|perdue? à l|illisible|le tableau porte|statut vaut", re.IGNORECASE)


def reader_texts(value: object, path: str = "") -> list[tuple[str, str]]:
    """Every string a reader reads in a dumped model: source notes and source references left out."""
    if isinstance(value, dict):
        return [found for key, item in value.items() if key not in ("remarques_sources", "sources", "source")
                for found in reader_texts(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in reader_texts(item, f"{path}.{index}")]
    return [(path, value)] if isinstance(value, str) else []


def test_no_reader_text_of_the_shipped_content_holds_a_note_on_the_source(shipped: Pages):
    referentiel = shipped.referentiel
    assert referentiel.code_source is not None and referentiel.landmarks is not None
    models = [*(entry for entries in referentiel.entries.values() for entry in entries.values()),
              referentiel.code_source, referentiel.landmarks, referentiel.vocabularies]
    found = [(getattr(model, "id", type(model).__name__), path, text) for model in models
             for path, text in reader_texts(model.model_dump()) if SOURCE_CRITICISM.search(text)]
    assert found == []
