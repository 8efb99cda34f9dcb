"""`donnees/scrutaridata.xml`: the entries in the ScrutariData format, for Scrutari search engines.

Scrutari (scrutari.net) is the search engine through which networks such as La Fabrique des
transitions' resource centre or the Coredem index their members' sites: each site publishes one XML
file that describes its pages, and the engine fetches it. The format is described in prose at
https://www.scrutari.net/dokuwiki/scrutaridata:xml (« Description du format ScrutariData »):

- `<base-metadata>`: who publishes the base (`authority`, here the host name of the site's address),
  its technical name (`base-name`), its titles and the languages of its pages;
- one `<corpus>` per kind of entry, one `<fiche>` per entry: its title, its summary (`soustitre`), the
  day of its last change (from git), its language and its full address (`href`);
- the keywords, in `<thesaurus>`: the families of the lessons, the elements of the code source (socle,
  pillars, dimensions and results) and the territories; `<indexation-group>` links each entry to its keywords (a lesson to the territories where
  it was observed, a fiche to those where it was practised).

The values are plain text (the format allows no HTML); ElementTree escapes them (`xml_elements`). A
page is found through its full address: while `referentiel.yaml` has no `adresse`, there is no file.
"""

from urllib.parse import urlsplit
from xml.etree import ElementTree

from engine.model.format import KINDS, Entry
from engine.model.french import slug
from engine.render.addresses import FOLDERS, permalink
from engine.render.pages import Pages
from engine.render.xml_elements import XML_LANG, add

FILE = "scrutaridata.xml"
LANGUAGE = "fr"
FAMILIES, CODE_SOURCE, TERRITORIES = "familles", "code-source", "territoires"
THESAURI = {FAMILIES: "Familles d'enseignements", CODE_SOURCE: "Code source", TERRITORIES: "Territoires"}
"""The thesauri of the base: their names and titles."""


def _label(parent: ElementTree.Element, tag: str, text: str) -> None:
    """A title of the base, a corpus or a thesaurus: `<tag><lib xml:lang="fr">…</lib></tag>`."""
    add(add(parent, tag), "lib", text, **{XML_LANG: LANGUAGE})


def _keywords(pages: Pages) -> dict[str, list[tuple[str, str, set[tuple[str, str]]]]]:
    """Each thesaurus: its keywords (id, label) with the entries (kind, id) they index."""
    referentiel, relations = pages.referentiel, pages.relations
    families = [(family.id, family.libelle, {("enseignement", lesson.id) for lesson in referentiel.of_kind("enseignement")
                                             if getattr(lesson, "famille", None) == family.id})
                for family in referentiel.vocabularies.familles]
    code_source = referentiel.code_source
    elements = code_source.elements() if code_source else []
    code_source_keywords = [(element.id, element.titre, {("enseignement", ident) for ident in element.enseignements}
                             | {("fiche", ident) for ident in element.fiches}) for element in elements]
    territories = [(territory.id, territory.title, {("territoire", territory.id)}
                    | {("enseignement", lesson.id) for lesson, _ in relations.observations_in.get(territory.id, [])}
                    | {("fiche", fiche.id) for fiche, _ in relations.examples_in.get(territory.id, [])})
                   for territory in referentiel.of_kind("territoire")]
    return {FAMILIES: families, CODE_SOURCE: code_source_keywords, TERRITORIES: territories}


def _fiche(corpus: ElementTree.Element, entry: Entry, pages: Pages, site_url: str) -> None:
    fiche = add(corpus, "fiche", **{"fiche-id": entry.id})
    add(fiche, "titre", entry.title)
    add(fiche, "soustitre", " ".join(entry.resume.split()))
    source = pages.referentiel.paths[(entry.kind, entry.id)].as_posix()
    add(fiche, "date", pages.history.dates(source).updated.isoformat())
    add(fiche, "lang", LANGUAGE)
    add(fiche, "href", permalink(site_url, entry))


def scrutaridata(pages: Pages) -> bytes | None:
    """The ScrutariData file of the référentiel; None while the publication has no address (Scrutari leads
    its readers to the full address of each page)."""
    site_url = pages.site_url
    if site_url is None:
        return None
    publication = pages.referentiel.publication
    base = ElementTree.Element("base")
    metadata = add(base, "base-metadata")
    add(metadata, "authority", urlsplit(site_url).hostname or site_url)
    add(metadata, "base-name", slug(publication.titre))
    _label(metadata, "intitule-short", publication.titre)
    _label(metadata, "intitule-long", f"{publication.titre}, édition {publication.edition}")
    add(add(metadata, "langs-ui"), "lang", LANGUAGE)
    for kind, model in KINDS.items():
        corpus = add(base, "corpus", **{"corpus-name": FOLDERS[kind]})
        corpus_metadata = add(corpus, "corpus-metadata")
        _label(corpus_metadata, "intitule-corpus", model.list_title)
        _label(corpus_metadata, "intitule-fiche", model.label)
        for entry in sorted(pages.referentiel.entries[kind].values(), key=lambda entry: entry.id):
            _fiche(corpus, entry, pages, site_url)
    keywords = _keywords(pages)
    for name, found in keywords.items():
        thesaurus = add(base, "thesaurus", **{"thesaurus-name": name})
        _label(add(thesaurus, "thesaurus-metadata"), "intitule-thesaurus", THESAURI[name])
        for ident, label, _ in found:
            add(add(thesaurus, "motcle", **{"motcle-id": ident}), "lib", label, **{XML_LANG: LANGUAGE})
    for name, found in keywords.items():
        for kind in KINDS:
            indexed = sorted((entry, ident) for ident, _, entries in found for entry_kind, entry in entries
                             if entry_kind == kind)
            if indexed:
                group = add(base, "indexation-group", **{"corpus-path": FOLDERS[kind], "thesaurus-path": name})
                for entry_id, ident in indexed:
                    add(group, "indexation", **{"fiche-id": entry_id, "motcle-id": ident})
    ElementTree.indent(base)
    return ElementTree.tostring(base, encoding="utf-8", xml_declaration=True) + b"\n"
