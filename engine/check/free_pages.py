"""The files of `content/`, sub-folders included: free Markdown pages and the images they show.

A free page follows the rules of entries. Its front matter is read with the engine's YAML loader (its
limits, no tags) and validated after decoding, so a YAML escape (`\\u003c`) hides nothing; only `title`
and `description` are allowed (no `template:`, no `date_maj` to inject into the theme's templates), and the
build writes them again, escaped, as the front matter of the page it publishes. Its text is simple
Markdown line by line and as a whole (a link split over two lines is seen), with few links per paragraph
(Python-Markdown takes quadratic time on them); then the HTML that Markdown makes of it must hold no
script, no handler, no frame and no address other than web, mail and relative ones.

The other files allowed are images, checked by their content, never SVG (it can hold script). No file
may stand where the site keeps its own files (`assets/`, Material's bundle, `search/`, the entries'
folders): a page or a script there would take their place on every page.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic_core import PydanticCustomError

from engine.check.messages import validate
from engine.load.documents import LoadError, parse
from engine.load.inputs import read_bytes, read_text, walk
from engine.load.problems import Problem
from engine.model.format import RESERVED_IDS, Model, Printed, plain_text

if TYPE_CHECKING:
    import markdown

# Python-Markdown and MkDocs' front matter reader are imported when a page is read, not with this module:
# `check` runs at every commit, and a référentiel without free pages never needs them.

CONTENT = "content"
HOME = "index.md"
PAGE_MAX_BYTES = 256 * 1024
"""Largest free page (the longest shipped one has 19 Kio)."""
LINKS_PER_PAGE = 1000
"""Most opening brackets (links, images) in a free page: Markdown's time stays bounded whatever the page."""
IMAGES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
"""The image files allowed in `content/`, by extension, with how their content starts."""
IMAGE_MAX_BYTES = 2 * 1024 * 1024
RESERVED_FOLDERS = {"assets", "search", "pagefind", "pdf", "donnees", "questions", "enseignements", "fiches",
                    "territoires", "parcours"}
"""Folders of the site that the engine or the theme fills: `content/` may not put anything in them."""
GENERATED_PAGES = {"changements", "donnees", "proposer", "recherche", "axes-ademe"}
"""Pages that the build writes beside the entries' (the others are reserved ids of the format)."""
DEFAULT_EXTENSIONS: list[Any] = ["attr_list", "md_in_html", "tables", "admonition", "toc"]


class PageMeta(Model):
    """The front matter of a free page."""

    title: Annotated[str, Printed(120, "Titre de la page (navigation, onglet du navigateur).")] | None = None
    description: Annotated[str, Printed(400, "Résumé de la page pour les moteurs de recherche.")] | None = None


@dataclass
class Page:
    """A free page once checked: its front matter and its Markdown text."""

    meta: dict[str, str]
    body: str


def split(text: str) -> tuple[str | None, str, int]:
    """The YAML front matter (as MkDocs finds it), the text after it, and the line where that text starts."""
    from mkdocs.utils.meta import YAML_RE

    found = YAML_RE.match(text)
    if found is None:
        return None, text, 1
    return found.group(1), text[found.end():], text[:found.end()].count("\n") + 1


def _front_matter(front: str | None, text: str, display: str) -> tuple[dict[str, str] | None, list[Problem]]:
    from mkdocs.utils.meta import get_data

    if front is None:
        if get_data(text)[1]:  # MkDocs would read « clé: valeur » lines at the top as metadata
            return None, [Problem(display, 1, 1, "", "métadonnées sans « --- » : écrivez l'en-tête de la page "
                                  "entre deux lignes « --- » (title: …), puis une ligne vide avant le texte")]
        return {}, []  # the title is then the page's first heading
    try:
        document = parse("\n" + front, display)  # the blank line stands for the opening « --- »
    except LoadError as error:
        return None, [error.problem]
    if not isinstance(document.data, dict):
        return None, [Problem(display, 2, 1, "", "l'en-tête doit contenir des champs « nom: valeur »")]
    value, problems = validate(document, PageMeta)
    if value is None:
        return None, problems
    return {key: item for key, item in value.model_dump().items() if item is not None}, []


