"""Pictures drawn from the data: inline SVG with a title, a description, real text and links."""

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from engine.checking import check
from engine.pictures import house
from engine.referentiel import Referentiel
from engine.site import Layout
from support import executable_vectors, hostile_referentiel, mini_referentiel

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def referentiel(tmp_path_factory: pytest.TempPathFactory) -> Referentiel:
    outcome = check(mini_referentiel(tmp_path_factory.mktemp("dessins")))
    assert outcome.referentiel is not None
    return outcome.referentiel


def svg_of(figure: str) -> ElementTree.Element:
    return ElementTree.fromstring(re.search(r"<svg.*</svg>", figure, re.S).group())


def test_the_code_source_is_a_house_whose_pillars_and_socle_stones_link_to_their_sections(referentiel: Referentiel):
    code_source = referentiel.code_source
    drawing = svg_of(house(code_source))
    assert drawing.find(f"{SVG}title").text == code_source.titre
    description = drawing.find(f"{SVG}desc").text
    assert all(element.titre in description for element in [*code_source.piliers, *code_source.socle])
    links = drawing.findall(f"{SVG}a")
    assert [link.get("href") for link in links] == [
        f"#{element.id}" for element in [*code_source.piliers, *code_source.socle]]
    for link, element in zip(links, [*code_source.piliers, *code_source.socle]):
        assert " ".join("".join(link.itertext()).split()) == " ".join(element.titre.split()), \
            "the name is real text, in the link"


def test_the_house_is_on_the_code_source_page_above_the_lists(built: Layout):
    page = (built.site / "code-source/index.html").read_text(encoding="utf-8")
    assert page.index('<figure class="ref-dessin ref-dessin--maison">') < page.index('class="ref-schema"')


def test_hostile_names_are_text_in_the_house(tmp_path: Path, referentiel: Referentiel):
    drawing = str(house(hostile_referentiel(mini_referentiel(tmp_path)).code_source))
    assert "alert(1)" in drawing
    assert executable_vectors(drawing) == executable_vectors(str(house(referentiel.code_source))) == ["<svg>"], \
        "the drawing's own svg element only, exactly as with ordinary names"
    svg_of(drawing)  # still well-formed
