"""Words compared, sorted and turned into ids without their accents, by one rule everywhere."""

from engine.model.french import fold, slug, sort_key


def test_titles_sort_without_their_accents_ligatures_or_case():
    titles = ["Pôle", "Œuvrer ensemble", "élus", "Ateliers", "Place publique"]
    assert sorted(titles, key=sort_key) == ["Ateliers", "élus", "Œuvrer ensemble", "Place publique", "Pôle"]


def test_an_id_is_made_from_a_title_in_lowercase_ascii_cut_between_words():
    assert slug("Réunion publique") == "reunion-publique"
    assert slug("Cœur de ville & Ex æquo") == "coeur-de-ville-ex-aequo"
    assert slug("Un très long titre " * 5, max_length=20) == "un-tres-long-titre"


def test_folding_keeps_the_case_of_the_letters():
    assert fold("Œuvre à Loos-en-Gohelle") == "OEuvre a Loos-en-Gohelle"