def _text_problem(text: str) -> str | None:
    try:
        plain_text(text)
    except PydanticCustomError as error:
        return str(error)
    return None


def _body_problems(body: str, first: int, display: str) -> list[Problem]:
    lines = body.split("\n")
    problems = []
    for number, line in enumerate(lines, start=first):
        message = _text_problem(line)
        if message:
            problems.append(Problem(display, number, 1, "", message))
    if problems:
        return problems
    message = _text_problem(body)
    if message:  # only the page as a whole is refused (a link over two lines): find the line that completes it
        low, high = 1, len(lines)
        while low < high:
            middle = (low + high) // 2
            if _text_problem("\n".join(lines[:middle])):
                high = middle
            else:
                low = middle + 1
        return [Problem(display, first + low - 1, 1, "", message)]
    if body.count("[") > LINKS_PER_PAGE:
        return [Problem(display, first, 1, "", f"trop de crochets (liens, images) dans la page : "
                        f"{body.count('[')}, au plus {LINKS_PER_PAGE} ; découpez-la en plusieurs pages")]
    return []


_ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
                 "blockquote", "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td", "div", "span",
                 "abbr", "sup", "sub", "dl", "dt", "dd", "del", "ins", "mark", "details", "summary"}
_ALLOWED_ATTRIBUTES = {"id", "class", "href", "title", "src", "alt", "style", "align", "start", "open"}
_SAFE_ADDRESS = re.compile(r"(?:https?://|mailto:|#|\.\.?/|/(?![/\\])|[\w%~-][\w%~./-]*(?:[#?][^\s\"'<>]*)?$)",
                           re.IGNORECASE)
_LOCAL_ADDRESS = re.compile(r"(?:\.\.?/|[\w%~-])[\w%~./-]*$")
_TABLE_STYLE = re.compile(r"text-align: (?:left|right|center);")


class _Unsafe(HTMLParser):
    """What, in the HTML made of a page, could run code, leave the site or load from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.found.append(f"balise <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name not in _ALLOWED_ATTRIBUTES:
                self.found.append(f"attribut {name}")
            elif name == "id" and value.startswith("__"):
                self.found.append(f"identifiant « {value} », réservé au thème")
            elif name == "href" and not _SAFE_ADDRESS.match("".join(value.split())):
                self.found.append(f"lien vers « {value} »")
            elif name == "src" and not _LOCAL_ADDRESS.match(value):
                self.found.append(f"image hors du site « {value} »")
            elif name == "style" and not _TABLE_STYLE.fullmatch(value):
                self.found.append(f"style « {value} »")


def unsafe_html(html: str) -> list[str]:
    """What a browser could run or load in an HTML fragment made by Markdown, described in French."""
    parser = _Unsafe()
    parser.feed(html)
    parser.close()
    return parser.found


def renderer(extensions: list[Any] | None = None) -> "markdown.Markdown":
    """Python-Markdown with the extensions of the site's configuration (`markdown_extensions`)."""
    import markdown

    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in extensions if extensions is not None else DEFAULT_EXTENSIONS:
        if isinstance(item, dict):
            for name, config in item.items():
                names.append(name)
                configs[name] = config or {}
        else:
            names.append(str(item))
    return markdown.Markdown(extensions=names, extension_configs=configs)


def _rendered_problems(body: str, first: int, display: str, md: "markdown.Markdown") -> list[Problem]:
    md.reset()
    found = unsafe_html(md.convert(body))
    if not found:
        return []
    line = first
    number = first
    for block in re.split(r"(\n[ \t]*\n)", body):  # the first block that is unsafe alone gives the line
        if block.strip() and not block.startswith("\n"):
            md.reset()
            if unsafe_html(md.convert(block)):
                line = number
                break
        number += block.count("\n")
    return [Problem(display, line, 1, "", f"la page produirait du HTML interdit ({found[0]}) : écrivez en "
                    "Markdown simple, les liens vers https://, mailto: ou une page du site")]


