"""Every file the build reads is untrusted, entries or not (issue 15). The refusals of `check`, with their
French message at their file and line, are in the hostile corpus (`tests/hostile/cases.yaml`); here are
the rules that a corpus case cannot show: patterns in linear time, templates that escape every value,
the build's own guards, `new`, the editions and the history."""

import contextlib
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import jinja2
import markdown
import material
import pytest
from linear import flaws
from support import commit_all, mini_referentiel, small_referentiel

from engine.build import site
from engine.check import free_pages as freepages
from engine.check.checker import check
from engine.edit import preview
from engine.edit.skeleton import TitleError, identifier
from engine.load.history import History
from engine.load.problems import visible
from engine.load.repository import EDITION_TAG
from engine.model.format import plain_text
from engine.render import feed, pages

ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULES = sorted(path.relative_to(ROOT / "engine").with_suffix("").as_posix().replace("/", ".")
                        for path in (ROOT / "engine").rglob("*.py") if path.stem != "__init__")
NOT_ON_CONTRIBUTOR_TEXT = {
    "render.markup._TAG": "reads the HTML that nh3 cleaned: every « < » there opens a tag that closes",
    "render.markup._BARE_LINK": "reads the HTML that nh3 cleaned, where links are the cleaner's own",
    "render.typography._HTML_PIECES": "reads HTML the engine made: every « < » and « & » there opens a tag or an entity",
    "build.search_accents._TAG": "reads the search index that MkDocs made from escaped pages",
    "build.pagefind._EXCLUDED_HEADING": "reads the HTML pages that MkDocs built from escaped text (for Pagefind)",
    "build.pagefind._TAG": "reads the HTML pages that MkDocs built from escaped text (for Pagefind)",
    "render.format_reference._EXAMPLE": "reads the descriptions of the format, written in engine/model/format.py",
    "load.documents._AFTER_QUOTES": ("possessive repetitions, each stopping at the next quote: a start reads up to the "
                              "next quote only; run once per broken file, on one line"),
    "render.citations._ASIDE": "reads a bibliography author, 160 characters at most, written in data/bibliographie.yaml",
    "render.pages._FRONT_MATTER": "matched once, at the start of a page the engine wrote (no search)",
    "render.pages._VERBATIM_MARKDOWN": ("reads pages the engine wrote, where contributor text is inert: its « ] ` < » are "
                                        "entities, so every start is the engine's own link, code span or autolink"),
}
"""Patterns that the inspection below flags but that never scan contributor text from many starts."""


def engine_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    for module in ENGINE_MODULES:
        for name, value in vars(importlib.import_module(f"engine.{module}")).items():
            if isinstance(value, re.Pattern):
                yield f"{module}.{name}", value


PATTERNS = dict(engine_patterns())


# --- Linear time, proved by inspecting the patterns (nothing is timed) --------------------------------

@pytest.mark.parametrize("name", sorted(set(PATTERNS) - set(NOT_ON_CONTRIBUTOR_TEXT)))
def test_every_pattern_of_the_engine_runs_in_linear_time(name: str):
    assert flaws(PATTERNS[name]) == []


@pytest.mark.parametrize("former", [
    r"\{\s*[:#.]|\{[^}\n]*=[^}\n]*\}",  # _ATTRIBUTES before: cubic on « {={={=… »
    r"<\s*/?\s*[a-zA-Z!?]",  # _HTML_TAG before: quadratic on « <      …1 »
    r"\{[^}\n=]*=[^}\n]*\}",  # still quadratic: each « { » reads to the end of the line
    r"\]\(\s*<?\s*([^)\s>]*)|^\s*\[[^\]\n]+\]:\s*<?\s*(\S*)",  # _LINK_TARGET before
    r"(?:a+)+b", r"(a|ab)*c",
])
def test_the_inspection_sees_the_patterns_that_are_not_linear(former: str):
    assert flaws(re.compile(former, re.MULTILINE))


def test_the_exempted_patterns_are_still_in_the_engine():
    assert set(NOT_ON_CONTRIBUTOR_TEXT) <= set(PATTERNS)


def test_python_markdown_never_reads_more_links_together_than_the_cap():
    """Python-Markdown's time grows with the square of the links of a paragraph: the cap bounds it, and the
    paragraphs of a page are read one by one, so the whole stays linear in the page."""
    def links(count: int) -> str:
        return " ".join(["[a](b)"] * count)

    plain_text(links(30))
    plain_text("\n\n".join([links(30)] * 40))
    plain_text("\n".join(f"- {links(30)}" for _ in range(40)))
    for refused in (links(31), f"Texte\n{links(16)}\n{links(15)}", f"| {links(31)} |"):
        with pytest.raises(Exception, match="trop de crochets"):
            plain_text(refused)


