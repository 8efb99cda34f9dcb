"""The printed référentiel: a PDF for every fiche, lesson and training path, written into the built site, and
the whole référentiel in one booklet. Each carries its edition, date, licence, sources and permalink, with a
QR code that leads back to its page."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import yaml
from weasyprint.urls import FatalURLFetchingError

from engine import french
from engine.checking import check
from engine.history import History
from engine.pages import Pages
from engine.pdf import STYLESHEET, Imprint, OwnFilesOnly, Printer, lay_out, lay_out_all
from engine.publication import Publication
from engine.site import Layout
from support import MINI, PUBLISHED, executable_vectors, mini_referentiel

ROOT = Path(__file__).resolve().parent.parent
PUBLICATION = Publication.model_validate(yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")))
"""The publication of the small référentiel: the tests' referentiel.yaml, with a site address."""
SITE_URL = PUBLICATION.adresse
FIXTURE_ENTRIES = [(kind, path.stem) for kind, folder in (("enseignement", "lessons"), ("fiche", "fiches"),
                                                           ("parcours", "parcours"))
                   for path in sorted((MINI / folder).glob("*.yaml"))]
FOLDERS = {"enseignement": "enseignements", "fiche": "fiches", "parcours": "parcours"}


def reader(data: bytes | Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)


def text(document: pypdf.PdfReader) -> str:
    """The text of every page, its spaces and line breaks folded into single spaces (none after a hyphen)."""
    lines = "\n".join(page.extract_text() for page in document.pages)
    return " ".join(lines.replace("-\n", "-").split())


def printed(layout: Layout, kind: str, ident: str) -> pypdf.PdfReader:
    return reader(layout.site / "pdf" / FOLDERS[kind] / f"{ident}.pdf")


def test_the_site_holds_a_pdf_for_every_fiche_lesson_and_training_path_and_the_booklet(built: Layout):
    found = sorted(path.relative_to(built.site / "pdf").as_posix() for path in (built.site / "pdf").rglob("*.pdf"))
    expected = sorted([f"{FOLDERS[kind]}/{ident}.pdf" for kind, ident in FIXTURE_ENTRIES] + ["referentiel.pdf"])
    assert found == expected


@pytest.mark.parametrize("kind, ident", FIXTURE_ENTRIES, ids=[ident for _, ident in FIXTURE_ENTRIES])
def test_an_entry_pdf_carries_title_edition_date_licence_sources_and_permalink(built: Layout, kind: str, ident: str):
    referentiel = check(built.root).referentiel
    entry = referentiel.get(kind, ident)
    document = printed(built, kind, ident)
    shown = text(document)
    assert document.metadata.title == entry.title
    assert entry.title in shown
    assert f"édition {PUBLICATION.edition}" in shown and f"Licence {PUBLICATION.licence.nom}" in shown
    updated = History(built.root).dates(f"{type(entry).folder}/{ident}.yaml").updated
    assert french.day(updated) in shown
    assert f"Version en ligne : {SITE_URL}{FOLDERS[kind]}/{ident}/" in shown
    titles = {cited.id: cited.titre for cited in referentiel.bibliography.documents}
    assert all(f"{titles[source.document]} : " in shown and source.passage in shown for source in entry.sources)


@pytest.mark.parametrize("kind, ident", [entry for entry in FIXTURE_ENTRIES if entry[0] != "parcours"],
                         ids=[ident for kind, ident in FIXTURE_ENTRIES if kind != "parcours"])
def test_a_fiche_or_a_lesson_of_the_fixture_holds_on_one_or_two_pages(built: Layout, kind: str, ident: str):
    assert 1 <= len(printed(built, kind, ident).pages) <= 2


def test_a_training_path_pdf_is_a_booklet_of_its_steps(built: Layout):
    document = printed(built, "parcours", "premiers-pas")
    shown = text(document)
    assert len(document.pages) >= 4, "the programme, then one part per step"
    assert "Programme" in shown and "Public : Élus et agents d'une commune qui débute." in shown
    for step, title in enumerate(["Loos-en-Gohelle", "Co-construire et partager un récit avec les acteurs du "
                                  "territoire", "Le fifty-fifty, l'outil de coproduction entre la mairie et les "
                                  "habitants"], start=1):
        assert f"ÉTAPE {step} SUR 3" in shown, "the step's heading, in capitals"
        assert title in shown
    assert "Intention du formateur ou de la formatrice Simuler la convention d'un projet proposé par des habitants." \
        in shown


def decode_qr_code(pdf: Path, folder: Path) -> list[str]:
    """What a QR code reader finds on the first page of a PDF, rendered as an image by poppler."""
    for tool, package in (("pdftoppm", "poppler-utils"), ("zbarimg", "zbar-tools")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} est absent : installez-le avec « apt-get install -y {package} »")
    image = folder / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(image)],
                   check=True, timeout=60)
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{image}.png"],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.split()


@pytest.mark.parametrize("kind, ident", [("fiche", "fifty-fifty"), ("enseignement", "recit-partage"),
                                         ("parcours", "premiers-pas")])
def test_the_qr_code_of_a_pdf_decodes_to_the_permalink_of_its_page(built: Layout, tmp_path: Path, kind: str,
                                                                    ident: str):
    pdf = built.site / "pdf" / FOLDERS[kind] / f"{ident}.pdf"
    assert decode_qr_code(pdf, tmp_path) == [f"{SITE_URL}{FOLDERS[kind]}/{ident}/"]


