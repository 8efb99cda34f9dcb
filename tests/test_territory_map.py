"""The map of the territories: metropolitan France and its regions, each territory a point placed by its
coordinates and a link by its name; the outline is a file the build reads, checked like any other."""

import re
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
import yaml
from support import checked, executable_vectors, hostile_referentiel, mini_referentiel

from engine.check.checker import check
from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.model.format import FranceOutline, Territoire
from engine.render import jsonld
from engine.render.france_map import place
from engine.render.opendata import export
from engine.render.pages import Pages
from engine.render.pictures import territory_map

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
BUDGET = 30_000
"""Bytes of the map on the page (its SVG and the links of the names): the goal of issue 19."""


@pytest.fixture(scope="module")
def shipped(shipped_referentiel: Referentiel) -> Referentiel:
    return shipped_referentiel


def rings(outline: FranceOutline) -> list[list[tuple[int, int]]]:
    """The land's rings as points: a trace is « x y dx dy dx dy… »."""
    found = []
    for trace in outline.terre:
        numbers = [int(number) for number in trace.split()]
        points = [(numbers[0], numbers[1])]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            points.append((points[-1][0] + dx, points[-1][1] + dy))
        found.append(points)
    return found


def on_land(outline: FranceOutline, x: float, y: float) -> bool:
    """Even-odd rule, as the SVG fills the land: inside an odd number of rings."""
    crossings = 0
    for ring in rings(outline):
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def with_coordinates(root: Path, coordinates: dict[str, tuple[float, float] | None]) -> Path:
    """The small référentiel (its outline is the shipped one) with other coordinates for some of its territories,
    or none (None)."""
    for ident, found in coordinates.items():
        path = root / f"territories/{ident}.yaml"
        text = re.sub(r"\ncoordonnees:\n(?:  .*\n)+", "\n", path.read_text(encoding="utf-8"))
        if found:
            text = text.replace("\nrecit:", f"\ncoordonnees:\n  latitude: {found[0]}\n  longitude: {found[1]}\n"
                                "  source:\n    document: referentiel-test\n    passage: mairie\nrecit:", 1)
        path.write_text(text, encoding="utf-8")
    return root


def figure_of(page: str) -> str:
    return page[page.index('<figure class="ref-dessin ref-dessin--carte"'):page.index("</figure>") + 9]


def test_every_shipped_territory_has_coordinates_with_their_source(shipped: Referentiel):
    for territory in shipped.of_model(Territoire):
        assert territory.coordonnees is not None, territory.id
        assert territory.coordonnees.source.document in {document.id for document in shipped.bibliography.documents}


def test_each_territory_is_a_point_on_the_land_of_france_and_a_link_by_its_name(shipped: Referentiel):
    outline = shipped.outline
    assert outline is not None
    territories = shipped.of_model(Territoire)
    drawn = territory_map(outline, territories)
    assert drawn is not None
    assert sorted(p.territory.id for p in drawn.places) == sorted(t.id for t in territories), "one link each"
    for territory in territories:
        assert territory.coordonnees is not None
        x, y = place(outline.cadre, territory.coordonnees.latitude, territory.coordonnees.longitude)
        assert on_land(outline, x, y), f"{territory.id} falls on the land of France"
    for spot in drawn.places:
        assert 0 <= spot.left <= 100 and 0 <= spot.top <= 100 and spot.side in ("droite", "gauche")
        assert spot.label and spot.label in spot.territory.nom, "the name, as real text"
    svg = ElementTree.fromstring(str(drawn.svg))
    assert len(svg.findall(f"{SVG}circle")) == len(territories)


def test_a_point_outside_france_is_not_on_its_land(shipped: Referentiel):
    outline = shipped.outline
    assert outline is not None
    for latitude, longitude in [(51.5, -0.12), (47.0, -5.0), (43.0, 6.5), (50.85, 4.35)]:  # London, sea, sea, Brussels
        assert not on_land(outline, *place(outline.cadre, latitude, longitude)), (latitude, longitude)


