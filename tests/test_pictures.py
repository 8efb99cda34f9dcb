"""Pictures drawn from the data: inline SVG with a title, a description, real text and links."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import checked, executable_vectors, hostile_referentiel, mini_referentiel, plain

from engine.build.site import Layout
from engine.check.referentiel import Referentiel
from engine.model.format import Territoire
from engine.render.pictures import house, timeline

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="module")
def referentiel(tmp_path_factory: pytest.TempPathFactory) -> Referentiel:
    return checked(mini_referentiel(tmp_path_factory.mktemp("dessins")))


def svg_of(figure: str | None) -> ElementTree.Element:
    """The SVG element of a drawing (there must be one)."""
    assert figure is not None, "no drawing"
    svg = re.search(r"<svg.*</svg>", figure, re.DOTALL)
    assert svg is not None, "no <svg> in the drawing"
    return ElementTree.fromstring(svg.group())


def test_the_code_source_is_a_house_whose_pillars_and_socle_stones_link_to_their_sections(referentiel: Referentiel):
    code_source = referentiel.code_source
    assert code_source is not None
    drawing = svg_of(house(code_source))
    assert drawing.findtext(f"{SVG}title") == code_source.titre
    description = drawing.findtext(f"{SVG}desc")
    assert description is not None
    assert all(element.titre in description for element in [*code_source.piliers, *code_source.socle])
    links = drawing.findall(f"{SVG}a")
    assert [link.get(HREF) for link in links] == [
        f"#{element.id}" for element in [*code_source.piliers, *code_source.socle]]
    for link, element in zip(links, [*code_source.piliers, *code_source.socle]):
        assert " ".join("".join(link.itertext()).split()) == " ".join(element.titre.split()), \
            "the name is real text, in the link"


def test_the_house_is_on_the_code_source_page_above_the_lists(built: Layout):
    page = (built.site / "code-source/index.html").read_text(encoding="utf-8")
    assert page.index('<figure class="ref-dessin ref-dessin--maison">') < page.index('class="ref-schema"')


def test_hostile_names_are_text_in_the_house(tmp_path: Path, referentiel: Referentiel):
    hostile = hostile_referentiel(mini_referentiel(tmp_path)).code_source
    assert hostile is not None and referentiel.code_source is not None
    drawing = str(house(hostile))
    assert "alert(1)" in drawing
    assert executable_vectors(drawing) == executable_vectors(str(house(referentiel.code_source))) == ["<svg>"], \
        "the drawing's own svg element only, exactly as with ordinary names"
    svg_of(drawing)  # still well-formed


def test_a_territory_timeline_draws_its_dated_projects_as_links_and_its_events_as_marks(referentiel: Referentiel):
    territory = next(t for t in referentiel.of_model(Territoire) if t.chronologie and t.projets)
    drawing = svg_of(timeline(territory))
    links = drawing.findall(f"{SVG}a")
    dated = [index for index, project in enumerate(territory.projets, 1) if re.search(r"\d{4}", project.periode or "")]
    assert [link.get(HREF) for link in links] == [f"#projet-{index}" for index in dated]
    assert len(drawing.findall(f"{SVG}circle")) == len(territory.chronologie)
    years = [text.text or "" for text in drawing.findall(f"{SVG}text") if text.get("class") == "ref-dessin__annee"]
    assert years and all(year.isdigit() and year.endswith("0") for year in years), "decades as real text"


def test_a_territory_without_dates_has_no_timeline(referentiel: Referentiel):
    territory = next(iter(referentiel.of_model(Territoire)))
    assert timeline(territory.model_copy(update={"chronologie": [], "projets": []})) is None


def test_the_timeline_is_on_the_territory_page_before_the_dated_list(built: Layout):
    page = (built.site / "territoires/loos-en-gohelle/index.html").read_text(encoding="utf-8")
    assert page.index('<figure class="ref-dessin ref-dessin--frise">') < page.index('<ol class="ref-chronologie">')


def test_the_matrix_at_a_glance_gives_each_status_a_symbol_and_a_colour_and_links_each_observation(built: Layout):
    page = (built.site / "matrice/index.html").read_text(encoding="utf-8")
    figure = page[page.index('<figure class="ref-dessin ref-dessin--matrice">'):page.index("</figure>")]
    legend = re.findall(r'<span class="ref-pastille ref-pastille--(\d)" aria-hidden="true">(.)</span> ([^<]+)</li>',
                        figure)
    assert len({symbol for _, symbol, _ in legend}) == len({colour for colour, _, _ in legend}) == len(legend) > 1, \
        "a symbol and a colour of its own for each status, never colour alone"
    observation = re.search(r'<a href="../enseignements/([\w-]+)/#observation-([\w-]+)"><span class="ref-pastille', figure)
    assert observation, "each symbol links to the observation it stands for"
    assert re.search(r'<span class="ref-sr">[^<]+ : [^<]+</span></a>', plain(figure)), "and is named in words"
    assert page.index("ref-dessin--matrice") < page.index("Confirmé dans"), "before the table in words"
