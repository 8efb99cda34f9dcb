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
from typing import Any

import segno
from lxml import etree

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


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
"""libxml2's HTML parser: the print templates write well-formed HTML, which it reads in C."""


def _element(element: Any) -> dict[str, Any]:
    """The node of an element, without its children."""
    tag, values = element.tag, element.attrib
    if tag == "img" and "qr" in values.get("class", "").split():
        return {"t": "qr", "svg": qr_svg(values.get("src", "")), "alt": values.get("alt", "")}
    node: dict[str, Any] = {"t": tag, "c": []}
    if values.get("class"):
        node["k"] = values["class"]
    if values.get("id"):
        node["id"] = values["id"]
    if tag == "a" and values.get("href"):
        node["h"] = values["href"]
    return node


def _children(element: Any, node: dict[str, Any]) -> None:
    """The text and elements inside `element`, appended to the children of its node."""
    children = node["c"]
    if element.text:
        children.append(element.text)
    for child in element:
        kept = _element(child)
        children.append(kept)
        if child.tag not in VOID:
            _children(child, kept)
        if child.tail:
            children.append(child.tail)


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
    document = etree.fromstring(html, _PARSER)
    meta = {element.get("name"): element.get("content", "") for element in document.iterfind("head/meta[@name]")}
    title = str(document.xpath("string(head/title)"))
    body: dict[str, Any] = {"t": "body", "c": []}
    element = document.find("body")
    if element is not None:
        _children(element, body)
    footer = next((child for child in body["c"] if isinstance(child, dict) and "pied" in child.get("k", "")), None)
    if footer is not None:
        body["c"].remove(footer)
    ids = _ids(body, set())
    tidy = _tidy(body, ids)[0]
    assert isinstance(tidy, dict)
    return {"title": _SPACES.sub(" ", title).strip(), "author": meta.get("author", ""),
            "date": meta.get("dcterms.modified", ""), "kind": meta.get("genre", "entree"),
            "footer": _tidy(footer, ids)[0] if footer else "", "body": tidy["c"]}