def test_the_map_has_a_title_and_a_description_that_names_every_placed_territory(shipped: Referentiel):
    assert shipped.outline is not None
    drawn = territory_map(shipped.outline, shipped.of_model(Territoire))
    assert drawn is not None
    svg = ElementTree.fromstring(str(drawn.svg))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "carte-titre"
    assert svg.findtext(f"{SVG}title") == "Carte des territoires"
    description = svg.findtext(f"{SVG}desc")
    assert description is not None
    assert all(territory.nom in description for territory in shipped.of_model(Territoire))


def test_the_map_stays_under_its_size_budget(shipped: Referentiel):
    page = Pages(shipped, History(ROOT)).listing("territoire")
    size = len(figure_of(page).encode("utf-8"))
    assert size <= BUDGET, f"{size} bytes"


def test_the_index_leads_with_the_map_and_gives_each_territory_its_one_line_story(shipped: Referentiel):
    page = Pages(shipped, History(ROOT)).listing("territoire")
    start = page.index('<figure class="ref-dessin ref-dessin--carte"')
    assert start < page.index('<section class="ref-groupe"'), "the map comes before the lists"
    for territory in shipped.of_model(Territoire):
        assert territory.accroche, territory.id
        assert f"({territory.id}.md){{ .ref-territoires-carte__lieu" in page[start:], "a link over the map"
        assert " ".join(territory.accroche.split()) in " ".join(page.replace("\u202f", " ").split())


def test_a_territory_without_coordinates_is_absent_from_the_map_and_still_listed(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    page = Pages(checked(root), History(root)).listing("territoire")
    figure = figure_of(page)
    assert "(le-mene.md){ .ref-territoires-carte__lieu" in figure
    assert "loos-en-gohelle.md" not in figure and figure.count("<circle") == 1
    lists = page[page.index("</figure>"):]
    assert "[Loos-en-Gohelle](loos-en-gohelle.md)" in lists and "[Le Mené](le-mene.md)" in lists


def test_without_any_coordinates_there_is_no_map_only_the_lists(tmp_path: Path):
    root = with_coordinates(mini_referentiel(tmp_path), {"le-mene": None})
    page = Pages(checked(root), History(root)).listing("territoire")
    assert "ref-dessin--carte" not in page and "[Le Mené](le-mene.md)" in page


def test_hostile_names_are_text_in_the_map(tmp_path: Path):
    root = with_coordinates(mini_referentiel(tmp_path), {"loos-en-gohelle": (50.457, 2.79)})
    clean = checked(root)
    hostile = hostile_referentiel(root)
    assert hostile.outline == clean.outline
    pages = [Pages(referentiel, History(root)).listing("territoire") for referentiel in (clean, hostile)]
    figures = [markdown.markdown(figure_of(page), extensions=["attr_list", "md_in_html"]) for page in pages]
    assert "alert(1)" in figures[1], "the hostile names are there, as text"
    assert executable_vectors(figures[1]) == executable_vectors(figures[0]), \
        "nothing that could run: exactly the elements and attributes of the map with ordinary names"
    svg = re.search(r"<svg.*</svg>", figures[1], re.DOTALL)
    assert svg is not None
    ElementTree.fromstring(svg.group())  # still well-formed


def test_a_trace_with_anything_but_numbers_is_refused_at_its_line(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    path = root / "data/carte-france.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("limites_regions:")) + 1
    lines[at] = '- 10 20 3 4"/><script>alert(1)</script>'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [problem for problem in check(root).problems if problem.file == "data/carte-france.yaml"]
    assert [(problem.line, problem.field) for problem in problems] == [(at + 1, "limites_regions.0")]


def test_the_coordinates_are_in_the_open_data_and_the_page_description(shipped: Referentiel):
    rows = yaml.safe_load(export(shipped, "territoires").model_dump_json())["territoires"]
    for row in rows:
        assert {"latitude", "longitude", "source"} <= set(row["coordonnees"]), row["id"]
    territory = shipped.by_id(Territoire)["malaunay"]
    assert territory.coordonnees is not None
    described = jsonld.description(territory, shipped.publication, None, [], "Normandie", None)
    assert described["geo"]["latitude"] == territory.coordonnees.latitude
