"""French typography, applied when text is rendered: contributors type ordinary spaces, readers get
no-break ones where French printing puts them, so that « : ; ? ! » never start a line, « never ends
one and « 100 000 € » is never cut.

The rules (those of the Imprimerie nationale, as most French publishers apply them):
- a no-break space (U+00A0) before « : »;
- a narrow no-break space (U+202F) before « ; ! ? », after « and before »;
- a narrow no-break space between groups of three digits, and a no-break space between a number and
  « € » or « % ».

A space the contributor typed is turned into the right no-break one; where they typed none (« Oui! »,
«mot»), the rule adds one only next to guillemets and before « ; ! ? » that follow a letter, never
before « : » (« 14:30 », « https: » and « ex: » are not punctuation to space).
`html_text` applies the rules to the text nodes of an HTML fragment only: tags, attributes and the
content of `code`, `pre`, `script` and `style` are left as they are.
"""

import functools
import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACE = "[ \u00a0\u202f]"

_RUN = f"(?<!{_SPACE}){_SPACE}+"
"""A run of spaces matched from its first space only: a pattern starting with a bare `[ ]+` would be
tried again from every space of a long run (quadratic)."""

_RULES: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (re.compile(needed), re.compile(pattern), replacement) for needed, pattern, replacement in [
        (":", f"{_RUN}:", NBSP + ":"),
        ("[;!?]", f"{_RUN}([;!?])", NNBSP + r"\1"),
        ("[;!?]", r"(?<=[^\W\d_])([;!?])(?=\s|$)", NNBSP + r"\1"),
        ("«", f"«{_SPACE}*", "«" + NNBSP),
        ("»", f"(?:{_RUN})?»", NNBSP + "»"),
        (r"\d \d", r"(?<=\d) (?=\d{3}(?!\d))", NNBSP),
        ("[€%]", f"(?<=\\d){_SPACE}?([€%])", NBSP + r"\1"),
    ]
]
"""Each pattern is linear: a run of spaces is only tried from its start, or starts at a fixed character.
Each is tried only on a text where a quick search finds what it needs (most texts hold none)."""
_NEEDED = re.compile("|".join(needed.pattern for needed, _, _ in _RULES))
"""What at least one rule needs: a text without any is left as it is at once."""

_HTML_PIECES = re.compile(r"(<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|&#?\w+;)")
"""Tags and character references: the pieces of HTML that are not text."""
_VERBATIM = re.compile(r"<(code|pre|script|style)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def text(value: str) -> str:
    """Plain text with French no-break spaces (see the module's rules). The same texts come back on many
    pages and in the printed documents (labels, names, the booklet holds every entry): they are kept."""
    if _NEEDED.search(value) is None:
        return value
    for needed, pattern, replacement in _RULES:
        if needed.search(value):
            value = pattern.sub(replacement, value)
    return value


def html_text(fragment: str) -> str:
    """An HTML fragment whose text nodes follow the rules; tags, character references (`&amp;`) and
    verbatim elements are left as they are."""
    pieces = _HTML_PIECES.split(fragment)
    verbatim: str | None = None
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag or a character reference
            if piece.startswith("&"):
                continue
            if verbatim is None:
                opened = _VERBATIM.match(piece)
                verbatim = opened.group(1).lower() if opened else None
            elif piece.lower().startswith(f"</{verbatim}"):
                verbatim = None
        elif verbatim is None and piece:
            pieces[index] = text(piece)
    return "".join(pieces)
