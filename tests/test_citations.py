"""Short citations in the text (« ADEME 2019, § 3 »), the full reference once at the foot of the page."""

from engine.model.format import Document, Enseignement
from engine.render.citations import cited, short_form


def document(**fields: object) -> Document:
    return Document.model_validate({"id": "doc", "titre": "Un titre", "type": "rapport", **fields})


def test_a_document_is_cited_by_its_first_author_and_its_year():
    assert short_form(document(auteurs=["ADEME", "Quadrant Conseil"], date="2019-03")) == "ADEME 2019"


def test_a_document_may_give_its_own_short_form():
    assert short_form(document(auteurs=["Quadrant Conseil"], date="2016", court="Évaluation 2016")) == "Évaluation 2016"


def test_an_acronym_in_parentheses_stands_for_a_long_author_and_a_missing_date_is_said():
    long_name = "Institut européen de l'économie de la fonctionnalité et de la coopération (IE-EFC)"
    assert short_form(document(auteurs=[long_name], date="2019")) == "IE-EFC 2019"
    assert short_form(document(auteurs=["Ville de Malaunay"])) == "Ville de Malaunay, s. d."
    assert short_form(document(auteurs=["Communauté d'agglomération de Lens-Liévin et ses partenaires"])) == (
        "Communauté d'agglomération…, s. d.")


def test_an_entry_cites_each_document_once_its_own_sources_first():
    lesson = Enseignement.model_validate({
        "id": "lecon", "titre": "Une leçon assez longue", "titre_court": "Leçon", "famille": "f", "pole": "p",
        "question_cle": "Comment ?", "niveau": "n", "resume": "Un résumé.", "quoi": "Quoi.",
        "pour_quels_resultats": "Des résultats.",
        "observations": [{"territoire": "t", "statut": "oui", "source": {"document": "b", "passage": "p. 2"}}],
        "sources": [{"document": "a", "passage": "§ 1"}, {"document": "a", "passage": "§ 2"}],
    })
    assert cited(lesson) == [("a", ["§ 1", "§ 2"]), ("b", [])]
