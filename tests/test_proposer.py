"""« Proposer une entrée » : the form of the site, in Debian's Chromium, and the schema it is drawn from."""

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from pydantic import Field
from support import checked, mini_referentiel, replace, served
from test_browser import AXE, WCAG, Visit, browser  # noqa: F401 (the browser fixture)

from engine.build.site import Layout, prepare, publish
from engine.check.checker import check
from engine.edit.tidy import format_file
from engine.load.inputs import read_document
from engine.load.problems import ERROR
from engine.model import format as formats
from engine.render import format_reference as reference
from engine.render.proposal import form_schema

DEPOT = "https://github.com/exemple/referentiel"
RGAA = ["RGAAv4"]
ENTRIES = {"fiche": "fiches/fifty-fifty.yaml", "enseignement": "lessons/recit-partage.yaml",
           "territoire": "territories/loos-en-gohelle.yaml", "parcours": "parcours/premiers-pas.yaml"}
"""An entry of each kind of the small référentiel, by the file it is written in."""


class FicheWithBudget(formats.Fiche):
    """A fiche model with one more field, as a contributor to the engine would add it."""

    budget: Annotated[str, Field(min_length=1, max_length=200, description="Budget annuel du dispositif.")] | None = None


def published_referentiel(destination: Path) -> Path:
    root = mini_referentiel(destination)
    replace(root, "referentiel.yaml", "\nedition:", f"\ndepot: {DEPOT}\nedition:")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The small référentiel, published with a repository and a fiche model with one field more, served locally."""
    root = published_referentiel(tmp_path_factory.mktemp("proposer"))
    patch = pytest.MonkeyPatch()
    patch.setitem(formats.KINDS, "fiche", FicheWithBudget)
    patch.setitem(reference.EXAMPLES, "budget", "2 000 € par an")  # the format reference shows an example of each field
    try:
        layout = Layout(root)
        prepare(checked(root), layout, printed=False)
        publish(layout)
    finally:
        patch.undo()
    with served(layout.site) as address:
        yield root, address


@pytest.fixture
def phone(browser: Browser) -> Iterator[Visit]:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True)
    context.set_default_timeout(15_000)
    yield Visit(context.new_page())
    context.close()


def open_form(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}proposer/{query}")
    page.wait_for_selector("#ref-proposer[data-ref-pret=oui]")


def prepared_file(page: Page) -> str:
    page.get_by_role("button", name="Vérifier et préparer le fichier").click()
    page.wait_for_selector(".ref-proposer-fichier:not([hidden])")
    return page.locator("textarea.ref-proposer-yaml").input_value()


def test_a_field_added_to_a_model_is_in_the_schema_of_the_form(tmp_path: Path):
    properties = form_schema(FicheWithBudget, checked(mini_referentiel(tmp_path)))["properties"]
    assert properties["budget"]["description"] == "Budget annuel du dispositif."
    assert list(properties)[-4:] == ["budget", "sources", "remarques_sources", "anciens_ids"]


def test_references_are_chosen_among_the_existing_entries_by_title(tmp_path: Path):
    referentiel = checked(mini_referentiel(tmp_path))
    schema = form_schema(formats.Fiche, referentiel)
    lessons = schema["properties"]["enseignements_lies"]["items"]
    assert lessons["enum"][0] == "" and "recit-partage" in lessons["enum"]
    title = referentiel.entries["enseignement"]["recit-partage"].title
    assert lessons["options"]["enum_titles"][lessons["enum"].index("recit-partage")] == title
    kinds = schema["properties"]["type"]
    assert kinds["options"]["enum_titles"][1] == referentiel.vocabularies.types_fiche[0].libelle


@pytest.mark.browser
def test_a_field_added_to_a_model_appears_in_the_form(phone: Visit, site: tuple[Path, str]):
    open_form(phone.page, site[1], "?sorte=fiche")
    field = phone.page.locator('[data-schemapath="root.budget"]')
    assert field.locator("textarea, input").count() == 1
    assert "Budget annuel du dispositif." in field.inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(ENTRIES))
def test_a_correction_of_each_kind_gives_a_file_that_check_accepts_and_fmt_keeps(
        phone: Visit, site: tuple[Path, str], tmp_path: Path, kind: str):
    source = ENTRIES[kind]
    ident = Path(source).stem
    open_form(phone.page, site[1], f"?sorte={kind}&id={ident}")
    text = prepared_file(phone.page)
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
    root = published_referentiel(tmp_path)
    before = read_document(root / source, source).data
    (root / source).write_text(text, encoding="utf-8")
    outcome = check(root)
    assert [problem.human() for problem in outcome.problems] == []
    assert read_document(root / source, source).data == before
    assert format_file(root / source, source) is None
    assert phone.errors == [] and phone.outside() == []


@pytest.mark.browser
def test_a_new_fiche_typed_in_the_form_is_accepted_by_check(phone: Visit, site: tuple[Path, str], tmp_path: Path):
    page = phone.page
    open_form(page, site[1])
    page.get_by_label("Fiche", exact=True).check()
    page.locator('[data-schemapath="root.titre"] input').fill("La réunion « en marchant » : 100 000 pas ?")
    page.keyboard.press("Tab")
    expect(page.locator('[data-schemapath="root.id"] input')).to_have_value("la-reunion-en-marchant-100-000-pas")
    page.locator('[data-schemapath="root.resume"] textarea').fill("Une réunion publique\ntenue en marchant dans le quartier.")
    page.locator('[data-schemapath="root.type"] select').select_option(label="Dispositif d'implication")
    page.locator('[data-schemapath="root.objectif"] textarea').fill("Voir le quartier ensemble : « sur place ».\n\n- un point\n- un autre")
    # a fiche needs a source: the form opens with one, to fill in
    page.locator('[data-schemapath="root.sources.0.document"] select').select_option(index=1)
    page.locator('[data-schemapath="root.sources.0.passage"] input').fill("§ 2")
    page.locator('[data-schemapath="root.etapes"] button.json-editor-btn-add:visible').first.click()
    page.locator('[data-schemapath="root.etapes.0.titre"] input').fill("Choisir le trajet")
    text = prepared_file(page)
    root = published_referentiel(tmp_path)
    (root / "fiches" / "la-reunion-en-marchant-100-000-pas.yaml").write_text(text, encoding="utf-8")
    outcome = check(root)
    assert [problem.human() for problem in outcome.problems if problem.severity == ERROR] == []
    assert outcome.referentiel is not None
    fiche = outcome.referentiel.by_id(formats.Fiche)["la-reunion-en-marchant-100-000-pas"]
    assert fiche.titre == "La réunion « en marchant » : 100 000 pas ?"
    assert fiche.resume == "Une réunion publique\ntenue en marchant dans le quartier."
    assert format_file(root / "fiches" / "la-reunion-en-marchant-100-000-pas.yaml", "x") is None


@pytest.mark.browser
def test_a_wrong_value_is_explained_in_french_beside_its_field_and_blocks_sending(phone: Visit, site: tuple[Path, str]):
    page = phone.page
    open_form(page, site[1], "?sorte=fiche&id=fifty-fifty")
    page.locator('[data-schemapath="root.id"] input').fill("Fifty Fifty !")
    page.get_by_role("button", name="Vérifier et préparer le fichier").click()
    field = page.locator('[data-schemapath="root.id"]')
    assert "Format attendu" in field.inner_text()
    assert "Format attendu" in page.locator(".ref-proposer-erreurs").inner_text()
    assert page.locator(".ref-proposer-fichier").is_hidden()
    assert page.locator("[data-ref-envoyer]").count() == 0


@pytest.mark.browser
def test_sending_opens_the_forge_new_file_page_with_name_and_content_intact(phone: Visit, site: tuple[Path, str]):
    page = phone.page
    open_form(page, site[1], "?sorte=fiche&id=fifty-fifty")
    text = prepared_file(page)
    assert "é" in text and "\n\n" in text
    address = urlsplit(page.locator("[data-ref-envoyer]").get_attribute("href") or "")
    assert (address.scheme, address.netloc, address.path) == ("https", "github.com", "/exemple/referentiel/new/main")
    query = parse_qs(address.query, keep_blank_values=True)
    assert query == {"filename": ["fiches/fifty-fifty.yaml"], "value": [text]}


@pytest.mark.browser
@pytest.mark.parametrize(("depot", "size", "expected"), [
    ("https://github.com/a/b", 9_000, ("https://github.com/a/b/upload/main/fiches", False)),
    ("https://gitlab.com/a/b", 10, ("https://gitlab.com/a/b/-/new/main/fiches?file_name=x.yaml", False)),
    ("https://codeberg.org/a/b", 10, ("https://codeberg.org/a/b/_new/main/fiches", False)),
])
def test_what_no_address_can_carry_is_uploaded_or_pasted(phone: Visit, site: tuple[Path, str], depot: str, size: int,
                                                        expected: tuple[str, bool]):
    open_form(phone.page, site[1])
    found = phone.page.evaluate("([depot, size]) => refProposerYaml.forgeAddress(depot, 'fiches/x.yaml', 'é'.repeat(size))",
                                [depot, size])
    assert (found["address"], found["filled"]) == expected


@pytest.mark.browser
def test_a_draft_survives_a_closed_tab_until_it_is_cleared(phone: Visit, site: tuple[Path, str]):
    page = phone.page
    open_form(page, site[1], "?sorte=fiche")
    page.locator('[data-schemapath="root.titre"] input').fill("Un brouillon à garder")
    page.keyboard.press("Tab")
    page.wait_for_function("(localStorage.getItem('referentiel-proposer-fiche') || '').includes('brouillon')")
    open_form(page, site[1], "?sorte=fiche")
    assert page.locator('[data-schemapath="root.titre"] input').input_value() == "Un brouillon à garder"
    page.get_by_role("button", name="Effacer le brouillon").click()
    assert page.locator('[data-schemapath="root.titre"] input').input_value() == ""
    assert page.evaluate("localStorage.getItem('referentiel-proposer-fiche')") is None


@pytest.mark.browser
def test_the_form_fits_a_phone_and_passes_axe_with_rgaa_tags(phone: Visit, site: tuple[Path, str]):
    page = phone.page
    open_form(page, site[1], "?sorte=territoire&id=loos-en-gohelle")
    prepared_file(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG + RGAA)
    violations = [f"{violation['id']}: {violation['help']} — {[node['target'] for node in violation['nodes']][:3]}"
                  for violation in result["violations"]]
    assert violations == []


@pytest.mark.browser
def test_every_entry_page_offers_a_correction_that_opens_the_form_filled_in(phone: Visit, site: tuple[Path, str]):
    page = phone.page
    page.goto(site[1] + "territoires/le-mene/")
    page.get_by_role("link", name="Proposer une correction").click()
    page.wait_for_selector("#ref-proposer[data-ref-pret=oui]")
    assert page.locator('[data-schemapath="root.id"] input').input_value() == "le-mene"
    assert page.get_by_label("Territoire", exact=True).is_checked()
