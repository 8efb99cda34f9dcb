"""`donnees/scrutaridata.xml`: the entries in the ScrutariData format, valid against its published structure.

The format is published in prose (https://www.scrutari.net/dokuwiki/scrutaridata:xml); the grammar
`schemas/scrutaridata.rng` writes down what the prose states (its header says how), and lxml validates
against it. What a grammar cannot say (an indexation names a fiche and a keyword that exist) is checked here.
"""

from pathlib import Path

from lxml import etree
from support import PAYLOAD, checked, hostile_referentiel, mini_referentiel, own_publication, plain

from engine.build.site import Layout
from engine.load.history import History
from engine.model.format import Enseignement
from engine.render import opendata
from engine.render.addresses import FOLDERS, permalink
from engine.render.pages import Pages
from engine.render.scrutaridata import scrutaridata
from engine.render.xml_elements import xml_text

GRAMMAR = etree.RelaxNG(etree.parse(Path(__file__).parent / "schemas" / "scrutaridata.rng"))


def valid(data: bytes | None) -> etree._ElementTree:
    """The file parsed, once it has been checked against the grammar and its references resolved (there must be
    a file)."""
    assert data is not None, "no scrutaridata.xml"
    document = etree.ElementTree(etree.fromstring(data))
    assert GRAMMAR.validate(document), GRAMMAR.error_log
    fiches = {(corpus.get("corpus-name"), fiche.get("fiche-id"))
              for corpus in document.iter("corpus") for fiche in corpus.iter("fiche")}
    keywords = {(thesaurus.get("thesaurus-name"), motcle.get("motcle-id"))
                for thesaurus in document.iter("thesaurus") for motcle in thesaurus.iter("motcle")}
    for group in document.iter("indexation-group"):
        for indexation in group.iter("indexation"):
            assert (group.get("corpus-path"), indexation.get("fiche-id")) in fiches
            assert (group.get("thesaurus-path"), indexation.get("motcle-id")) in keywords
    return document


def test_every_entry_is_a_fiche_with_its_title_summary_date_and_full_address(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = checked(root)
    document = valid(scrutaridata(Pages(referentiel, History(root))))
    assert document.findtext("base-metadata/authority") == "referentiel.example.org"
    assert document.findtext("base-metadata/intitule-short/lib") == referentiel.publication.titre
    assert referentiel.publication.adresse is not None
    for kind, entries in referentiel.entries.items():
        for entry in entries.values():
            fiche = document.find(f"corpus[@corpus-name='{FOLDERS[kind]}']/fiche[@fiche-id='{entry.id}']")
            assert fiche.findtext("titre") == entry.title
            assert fiche.findtext("soustitre") == " ".join(entry.resume.split())
            assert fiche.findtext("href") == permalink(referentiel.publication.adresse, entry)
            assert fiche.findtext("lang") == "fr"
            assert len(fiche.findtext("date")) == len("2026-01-15")
    assert len(document.findall("corpus/fiche")) == sum(len(entries) for entries in referentiel.entries.values())


def test_lessons_are_indexed_by_their_family_and_territories_by_themselves(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = checked(root)
    document = valid(scrutaridata(Pages(referentiel, History(root))))
    families = document.find("indexation-group[@corpus-path='enseignements'][@thesaurus-path='familles']")
    for lesson in referentiel.by_id(Enseignement).values():
        assert families.find(f"indexation[@fiche-id='{lesson.id}'][@motcle-id='{lesson.famille}']") is not None
    territories = document.find("indexation-group[@corpus-path='territoires'][@thesaurus-path='territoires']")
    assert {(item.get("fiche-id"), item.get("motcle-id")) for item in territories} == {
        (ident, ident) for ident in referentiel.entries["territoire"]}
    labels = {motcle.get("motcle-id"): motcle.findtext("lib")
              for motcle in document.findall("thesaurus[@thesaurus-name='territoires']/motcle")}
    assert labels == {ident: entry.title for ident, entry in referentiel.entries["territoire"].items()}


def test_hostile_text_is_written_as_text(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = hostile_referentiel(root)
    document = valid(scrutaridata(Pages(referentiel, History(root))))
    assert {fiche.findtext("titre") for fiche in document.iter("fiche")} == {PAYLOAD}
    assert not list(document.iter("script"))


def test_characters_that_xml_forbids_are_removed():
    assert xml_text("Le Mené\x00\x01\x0b\ufffe & co\t\n") == "Le Mené & co\t\n"


def test_the_grammar_refuses_a_fiche_without_a_full_address(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    data = scrutaridata(Pages(checked(root), History(root)))
    assert data is not None
    relative = data.replace(b"<href>https://referentiel.example.org/", b"<href>/", 1)
    assert not GRAMMAR.validate(etree.ElementTree(etree.fromstring(relative)))


def test_without_an_address_there_is_no_scrutaridata_file(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    own_publication(root, adresse=None)
    pages = Pages(checked(root), History(root))
    assert scrutaridata(pages) is None
    page = plain(opendata.page(pages))
    assert "(donnees/scrutaridata.xml)" not in page, "no link to a file that is not there"
    assert "`scrutaridata.xml`, qui décrit les entrées au format ScrutariData" in page


def test_the_built_site_has_the_file_and_the_open_data_page_links_it(built: Layout):
    valid((built.site / "donnees/scrutaridata.xml").read_bytes())
    assert 'href="scrutaridata.xml"' in (built.site / "donnees/index.html").read_text(encoding="utf-8")


def test_every_shipped_lesson_and_fiche_is_indexed_under_the_code_source():
    """The spine has four levels (socle, pillars, dimensions, results): an entry hung on any of them is found
    through the code-source thesaurus."""
    root = Path(__file__).resolve().parent.parent
    referentiel = checked(root)
    referentiel.publication = referentiel.publication.model_copy(update={"adresse": "https://referentiel.example.org/"})
    document = valid(scrutaridata(Pages(referentiel, History(root))))
    indexed = {(group.get("corpus-path"), indexation.get("fiche-id")) for group in document.iter("indexation-group")
               if group.get("thesaurus-path") == "code-source" for indexation in group.iter("indexation")}
    for kind in ("enseignement", "fiche"):
        assert {(FOLDERS[kind], ident) for ident in referentiel.entries[kind]} <= indexed, kind
