"""The printed référentiel: a PDF for every fiche, lesson, territory and training path, written into the built site,
and the whole référentiel in one booklet. Each carries its edition, date, licence, sources and permalink, with a
QR code that leads back to its page. Typst lays them out from data, never from markup: tagged for screen readers,
hyphenated in French, with French spacing, and with no font or library of the system."""

import io
import os
import re
import shutil
import subprocess
import tomllib
import unicodedata
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pypdf
import pytest
import typst
import yaml
from support import (
    MINI,
    PAYLOAD,
    PUBLISHED,
    checked,
    executable_vectors,
    hostile_referentiel,
    mini_referentiel,
    replace,
)
from test_site import searched_pages

from engine.build.site import Layout
from engine.check.publication import Publication
from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.model import french
from engine.model.format import Fiche, Parcours
from engine.render.citations import cited, short_form
from engine.render.pages import Pages
from engine.render.pdf import PARALLEL_FROM, Imprint, Layouts, Printer, cache_key, lay_out, lay_out_all, printed_files
from engine.render.pdftree import document_tree
from engine.render.typesetting import BACKGROUND_NICENESS

ROOT = Path(__file__).resolve().parent.parent
PUBLICATION = Publication.model_validate(yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")))
"""The publication of the small référentiel: the tests' referentiel.yaml, with a site address."""
SITE_URL = PUBLICATION.adresse
FOLDERS = {"enseignement": "enseignements", "fiche": "fiches", "territoire": "territoires", "parcours": "parcours"}
FIXTURE_ENTRIES = [(kind, path.stem) for kind, folder in (("enseignement", "lessons"), ("fiche", "fiches"),
                                                           ("territoire", "territories"), ("parcours", "parcours"))
                   for path in sorted((MINI / folder).glob("*.yaml"))]
IMPRINT = Imprint("Référentiel", SITE_URL, "2026.1", "CC BY-SA 4.0", "Les contributeurs du référentiel")
SOFT_HYPHEN = "\u00ad"
"""What poppler shows at the end of a line where Typst cut a word."""


def reader(data: bytes | Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)


def text(document: pypdf.PdfReader) -> str:
    """The text of every page, its spaces and line breaks folded into single spaces (none after a hyphen)."""
    lines = "\n".join(page.extract_text() for page in document.pages)
    return " ".join(lines.replace("-\n", "-").split())


def poppler(tool: str, pdf: Path | bytes, *args: str) -> str:
    """What a poppler tool (pdftotext, pdfinfo) prints about a PDF."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} est absent : installez-le avec « apt-get install -y poppler-utils »")
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run([tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"], input=data,
                          capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def lines(pdf: Path | bytes) -> list[str]:
    """The lines of a PDF as poppler reads them (a word cut by hyphenation ends its line with a soft hyphen)."""
    return [line.strip(" ") for line in poppler("pdftotext", pdf, "-enc", "UTF-8").splitlines() if line.strip()]


def letters(value: str) -> str:
    """Only the letters and digits of a text, case and ligatures folded: what must survive any layout."""
    return "".join(char for char in unicodedata.normalize("NFKC", value).casefold() if char.isalnum())


def leaves(node: Any) -> list[str]:
    """Every text of a document tree, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [leaf for child in node for leaf in leaves(child)]
    return [] if node.get("t") == "qr" else leaves(node.get("c", []))


def printed(layout: Layout, kind: str, ident: str) -> Path:
    return layout.site / "pdf" / FOLDERS[kind] / f"{ident}.pdf"


def printer_of(root: Path, referentiel: Referentiel | None = None) -> tuple[Printer, Referentiel]:
    """The printer of a référentiel (checked here unless it is given) and the référentiel."""
    referentiel = referentiel or checked(root)
    return Printer(Pages(referentiel, History(root)), IMPRINT), referentiel


def test_the_site_holds_a_pdf_for_every_fiche_lesson_territory_and_training_path_and_the_booklet(built: Layout):
    found = sorted(path.relative_to(built.site / "pdf").as_posix() for path in (built.site / "pdf").rglob("*.pdf"))
    expected = sorted([f"{FOLDERS[kind]}/{ident}.pdf" for kind, ident in FIXTURE_ENTRIES] + ["referentiel.pdf"])
    assert found == expected


@pytest.mark.parametrize("kind, ident", FIXTURE_ENTRIES, ids=[ident for _, ident in FIXTURE_ENTRIES])
def test_an_entry_pdf_carries_title_edition_date_licence_sources_and_permalink(built: Layout, kind: str, ident: str):
    referentiel = checked(built.root)
    entry = referentiel.entries[kind][ident]
    document = reader(printed(built, kind, ident))
    shown = text(document)
    assert document.metadata is not None
    assert document.metadata.title == entry.title
    assert document.metadata.author == PUBLICATION.editeur.nom, "the publisher of referentiel.yaml"
    assert " ".join(entry.title.split()) in shown
    assert f"édition {PUBLICATION.edition}" in shown and f"Licence {PUBLICATION.licence.nom}" in shown
    updated = History(built.root).dates(f"{type(entry).folder}/{ident}.yaml").updated
    assert french.day(updated) in shown
    assert f"Version en ligne : {SITE_URL}{FOLDERS[kind]}/{ident}/" in shown
    titles = {cited.id: cited.titre for cited in referentiel.bibliography.documents}
    assert all(" ".join(titles[source.document].split()) in " ".join(shown.split()) and source.passage in shown
               for source in entry.sources)


@pytest.mark.parametrize("kind, ident", [("fiche", "fifty-fifty"), ("enseignement", "recit-partage")])
def test_a_pdf_cites_short_in_its_text_and_gives_each_full_reference_once_at_its_foot(built: Layout, kind: str,
                                                                                     ident: str):
    referentiel = checked(built.root)
    entry = referentiel.entries[kind][ident]
    shown = " ".join(poppler("pdftotext", printed(built, kind, ident), "-enc", "UTF-8").split())
    body, foot = shown.rsplit(" Sources ", 1)
    documents = {document.id: document for document in referentiel.bibliography.documents}
    quoted = [quotation.source for quotation in getattr(entry, "citations", [])]
    assert quoted, "the fixture quotes its sources"
    for source in quoted:
        assert f"{short_form(documents[source.document])}, {source.passage}" in body, "« ADEME 2019, § 3 », as on the site"
    for ident_cited, _ in cited(entry):
        title = " ".join(documents[ident_cited].titre.split())
        assert title not in body and shown.count(title) == 1, "the full reference once, at the foot"
        assert f"{short_form(documents[ident_cited])} : {title}" in foot


def test_a_training_path_pdf_gives_each_full_reference_of_its_steps_once_at_its_foot(built: Layout):
    referentiel = checked(built.root)
    parcours = referentiel.by_id(Parcours)["premiers-pas"]
    shown = " ".join(poppler("pdftotext", printed(built, "parcours", "premiers-pas"), "-enc", "UTF-8").split())
    body, foot = shown.rsplit(" Sources du parcours et de ses étapes ", 1)
    documents = {document.id: document for document in referentiel.bibliography.documents}
    steps = [referentiel.entries[kind][ident] for kind, ident in (step.entry for step in parcours.etapes)]
    cited_by_steps = {document for step in steps for document, _ in cited(step)}
    assert len(cited_by_steps) > 1, "the fixture's steps cite several documents"
    for document in cited_by_steps | {document for document, _ in cited(parcours)}:
        title = " ".join(documents[document].titre.split())
        assert title not in body and f"{short_form(documents[document])} : {title}" in foot
        assert short_form(documents[document]) in body, "the steps cite it short"


def test_the_booklet_gives_each_full_reference_once_in_its_bibliography(built: Layout):
    referentiel = checked(built.root)
    shown = " ".join(poppler("pdftotext", built.site / "pdf/referentiel.pdf", "-enc", "UTF-8").split())
    cited_somewhere = {document for kind in referentiel.entries for entry in referentiel.of_kind(kind)
                       for document, _ in cited(entry)}
    for document in referentiel.bibliography.documents:
        if document.id in cited_somewhere:
            assert shown.count(" ".join(document.titre.split())) == 1, document.id
            assert short_form(document) in shown


@pytest.mark.parametrize("kind, ident", [*FIXTURE_ENTRIES, ("livret", "referentiel")],
                         ids=[ident for _, ident in FIXTURE_ENTRIES] + ["livret"])
def test_the_text_of_a_pdf_is_the_text_of_its_document_nothing_lost_nothing_added(built: Layout, kind: str,
                                                                                  ident: str):
    printer, referentiel = printer_of(built.root)
    printer.imprint = Imprint(PUBLICATION.titre, SITE_URL, PUBLICATION.edition, PUBLICATION.licence.nom,
                              PUBLICATION.editeur.nom)
    if kind == "livret":
        document, pdf = printer.booklet(), built.site / "pdf/referentiel.pdf"
    else:
        document, pdf = printer.entry(referentiel.entries[kind][ident]), printed(built, kind, ident)
    tree = document_tree(document)
    footer = letters("".join(leaves(tree["footer"])))
    shown = [letters(line) for line in "\n".join(lines(pdf)).replace(f"{SOFT_HYPHEN}\n", "").splitlines()]
    rest = "".join(line.removeprefix(footer) if line.startswith(footer) else line for line in shown)
    # The footer of each page ends with its number; the table of contents adds page numbers and leaders.
    for leaf in sorted((letters(leaf) for leaf in leaves(tree["body"])), key=len, reverse=True):
        assert leaf in rest, leaf
        rest = rest.replace(leaf, "", 1)
    assert re.fullmatch(r"[p\d]*", rest), "only page numbers and references (p. 3) are added: " + rest[:200]


@pytest.mark.parametrize("kind, ident", [entry for entry in FIXTURE_ENTRIES if entry[0] != "parcours"],
                         ids=[ident for kind, ident in FIXTURE_ENTRIES if kind != "parcours"])
def test_a_fiche_a_lesson_or_a_territory_of_the_fixture_holds_on_one_or_two_pages(built: Layout, kind: str,
                                                                                   ident: str):
    assert 1 <= len(reader(printed(built, kind, ident)).pages) <= 2


def test_a_training_path_pdf_is_a_booklet_of_its_steps(built: Layout):
    document = reader(printed(built, "parcours", "premiers-pas"))
    shown = text(document)
    assert len(document.pages) >= 4, "the programme, then one part per step"
    assert "Programme" in shown and "Public Élus et agents d'une commune qui débute." in shown
    for step, title in enumerate(["Loos-en-Gohelle", "Co-construire et partager un récit avec les acteurs du "
                                  "territoire", "Le fifty-fifty, l'outil de coproduction entre la mairie et les "
                                  "habitants"], start=1):
        assert f"ÉTAPE {step} SUR 3" in shown, "the step's heading, in capitals"
        assert re.search(rf"{re.escape(title)} \(p\. {step + 1}\)", shown), "the programme gives the step's page"
        assert title in " ".join(document.pages[step].extract_text().split()), "the step starts its page"
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
                                         ("territoire", "le-mene"), ("parcours", "premiers-pas")])
