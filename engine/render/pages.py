"""The Markdown pages of the site, rendered from the checked référentiel with the templates.

Every page is plain Markdown with a YAML front matter, so any MkDocs-compatible builder can
turn it into HTML. Templates never print contributor text as is: the environment's `finalize`
makes every printed value inert (see `markup`), and only values already rendered by `markup`
(or built here, like link targets) are printed unchanged.
"""

import functools
import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from engine.check.free_pages import Page as FreePage
from engine.check.referentiel import Referentiel
from engine.load.history import Dates, History
from engine.model import french
from engine.model.annotations import markers
from engine.model.format import KINDS, Enseignement, Entry, Event, GlossaryTerm, Stage, Territoire, Vocab
from engine.model.french import sort_key
from engine.render import citations, jsonld, pictures, typography
from engine.render.addresses import (
    AXES,
    BIBLIOGRAPHY,
    BOOKLET,
    CODE_SOURCE,
    GLOSSARY,
    HOME,
    MATRIX,
    OPEN_DATA,
    QUESTIONS,
    TEMPLATES,
    entry_page,
    index_page,
    pdf_page,
    permalink,
)
from engine.render.markup import Glossary, Renderer, first_terms_only, has_markdown, inert
from engine.render.relations import Relations, relate

MATRIX_COLUMNS = 12
"""Up to this many territories the matrix is a grid, one column each; beyond, a grid fits neither a screen
nor a printed page (and grows as lessons × territories): each lesson lists the territories observed."""
RECENT_CHANGES = 10
HISTORY_SHOWN = 10
"""The most recent commits listed on an entry page."""
RELATED_SHOWN = 2
"""Related entries shown on an entry page before the others are folded: the most relevant first."""


