"""Contributor text turned into safe HTML that can be embedded in the generated Markdown pages.

Contributors write a small Markdown subset. It is rendered by Python-Markdown, then cleaned by
nh3 with a short allowlist, so raw HTML, scripts, event attributes and `javascript:` links never
survive. The pages are Markdown read a second time by MkDocs: every text node of the clean HTML
is therefore made *inert* (the characters Markdown reacts to become numeric entities), so text
such as `[x](javascript:…)` or `{: onclick=… }` cannot become a link or an attribute on that
second reading. One-line values (titles, labels) are escaped the same way.

Glossary terms found in prose become `<abbr title="définition">terme</abbr>` (first occurrence
per block), which Material's `content.tooltips` shows as a tooltip; `first_terms_only` then keeps,
on a whole page, only the first abbreviation of each term. Terms marked `infobulle: false` (the
words the whole référentiel is about, « territoire ») are never wrapped.

French typography (`typography`) is applied to every rendered text and one-line value, so that
contributors never type no-break spaces.
"""

import html
import re
from collections.abc import Callable, Iterable

import markdown
import nh3
from markupsafe import Markup

from engine.model.format import GlossaryTerm
from engine.render import typography

BLOCK_TAGS = {"p", "ul", "ol", "li", "blockquote"}
INLINE_TAGS = {"strong", "em", "a", "abbr", "br", "code"}
URL_SCHEMES = {"http", "https", "mailto"}

MARKDOWN_CHARACTERS = "\\`*_{}[]#|!~"
"""Characters that let Markdown (or attr_list) build something out of plain text."""
_INERT = {ord(char): f"&#{ord(char)};" for char in MARKDOWN_CHARACTERS}
_INERT_LINE = {**_INERT, **{ord(char): html.escape(char) for char in "&<>\""}}
"""For plain text: HTML and Markdown characters escaped in one pass (entities are not escaped again)."""
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
"""Line breaks and ASCII spaces; French non-breaking spaces are kept."""
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')
_BARE_LINK = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.DOTALL)
"""A link whose address was removed by the cleaner: only its text is kept."""
_PLAIN = re.compile(r"[^\W\d_](?:[^\\`*_\[\]<>&!#|~\s]|[ \u00a0\u202f])*")
"""A one-line text that starts with a letter and has none of the characters Markdown reacts to: Markdown
would only wrap it in a paragraph (more than eight texts in ten are like this)."""
_MARKDOWN_SYNTAX = re.compile("[" + re.escape(MARKDOWN_CHARACTERS.replace("#", "")) + "]|(?<!&)#")
"""A character Markdown reacts to; `#` but in a numeric entity (`&#42;`, as `inert` writes them)."""
_SKIPPED = {"a", "abbr", "code"}
"""Elements whose text is never turned into a glossary abbreviation."""


def _relative_url(url: str) -> str | None:
    """Relative links stay; `//host` and `/\\host`, which browsers read as absolute, are removed."""
    return None if url.startswith(("//", "/\\", "\\")) else url


def _cleaner(tags: set[str]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=tags,
        attributes={"a": {"href"}, "abbr": {"title"}},
        url_schemes=URL_SCHEMES,
        url_relative=_relative_url,
        strip_comments=True,
    )


_BLOCK_CLEANER = _cleaner(BLOCK_TAGS | INLINE_TAGS)
_INLINE_CLEANER = _cleaner(INLINE_TAGS)


def _guard_start(text: str) -> str:
    """Text that may open a line: a leading `-`, `+`, `>`, `=` or `1.` must not start a list or a quote."""
    return _LINE_START.sub(lambda match: f"{match.group(1)}&#{ord(match.group(2)[0])};{match.group(2)[1:]}", text)


def inert(text: str) -> str:
    """HTML-escaped text that Markdown reads back as the same text (for one-line values), with French
    no-break spaces."""
    return _guard_start(typography.text(_SPACES.sub(" ", text.strip())).translate(_INERT_LINE))