def test_each_page_links_to_its_pdf_and_the_home_page_to_the_booklet(built: Layout):
    fiche = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-button ref-pdf" href="../../pdf/fiches/fifty-fifty.pdf">Télécharger la fiche '
                     r'\(PDF\)</a>', fiche)
    lesson = (built.site / "enseignements/recit-partage/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/enseignements/recit-partage.pdf">Télécharger l\'enseignement (PDF)</a>' in lesson
    path = (built.site / "parcours/premiers-pas/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/parcours/premiers-pas.pdf">Télécharger le livret du parcours (PDF)</a>' in path
    territory = (built.site / "territoires/le-mene/index.html").read_text(encoding="utf-8")
    assert ".pdf" not in territory, "territories have no PDF of their own"
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/referentiel.pdf">Télécharger tout le référentiel (PDF)</a>' in home


def test_a_search_for_pdf_finds_the_booklet_not_every_entry(built: Layout):
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    found = [doc["location"] for doc in index["docs"] if "Télécharger" in doc["text"]]
    assert len(found) == 1 and found[0].partition("#")[0] == "", "only the home page's button, the booklet's"


def test_the_booklet_holds_every_entry_behind_a_table_of_contents_with_page_numbers(built: Layout):
    booklet = reader(built.site / "pdf/referentiel.pdf")
    referentiel = check(built.root).referentiel
    contents = " ".join(booklet.pages[1].extract_text().split())
    assert contents.startswith("Sommaire Enseignements")
    titles = [entry.title for kind in ("enseignement", "fiche", "territoire", "parcours")
              for entry in referentiel.of_kind(kind)]
    for title in titles:
        assert re.search(rf"{re.escape(title)} ?\.+ ?\d+", contents), title
    outline = [item.title for item in booklet.outline if not isinstance(item, list)]
    assert outline == ["Sommaire", "Enseignements", "Fiches", "Territoires", "Parcours de formation", "Glossaire",
                       "Bibliographie"]
    assert len(booklet.pages) > len(titles)
    assert f"Version en ligne : {SITE_URL}" in text(booklet)


def test_contributor_text_goes_through_the_sanitising_renderer_of_the_site(tmp_path: Path):
    referentiel = check(mini_referentiel(tmp_path)).referentiel
    imprint = Imprint("Test", SITE_URL, "2026.1", "CC BY-SA 4.0")
    printer = Printer(Pages(referentiel, History(referentiel.root)), imprint)
    clean = printer.entry(referentiel.get("fiche", "fifty-fifty"))
    hostile = '<img src="https://example.org/pixel.png"> <script>alert(1)</script> [x](javascript:alert(2))'
    fiche = referentiel.get("fiche", "fifty-fifty").model_copy(update={"objectif": hostile, "titre": hostile})
    page = printer.entry(fiche)
    assert executable_vectors(page) == executable_vectors(clean), "the metadata and the QR code, nothing more"
    assert "alert(1)" in text(reader(lay_out(page))), "the text is printed, as text"


def test_weasyprint_fetches_nothing_but_the_files_of_the_print_templates():
    for address in ("https://example.org/pixel.png", "http://127.0.0.1/pixel.png", "file:///etc/passwd",
                    "data:image/png;base64,iVBORw0KGgo="):
        with pytest.raises(ValueError, match="refusé"):
            OwnFilesOnly().fetch(address)
        with pytest.raises(FatalURLFetchingError):
            lay_out(f'<p>Image : <img src="{address}"></p>')
    response = OwnFilesOnly().fetch(STYLESHEET.as_uri())
    assert b"@page" in response.read()
    response.close()


def test_the_largest_fiches_and_lessons_of_the_shipped_referentiel_hold_on_two_pages():
    referentiel = check(ROOT).referentiel
    printer = Printer(Pages(referentiel, History(ROOT)), Imprint("Référentiel", SITE_URL, "2026.1", "CC BY-SA 4.0"))
    for kind in ("fiche", "enseignement"):
        pages = {entry.id: printer.entry(entry) for entry in referentiel.of_kind(kind)}
        for ident in sorted(pages, key=lambda ident: len(pages[ident]), reverse=True)[:3]:
            assert len(reader(lay_out(pages[ident])).pages) <= 2, f"{kind} {ident}"
    for parcours in referentiel.of_kind("parcours"):
        document = reader(lay_out(printer.entry(parcours)))
        assert len(document.pages) > len(parcours.etapes), "the programme, then each step from a new page"
        assert parcours.titre in text(document)


def test_a_later_build_lays_out_only_the_documents_whose_html_changed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "pdf"
    first = {"a.pdf": "<p>Première fiche</p>", "b.pdf": "<p>Deuxième fiche</p>"}
    assert lay_out_all(first, cache) == {path: lay_out(document) for path, document in first.items()}
    laid_out: list[str] = []
    monkeypatch.setattr("engine.pdf.lay_out", lambda document: laid_out.append(document) or lay_out(document))
    second = {"a.pdf": "<p>Première fiche</p>", "b.pdf": "<p>Deuxième fiche, corrigée</p>"}
    assert lay_out_all(second, cache) == {path: lay_out(document) for path, document in second.items()}
    assert laid_out == ["<p>Deuxième fiche, corrigée</p>"]
    assert len(list(cache.iterdir())) == 2, "the cache keeps the PDFs of the last build only"
