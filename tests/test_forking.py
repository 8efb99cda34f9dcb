"""Forking: everything that names the publisher comes from `referentiel.yaml`, checked like the entries
with French messages; a fork builds under its own name everywhere, and the original's appears nowhere."""

import gzip
import html
import io
import json
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import build
from support import PUBLISHED, commit_all, mini_referentiel, own_publication

from engine.build.site import Layout
from engine.check.checker import check
from engine.check.publication import CITATION, ENGINE_FILE, Publication, citation_problems
from engine.check.referentiel import Referentiel
from engine.publish.gh_pages import release_problems
from engine.render import typography

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = Publication.model_validate(yaml.safe_load(ENGINE_FILE.read_text(encoding="utf-8")))
"""The shipped publication."""
PUBLISHED_ORIGINAL = Publication.model_validate(yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")))
"""The publication of the test référentiels, that a fork replaces."""
PUBLISHER = {"nom": "Communauté de communes du Val Test", "territoire": "Val Test",
             "contact": "https://www.val-test.example.net/nous-contacter/"}
FORK = {
    "titre": "Atlas des transitions du Val Test",
    "description": "Ce que les communes du Val Test apprennent en conduisant leurs transitions.",
    "edition": "2027.1",
    "adresse": "https://transitions.val-test.example.net/",
    "depot": "https://forge.val-test.example.net/transitions/atlas",
    "editeur": PUBLISHER,
}


WEB_ADDRESS = "adresse web invalide : elle doit commencer par http:// ou https:// et ne pas contenir d'espace"


def problems(root: Path) -> set[tuple[str, str, str]]:
    return {(problem.file, problem.field, problem.message) for problem in check(root).problems}


def test_referentiel_yaml_is_checked_with_the_entries_in_french(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    own_publication(root, edition="2026", adresse="referentiel.example.net", telephone="03 21 00 00 00",
                    editeur={"nom": "Ville test", "territoire": "Pas-de-Calais", "contact": "mailto:maire@example.org"})
    assert problems(root) == {
        ("referentiel.yaml", "edition",
         "édition invalide : l'année, un point et le numéro de l'édition, entre guillemets (ex. \"2026.1\")"),
        ("referentiel.yaml", "adresse", WEB_ADDRESS),
        ("referentiel.yaml", "editeur.contact", WEB_ADDRESS),
        ("referentiel.yaml", "telephone", "champ inconnu « telephone » : vouliez-vous dire « licence » ?"),
    }


def test_citation_cff_must_give_the_edition_and_licence_of_referentiel_yaml(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    own_publication(root, edition="2026.2")
    (root / CITATION).write_text('cff-version: 1.2.0\nversion: "2026.1"\nlicense: CC-BY-SA-4.0\n', encoding="utf-8")
    expected = ("CITATION.cff:2:1: version : « 2026.1 » au lieu de « 2026.2 » donné par referentiel.yaml : écrivez "
                "version: \"2026.2\"")
    assert [problem.human() for problem in check(root).problems] == [expected]


def test_an_edition_older_than_a_published_one_is_reported(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    own_publication(root, edition="2026.1")
    commit_all(root, "Deuxième édition", tag="2026.2")
    warning = "l'édition 2026.2 est déjà publiée (balise git) : passez « edition » à l'édition en préparation"
    assert ("referentiel.yaml", "edition", warning) in problems(root)
    assert check(root).ok, "a warning: the site can still be built"


def test_the_shipped_referentiel_yaml_citation_and_changelog_agree_on_the_edition(
        shipped_referentiel: Referentiel):
    publication = shipped_referentiel.publication
    assert publication == ORIGINAL
    assert citation_problems(ROOT, publication) == []
    assert release_problems(ROOT, publication, publication.edition) == []


def site_text(path: Path) -> str:
    """What a file of the built site says, as a reader or a program reading it would get it (a PDF's
    metadata too: its title and author, which PDFs store in UTF-16)."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        document = pypdf.PdfReader(io.BytesIO(data))
        metadata = [str(value) for value in (document.metadata or {}).values()]
        return " ".join(" ".join([*metadata, *(page.extract_text() for page in document.pages)]).split())
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The small référentiel renamed in referentiel.yaml, its site built (tests must not change it)."""
    root = mini_referentiel(tmp_path_factory.mktemp("fork"))
    own_publication(root, **FORK)
    return build(root)


def original_names() -> list[str]:
    """What names the publication that the fork replaces."""
    replaced = PUBLISHED_ORIGINAL
    assert replaced.adresse and replaced.editeur.contact
    return [replaced.titre, replaced.adresse, replaced.adresse.removeprefix("https://").rstrip("/"),
            replaced.editeur.nom, replaced.editeur.contact]


def test_a_fork_s_pdf_metadata_never_names_the_original(fork: Layout):
    found = {}
    for path in sorted((fork.site / "pdf").rglob("*.pdf")):
        metadata = pypdf.PdfReader(path).metadata
        text = " ".join(str(value) for value in metadata.values()) if metadata else ""  # UTF-16: grep cannot see it
        named = [words for words in original_names() if words in text]
        if named:
            found[path.name] = named
    assert found == {}


def test_a_fork_builds_under_its_own_name_everywhere_and_never_under_the_original_one(fork: Layout):
    layout = fork
    texts = {path.relative_to(layout.site).as_posix(): site_text(path)
             for path in sorted(layout.site.rglob("*")) if path.is_file()}
    original = original_names()
    assert {name: [words for words in original if words in text] for name, text in texts.items()
            if any(words in text for words in original)} == {}
    fiche = texts["fiches/fifty-fifty/index.html"]
    assert f"<title>Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants - {FORK['titre']}" \
           "</title>" in fiche
    citation = ("Communauté de communes du Val Test, « Le fifty-fifty, l'outil de coproduction entre la mairie et les "
                "habitants », dans <cite>Atlas des transitions du Val Test</cite>, édition 2027.1. En ligne :\n<a href=\""
                "https://transitions.val-test.example.net/fiches/fifty-fifty/\">")
    assert typography.text(citation) in fiche, "French spacing, as every text of the pages"
    assert "publié par Communauté de communes du Val Test (Val Test)" in fiche
    assert '<div class="md-copyright__highlight">\n      © 2027 Communauté de communes du Val Test\n' in fiche
    assert '<a href="https://www.val-test.example.net/nous-contacter/">Contact</a>' in fiche
    assert 'href="https://forge.val-test.example.net/transitions/atlas/edit/main/fiches/fifty-fifty.yaml"' in fiche
    assert "<name>Communauté de communes du Val Test</name>" in texts["flux.xml"]
    assert "<loc>https://transitions.val-test.example.net/fiches/fifty-fifty/</loc>" in texts["sitemap.xml"]
    assert '"titre": "Atlas des transitions du Val Test"' in texts["donnees/referentiel.json"]
    printed = texts["pdf/fiches/fifty-fifty.pdf"]
    metadata = pypdf.PdfReader(layout.site / "pdf/fiches/fifty-fifty.pdf").metadata
    assert metadata is not None and metadata.author == PUBLISHER["nom"]
    assert "Atlas des transitions du Val Test · édition 2027.1" in printed
    assert "Version en ligne : https://transitions.val-test.example.net/fiches/fifty-fifty/" in printed