# --- Templates and overrides print every value escaped ---------------------------------------------

PAYLOAD = "\"'><img src=x onerror=alert(1)>"


class Hostile(str):
    """The payload as every variable a template can print: any attribute or item of it is the payload too."""

    def __new__(cls) -> "Hostile":
        return super().__new__(cls, PAYLOAD)

    def __getattr__(self, name: str) -> "Hostile":
        if name.startswith("__"):
            raise AttributeError(name)
        return Hostile()

    def __getitem__(self, key: object) -> "Hostile":  # type: ignore[override]
        return Hostile()


class Language:
    @staticmethod
    def t(key: str) -> str:
        return PAYLOAD


ESCAPED_BEFORE = {
    "partials/header.html": "Material's header: page titles come escaped from the front matter the engine writes, "
                            "the site's name from referentiel.yaml, whose check refuses markup and straight quotes",
    "partials/search.html": "Material's search box: it prints the theme's own French labels only",
    "partials/recherche.html": "prints a constant address of the engine through `url`",
    "recherche.html": "prints constant addresses of the engine through `url`",
}
"""Overrides added since, that print values escaped before they reach them (not yet through `| e`)."""
OVERRIDES = sorted(path for path in (ROOT / "overrides").rglob("*.html")
                   if path.relative_to(ROOT / "overrides").as_posix() not in ESCAPED_BEFORE)


@pytest.mark.parametrize("template", OVERRIDES, ids=lambda path: path.relative_to(ROOT / "overrides").as_posix())
def test_every_override_prints_a_hostile_value_escaped(template: Path):
    theme = Path(material.__file__).parent / "templates"
    environment = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(ROOT / "overrides"), jinja2.FileSystemLoader(theme)]))  # MkDocs does not escape
    environment.filters["url"] = lambda value: value
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{%\s*extends[^%]*%}", "", source).replace("{{ super() }}", "")  # the blocks themselves
    rendered = environment.from_string(source).render(config=Hostile(), page=Hostile(), lang=Language(),
                                                       features=["content.action.edit"])
    assert PAYLOAD not in rendered.replace("&#34;", '"').replace("&#39;", "'") or "<img" not in rendered
    assert "<img" not in rendered and "onerror=alert" not in rendered.replace("&gt;", ">").split("&lt;img")[0]
    assert rendered.count("&lt;img") >= 1, "the template prints at least one value"


def test_every_value_printed_by_an_override_goes_through_an_escaping_filter():
    for template in OVERRIDES:
        for expression in re.findall(r"{{(.*?)}}", template.read_text(encoding="utf-8")):
            # Jinja's tojson escapes < > & ' for HTML: a value printed as JSON in a script is escaped too
            assert expression.strip() == "super()" or re.search(r"\|\s*(e|tojson)\s*$", expression), (
                template, expression)


def test_a_free_page_is_published_with_its_front_matter_escaped():
    page = freepages.Page({"title": "Les « <b> » & co", "description": "x\" y"}, "\nTexte.\n")
    published = freepages.published(page).decode("utf-8")
    assert published.startswith("---\ntitle: Les « &lt;b&gt; » &amp; co\ndescription: x&quot; y\n---\n\nTexte.")


# --- The build never follows a link, and never publishes what check refuses ------------------------

def test_the_build_stops_at_a_symbolic_link_in_a_copied_folder(tmp_path: Path):
    folder = tmp_path / "assets"
    (folder / "javascripts").mkdir(parents=True)
    (folder / "javascripts" / "ok.js").write_text("", encoding="utf-8")
    (folder / "javascripts" / "environnement.js").symlink_to("/proc/self/environ")
    with pytest.raises(site.SiteError, match="assets/javascripts/environnement.js:1:1: ce n'est pas un fichier "
                       "ordinaire mais un lien symbolique"):
        site._files_under(folder, "assets/")


