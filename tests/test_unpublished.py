"""A référentiel whose site has no public address yet, nor a contact page (`adresse` and
`editeur.contact` left out of referentiel.yaml, as in the shipped one): nothing points to a made-up
address. Pages are cited by the address they are read at, PDFs carry no QR code and name the other
pages without linking to them, and there is no feed."""

import io
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import build
from support import PUBLISHED, mini_referentiel

from engine.build.site import Layout
from engine.check.publication import CITATION, Publication, citation_problems

PUBLISHED_ADDRESS = "referentiel.example.org"


def unpublished(root: Path) -> Path:
    """Take the address and the contact page out of the référentiel's referentiel.yaml."""
    publication = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))
    del publication["adresse"], publication["editeur"]["contact"]
    (root / "referentiel.yaml").write_text(yaml.safe_dump(publication, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    return build(unpublished(mini_referentiel(tmp_path_factory.mktemp("unpublished"))))


def pdf_links(path: Path) -> list[str]:
    document = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [annotation.get_object()["/A"].get("/URI", "") for page in document.pages
            for annotation in page.get("/Annots") or [] if "/A" in annotation.get_object()]


def test_no_file_of_the_site_names_an_address_it_does_not_have(site: Layout):
    texts = {path.relative_to(site.site).as_posix(): path.read_text(encoding="utf-8", errors="replace")
             for path in site.site.rglob("*") if path.suffix in {".html", ".xml", ".json", ".csv", ".js"}}
    assert [name for name, text in texts.items() if PUBLISHED_ADDRESS in text] == []


def test_an_entry_is_cited_by_the_address_it_is_read_at(site: Layout):
    fiche = (site.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert "En ligne\u00a0:\n<span data-ref-adresse>adresse de cette page</span> (consulté le" in fiche
    script = (site.site / "assets/javascripts/citer.js").read_text(encoding="utf-8")
    assert '"[data-ref-adresse]"' in script and "window.location.href" in script


def test_there_is_no_feed_and_no_contact_link(site: Layout):
    assert not (site.site / "flux.xml").exists()
    home = (site.site / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in home
    assert ">Contact</a>" not in home
    assert "publié par Les contributeurs et contributrices du référentiel (France)" in home


def test_a_pdf_has_no_qr_code_and_names_the_other_pages_without_linking_to_them(site: Layout):
    pdf = site.site / "pdf/fiches/fifty-fifty.pdf"
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages).split())
    assert "Version en ligne" not in text
    assert "Référentiel de test de l'implication habitante" in text, "sources are named"
    assert [link for link in pdf_links(pdf) if not link.startswith("https://creativecommons.org/")] == []
    booklet = site.site / "pdf/referentiel.pdf"
    assert "Le site" not in pypdf.PdfReader(booklet).pages[0].extract_text()


def test_a_citation_file_giving_an_address_the_publication_does_not_have_is_reported(tmp_path: Path):
    root = unpublished(mini_referentiel(tmp_path))
    (root / CITATION).write_text('cff-version: 1.2.0\nversion: "2026.1"\nlicense: CC-BY-SA-4.0\n'
                                 'url: "https://referentiel.example.org/"\n', encoding="utf-8")
    publication = Publication.model_validate(yaml.safe_load((root / "referentiel.yaml").read_text(encoding="utf-8")))
    [problem] = citation_problems(root, publication)
    assert (problem.file, problem.line, problem.field) == (CITATION, 4, "url")
    assert "referentiel.yaml ne donne pas l'adresse du site : retirez url" in problem.message
