"""Elements of the XML files the build writes (the Atom feed, the ScrutariData export), with
ElementTree: it escapes every text and attribute, so no value can open or close an element.

What ElementTree does not do is refuse the characters that XML 1.0 forbids (it writes them as they
are, and the file would not parse). Text fields refuse them already; `add` removes them all the same,
so that the files stay valid whatever reaches them (a commit subject, a fork's engine).
"""

import re
from xml.etree import ElementTree

NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters that XML 1.0 forbids."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
"""The `xml:lang` attribute, as ElementTree names it."""


def xml_text(text: str) -> str:
    """`text` without the characters that XML 1.0 forbids."""
    return NOT_XML.sub("", text)


def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    """A new child of `parent`, its text and attributes cleared of the characters XML forbids."""
    element = ElementTree.SubElement(parent, tag, {name: xml_text(value) for name, value in attributes.items()})
    element.text = None if text is None else xml_text(text)
    return element
