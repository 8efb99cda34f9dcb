"""The « Référence du format » page documents every field of every model, so it can never drift from them."""

import re
from pathlib import Path
from typing import Annotated

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter
from support import FIXTURE, checked

from engine.check.checker import Checker
from engine.cli import read_shared
from engine.load.documents import parse
from engine.model.annotations import nested_model
from engine.model.format import KINDS, SHARED_FILES, Vocabularies, field_order
from engine.render.format_reference import anchor, reference_markdown

ROOT = Path(__file__).resolve().parent.parent


def every_model() -> list[type[BaseModel]]:
    """Every model of the format, walking model_fields down to the innermost mapping."""
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [*KINDS.values(), *(model for model, _ in SHARED_FILES.values())]
    while pending:
        model = pending.pop(0)
        if model in found:
            continue
        found.append(model)
        pending += [inner for name in model.model_fields if (inner := nested_model(model, name))]
    return found


def fixture_vocabularies() -> Vocabularies:
    checker = Checker(FIXTURE)
    checker.read_shared(("vocabulaires.yaml",))
    vocabularies = checker.valid(Vocabularies)
    assert vocabularies is not None, checker.problems
    return vocabularies


def shipped_vocabularies() -> Vocabularies:
    shared = read_shared(ROOT)
    assert shared is not None, "the shipped vocabularies and bibliography are valid"
    return shared.vocabularies


def sections(markdown: str) -> dict[str, list[list[str]]]:
    """The field rows of each section, by the section's anchor: [name, required, type, description, example]."""
    found: dict[str, list[list[str]]] = {}
    current = ""
    for line in markdown.splitlines():
        heading = re.match(r"### .+ \{#([\w-]+)\}$", line)
        if heading:
            current = heading.group(1)
            found[current] = []
        elif current and line.startswith("| `") and line.count(" | ") >= 4:
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            found[current].append(cells)
    return found


VOCABULARIES = {"fixtures": fixture_vocabularies, "shipped": shipped_vocabularies}


@pytest.fixture(params=list(VOCABULARIES), scope="module")
def page(request) -> tuple[str, Vocabularies]:
    vocabularies = VOCABULARIES[request.param]()
    return reference_markdown(vocabularies), vocabularies


def test_every_model_has_its_section_with_every_field_in_file_order(page):
    tables = sections(page[0])
    for model in every_model():
        assert anchor(model) in tables, f"{model.__name__} n'a pas de section"
        assert [row[0] for row in tables[anchor(model)]] == [f"`{name}`" for name in field_order(model)]


def test_every_field_says_whether_it_is_required_its_type_description_and_example(page):
    tables = sections(page[0])
    for model in every_model():
        for name, row in zip(field_order(model), tables[anchor(model)]):
            _, required, kind, description, example = row
            assert required.startswith("oui" if model.model_fields[name].is_required() else "non"), (model, name)
            assert kind and description and example, (model.__name__, name, row)


def test_every_example_is_a_valid_value_of_its_field(page):
    tables = sections(page[0])
    for model in every_model():
        for name, row in zip(field_order(model), tables[anchor(model)]):
            example = row[4]
            if example == "voir la section liée":
                assert nested_model(model, name) is not None, (model.__name__, name)
                continue
            written = parse(example.strip("`").replace("\\|", "|"), "exemple").data
            info = model.model_fields[name]
            assert list(written) == [name]
            TypeAdapter(Annotated[info.annotation, info]).validate_python(written[name])


def test_limits_and_ranges_are_stated():
    markdown = reference_markdown(fixture_vocabularies())
    rows = {row[0]: row for row in sections(markdown)["enseignement"]}
    assert rows["`titre`"][2] == "texte, 120 caractères au plus"
    assert rows["`id`"][2] == "identifiant (minuscules sans accents, chiffres, tirets), de 2 à 80 caractères"
    assert rows["`sources`"][2] == "liste de [sources](#source), au moins 1 élément"
    assert rows["`fiches_liees`"][2] == "liste d'ids de fiches"
    assert rows["`nouveau`"][1] == "non (par défaut : false)"
    figure = {row[0]: row for row in sections(markdown)["chiffre"]}
    assert figure["`annee`"][2] == "nombre entier, de 1800 à 2100"
    example = {row[0]: row for row in sections(markdown)["exemple"]}
    assert example["`date`"][2] == "date AAAA, AAAA-MM ou AAAA-MM-JJ, entre guillemets"


def test_vocabulary_fields_list_every_allowed_id_with_its_label():
    vocabularies = fixture_vocabularies()
    markdown = reference_markdown(vocabularies)
    assert "Valeurs de `statut` (vocabulaire « statuts » de `data/vocabulaires.yaml`) :" in markdown
    for item in vocabularies.statuts:
        assert f"| `{item.id}` | {item.libelle} |" in markdown
    assert "| `coproduction` | Coproduction |" in markdown
    assert "Valeurs de `type` : `rapport`, `referentiel`, `evaluation`" in markdown


def test_every_link_of_the_page_leads_to_one_of_its_sections(page):
    markdown = page[0]
    anchors = set(re.findall(r"\{#([\w-]+)\}", markdown))
    links = set(re.findall(r"\]\(#([\w-]+)\)", markdown))
    assert links and links <= anchors
    assert len(re.findall(r"\{#([\w-]+)\}", markdown)) == len(anchors)


def test_the_reference_is_a_page_of_the_site_in_the_navigation_at_the_address_the_guides_give(built):
    from engine.render.format_reference import PAGE, TITLE

    config = yaml.safe_load(built.config.read_text(encoding="utf-8"))
    resources = next(item["Ressources"] for item in config["nav"] if "Ressources" in item)
    assert {TITLE: PAGE} in resources
    page = (built.site / "reference-du-format" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"reference-du-format\">Référence du format" in page and "anciens_ids" in page
    assert (built.docs / PAGE).read_text(encoding="utf-8") == reference_markdown(
        checked(built.root).vocabularies), "generated from the models and the vocabularies"
    forms = [ROOT / ".github/ISSUE_TEMPLATE" / f"{kind}.yml" for kind in ("enseignement", "fiche", "territoire")]
    guides = [ROOT / "CONTRIBUTING.md", *forms]
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert "« Référence du format »" in text and "`reference-du-format/`" in text, guide.name
    assert "http://127.0.0.1:8000/reference-du-format/" in guides[0].read_text(encoding="utf-8")