def _finalize(value: Any) -> Markup:
    """What a template prints: rendered markup unchanged, anything else made inert."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(inert(str(value)))


@functools.cache
def environment() -> jinja2.Environment:
    """One environment per process: each template is compiled once, and again only when its file
    changes (Jinja checks), which the live preview relies on."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        comment_start_string="{##",  # `{#id}` is Markdown's syntax for a heading's anchor
        comment_end_string="##}",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["markdown"] = has_markdown  # `{% if value is markdown %}`: see `has_markdown`
    return env


class Links:
    """Relative links from one page to the others, as MkDocs expects them (paths to `.md` files)."""

    def __init__(self, here: str):
        self.folder = posixpath.dirname(here) or "."

    def page(self, path: str, anchor: str | None = None) -> Markup:
        target = posixpath.relpath(path, self.folder)
        return Markup(f"{target}#{anchor}" if anchor else target)

    def entry(self, entry: Entry, anchor: str | None = None) -> Markup:
        return self.page(entry_page(entry.kind, entry.id), anchor)

    def index(self, kind: str, anchor: str | None = None) -> Markup:
        return self.page(index_page(kind), anchor)

    def document(self, ident: str) -> Markup:
        return self.page(BIBLIOGRAPHY, ident)

    def term(self, ident: str) -> Markup:
        return self.page(GLOSSARY, ident)

    def code_source(self, ident: str) -> Markup:
        return self.page(CODE_SOURCE, ident)

    def question(self, ident: str | None = None) -> Markup:
        return self.page(f"{QUESTIONS}/{ident}.md" if ident else f"{QUESTIONS}/index.md")

    def axes(self, ident: str | None = None) -> Markup:
        return self.page(AXES, ident)

    @staticmethod
    def external(url: str) -> Markup:
        """An address outside the site (already checked to be http or https, without spaces)."""
        return Markup(url.replace("(", "%28").replace(")", "%29"))


def _attribute(text: str) -> str:
    """Plain text that is safe both as HTML text and inside a double-quoted attribute."""
    return html.escape(text, quote=False).replace('"', "&quot;")


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it: the same YAML, written ten times faster."""


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; strings are HTML-escaped because the theme prints them in raw HTML."""
    escaped = {
        key: _attribute(value) if isinstance(value, str)
        else [_attribute(item) for item in value] if isinstance(value, list) else value
        for key, value in meta.items() if value not in (None, [], "")
    }
    return "---\n" + yaml.dump(escaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def free_page(page: FreePage) -> bytes:
    """A free page of `content/` as the site publishes it: its front matter written again, escaped, then its text."""
    return ((front_matter(page.meta) if page.meta else "") + page.body.lstrip("\n")).encode("utf-8")


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_VERBATIM_MARKDOWN = re.compile(r"(\]\([^)\s]*\)|`[^`\n]*`|<https?://[^>\s]*>)")
"""Link destinations, code spans and autolinks: Markdown that typography must leave as it is (« 1%20 »)."""


def finish(page: str) -> str:
    """A rendered page as readers get it: French no-break spaces in the template's own words too (the
    front matter left as it is), and each glossary term explained at its first occurrence only."""
    front = _FRONT_MATTER.match(page)
    start = front.end() if front else 0
    pieces = _VERBATIM_MARKDOWN.split(page[start:])
    body = "".join(piece if index % 2 else typography.html_text(piece) for index, piece in enumerate(pieces))
    return page[:start] + first_terms_only(body)


def rank(related: list[Entry], own: list[str]) -> list[Entry]:
    """Related entries, the most relevant first: those the entry itself links to, in the order its
    contributor gave, then those that link to it (already sorted by title)."""
    order = {ident: index for index, ident in enumerate(own)}
    return sorted(related, key=lambda entry: order.get(entry.id, len(order)))


_COLLECTIVITY = re.compile(r"^(?:Communauté (?:de communes|d'agglomération|urbaine)|Métropole|Syndicat mixte)"
                           r" (?:du |des |de la |de l'|d')?", re.IGNORECASE)


def short_name(name: str) -> str:
    """A territory's name for a narrow column: « Communauté de communes du Val d'Ille-Aubigné » → « Val d'Ille-Aubigné »."""
    return _COLLECTIVITY.sub("", name, count=1) or name


def by_decade(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """A territory's dated events grouped by decade (« 1990 »), in their order."""
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(f"{int(event.date[:4]) // 10 * 10}", []).append(event)
    return list(groups.items())


def date_meta(dates: Dates) -> dict[str, str]:
    return {"date_creation": dates.created.isoformat(), "date_maj": dates.updated.isoformat(),
            "mis_a_jour": french.day(dates.updated)}


@dataclass
class Pages:
    """Renders every generated page of a référentiel."""

    referentiel: Referentiel
    history: History
    printed: bool = False
    """True when the PDFs are built beside the pages: the pages then link to them."""
    booklet: bool = False
    """True when the booklet is among the PDFs of this build: the home page then links to it."""
    versioned: bool = False
    """True when the site is published as one edition among others: its pages live in the edition's folder."""
    proposals: str | None = None
    """The page of the form « Proposer une entrée », when the site has one: entry pages then link to it."""

    def __post_init__(self) -> None:
        self.env = environment()
        self.relations: Relations = relate(self.referentiel)
        self.markup = Renderer(Glossary(self.referentiel.glossary.termes))
        vocabularies = self.referentiel.vocabularies
        self.vocab = {name: self.referentiel.vocabulary(name) for name in type(vocabularies).model_fields}
        self.documents = {document.id: document for document in self.referentiel.bibliography.documents}
        self.site_url = self.referentiel.publication.site_url(self.versioned)
        """The address of the site, which the permalinks start with; None while it is not known."""

    def render(self, template: str, here: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            r=self.referentiel, rel=self.relations, v=self.vocab, docs=self.documents, md=self.markup,
            fr=french, stage_entry=self.stage_entry, cite=citations, rank=rank, by_decade=by_decade,
            short_name=short_name, shown=RELATED_SHOWN,
            **{"links": Links(here), "cites": [], **context},
        )

    def stage_entry(self, stage: Stage) -> Entry:
        """The entry a step of a training path works on."""
        kind, ident = stage.entry
        return self.referentiel.entries[kind][ident]

    def page(self, template: str, here: str, meta: dict[str, Any], **context: Any) -> str:
        return front_matter(meta) + self.render(template, here, **context)

    # --- entries -----------------------------------------------------------------------

    def entry(self, entry: Entry) -> str:
        source = self.referentiel.paths[(entry.kind, entry.id)].as_posix()
        cites = [document for document, _ in citations.cited(entry)]
        dates, tags = date_meta(self.history.dates(source)), self.tags(entry)
        region = getattr(entry, "region", None)
        region = self.vocab["regions"][region].libelle if region else None
        schema_org = jsonld.description(entry, self.referentiel.publication, self.permalink(entry), tags, region,
                                        dates["date_maj"])
        return self.page(
            entry.template, entry_page(entry.kind, entry.id),
            {"title": entry.title, "description": " ".join(entry.resume.split()), "source_yaml": source,
             **dates, "tags": tags, "schema_org": schema_org},
            e=entry, code_source=self.relations.code_source_of.get((entry.kind, entry.id), []),
            pdf=pdf_page(entry.kind, entry.id) if self.printed and entry.printed else None, cites=cites,
            timeline=pictures.timeline(entry) if isinstance(entry, Territoire) else None,
        ) + self.render("entree-pied.md.j2", entry_page(entry.kind, entry.id), e=entry, source=source,
                        commits=self.history.commits(source), recent=HISTORY_SHOWN, p=self.referentiel.publication,
                        permalink=self.permalink(entry), opendata=OPEN_DATA, proposals=self.proposals)

    def permalink(self, entry: Entry) -> str | None:
        """The full address of an entry's page; None while the publication has no address."""
        return permalink(self.site_url, entry) if self.site_url else None

    def tags(self, entry: Entry) -> list[str]:
        """The labels of the values of the entry's tag fields (`tags` of its kind), in that order."""
        vocabularies = {pattern[0]: marker.name for pattern, marker in markers(type(entry))
                        if len(pattern) == 1 and isinstance(marker, Vocab)}
        values = [(vocabularies[name], getattr(entry, name)) for name in entry.tags]
        return [self.vocab[vocabulary][value].libelle for vocabulary, value in values if value]

    # --- lists and shared pages --------------------------------------------------------

    def listing(self, kind: str) -> str:
        model = KINDS[kind]
        entries = self.referentiel.of_kind(kind)
        outline = self.referentiel.outline
        territory_map = pictures.territory_map(outline, self.referentiel.of_model(Territoire)) \
            if kind == Territoire.kind and outline else None
        return self.page(model.list_template, index_page(kind), {"title": model.list_title}, model=model,
                         entries=entries, territory_map=territory_map, outline=outline)

    def shared(self, template: str, here: str, title: str, source: str | None, **context: Any) -> str:
        dates = date_meta(self.history.dates(source)) if source else {}
        return self.page(template, here, {"title": title, "source_yaml": source, **dates}, **context)

    def lessons_in_order(self) -> list[Enseignement]:
        """Lessons in the order of their family and pole in the vocabulary, then by title."""
        poles = [pole.id for famille in self.referentiel.vocabularies.familles
                 for pole in self.referentiel.vocabularies.poles if pole.famille == famille.id]
        return sorted(self.referentiel.of_model(Enseignement), key=lambda lesson: poles.index(lesson.pole))

    def glossary_initials(self) -> list[tuple[str, list[GlossaryTerm]]]:
        """The glossary terms grouped by their first letter, accents ignored."""
        groups: dict[str, list[GlossaryTerm]] = {}
        for term in sorted(self.referentiel.glossary.termes, key=lambda term: sort_key(term.terme)):
            groups.setdefault(sort_key(term.terme)[:1].upper(), []).append(term)
        return list(groups.items())

    def home(self, introduction: str) -> str:
        entries = [entry for kind in KINDS for entry in self.referentiel.of_kind(kind)]
        dated = [(self.history.dates(self.referentiel.paths[(e.kind, e.id)].as_posix()).updated, e) for e in entries]
        dated.sort(key=lambda pair: (-pair[0].toordinal(), sort_key(pair[1].title)))
        recent = self.render("accueil.md.j2", HOME, recent=dated[:RECENT_CHANGES],
                             booklet=BOOKLET if self.printed and self.booklet else None)
        return introduction.rstrip() + "\n\n" + recent

    def all(self, introduction: str) -> dict[str, str]:
        """Every generated page, by its path in the docs folder."""
        pages: dict[str, str] = {HOME: self.home(introduction)}
        for kind in KINDS:
            pages[index_page(kind)] = self.listing(kind)
            for entry in self.referentiel.of_kind(kind):
                pages[entry_page(kind, entry.id)] = self.entry(entry)
        pages[MATRIX] = self.page("matrice.md.j2", MATRIX, {"title": "Matrice enseignements × territoires",
                                                            "hide": ["navigation", "toc"], "search": {"exclude": True}},
                                  rows=[(lesson, {observation.territoire: observation for observation in
                                                  lesson.observations}) for lesson in self.lessons_in_order()],
                                  columns=MATRIX_COLUMNS)
        pages[GLOSSARY] = self.shared("glossaire.md.j2", GLOSSARY, "Glossaire", "data/glossaire.yaml",
                                      initials=self.glossary_initials(),
                                      terms={term.id: term for term in self.referentiel.glossary.termes})
        documents = sorted(self.referentiel.bibliography.documents, key=lambda document: sort_key(document.titre))
        pages[BIBLIOGRAPHY] = self.shared("bibliographie.md.j2", BIBLIOGRAPHY, "Bibliographie",
                                          "data/bibliographie.yaml", documents=documents)
        if self.referentiel.code_source:
            pages[CODE_SOURCE] = self.shared("code-source.md.j2", CODE_SOURCE, self.referentiel.code_source.titre,
                                             "data/code-source.yaml", house=pictures.house(self.referentiel.code_source),
                                             cites=[document for document, _ in citations.cited(self.referentiel.code_source)])
        pages.update(self.landmarks())
        return {path: finish(page) for path, page in pages.items()}

    def landmarks(self) -> dict[str, str]:
        """The map above the families: ADEME's axes and the readers' questions, each with where it was seen."""
        landmarks = self.referentiel.landmarks
        if landmarks is None:
            return {}
        source = "data/reperes.yaml"
        pages = {AXES: self.shared("axes-ademe.md.j2", AXES, "Les quatre axes structurants de l'ADEME", source,
                                   axes=landmarks.axes, landmarks=landmarks, seen=self.seen_in,
                                   by_family=self.by_family)}
        index = f"{QUESTIONS}/index.md"
        pages[index] = self.shared("questions.md.j2", index, "Vos questions", source, questions=landmarks.questions)
        for question in landmarks.questions:
            here = f"{QUESTIONS}/{question.id}.md"
            pages[here] = self.shared("question.md.j2", here, question.question, source, q=question,
                                      seen=self.seen_in, by_family=self.by_family)
        return pages

    def by_family(self, lessons: list[str]) -> list[tuple[Any, list[Entry]]]:
        """Lessons grouped by family, in the order of the vocabulary, each group in the order given."""
        found = [self.referentiel.entries["enseignement"][ident] for ident in lessons]
        groups = [(family, [e for e in found if e.famille == family.id])  # type: ignore[attr-defined]
                  for family in self.referentiel.vocabularies.familles]
        return [(family, group) for family, group in groups if group]

    def seen_in(self, lessons: list[str], fiches: list[str]) -> list[Entry]:
        """The territories where one of these lessons is observed (a confirming status) or one of these fiches
        was practised, by name."""
        confirming = {status.id for status in self.referentiel.vocabularies.statuts if status.confirme}
        found = {observation.territoire for ident in lessons
                 for observation in self.referentiel.entries["enseignement"][ident].observations  # type: ignore[attr-defined]
                 if observation.statut in confirming}
        found |= {example.territoire for ident in fiches
                  for example in self.referentiel.entries["fiche"][ident].exemples}  # type: ignore[attr-defined]
        return sorted((self.referentiel.entries["territoire"][ident] for ident in found),
                      key=lambda entry: sort_key(entry.title))
