"""The Atom feed `flux.xml`: the entries changed last, dated by git, valid XML, announced by every page."""

from pathlib import Path
from xml.etree import ElementTree

from support import checked, commit_all, mini_referentiel, replace

from engine.build.site import Layout
from engine.load.history import History
from engine.render.feed import ITEMS, feed
from engine.render.pages import Pages

ATOM = "{http://www.w3.org/2005/Atom}"


def parsed(root: Path) -> ElementTree.Element:
    xml = feed(Pages(checked(root), History(root)))
    assert xml is not None, "no feed"
    return ElementTree.fromstring(xml)


def test_the_feed_lists_the_entries_changed_last_first_with_their_git_dates(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Première version", date="2024-01-15T10:00:00+00:00")
    replace(root, "territories/le-mene.yaml", "nom: Le Mené", "nom: Le Mené & ses communes")
    commit_all(root, "Le Mené", date="2025-06-30T10:00:00+00:00")
    document = parsed(root)
    assert document.tag == f"{ATOM}feed"
    assert document.findtext(f"{ATOM}updated") == "2025-06-30T00:00:00Z"
    first = document.find(f"{ATOM}entry")
    assert first is not None
    assert first.findtext(f"{ATOM}title") == "Territoire : Le Mené & ses communes"
    assert first.findtext(f"{ATOM}updated") == "2025-06-30T00:00:00Z"
    assert first.findtext(f"{ATOM}published") == "2024-01-15T00:00:00Z"
    link = first.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "https://referentiel.example.org/territoires/le-mene/"
    assert first.findtext(f"{ATOM}id") == "https://referentiel.example.org/territoires/le-mene/"
    assert first.findtext(f"{ATOM}summary", "").startswith("Une commune nouvelle")
    entries = document.findall(f"{ATOM}entry")
    assert len(entries) == min(ITEMS, sum(len(entries) for entries in checked(root).entries.values()))
    assert [entry.findtext(f"{ATOM}updated") for entry in entries[1:]] == ["2024-01-15T00:00:00Z"] * (len(entries) - 1)


def test_the_feed_names_its_publisher_licence_and_address(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    document = parsed(root)
    publication = checked(root).publication
    assert document.findtext(f"{ATOM}title") == publication.titre
    assert document.findtext(f"{ATOM}id") == publication.adresse
    link = document.find(f"{ATOM}link[@rel='self']")
    assert link is not None and link.get("href") == f"{publication.adresse}flux.xml"
    assert document.findtext(f"{ATOM}author/{ATOM}name") == publication.editeur.nom
    assert document.findtext(f"{ATOM}author/{ATOM}uri") == publication.editeur.contact
    assert publication.licence.nom in document.findtext(f"{ATOM}rights", "")


def test_the_built_site_has_the_feed_and_every_page_announces_it(built: Layout):
    ElementTree.parse(built.site / "flux.xml")
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="' in home and 'href="flux.xml">' in home
    fiche = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in fiche and 'href="../../flux.xml">' in fiche
