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
_RUNS = re.compile(" {2,}")


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
"""libxml2's HTML parser: the print templates write well-formed HTML, which it reads in C."""


def qr_svg(address: str) -> str:
    """The SVG of a QR code leading to an address."""
    import segno  # here: a document without an address (a site not yet published) needs none, nor its imports

    return segno.make(address, error="m").svg_inline(omitsize=False, border=2, scale=1)


@functools.lru_cache(maxsize=65536)
def _text(raw: str) -> str:
    """A text of the HTML with its whitespace folded and French spacing applied (the same texts, and above all
    the same whitespace between elements, come back many times)."""
    return typography.text(_SPACES.sub(" ", raw))


def _nodes(element: Any, ids: set[str], verbatim: bool, without: Any = None) -> list[Node]:
    """The node of an element, its children tidied: HTML's whitespace folded, French spacing applied to text,
    abbreviations and spans without a class dissolved into their text, links to missing ids turned into their
    text. A list, as a node may dissolve into several. `verbatim`: inside an element whose text is kept as is;
    `without`: a child left out (its tail kept)."""
    tag, values = element.tag, element.attrib
    classes = values.get("class")
    if _is_qr(element):
        return [{"t": "qr", "svg": qr_svg(values.get("src", "")), "alt": values.get("alt", "")}]
    node: dict[str, Any] = {"t": tag, "c": []}
    if classes:
        node["k"] = classes
    if values.get("id"):
        node["id"] = values["id"]
    if tag == "a" and values.get("href"):
        node["h"] = values["href"]
    if tag in VOID:
        return [node]
    verbatim = verbatim or tag in VERBATIM
    children: list[Node] = []
    if element.text:
        children.append(element.text if verbatim else _text(element.text))
    for child in element:
        if child is not without:
            children.extend(_nodes(child, ids, verbatim))
        if child.tail:
            children.append(child.tail if verbatim else _text(child.tail))
    if tag in BLOCKS:
        children = _trim(children)
    if tag == "abbr" or (tag == "span" and not classes):
        return children
    if tag == "a":
        href = node.get("h", "")
        if not href or (href.startswith("#") and href[1:] not in ids):
            return children
    node["c"] = children
    return [node]


def _trim(children: list[Node]) -> list[Node]:
    """Children of a block: whitespace between blocks and at the edges dropped."""
    merged: list[Node] = []
    for child in children:
        if isinstance(child, str) and merged and isinstance(merged[-1], str):
            merged[-1] = _RUNS.sub(" ", merged[-1] + child)
        else:
            merged.append(child)
    # No two texts follow each other now: a blank text is kept only between two inline elements.
    last = len(merged) - 1
    kept = [child for index, child in enumerate(merged)
            if not isinstance(child, str) or child.strip(" ")
            or (0 < index < last and _inline(merged[index - 1]) and _inline(merged[index + 1]))]
    if kept and isinstance(kept[0], str):
        kept[0] = kept[0].lstrip(" ")
    if kept and isinstance(kept[-1], str):
        kept[-1] = kept[-1].rstrip(" ")
    return [child for child in kept if child != ""]


def _inline(node: Node) -> bool:
    return isinstance(node, str) or node["t"] not in BLOCKS


def _is_qr(element: Any) -> bool:
    """Whether an element is the QR code (`img.qr`), which becomes a node of its own, without id."""
    return bool(element.tag == "img" and "qr" in element.get("class", "").split())


def _footer(body: Any) -> Any:
    """The running footer (`p.pied`) among the children of the body, if any."""
    for child in body:
        classes = child.get("class")
        if classes and "pied" in classes and not _is_qr(child):
            return child
    return None


def _ids(body: Any, footer: Any) -> set[str]:
    """The ids of the elements of the body, outside its footer (a QR code keeps none)."""
    left_out = set(footer.iter()) if footer is not None else set()
    return {ident for element in body.iter() if (ident := element.get("id")) and element not in left_out
            and not _is_qr(element)}


def document_tree(html: str) -> dict[str, Any]:
    """The data Typst lays out: the title, author and date of the document (its `<head>`), its running
    footer (`p.pied`) and the tree of its body."""
    document = etree.fromstring(html, _PARSER)
    meta = {element.get("name"): element.get("content", "") for element in document.iterfind("head/meta[@name]")}
    title = str(document.xpath("string(head/title)"))
    element = document.find("body")
    if element is None:  # an empty document
        element = etree.Element("body")
    footer = _footer(element)
    ids = _ids(element, footer)
    tidy = _nodes(element, ids, False, without=footer)[0]
    assert isinstance(tidy, dict)
    return {"title": _SPACES.sub(" ", title).strip(), "author": meta.get("author", ""),
            "date": meta.get("dcterms.modified", ""), "kind": meta.get("genre", "entree"),
            "footer": _nodes(footer, ids, False)[0] if footer is not None else "", "body": tidy["c"]}
