"""Accent-insensitive search: readers type « energie » and expect to find « énergie ».

Material's search (lunr) has no accent folding. After the build, each block of text of
`search/search_index.json` (a paragraph, a list…) gets the accent-free forms of its accented
words, once each, in a hidden span at the end of the block. Material shows the block where a word
was found: the reader sees the paragraph as written, never the added words. The accent-free forms
of the title go in a hidden span at the end of the title, so that Material's boost of titles holds
for « energie » as for « énergie ». The index grows only by the words that have accents.
"""

import json
import re
from pathlib import Path

from engine.model.french import fold

INDEX = Path("search") / "search_index.json"
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
def _words(text: str) -> list[str]:
    return _WORD.findall(_TAG.sub(" ", text))


def folded_words(text: str, present: set[str] | None = None) -> list[str]:
    """The accent-free forms of the accented words of an HTML text, in order, without repeats,
    leaving out those already in the text (or in `present`)."""
    words = _words(text)
    known = {word.casefold() for word in words} | (present or set())
    found: dict[str, None] = {}
    for word in words:
        if word.isascii():
            continue
        folded = fold(word).casefold()
        if folded not in known:
            found.setdefault(folded)
    return list(found)


def _hidden(words: list[str]) -> str:
    return f'<span hidden>{" ".join(words)}</span>' if words else ""


def blocks(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the top-level elements and loose texts, as Material's search splits them."""
    found = []
    depth, start, position = 0, 0, 0
    for tag in _TAG.finditer(text):
        if depth == 0 and tag.start() > position and text[position:tag.start()].strip():
            found.append((position, tag.start()))
        if depth == 0:
            start = tag.start()
        closing, self_closing = tag.group().startswith("</"), tag.group().endswith("/>")
        depth += -1 if closing else 0 if self_closing else 1
        depth = max(depth, 0)
        if depth == 0:
            found.append((start, tag.end()))
        position = tag.end()
    if text[position:].strip():
        found.append((position, len(text)))
    return found


def fold_text(text: str) -> str:
    """The text with, inside each block, the accent-free forms of the block's accented words."""
    parts, position = [], 0
    for start, end in blocks(text):
        block = text[start:end]
        words = [] if block.isascii() else folded_words(block)
        closing = re.search(r"</\w+>$", block) if block.startswith("<") else None
        if words and closing:
            block = block[: closing.start()] + _hidden(words) + closing.group()
        elif words:
            block += _hidden(words)
        parts.append(text[position:start] + block)
        position = end
    return "".join(parts) + text[position:]


def fold_index(site: Path) -> None:
    """Add the accent-free words to every document of the site's search index."""
    path = site / INDEX
    index = json.loads(path.read_text(encoding="utf-8"))
    for document in index["docs"]:
        document["text"] = fold_text(document.get("text", ""))
        title = document.get("title", "")
        document["title"] = title + _hidden(folded_words(title))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
