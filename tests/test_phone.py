"""The shipped référentiel read on a phone: Debian's Chromium at 390 × 844 px, as an elected official would.

The site is built once from the content of the repository (without the PDFs) and served locally. Lengths
are measured as loaded, folds closed, in screens of 844 px.
"""

import functools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from support import checked, served
from test_browser import ARGUMENTS, AXE, CHROMIUM, WCAG

from engine.build.site import Layout, prepare, publish
from engine.check.referentiel import Referentiel

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["lessons", "fiches", "territories", "parcours", "data", "content", "referentiel.yaml", "mkdocs.yml"]
PHONE: ViewportSize = {"width": 390, "height": 844}
BUDGETS = {"enseignements": 6, "fiches": 6, "territoires": 10}
"""The most screens an entry of each kind may take on a phone, folds closed."""
SHARED_PAGES = ["", "enseignements/", "fiches/", "territoires/", "parcours/", "matrice/", "glossaire/",
                "bibliographie/", "code-source/", "donnees/", "questions-ouvertes/"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The address of the shipped référentiel's site, served locally, and its folder."""
    root = tmp_path_factory.mktemp("livre") / "referentiel"
    root.mkdir()
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy(source, root / name)
    layout = Layout(root)
    prepare(checked(root), layout, printed=False)
    publish(layout)
    with served(layout.site) as address:
        yield address, layout.site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail("Chromium est absent : installez-le avec « apt-get install -y chromium »")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def entries(site: Path) -> list[str]:
    return [f"{folder}/{page.name}/" for folder in BUDGETS for page in sorted((site / folder).iterdir())
            if (page / "index.html").is_file()]


def size(page: Page) -> tuple[int, float]:
    """The width of the page's content in pixels and the page's length in screens. (Without JavaScript the
    theme's own header title is 14 px too wide: the content is what the référentiel controls.)"""
    width, height = page.evaluate("[document.querySelector('.md-main').scrollWidth,"
                                  " document.documentElement.scrollHeight]")
    return width, height / PHONE["height"]


def test_no_shared_page_is_wider_than_a_phone(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    wider = {}
    for path in SHARED_PAGES:
        phone.goto(base + path, wait_until="load")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[path] = width
    assert wider == {}


@dataclass(frozen=True)
class Measure:
    """One entry page as loaded on a phone without JavaScript: its open folds, the width of its content, its
    length in screens, and for a lesson how far down the bottom of its summary lies (None when the key question
    or the summary is missing)."""

    open_folds: int
    width: int
    screens: float
    summary_bottom: float | None


@pytest.fixture(scope="module")
def measured(browser: Browser, shipped: tuple[str, Path]) -> dict[str, Measure]:
    """Every entry page of the shipped site, loaded once and measured for the tests below. Measured without
    JavaScript, which changes no length (folds are closed either way), to load the 200-odd pages quickly."""
    base, site = shipped
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    found = {}
    for path in entries(site):
        page.goto(base + path, wait_until="load")
        width, screens = size(page)
        bottom = None
        if path.startswith("enseignements/"):
            essentiel = page.locator(".ref-essentiel")
            question = essentiel.locator(".ref-question").bounding_box()
            summary = essentiel.locator(".ref-texte").bounding_box()
            bottom = summary["y"] + summary["height"] if question and summary else None
        found[path] = Measure(page.locator("details[open]").count(), width, screens, bottom)
    context.close()
    return found


def test_every_entry_fits_the_width_of_a_phone_and_its_length_budget_with_folds_closed(
        measured: dict[str, Measure]):
    assert len(measured) > 200
    assert {path: measure.open_folds for path, measure in measured.items() if measure.open_folds} == {}
    assert {path: measure.width for path, measure in measured.items() if measure.width > PHONE["width"]} == {}
    assert {path: round(measure.screens, 1) for path, measure in measured.items()
            if measure.screens > BUDGETS[path.split("/")[0]]} == {}


def test_the_first_screen_of_every_lesson_holds_its_key_question_and_summary(measured: dict[str, Measure]):
    lessons = {path: measure for path, measure in measured.items() if path.startswith("enseignements/")}
    assert lessons
    assert [path for path, measure in lessons.items() if measure.summary_bottom is None] == [], \
        "every lesson shows its key question and its summary"
    below = {path: round(measure.summary_bottom) for path, measure in lessons.items()
             if measure.summary_bottom is not None and measure.summary_bottom > PHONE["height"]}
    assert below == {}, "the key question and the summary are read without scrolling"


def test_a_glossary_term_is_explained_once_per_page_and_territoire_never(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "enseignements/recit-partage/")
    terms = phone.evaluate("[...document.querySelectorAll('article abbr')].map(abbr => abbr.textContent)")
    assert "récit" in [term.casefold() for term in terms]
    assert len(terms) == len({term.casefold() for term in terms}), terms
    assert "territoire" not in [term.casefold() for term in terms]


def test_the_tooltip_of_a_term_shows_its_definition(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "enseignements/recit-partage/")
    phone.locator("article abbr", has_text="récit").first.hover()
    tooltip = phone.locator(".md-tooltip--active, .md-tooltip2--active")
    tooltip.first.wait_for(state="visible")
    assert "Histoire partagée" in tooltip.first.inner_text()


def test_a_link_to_an_anchor_inside_a_fold_opens_it(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "enseignements/recit-partage/#observation-malaunay")
    fold = phone.locator("details#observation-malaunay")
    phone.wait_for_function("document.querySelector('details#observation-malaunay').open")
    assert fold.locator(".ref-texte").is_visible()
    assert phone.locator("details#observation-loos-en-gohelle").get_attribute("open") is None
    phone.goto(base + "territoires/loos-en-gohelle/")
    assert not phone.locator("details#populations .ref-source, details#populations li").first.is_visible()
    phone.locator(".ref-carte a[href$='#populations']").first.click()  # the theme makes addresses absolute
    phone.wait_for_function("document.querySelector('details#populations').open")
    assert phone.locator("details#populations li").first.is_visible()


def test_a_short_citation_leads_to_the_full_reference_at_the_foot(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "enseignements/recit-partage/#observation-loos-en-gohelle")
    phone.wait_for_function("document.querySelector('details#observation-loos-en-gohelle').open")
    citation = phone.locator("details#observation-loos-en-gohelle a[href*='#source-']").first
    assert citation.inner_text() == "ADEME 2019"
    address = citation.get_attribute("href")
    assert address is not None
    reference = phone.locator("li#" + address.partition("#")[2])
    assert "Recherche-action" in (reference.text_content() or "")
    assert reference.locator("a[href*='bibliographie/#rapport-recherche-action-ademe']").count() == 1
    assert (phone.locator("article").text_content() or "").count("accompagnement de territoires en transition") == 1, \
        "the full title is given once, at the foot"


def test_printing_opens_every_fold(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "fiches/fifty-fifty/")
    phone.wait_for_load_state("networkidle")
    phone.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    phone.emulate_media(media="print")
    phone.wait_for_function("[...document.querySelectorAll('article details')].every(d => d.open)")


def test_the_matrix_shows_one_family_or_one_territory_at_a_time(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "matrice/")
    rows = phone.locator(".ref-matrice tbody tr")
    total = rows.count()
    assert phone.locator(".ref-legende li").count() >= 8, "every status has its line in the legend"
    assert "Val d'Ille-Aubigné" in phone.locator(".ref-matrice thead").inner_text(), "short names in the header"
    phone.select_option("select[data-matrice='famille']", "villes-pairs")
    shown = [rows.nth(index) for index in range(total) if rows.nth(index).is_visible()]
    assert 0 < len(shown) < total
    phone.select_option("select[data-matrice='territoire']", "malaunay")
    visible_headers = [cell for cell in phone.locator(".ref-matrice thead th").all() if cell.is_visible()]
    assert [cell.inner_text().strip() for cell in visible_headers] == ["Enseignement", "Malaunay", "Confirmé dans"]
    width, _ = size(phone)
    assert width <= PHONE["width"]


def test_the_matrix_header_stays_in_view_while_its_rows_scroll(phone: Page, shipped: tuple[str, Path]):
    base, _ = shipped
    phone.goto(base + "matrice/")
    box = phone.locator(".ref-matrice .md-typeset__scrollwrap")
    box.evaluate("element => element.scrollTop = 600")
    header = phone.locator(".ref-matrice thead th").first.bounding_box()
    frame = box.bounding_box()
    assert header and frame and abs(header["y"] - frame["y"]) < 2


def test_a_table_wider_than_the_phone_scrolls_from_the_keyboard_and_axe_finds_nothing(phone: Page,
                                                                                     shipped: tuple[str, Path]):
    """The format reference's tables (five columns) scroll sideways on a phone: each box that scrolls and holds
    no link to reach by Tab is a named, focusable region, and the arrow keys scroll it; axe (WCAG 2.1 AA and
    RGAA) then finds no violation."""
    base, _ = shipped
    phone.goto(base + "reference-du-format/", wait_until="load")
    phone.wait_for_selector(".md-typeset__scrollwrap[data-ref-defile]", state="attached")
    boxes = phone.locator(".md-typeset__scrollwrap").all()
    scrolling = [box for box in boxes if box.evaluate(
        "element => element.scrollWidth > element.clientWidth + 1 && !element.querySelector('a[href], button')")]
    assert scrolling, "the five-column tables are wider than a phone"
    for box in scrolling:
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert (box.get_attribute("aria-label") or "").startswith("Tableau")
    scrolling[0].focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("box => box.scrollLeft > 0", arg=scrolling[0].element_handle())
    phone.add_script_tag(path=str(AXE))
    result = phone.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    assert [violation["id"] for violation in result["violations"]] == []


def search_results(page: Page, base: str, query: str) -> list[tuple[str, str, str]]:
    """Every result of the « Rechercher » page for a query: its title, its address and its preview, in order."""
    page.goto(base + "recherche/?q=" + query)
    page.wait_for_selector(".pagefind-ui__result-link")
    results = page.locator(".pagefind-ui__result")
    while page.locator("button.pagefind-ui__button").count():  # « Charger plus de résultats »
        shown = results.count()
        page.evaluate("document.querySelector('button.pagefind-ui__button').click()")
        page.wait_for_function(f"document.querySelectorAll('.pagefind-ui__result').length > {shown}")
    page.wait_for_load_state("networkidle")
    return [(result.locator(".pagefind-ui__result-link").first.inner_text(),
             result.locator(".pagefind-ui__result-link").first.get_attribute("href") or "",
             result.locator(".pagefind-ui__result-excerpt").first.inner_text()) for result in results.all()]


@pytest.fixture(scope="module")
def searched(browser: Browser, shipped: tuple[str, Path]) -> Iterator[Callable[[str], list[tuple[str, str, str]]]]:
    """The results of a query on the phone, searched once per query for the tests below (they only read them)."""
    base, _ = shipped
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield functools.cache(lambda query: search_results(page, base, query))
    context.close()


def test_a_title_about_energy_ranks_above_a_figurative_energy_in_a_body(
        searched: Callable[[str], list[tuple[str, str, str]]]):
    results = searched("energie")
    first = [title for title, _, _ in results[:3]]
    assert any("énergie" in title.lower() for title in first), first
    addresses = [address for _, address, _ in results]
    figurative = "/enseignements/dispositifs-reflexivite-management/"
    titled = next(index for index, (title, _, _) in enumerate(results) if "énergie" in title.lower())
    assert figurative not in addresses or titled < addresses.index(figurative)


def test_no_result_preview_runs_the_key_facts_together(searched: Callable[[str], list[tuple[str, str, str]]],
                                                       shipped_referentiel: Referentiel):
    vocabularies = shipped_referentiel.vocabularies
    values = [term.libelle for name in ("types_fiche", "niveaux_implication", "types_collectivite", "familles",
                                        "niveaux", "regions") for term in getattr(vocabularies, name)]
    labels = ["Type", "Implication", "Durée", "Qui", "Moyens", "Famille", "Pôle", "Niveau", "Population"]
    runs = [f"{label} {value}" for label in labels for value in values] + [
        f"{first} {second}" for first in values for second in values if first != second]
    for query in ("energie", "collectivite"):
        previews = [preview for _, _, preview in searched(query)]
        assert len(previews) > 20
        assert not [preview for preview in previews if any(run in preview for run in runs)], query
