"""The HTML of a printed document turned into data for Typst: a tree of plain JSON values.

The print templates (`templates/pdf/*.html.j2`) write a small, clean HTML: contributor text has already
gone through the site's sanitising renderer (`markup`). Typst never reads that HTML, nor any text as
markup: `templates/pdf/document.typ` reads this tree with `json()` and lays out each node by its tag and
class, so a text full of Typst syntax (`#read(…)`, `$…$`, `<label>`) is printed as it is.

A node is a string (text, with French no-break spaces applied once, here) or an object:
`{"t": tag, "k": classes, "id": …, "h": link target, "c": [children]}`. Links inside the document
(`#id`) are kept only when the id exists in it; the QR code becomes `{"t": "qr", "svg": …, "alt": …}`.
"""

import functools
import re
from html.parser import HTMLParser
from typing import Any

import segno

from engine.render import typography

Node = dict[str, Any] | str

VOID = {"br", "img", "meta", "hr"}
BLOCKS = {"article", "section", "aside", "nav", "header", "footer", "div", "p", "h1", "h2", "h3", "ul", "ol", "li",
          "dl", "dt", "dd", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "body"}
"""Elements between which whitespace means nothing (as in HTML)."""
VERBATIM = {"code"}
TRANSPARENT = {"abbr", "span"}
"""Kept only for their text (a `span` keeps its class, which may style it)."""
_SPACES = re.compile(r"[ \t\r\n\f]+")
"""HTML's whitespace; French no-break spaces are not part of it."""
french_spacing = functools.lru_cache(maxsize=65536)(typography.text)
"""The same texts come back in many documents (the booklet holds them all)."""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, Any] = {"t": "body", "c": []}
        self.stack: list[dict[str, Any]] = [self.root]
        self.meta: dict[str, str] = {}
        self.in_head = False
        self.title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        if self.in_head or tag in ("html", "body", "meta"):
            return
        node: dict[str, Any] = {"t": tag, "c": []}
        if values.get("class"):
            node["k"] = values["class"]
        if values.get("id"):
            node["id"] = values["id"]
        if tag == "a" and values.get("href"):
            node["h"] = values["href"]
        if tag == "img" and "qr" in values.get("class", "").split():
            node = {"t": "qr", "svg": qr_svg(values.get("src", "")), "alt": values.get("alt", "")}
        self.stack[-1]["c"].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
            return
        if self.in_head or tag in ("html", "body") or tag in VOID:
            return
        while len(self.stack) > 1:
            if self.stack.pop()["t"] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_head:
            if self.lasttag == "title":
                self.title.append(data)
            return
        self.stack[-1]["c"].append(data)


def qr_svg(address: str) -> str:
    """The SVG of a QR code leading to an address."""
    return segno.make(address, error="m").svg_inline(omitsize=False, border=2, scale=1)


def _tidy(node: dict[str, Any], ids: set[str], verbatim: bool = False) -> list[Node]:
    """The node with HTML's whitespace folded, French spacing applied to text, abbreviations and spans
    dissolved into their text, and links to missing ids turned into their text; a list, as a node may
    dissolve into several."""
    tag = node["t"]
    verbatim = verbatim or tag in VERBATIM
    children: list[Node] = []
    for child in node.get("c", []):
        if isinstance(child, str):
            children.append(child if verbatim else french_spacing(_SPACES.sub(" ", child)))
        else:
            children.extend(_tidy(child, ids, verbatim))
    if tag in BLOCKS:
        children = _trim(children)
    if tag == "abbr" or (tag == "span" and "k" not in node):
        return children
    if tag == "a":
        href = node.get("h", "")
        if not href or (href.startswith("#") and href[1:] not in ids):
            return children
    if "c" in node:
        node = {**node, "c": children}
    return [node]


def _trim(children: list[Node]) -> list[Node]:
    """Children of a block: whitespace between blocks and at the edges dropped."""
    merged: list[Node] = []
    for child in children:
        if isinstance(child, str) and merged and isinstance(merged[-1], str):
            merged[-1] = re.sub(" {2,}", " ", merged[-1] + child)
        else:
            merged.append(child)
    children = merged

    def inline(index: int) -> bool:
        if not 0 <= index < len(children):
            return False
        child = children[index]
        return isinstance(child, str) or child["t"] not in BLOCKS

    kept = [child for index, child in enumerate(children)
            if not (isinstance(child, str) and not child.strip(" ")) or (inline(index - 1) and inline(index + 1))]
    if kept and isinstance(kept[0], str):
        kept[0] = kept[0].lstrip(" ")
    if kept and isinstance(kept[-1], str):
        kept[-1] = kept[-1].rstrip(" ")
    return [child for child in kept if child != ""]


def _ids(node: Node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if "id" in node:
            found.add(node["id"])
        for child in node.get("c", []):
            _ids(child, found)
    return found


def document_tree(html: str) -> dict[str, Any]:
    """The data Typst lays out: the title, author and date of the document (its `<head>`), its running
    footer (`p.pied`) and the tree of its body."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    body = builder.root
    footer = next((child for child in body["c"] if isinstance(child, dict) and "pied" in child.get("k", "")), None)
    if footer is not None:
        body["c"].remove(footer)
    ids = _ids(body, set())
    tidy = _tidy(body, ids)[0]
    assert isinstance(tidy, dict)
    return {"title": _SPACES.sub(" ", "".join(builder.title)).strip(), "author": builder.meta.get("author", ""),
            "date": builder.meta.get("dcterms.modified", ""), "kind": builder.meta.get("genre", "entree"),
            "footer": _tidy(footer, ids)[0] if footer else "", "body": tidy["c"]}
