"""Linkable everything: each section heading has an anchor that does not depend on its wording, and a
« Copier le lien » button, usable with the keyboard, that copies the address of the section."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from support import checked, mini_referentiel
from test_browser import base_url, browser  # noqa: F401 (fixtures)

from engine.build.site import Layout
from engine.load.history import History
from engine.model.format import Fiche
from engine.render.pages import Pages

HEADING = re.compile(r"^(#{2,6}) (.*)$", re.M)
EXPLICIT_ID = re.compile(r" \{#[a-z0-9]+(?:-[a-z0-9]+)*(?: data-search-exclude)?\}$")


def test_every_section_heading_of_every_generated_page_has_an_explicit_anchor(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    pages = Pages(checked(root), History(root)).all("# Accueil\n")
    headings = [(path, match.group(0)) for path, page in pages.items() for match in HEADING.finditer(page)]
    assert len(headings) > 50
    assert [(path, line) for path, line in headings if not EXPLICIT_ID.search(line)] == []


def test_the_anchor_of_a_section_does_not_change_with_the_wording_of_its_entry(tmp_path: Path, built: Layout):
    root = mini_referentiel(tmp_path)
    referentiel = checked(root)
    fiche = referentiel.by_id(Fiche)["fifty-fifty"]
    step = fiche.etapes[0].model_copy(update={"titre": "Un tout autre nom"})
    referentiel.entries["fiche"]["fifty-fifty"] = fiche.model_copy(update={"etapes": [step, *fiche.etapes[1:]]})
    page = Pages(referentiel, History(root)).all("# Accueil\n")["fiches/fifty-fifty.md"]
    assert '<details class="ref-pli" id="etape-1"' in page and "Un tout autre nom" in page  # folded, by number
    assert 'id="etape-1"' in (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")


@pytest.fixture
def page_with_clipboard(browser: Browser, base_url: str):  # noqa: F811 (fixtures)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "fiches/fifty-fifty/")
    yield page
    assert errors == []
    context.close()


@pytest.mark.browser
def test_each_section_heading_has_a_copy_link_button(page_with_clipboard):
    page = page_with_clipboard
    sections = page.locator("article h2[id], article h3[id]")
    buttons = page.locator("article :is(h2, h3) > button.ref-copier-lien")
    assert sections.count() > 5 and buttons.count() == sections.count()
    assert page.get_by_role("button", name="Copier le lien vers la section « Objectif »").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_button_copies_the_address_of_the_section_from_the_keyboard(page_with_clipboard, key: str,
                                                                        base_url: str):  # noqa: F811 (fixture)
    page = page_with_clipboard
    button = page.get_by_role("button", name="Copier le lien vers la section « Étapes »")
    button.focus()
    page.keyboard.press(key)
    page.wait_for_function("document.querySelector('[data-ref-lien-statut]').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == base_url + "fiches/fifty-fifty/#etapes"
    assert button.inner_text() == "Lien copié"
    assert page.locator("[role=status][data-ref-lien-statut]").inner_text() == (
        f"Lien vers la section « Étapes » copié : {base_url}fiches/fifty-fifty/#etapes")