def test_the_build_refuses_content_that_check_refuses(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = check(root).referentiel
    (root / "content" / "offre.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(site.SiteError, match="content/offre.html:1:1: fichier « offre.html » refusé"):
        site.prepare(referentiel, site.Layout(root), printed=False)


def test_the_html_made_of_a_page_is_checked_whatever_markdown_does():
    md = markdown.Markdown(extensions=freepages.DEFAULT_EXTENSIONS)
    assert freepages.unsafe_html(md.convert("[x](jav\nascript:alert(1))")) == ["lien vers « jav\nascript:alert(1) »"]
    assert freepages.unsafe_html(md.convert("![p](https://traqueur.example/p.gif)"))
    md.reset()
    assert freepages.unsafe_html(md.convert("# Titre\n\n[page](autre.md#section) [web](https://example.org/) "
                                            "![photo](images/photo.png)\n\n| a |\n|:-:|\n| b |\n")) == []


def test_the_preview_renders_under_the_build_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A build running beside `serve` writes the same build folder: the preview waits for it (it removed
    `build/docs/pdf` in the middle of a build)."""
    root = small_referentiel(tmp_path)
    held: list[bool] = []
    holding = [False]

    @contextlib.contextmanager
    def lock(path: Path) -> Iterator[None]:
        assert path == site.Layout(root).lock
        holding[0] = True
        try:
            yield
        finally:
            holding[0] = False

    def prepare(*args: object, **kwargs: object) -> list[str]:
        held.append(holding[0])
        return []

    monkeypatch.setattr(preview, "one_at_a_time", lock)
    monkeypatch.setattr(preview, "prepare", prepare)
    assert preview.refresh(site.Layout(root))
    assert held == [True]


# --- The feed, the history, the editions, `new` --------------------------------------------------------

def test_the_feed_never_writes_what_xml_forbids():
    root = ElementTree.Element("feed")
    feed._add(root, "title", "Titre\uffff\x1e\ud800 fin", label="a\x00b")
    parsed = ElementTree.fromstring(ElementTree.tostring(root, encoding="utf-8"))
    assert parsed.find("title").text == "Titre fin" and parsed.find("title").get("label") == "ab"


def test_a_commit_subject_with_control_characters_does_not_break_the_history(tmp_path: Path):
    root = small_referentiel(tmp_path)
    commit_all(root, "Départ")
    (root / "fiches/reunion-test.yaml").write_text(
        (root / "fiches/reunion-test.yaml").read_text(encoding="utf-8") + "# modifié\n", encoding="utf-8")
    commit_all(root, "Sujet \x1e avec \x1f séparateurs et \u200b\uffff invisibles")
    (root / "fiches/reunion-test.yaml").write_text(
        (root / "fiches/reunion-test.yaml").read_text(encoding="utf-8") + "# encore\n", encoding="utf-8")
    commit_all(root, "Suite")
    commits = History(root).commits("fiches/reunion-test.yaml")
    assert [commit.subject[:42] for commit in commits] == ["Suite", "Sujet \\x1e avec \\x1f séparateurs et \\u200b",
                                                          "Départ"]
    assert all(visible(commit.subject) == commit.subject for commit in commits), "nothing unseen is left"
    # git itself re-encodes a subject holding U+FFFF, which it does not take for UTF-8, as if it were Latin-1


@pytest.mark.parametrize("tag", ["２０２６.１", "٢٠٢٦.١", "2026.١", "v۲۰۲۶.1"])
def test_an_edition_tag_is_written_in_ascii_digits(tag: str):
    assert EDITION_TAG.match(tag) is None
    assert EDITION_TAG.match("2026.1") and EDITION_TAG.match("v2027.12")


@pytest.mark.parametrize("title", ["!!!", "Встреча", "会议", "« … »", "-", "a"])
def test_new_refuses_a_title_that_gives_no_id(title: str):
    with pytest.raises(TitleError, match="ne donne pas d'identifiant"):
        identifier(title)


@pytest.mark.parametrize("title", ["con", "CON", "Nul", "lpt1", "Index", "Assets"])
def test_new_refuses_a_title_that_gives_a_reserved_id(title: str):
    with pytest.raises(TitleError, match="réservé"):
        identifier(title)


def test_new_creates_no_hidden_file_and_says_why_in_french(tmp_path: Path):
    root = small_referentiel(tmp_path)
    before = sorted(path.name for path in (root / "fiches").iterdir())
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--racine", str(root), "new", "fiche", "!!!"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Rien n'est créé : le titre « !!! » ne donne pas d'identifiant")
    assert sorted(path.name for path in (root / "fiches").iterdir()) == before


def test_the_page_templates_print_every_value_inert():
    """The Markdown templates (`templates/*.md.j2`) print through one environment whose `finalize` makes every
    value that is not already rendered markup inert: HTML-escaped, and Markdown's characters as entities. No
    template may bypass it (`| safe`); every field of every entry is rendered with the payload by
    test_site.py::test_hostile_text_in_every_field_adds_no_script_handler_or_scripted_link."""
    environment = pages.environment()
    assert environment.autoescape and environment.finalize is pages._finalize
    for template in sorted((ROOT / "templates").glob("*.j2")):
        assert not re.search(r"\|\s*safe\b|Markup\(", template.read_text(encoding="utf-8")), template.name
    rendered = environment.from_string("{{ x }} [{{ x }}]({{ x }}) {: title=\"{{ x }}\" }").render(x=PAYLOAD)
    assert "<img" not in rendered and rendered.count("&lt;img") == 4
    assert rendered.count('"') == 2, "only the template's own quotes: the payload's are escaped"
