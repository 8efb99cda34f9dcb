"""`flux.xml`: an Atom feed of the entries changed last, dated by the git history of their files.

Feed readers follow the référentiel without visiting it: each item is an entry, with its title, its
summary, its permalink and the day of its last change. The feed is written with ElementTree, which
escapes every text (`xml_elements`), and names the publisher, the licence and the edition from
`referentiel.yaml`.
"""

import datetime
from xml.etree import ElementTree

from engine.model.format import KINDS
from engine.model.french import sort_key
from engine.render.addresses import permalink
from engine.render.pages import Pages
from engine.render.xml_elements import add as _add

FEED = "flux.xml"
ITEMS = 30
"""The entries in the feed: the ones changed last."""
ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: datetime.date) -> str:
    """An Atom date: the day, at midnight UTC (the history is kept by the day)."""
    return f"{day.isoformat()}T00:00:00Z"


def feed(pages: Pages) -> bytes | None:
    """The Atom feed of the référentiel; None while the publication has no address (a feed is made of full
    addresses)."""
    site_url = pages.site_url
    if site_url is None:
        return None
    referentiel = pages.referentiel
    publication = referentiel.publication
    entries = [entry for kind in KINDS for entry in referentiel.of_kind(kind)]
    dated = [(pages.history.dates(referentiel.paths[(entry.kind, entry.id)].as_posix()), entry) for entry in entries]
    dated.sort(key=lambda pair: (-pair[0].updated.toordinal(), sort_key(pair[1].title)))
    root = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": "fr"})
    _add(root, "title", publication.titre)
    _add(root, "subtitle", f"Les dernières modifications des entrées — édition {publication.edition}")
    _add(root, "id", site_url)
    _add(root, "link", rel="self", type="application/atom+xml", href=f"{site_url}{FEED}")
    _add(root, "link", rel="alternate", type="text/html", href=site_url)
    _add(root, "updated", _stamp(max((dates.updated for dates, _ in dated), default=datetime.date(1970, 1, 1))))
    author = _add(root, "author")
    _add(author, "name", publication.editeur.nom)
    if publication.editeur.contact:
        _add(author, "uri", publication.editeur.contact)
    _add(root, "rights", f"{publication.licence.nom} ({publication.licence.adresse})")
    for dates, entry in dated[:ITEMS]:
        item = _add(root, "entry")
        _add(item, "title", f"{entry.label} : {entry.title}")
        _add(item, "link", rel="alternate", type="text/html", href=permalink(site_url, entry))
        _add(item, "id", permalink(site_url, entry))
        _add(item, "published", _stamp(dates.created))
        _add(item, "updated", _stamp(dates.updated))
        _add(item, "category", term=entry.kind, label=entry.label)
        _add(item, "summary", " ".join(entry.resume.split()))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