def test_the_qr_code_of_a_pdf_decodes_to_the_permalink_of_its_page(built: Layout, tmp_path: Path, kind: str,
                                                                    ident: str):
    assert decode_qr_code(printed(built, kind, ident), tmp_path) == [f"{SITE_URL}{FOLDERS[kind]}/{ident}/"]


def test_the_qr_code_has_an_alternative_text_that_gives_its_address(built: Layout):
    document = reader(printed(built, "fiche", "fifty-fifty"))
    figures = []

    def walk(element: Any) -> None:
        element = element.get_object()
        if isinstance(element, pypdf.generic.DictionaryObject):
            if element.get("/S") == "/Figure":
                figures.append(element.get("/Alt"))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids] if kids is not None else []:
                walk(kid)

    walk(document.root_object["/StructTreeRoot"])
    assert figures == [f"QR code menant à la version en ligne : {SITE_URL}fiches/fifty-fifty/"]


def test_every_pdf_is_tagged_for_screen_readers_in_french_and_declares_pdf_ua(built: Layout):
    for pdf in sorted((built.site / "pdf").rglob("*.pdf")):
        info = poppler("pdfinfo", pdf)
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), pdf.name
        document = reader(pdf)
        assert document.root_object["/Lang"] == "fr-FR", pdf.name
        metadata = document.root_object["/Metadata"]
        assert isinstance(metadata, pypdf.generic.StreamObject), pdf.name
        assert b"pdfuaid:part" in metadata.get_data(), pdf.name