def has_markdown(text: object) -> bool:
    """Whether Markdown could make something of a value printed in a page: never of inert text (`inert`) or of
    rendered contributor text (`Renderer`), where each character Markdown reacts to is an entity; a template's own
    link is Markdown. A page marks an HTML element `markdown` only when its content has some: Markdown in HTML is
    the costliest thing a builder does with a page, and the element comes out the same."""
    return text is not None and _MARKDOWN_SYNTAX.search(str(text)) is not None


def _map_text(fragment: str, change: Callable[[str, bool], str]) -> str:
    """Apply `change(text, skipped)` to every text node of clean HTML (`skipped` inside a, abbr, code)."""
    parts = _TAG.split(fragment)
    open_skipped = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _SKIPPED:
                open_skipped += -1 if part.startswith("</") else 1
        elif part:
            parts[index] = change(part, open_skipped > 0)
    return "".join(parts)


class Glossary:
    """Finds glossary terms in text and wraps their first occurrence in an `<abbr>`."""

    def __init__(self, terms: Iterable[GlossaryTerm]):
        self.definitions: dict[str, str] = {}
        patterns = []
        for term in sorted(terms, key=lambda term: len(term.terme), reverse=True):
            if not term.infobulle:
                continue
            words = re.escape(term.terme)
            acronym = term.terme.upper() == term.terme
            patterns.append(words if acronym else f"(?i:{words})")
            definition = f"{term.developpe} : {term.definition}" if term.developpe else term.definition
            self.definitions[term.terme.casefold()] = html.escape(typography.text(_SPACES.sub(" ", definition)),
                                                                  quote=True)
        self.pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(patterns)})(?![\w-])") if patterns else None

    def annotate(self, fragment: str) -> str:
        """Clean HTML with the first occurrence of each term explained."""
        pattern = self.pattern
        if pattern is None:
            return fragment
        seen: set[str] = set()

        def wrap(match: re.Match[str]) -> str:
            key = match.group(0).casefold()
            if key in seen:
                return match.group(0)
            seen.add(key)
            return f'<abbr title="{self.definitions[key]}">{match.group(0)}</abbr>'

        return _map_text(fragment, lambda text, skipped: text if skipped else pattern.sub(wrap, text))


class Renderer:
    """Renders contributor Markdown into inert, safe HTML, with the glossary of the référentiel."""

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self.markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        self.rendered: dict[tuple[str, bool], str] = {}
        """Each text is rendered once per build: summaries and titles appear on many pages."""

    def _html(self, text: str, cleaner: nh3.Cleaner) -> str:
        key = (text, cleaner is _BLOCK_CLEANER)
        if key not in self.rendered:
            clean = typography.html_text(_BARE_LINK.sub(r"\1", cleaner.clean(self.markdown_html(text))))
            self.rendered[key] = _map_text(self.glossary.annotate(clean), lambda part, _: part.translate(_INERT))
        return self.rendered[key]

    def markdown_html(self, text: str) -> str:
        """What Python-Markdown makes of the text (without running it when the text is plain)."""
        if _PLAIN.fullmatch(text):
            return f"<p>{text}</p>"
        self.markdown.reset()
        return self.markdown.convert(text)

    def block(self, text: str) -> Markup:
        """Paragraphs and lists, as one raw HTML block that Markdown leaves untouched."""
        body = self._html(text, _BLOCK_CLEANER).replace("\n\n", "\n").strip()
        return Markup(f'<div class="ref-texte">\n{body}\n</div>')

    def inline(self, text: str) -> Markup:
        """Emphasis, links and abbreviations on one line (list items, table cells, short fields)."""
        body = self._html(text, _INLINE_CLEANER)
        return Markup(_guard_start(_SPACES.sub(" ", body.strip())))


_ABBR = re.compile(r'<abbr title="[^"<>]*">([^<]*)</abbr>')


def first_terms_only(page: str) -> str:
    """A rendered page where only the first abbreviation of each term keeps its tooltip: a reader is
    told what « récit » means once, not at every paragraph."""
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        key = html.unescape(match.group(1)).casefold()
        if key in seen:
            return match.group(1)
        seen.add(key)
        return match.group(0)

    return _ABBR.sub(keep_first, page)
