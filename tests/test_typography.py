"""French no-break spaces, added when text is rendered (site and PDFs alike)."""

import re

import pytest

from engine.render import typography
from engine.render.typography import NBSP, NNBSP


@pytest.mark.parametrize(("typed", "printed"), [
    ("Pourquoi ? Parce que !", f"Pourquoi{NNBSP}? Parce que{NNBSP}!"),
    ("Oui! Et toi?", f"Oui{NNBSP}! Et toi{NNBSP}?"),
    ("Trois axes : le récit ; la confiance", f"Trois axes{NBSP}: le récit{NNBSP}; la confiance"),
    ("« le récit »", f"«{NNBSP}le récit{NNBSP}»"),
    ("«le récit»", f"«{NNBSP}le récit{NNBSP}»"),
    ("100 000 €", f"100{NNBSP}000{NBSP}€"),
    ("1 250 000 habitants", f"1{NNBSP}250{NNBSP}000 habitants"),
    ("40 %", f"40{NBSP}%"),
    ("40%", f"40{NBSP}%"),
    ("en 2016 2018", "en 2016 2018"),
])
def test_the_typed_spaces_become_the_no_break_spaces_of_french_printing(typed: str, printed: str):
    assert typography.text(typed) == printed


@pytest.mark.parametrize("untouched", ["à 14:30", "https://exemple.fr/?a=1", "ex:", "2019-2020", "Loos-en-Gohelle"])
def test_colons_and_question_marks_that_are_not_punctuation_are_left_alone(untouched: str):
    assert typography.text(untouched) == untouched


def test_applying_the_rules_twice_changes_nothing_more():
    once = typography.text("« Pourquoi ? » : 100 000 € ; 40 % !")
    assert typography.text(once) == once


def test_no_line_can_start_with_high_punctuation_or_end_with_an_opening_guillemet():
    printed = typography.text("Le récit « partagé » : pourquoi ? comment ; avec qui !")
    assert not re.search(r" [:;?!»]", printed)
    assert not re.search(r"« ", printed)


def test_in_html_only_text_nodes_change():
    fragment = ('<p>Voir <a href="https://x.fr/?q=a : b">la fiche ?</a> et <code>a ; b</code>'
                ' &amp; <abbr title="Définition : ici">récit</abbr> !</p>')
    assert typography.html_text(fragment) == (
        f'<p>Voir <a href="https://x.fr/?q=a : b">la fiche{NNBSP}?</a> et <code>a ; b</code>'
        f' &amp; <abbr title="Définition : ici">récit</abbr>{NNBSP}!</p>')


@pytest.mark.parametrize("unit", [" ", " a", "1 "])
def test_the_work_grows_linearly_with_the_text(unit: str):
    # inspected, not timed: a repeated class is only tried from the start of its run (lookbehind), or
    # after a fixed character, so no pattern is tried again from every position of a run
    assert all(pattern.pattern.startswith(("(?<!", "«", "(?<=", "(?:(?<!")) for _, pattern, _ in typography._RULES)
    assert typography.text(unit * 20_000 + "x").endswith("x")


# --- When text is rendered -------------------------------------------------------------------------------


def test_contributor_text_gets_its_no_break_spaces_when_rendered():
    from engine.render.markup import Glossary, Renderer

    html = Renderer(Glossary([])).block("Pourquoi ? Pour « tous » : 100 000 € ; 40 %.")
    assert f"Pourquoi{NNBSP}? Pour «{NNBSP}tous{NNBSP}»{NBSP}: 100{NNBSP}000{NBSP}€{NNBSP}; 40{NBSP}%." in html


def test_a_one_line_value_gets_its_no_break_spaces_when_rendered():
    from engine.render.markup import inert

    assert inert("Loos-en-Gohelle : 7 000 habitants") == f"Loos-en-Gohelle{NBSP}: 7{NNBSP}000 habitants"


def test_a_page_gets_them_in_the_templates_words_but_never_in_a_link_address_or_code():
    from engine.render.pages import finish

    page = finish("---\ntitle: a : b\n---\n\nQuestion clé : [lien](dossier/page1%20b.md) `a : b` et 1 %\n")
    assert page.startswith("---\ntitle: a : b\n---\n"), "the front matter is left as it is"
    assert f"Question clé{NBSP}: [lien](dossier/page1%20b.md) `a : b` et 1{NBSP}%" in page