def read_page(path: Path, display: str, md: "markdown.Markdown | None" = None) -> tuple[Page | None, list[Problem]]:
    """A free page checked as a whole, or its problems."""
    try:
        text = read_text(path, display, PAGE_MAX_BYTES)
    except LoadError as error:
        return None, [error.problem]
    front, body, first = split(text)
    meta, problems = _front_matter(front, text, display)
    problems += _body_problems(body, first, display)
    if not problems:
        problems = _rendered_problems(body, first, display, md or renderer())
    return (Page(meta, body) if meta is not None and not problems else None), problems


def _image_problem(found: Path, display: str) -> Problem | None:
    try:
        data = read_bytes(found, display, IMAGE_MAX_BYTES)
    except LoadError as error:
        return error.problem
    suffix = found.suffix.lower()
    if not data.startswith(IMAGES[suffix]) or (suffix == ".webp" and data[8:12] != b"WEBP"):
        return Problem(display, 1, 1, "", f"le contenu de ce fichier n'est pas une image {suffix[1:].upper()} : "
                       "enregistrez l'image dans ce format, ou donnez-lui l'extension de son format")
    return None


def reserved(name: str) -> str | None:
    """Why a path of `content/` may not be used, if it lies where the site keeps its own files or pages."""
    parts = name.casefold().split("/")
    if len(parts) > 1 and parts[0] in RESERVED_FOLDERS:
        return f"« {name.split('/', 1)[0]} » est un dossier du site (thème, entrées, recherche, PDF, données)"
    stem = parts[-1].removesuffix(".md")
    if stem != "index" and (stem in RESERVED_FOLDERS or stem in RESERVED_IDS or stem in GENERATED_PAGES):
        return f"« {parts[-1]} » est le nom d'une page du site ou un nom de fichier interdit sous Windows"
    return None


def check_content(root: Path, extensions: list[Any] | None = None) -> tuple[dict[str, Page], list[Problem]]:
    """Every file of `content/`: the pages that can be published, by their path in it, and the problems."""
    problems: list[Problem] = []
    pages: dict[str, Page] = {}
    folder = root / CONTENT
    md: markdown.Markdown | None = None  # made for the first page: building it imports Python-Markdown
    for found in walk(folder, root, problems):
        name = found.path.relative_to(folder).as_posix()
        suffix = found.path.suffix.lower()
        why = reserved(name)
        if why:
            problems.append(Problem(found.display, 1, 1, "", f"{why} : renommez ce fichier ou rangez-le ailleurs"))
        elif suffix == ".md":
            md = md or renderer(extensions)
            page, page_problems = read_page(found.path, found.display, md)
            problems += page_problems
            if page is not None:
                pages[name] = page
        elif suffix == ".svg":
            problems.append(Problem(found.display, 1, 1, "", "image SVG refusée : elle peut contenir du code ; "
                                    "enregistrez-la en PNG"))
        elif suffix in IMAGES:
            problem = _image_problem(found.path, found.display)
            if problem:
                problems.append(problem)
        else:
            problems.append(Problem(found.display, 1, 1, "", f"fichier « {found.path.name} » refusé : content/ "
                                    "ne reçoit que des pages Markdown (.md) et des images PNG, JPEG, GIF ou WebP"))
    return pages, problems


def pages_in_folders(root: Path) -> list[str]:
    """The free pages in sub-folders of `content/`: out of the navigation, they are reached by their links."""
    return sorted(found.path.relative_to(root / CONTENT).as_posix() for found in walk(root / CONTENT, root, [])
                  if found.path.suffix.lower() == ".md" and found.path.parent != root / CONTENT)