def test_each_page_links_to_its_pdf_and_the_home_page_to_the_booklet(built: Layout):
    fiche = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-button ref-pdf" href="../../pdf/fiches/fifty-fifty.pdf">Télécharger la fiche '
                     r'\(PDF\)</a>', fiche)
    lesson = (built.site / "enseignements/recit-partage/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/enseignements/recit-partage.pdf">Télécharger l\'enseignement (PDF)</a>' in lesson
    path = (built.site / "parcours/premiers-pas/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/parcours/premiers-pas.pdf">Télécharger le livret du parcours (PDF)</a>' in path
    territory = (built.site / "territoires/le-mene/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/territoires/le-mene.pdf">Télécharger le territoire (PDF)</a>' in territory
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/referentiel.pdf">Télécharger tout le référentiel (PDF)</a>' in home


def test_a_search_for_pdf_finds_the_booklet_not_every_entry(built: Layout):
    found = [address for address, page in searched_pages(built.site).items() if "Télécharger" in page["content"]]
    assert found == ["/"], "only the home page's button, the booklet's"


def entry_title(item: object) -> str | None:
    """The title of an entry in the booklet's outline, where nothing lies under an entry."""
    assert isinstance(item, pypdf.generic.Destination), item
    return item.title


def test_the_booklet_holds_every_entry_behind_a_table_of_contents_with_the_right_page_numbers(built: Layout):
    booklet = reader(built.site / "pdf/referentiel.pdf")
    referentiel = checked(built.root)
    contents = " ".join(booklet.pages[1].extract_text().replace("\u2060", "").split())
    assert contents.startswith("Sommaire Enseignements")
    parts = {"enseignement": "Enseignements", "fiche": "Fiches", "territoire": "Territoires",
             "parcours": "Parcours de formation"}
    titles = [title for kind, part in parts.items()
              for title in [part, *(entry.title for entry in referentiel.of_kind(kind))]] + ["Glossaire", "Bibliographie"]
    pages = [" ".join(page.extract_text().split()) for page in booklet.pages]
    for title in titles:
        found = re.search(rf"{re.escape(title)}[ .]+(\d+)", contents)
        assert found, title
        assert title in pages[int(found.group(1)) - 1], f"{title} is on page {found.group(1)}"
    outline = [item.title for item in booklet.outline if not isinstance(item, list)]
    assert outline == ["Sommaire", "Enseignements", "Fiches", "Territoires", "Parcours de formation", "Glossaire",
                       "Bibliographie"]
    nested = [[entry_title(entry) for entry in item] for item in booklet.outline if isinstance(item, list)]
    assert nested == [[entry.title for entry in referentiel.of_kind(kind)] for kind in parts if
                      kind != "enseignement"] or len(nested) == 4, "the entries under their part"
    assert f"Version en ligne : {SITE_URL}" in text(booklet)


TYPST_SYNTAX = '#read("/etc/passwd") #import "@preview/x:0.1.0": x $x^2$ = Titre @ref ~ #set page(fill: red) #{1 + 1} // fin'
"""Typst code, maths, a heading, a reference, a comment (Markdown leaves them as they are)."""


def test_contributor_text_full_of_typst_syntax_comes_out_literally(tmp_path: Path):
    printer, referentiel = printer_of(mini_referentiel(tmp_path))
    fiche = referentiel.by_id(Fiche)["fifty-fifty"]
    clean = printer.entry(fiche)
    hostile = '<img src="https://example.org/pixel.png"> <script>alert(1)</script> [x](javascript:alert(2)) '
    page = printer.entry(fiche.model_copy(update={"objectif": hostile + TYPST_SYNTAX, "titre": hostile + TYPST_SYNTAX}))
    assert executable_vectors(page) == executable_vectors(clean), "the metadata and the QR code, nothing more"
    document = reader(lay_out(page))
    shown = "".join(text(document).split())  # where lines break is the layout's business
    assert "<script>alert(1)</script>" in shown, "the title is printed, as text"
    assert shown.count("".join(TYPST_SYNTAX.split())) == 2, "in the title and in the objective, as typed"
    assert "<etiquette>" in "".join(text(reader(lay_out(printer.entry(fiche.model_copy(
        update={"titre": "Un titre <etiquette>"}))))).split()), "a Typst label in a title"
    assert document.metadata is not None and document.metadata.title == hostile + TYPST_SYNTAX


def test_the_pdfs_use_only_the_fonts_embedded_in_typst(built: Layout):
    embedded = {family.replace(" ", "") for family in typst.Fonts(include_system_fonts=False).families()}
    for pdf in (built.site / "pdf/referentiel.pdf", printed(built, "fiche", "fifty-fifty")):
        fonts = re.findall(r"^\w{6}\+(\S+)", poppler("pdffonts", pdf), re.MULTILINE)
        assert fonts and {font.split("-")[0] for font in fonts} <= embedded, fonts


def test_french_words_are_hyphenated_at_french_points():
    words = ["l'intercommunalité", "accompagne", "l'expérimentation", "participative", "des", "établissements", "intercommunaux", "et", "la", "responsabilisation", "environnementale", "de", "chaque", "habitant"]
    long_words = " ".join(" ".join(words[shift:] + words[:shift]) + "." for shift in range(len(words)))
    pdf = lay_out(f"<html><head><title>Césure</title></head><body><p>{long_words}</p></body></html>")
    cut = [(line, following) for line, following in zip(lines(pdf), lines(pdf)[1:]) if line.endswith(SOFT_HYPHEN)]
    assert cut, "some words are cut at the end of a line"
    whole = set(re.findall(r"\w+", long_words))
    for line, following in cut:
        start, end = re.findall(r"\w+", line)[-1], re.findall(r"\w+", following)[0]
        assert start + end in whole and len(start) >= 2 and len(end) >= 2, (line, following)


def test_a_heading_never_ends_a_page_it_goes_over_with_the_text_that_follows_it():
    # Typst keeps a heading with what follows (its blocks are sticky): the layout relies on it.
    moved = 0
    for count in range(56, 68):  # about a page of one-line paragraphs, then a heading
        lines_before = "".join(f"<p>Ligne {line}.</p>" for line in range(count))
        pdf = lay_out(f"<html><head><title>Titres</title></head><body>{lines_before}<h2>Titre isolé</h2>"
                      "<p>La suite du titre.</p></body></html>")
        pages = [[line for line in page.splitlines() if line.strip() and not re.fullmatch(r"\d+ ?/ ?\d+", line)]
                 for page in poppler("pdftotext", pdf, "-enc", "UTF-8").split("\f") if page.strip()]
        assert all(page[-1] != "Titre isolé" for page in pages[:-1]), count
        moved += any(page[0] == "Titre isolé" for page in pages[1:])
    assert moved, "a heading that would have ended a page starts the next one"


def test_no_line_starts_with_a_high_punctuation_mark_or_a_closing_guillemet_nor_ends_with_an_opening_one(
        built: Layout):
    typed = " ".join(["Oui : le récit ; « vraiment » ? Oui ! Le mot « partage » revient : 25 000 € ; 12 %"] * 40)
    made = lay_out(f"<html><head><title>Espaces</title></head><body><p>{typed}</p></body></html>")
    every = [lines(made)] + [lines(pdf) for pdf in sorted((built.site / "pdf").rglob("*.pdf"))]
    for found in every:
        assert [line for line in found if line[0] in ":;?!»" or line.endswith("«")] == []
    assert "25\u202f000\u00a0€" in reader(made).pages[0].extract_text(), "numbers and units are never cut"


def test_typst_is_pinned_and_its_version_is_part_of_the_cache_key(monkeypatch: pytest.MonkeyPatch):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [requirement for requirement in project["project"]["dependencies"] if requirement.startswith("typst")]
    assert pins == [f"typst=={version('typst')}"], "a new Typst changes the layout: pin it, then check the PDFs"
    document = "<p>Une fiche</p>"
    before = cache_key(document)
    monkeypatch.setattr(typst, "__version__", "0.0.0")
    assert cache_key(document) != before


def test_the_largest_fiches_lessons_and_territories_of_the_shipped_referentiel_hold_on_two_pages(
        shipped_referentiel: Referentiel):
    printer, referentiel = printer_of(ROOT, shipped_referentiel)
    for kind in ("fiche", "enseignement"):
        pages = {entry.id: printer.entry(entry) for entry in referentiel.of_kind(kind)}
        for ident in sorted(pages, key=lambda ident: len(pages[ident]), reverse=True)[:3]:
            assert len(reader(lay_out(pages[ident])).pages) <= 2, f"{kind} {ident}"
    for parcours in referentiel.of_model(Parcours):
        document = reader(lay_out(printer.entry(parcours)))
        assert len(document.pages) > len(parcours.etapes), "the programme, then each step from a new page"
        assert " ".join(parcours.titre.split()) in text(document)


def recorded_lay_outs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML documents laid out from now on by the PDF builder (still laid out), in order."""
    laid_out: list[str] = []

    def recorded(document: str) -> bytes:
        laid_out.append(document)
        return lay_out(document)

    monkeypatch.setattr("engine.render.pdf.lay_out", recorded)
    return laid_out


def test_a_later_build_lays_out_only_the_documents_whose_html_changed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "pdf"
    first = {"a.pdf": "<head><title>A</title></head><p>Première fiche</p>",
             "b.pdf": "<head><title>B</title></head><p>Deuxième fiche</p>"}
    progress: list[str] = []
    assert lay_out_all(first, cache, progress.append) == {path: lay_out(document) for path, document in first.items()}
    assert progress[0] == "PDF : 0 sur 2 déjà à jour, 2 à mettre en page" and progress[-1] == "PDF : 2/2 mis en page"
    laid_out = recorded_lay_outs(monkeypatch)
    second = {"a.pdf": "<head><title>A</title></head><p>Première fiche</p>",
              "b.pdf": "<head><title>B</title></head><p>Deuxième fiche, corrigée</p>"}
    assert lay_out_all(second, cache) == {path: lay_out(document) for path, document in second.items()}
    assert laid_out == ["<head><title>B</title></head><p>Deuxième fiche, corrigée</p>"]
    assert len(list(cache.glob("*.pdf"))) == 2, "the cache keeps the PDFs of the last build only"
    laid_out.clear()
    lay_out_all(second, cache)
    assert laid_out == [], "nothing changed, nothing laid out"


def test_an_ordinary_build_never_lays_out_the_booklet_but_publishes_it_while_it_is_up_to_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = mini_referentiel(tmp_path)
    cache = Layout(root).pdf_cache
    laid_out = recorded_lay_outs(monkeypatch)

    def booklet_laid_out(booklet: bool = False) -> tuple[bool, bool]:
        laid_out.clear()
        files = printed_files(Pages(checked(root), History(root), printed=True), cache, booklet=booklet)
        return "pdf/referentiel.pdf" in files, any('content="livret"' in document for document in laid_out)

    assert booklet_laid_out() == (False, False), "not asked for: the booklet waits"
    assert booklet_laid_out(booklet=True) == (True, True), "asked for (--livret, offline, publier)"
    assert booklet_laid_out() == (True, False), "up to date: published again without being laid out"
    replace(root, "fiches/fifty-fifty.yaml", "titre: ", "titre: Corrigé, ")
    assert booklet_laid_out() == (False, False), "out of date after an edit: left out, not laid out"


def test_many_documents_are_laid_out_on_every_core_into_the_same_pdfs(tmp_path: Path):
    documents = {f"{index}.pdf": f"<head><title>Fiche {index}</title></head><p>Fiche numéro {index}</p>"
                 for index in range(PARALLEL_FROM)}
    progress: list[str] = []
    laid_out = lay_out_all(documents, tmp_path, progress.append)
    assert laid_out == {path: lay_out(document) for path, document in documents.items()}
    assert progress[-1] == f"PDF : {PARALLEL_FROM}/{PARALLEL_FROM} mis en page"


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="the priority of a process is POSIX's")
def test_pdfs_laid_out_while_the_site_is_built_run_below_the_build_on_every_core():
    documents = {f"{index}.pdf": f"<head><title>Fiche {index}</title></head><p>Fiche numéro {index}</p>"
                 for index in range(PARALLEL_FROM)}
    layouts = Layouts(documents, behind=True)
    try:
        assert layouts.pool is not None
        # Read as soon as the workers are started, while they are still importing: they are below the build
        # from the start, not from when they get round to it.
        starting = {os.getpriority(os.PRIO_PROCESS, pid) for pid in layouts.pool._processes}
        laid_out = dict(layouts)
        workers = list(layouts.pool._processes)
        priorities = {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers}
    finally:
        layouts.close()
    assert laid_out == {path: lay_out(document) for path, document in documents.items()}
    assert len(workers) == min(os.cpu_count() or 1, PARALLEL_FROM), "as many workers as cores"
    below = os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS
    assert starting == {below} and priorities == {below}, "the build's work goes first"


def test_a_referentiel_whose_every_text_is_hostile_prints_every_pdf_with_the_text_as_text(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = hostile_referentiel(root)
    files = printed_files(Pages(referentiel, History(root), printed=True), tmp_path / "cache", booklet=True)
    assert len(files) == len(FIXTURE_ENTRIES) + 1
    title = "".join(text(reader(files["pdf/fiches/fifty-fifty.pdf"])).split())
    assert "".join(PAYLOAD.split()) in title, "the title, typed by a contributor, printed as it is"
