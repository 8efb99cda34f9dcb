"""Every file the build reads is untrusted, entries or not (issue 15). The refusals of `check`, with their
French message at their file and line, are in the hostile corpus (`tests/hostile/cases.yaml`); here are
the rules that a corpus case cannot show: patterns in linear time, templates that escape every value,
the build's own guards, `new`, the editions and the history."""

import contextlib
import fnmatch
import html as html_module
import importlib
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import jinja2
import markdown
import material
import pytest
import yaml
from linear import flaws
from mike import commands as mike_commands
from support import MINI as MINI_FIXTURE
from support import (
    checked,
    commit_all,
    executable_vectors,
    git,
    hostile_referentiel,
    mini_referentiel,
    small_referentiel,
)

from engine.build import site
from engine.check import free_pages as freepages
from engine.check import json_schemas
from engine.check.edition_diff import compare
from engine.check.referentiel import Referentiel
from engine.edit import preview
from engine.edit.skeleton import Shared, TitleError, identifier, skeleton
from engine.load.base_config import markdown_extensions
from engine.load.documents import parse
from engine.load.history import History
from engine.load.problems import visible
from engine.load.repository import EDITION_TAG
from engine.model.format import KINDS, Entry, plain_text
from engine.publish import gh_pages
from engine.render import changes_page, feed, opendata, pages, proposal
from engine.render.addresses import OPEN_DATA
from engine.render.pdf import Imprint, Printer

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


ESCAPED_PAYLOAD = html_module.escape(PAYLOAD)
"""The payload as the engine hands titles over: escaped once (the front matter it writes), to be read back."""


class Hostile(str):
    """The payload as every variable a template can print: any attribute or item of it is the payload too."""

    def __new__(cls, value: str = PAYLOAD) -> "Hostile":
        return super().__new__(cls, value)

    def __getattr__(self, name: str) -> "Hostile":
        if name.startswith("__"):
            raise AttributeError(name)
        return Hostile(str(self))

    def __getitem__(self, key: object) -> "Hostile":
        return Hostile(str(self))


class HostileConfig(Hostile):
    """MkDocs' configuration, every value hostile but the theme's: it names the files the theme includes."""

    def __getattr__(self, name: str) -> Any:
        return SimpleNamespace(icon=SimpleNamespace()) if name == "theme" else super().__getattr__(name)


class Language:
    def __init__(self, value: str = PAYLOAD) -> None:
        self.value = value

    def t(self, key: str) -> str:
        return self.value


OVERRIDES = sorted((ROOT / "overrides").rglob("*.html"))


@pytest.mark.parametrize("template", OVERRIDES, ids=lambda path: path.relative_to(ROOT / "overrides").as_posix())
def test_every_override_prints_a_hostile_value_escaped(template: Path):
    """Every variable is the payload, and so is every address that MkDocs' `url` filter makes (it joins the
    page's own address): each must come out escaped."""
    theme = Path(material.__file__).parent / "templates"
    environment = jinja2.Environment(loader=jinja2.ChoiceLoader([  # MkDocs does not escape
        jinja2.FileSystemLoader(ROOT / "overrides"),
        jinja2.FunctionLoader(lambda name: "" if (theme / name).is_file() else None)]))  # the theme's are not ours
    environment.filters["url"] = lambda value: PAYLOAD + str(value)
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{%\s*extends[^%]*%}", "", source)
    source = re.sub(r"{{\s*super\(\)[^}]*}}", "", source)  # the blocks themselves
    rendered = environment.from_string(source).render(config=HostileConfig(), page=Hostile(), lang=Language(),
                                                       nav=Hostile(), features=["content.action.edit"])
    assert "<img" not in rendered and "onerror=alert" not in rendered.replace("&gt;", ">").split("&lt;img")[0]
    assert "'>" not in rendered and '"\'' not in rendered, "no quote of the payload is left to close an attribute"
    assert rendered.count("&lt;img") >= 1, "the template prints at least one value"


@pytest.mark.parametrize("template", OVERRIDES, ids=lambda path: path.relative_to(ROOT / "overrides").as_posix())
def test_every_override_keeps_an_escaped_title_escaped_even_where_material_reads_an_attribute_as_html(template: Path):
    """Titles reach the theme escaped (`&lt;img…`). Read back as text where the theme shows text, they must
    stay escaped where Material writes an attribute back as HTML: its tooltips (`content.tooltips`) turn a
    `title` attribute into markup."""
    theme = Path(material.__file__).parent / "templates"
    environment = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(ROOT / "overrides"),
        jinja2.FunctionLoader(lambda name: "" if (theme / name).is_file() else None)]))
    environment.filters["url"] = lambda value: str(value)
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{{\s*super\(\)[^}]*}}", "", re.sub(r"{%\s*extends[^%]*%}", "", source))
    config = HostileConfig(ESCAPED_PAYLOAD)
    rendered = environment.from_string(source).render(config=config, page=Hostile(ESCAPED_PAYLOAD),
                                                       lang=Language(ESCAPED_PAYLOAD),
                                                       nav=Hostile(ESCAPED_PAYLOAD),
                                                       features=["content.action.edit", "content.tooltips"])
    assert [found for found in executable_vectors(rendered) if "[title]: " in found] == []


def test_every_value_printed_by_an_override_goes_through_an_escaping_filter():
    for template in OVERRIDES:
        for expression in re.findall(r"{{(.*?)}}", template.read_text(encoding="utf-8")):
            # Jinja's tojson escapes < > & ' for HTML: a value printed as JSON in a script is escaped too
            # the parent block's markup, as it is or with a literal replaced (`defer` added to the theme's scripts)
            assert re.fullmatch(r"super\(\)(\s*\|\s*replace\('[^'{}]*',\s*'[^'{}]*'\))?", expression.strip()) or (
                re.search(r"\|\s*(e|tojson)\s*$", expression)), (
                template, expression)


def test_a_free_page_is_published_with_its_front_matter_escaped():
    page = freepages.Page({"title": "Les « <b> » & co", "description": "x\" y"}, "\nTexte.\n")
    published = pages.free_page(page).decode("utf-8")
    assert published.startswith("---\ntitle: Les « &lt;b&gt; » &amp; co\ndescription: x&quot; y\n---\n\nTexte.")


# --- The build never follows a link, and never publishes what check refuses ------------------------

def test_the_build_stops_at_a_symbolic_link_in_a_copied_folder(tmp_path: Path):
    folder = tmp_path / "assets"
    (folder / "javascripts").mkdir(parents=True)
    (folder / "javascripts" / "ok.js").write_text("", encoding="utf-8")
    (folder / "javascripts" / "environnement.js").symlink_to("/proc/self/environ")
    with pytest.raises(site.SiteError, match=re.escape("assets/javascripts/environnement.js:1:1: ce n'est pas un "
                                                              "fichier ordinaire mais un lien symbolique")):
        site._files_under(folder, "assets/")


def test_the_build_refuses_content_that_check_refuses(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    referentiel = checked(root)
    (root / "content" / "offre.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(site.SiteError, match=re.escape("content/offre.html:1:1: fichier « offre.html » refusé")):
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
    """The Markdown and print templates (`templates/**/*.j2`) print through one environment whose `finalize` makes
    every value that is not already rendered markup inert: HTML-escaped, and Markdown's characters as entities.
    No template may bypass it (`| safe`); each is rendered with a hostile référentiel below."""
    environment = pages.environment()
    assert environment.autoescape and environment.finalize is pages._finalize
    for template in sorted((ROOT / "templates").rglob("*.j2")):
        assert not re.search(r"\|\s*safe\b|Markup\(", template.read_text(encoding="utf-8")), template.name
    rendered = environment.from_string("{{ x }} [{{ x }}]({{ x }}) {: title=\"{{ x }}\" }").render(x=PAYLOAD)
    assert "<img" not in rendered and rendered.count("&lt;img") == 4
    assert rendered.count('"') == 2, "only the template's own quotes: the payload's are escaped"


# --- Every template and override, rendered with hostile values ----------------------------------------------

RENDERED_WITH_HOSTILE_VALUES = {
    "overrides/*.html": "test_inputs.py::test_every_override_prints_a_hostile_value_escaped",
    "templates/*.md.j2": "test_inputs.py::test_every_page_and_print_template_renders_a_hostile_referentiel_inert",
    "templates/pdf/*.html.j2": "test_inputs.py::test_every_page_and_print_template_renders_a_hostile_referentiel_inert",
    "templates/pdf/document.typ": "test_pdf.py::test_contributor_text_full_of_typst_syntax_comes_out_literally",
    # and test_inputs.py::test_the_print_layout_evaluates_nothing_and_reads_only_its_data
    "templates/nouvelle-entree.yaml.j2": "test_inputs.py::test_a_new_entry_holds_a_hostile_title_as_data",
    "templates/redirection-edition.html": "test_inputs.py::test_the_edition_redirection_prints_a_hostile_address_inert",
}
"""Each template or override of the engine (`*` takes sub-folders too), and the test that renders it with a
hostile value for every variable it prints."""
EVERY_TEMPLATE = sorted(path.relative_to(ROOT).as_posix() for folder in ("templates", "overrides")
                        for path in (ROOT / folder).rglob("*") if path.is_file())


@pytest.mark.parametrize("template", EVERY_TEMPLATE)
def test_every_template_and_override_is_rendered_with_hostile_values_by_a_test(template: str):
    """A new template or override fails here until a test renders it with hostile values."""
    tests = [test for pattern, test in RENDERED_WITH_HOSTILE_VALUES.items() if fnmatch.fnmatchcase(template, pattern)]
    assert len(tests) == 1, f"{template}: add it to RENDERED_WITH_HOSTILE_VALUES with the test that renders it hostile"
    module, name = tests[0].split("::")
    assert re.search(rf"^def {name}\(", (ROOT / "tests" / module).read_text(encoding="utf-8"), re.MULTILINE), tests[0]


HOSTILE_LANDMARKS = """axes_introduction: Quatre axes.
axes:
  - id: recit
    titre: Le récit
    description: Raconter la trajectoire.
    enseignements: [recit-partage]
    fiches: [fifty-fifty]
axes_sources:
  - document: rapport-test
    passage: préambule
questions:
  - id: impliquer
    question: Comment impliquer les habitants ?
    reponse: En partant de leur quotidien.
    enseignements: [recit-partage]
    fiches: [fifty-fifty]
a_lire_d_abord: [recit-partage]
exemple_territoire: loos-en-gohelle
exemple_fiche: fifty-fifty
"""
"""`data/reperes.yaml` for the mini référentiel, so that the pages of the axes and questions are rendered too."""


def render_everything(referentiel: Referentiel, older: dict[str, dict[str, Entry]], root: Path,
                      monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Every Markdown page and every printed document the engine makes of a référentiel, as HTML, with the
    templates that were rendered. The « Ce qui a changé » page compares the référentiel with `older`."""
    environment = pages.environment()
    loaded: set[str] = set()
    get_template = environment.get_template

    def recorded(name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        loaded.add(str(name))
        return get_template(name, *args, **kwargs)

    monkeypatch.setattr(environment, "get_template", recorded)
    monkeypatch.setattr(changes_page, "this_edition",
                        lambda _: changes_page.Comparison("2026.1", compare(older, referentiel.entries)))
    made = pages.Pages(referentiel, History(root), printed=True, booklet=True, proposals=proposal.PAGE)
    markdown_pages = {**made.all("# Accueil\n"), changes_page.PAGE: changes_page.page(made),
                      OPEN_DATA: opendata.page(made), proposal.PAGE: proposal.page(made)}
    for kind, model in KINDS.items():  # the templates of a kind that has none of its own
        monkeypatch.setattr(model, "template", "entree.md.j2")
        monkeypatch.setattr(model, "list_template", "liste.md.j2")
        markdown_pages[f"generique/{kind}.md"] = made.listing(kind)
        markdown_pages.update({f"generique/{kind}/{entry.id}.md": made.entry(entry) for entry in referentiel.of_kind(kind)[:1]})
    monkeypatch.undo()
    monkeypatch.setattr(environment, "get_template", recorded)
    printer = Printer(made, Imprint("Référentiel", "https://exemple.org/", "2026.1", "CC BY-SA 4.0", "Éditeur"))
    printed = {**printer.documents(), "livret": printer.booklet()}
    md = freepages.renderer(markdown_extensions(root))
    html = {}
    for path, page in markdown_pages.items():
        front, body, _ = freepages.split(page)
        meta = yaml.safe_load(front or "") or {}
        for key in ("title", "description"):  # the theme prints them in raw HTML (<title>, <meta>)
            assert not re.search("[<>\"]", str(meta.get(key, ""))), (path, key, meta.get(key))
        md.reset()
        html[path] = md.convert(body)
    monkeypatch.undo()
    return html, printed, loaded


def added_vectors(hostile: dict[str, str], clean: dict[str, str]) -> dict[str, list[str]]:
    """What each hostile document could run or load beyond the same document made of ordinary text."""
    found = {}
    for path, html in hostile.items():
        added = Counter(executable_vectors(html)) - Counter(executable_vectors(clean.get(path, "")))
        if added:
            found[path] = sorted(added.elements())
    return found


def test_every_page_and_print_template_renders_a_hostile_referentiel_inert(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """Every free text of every entry and shared file is the payload (support.PAYLOAD: tags, handlers, scripted
    links in HTML and Markdown, a quote that closes an attribute): every template of `templates/` is rendered with
    it, and what it makes (Markdown turned into HTML as the site does, and the HTML of the PDFs) can run or load
    nothing more than what the same template makes of ordinary text."""
    root = mini_referentiel(tmp_path)
    (root / "data/reperes.yaml").write_text(HOSTILE_LANDMARKS, encoding="utf-8")
    commit_all(root, "Départ")
    with (root / "fiches/fifty-fifty.yaml").open("a", encoding="utf-8") as fiche:
        fiche.write("# modifiée\n")
    commit_all(root, "Précision", date="2026-02-01T12:00:00+00:00")  # the fiche's history shows the subject
    clean = checked(root)
    assert clean.landmarks is not None
    hostile = hostile_referentiel(root)
    clean_pages, clean_printed, _ = render_everything(clean, clean.entries, root, monkeypatch)
    git(root, "commit", "-q", "--amend", "-m", PAYLOAD, date="2026-02-01T12:00:00+00:00")
    hostile_pages, hostile_printed, loaded = render_everything(hostile, clean.entries, root, monkeypatch)
    templates = {path.relative_to(ROOT / "templates").as_posix() for path in (ROOT / "templates").rglob("*.j2")}
    assert templates - {"nouvelle-entree.yaml.j2"} <= loaded, "every page and print template is rendered"
    assert added_vectors(hostile_pages, clean_pages) == {}
    assert added_vectors(hostile_printed, clean_printed) == {}
    assert "alert(1)" in hostile_pages["fiches/fifty-fifty.md"].split('id="modifications"')[1], "the subject"
    shown = [path for path, html in {**hostile_pages, **hostile_printed}.items() if "alert(1)" in html]
    assert len(shown) >= len(hostile_pages) // 2, "the payload is printed, as text, on most pages"
    assert "<script>alert(1)" not in "".join(hostile_pages.values()) + "".join(hostile_printed.values())
    atom = feed.feed(pages.Pages(hostile, History(root)))
    assert atom is not None
    texts = [element for element in ElementTree.fromstring(atom).iter()
             if element.tag.rpartition("}")[2] in ("title", "summary", "content")]
    assert all(element.get("type", "text") == "text" for element in texts), "the feed's texts are plain text"
    assert any("<script>alert(1)</script>" in (element.text or "") for element in texts), "the payload, as text"


def test_the_print_layout_evaluates_nothing_and_reads_only_its_data():
    """`templates/pdf/document.typ` lays out the JSON tree it is given: no text of it is evaluated as Typst, and
    the layout reads no other file (test_pdf.py shows a text full of Typst syntax printed as typed)."""
    layout = (ROOT / "templates/pdf/document.typ").read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in layout.splitlines())
    assert not re.search(r"\b(eval|read|include|import|plugin)\b", code)
    assert code.count("json(") == code.count("json(bytes(sys.inputs.document))") == 1


@pytest.mark.parametrize("title", [PAYLOAD, 'x"\ntitre: remplacé\nid: autre', "{{ 7 * 7 }} {% raw %} # pas un commentaire",
                                   "a: b\n- c\n? d\n--- \n...", "x\u2028y\u0085z"])
def test_a_new_entry_holds_a_hostile_title_as_data(title: str):
    """`nouveau` writes the title the contributor typed into the new file: it stays one value, never YAML or
    Jinja syntax."""
    mini = checked(MINI_FIXTURE)
    shared = Shared(mini.vocabularies, mini.bibliography, {kind: sorted(mini.entries[kind]) for kind in KINDS})
    for kind, model in KINDS.items():
        data = parse(skeleton(kind, title, shared), "x.yaml").data
        field = "nom" if "nom" in model.model_fields else "titre"
        assert data[field] == title and set(data) <= set(model.model_fields), (kind, data)


@pytest.mark.parametrize("address", [PAYLOAD + "/", "javascript:alert(1);/x/", "x\\", "</script><script>alert(1)//",
                                     "\u2028/", "';alert(1)//", "//ailleurs.example/"])
def test_the_edition_redirection_prints_a_hostile_address_inert(address: str):
    """mike renders the page at the root of the site (autoescaped) with the folder of the alias: it comes out as
    one string in the script and one relative address in the refresh and the link (`./…`, never a scheme nor
    another site), nothing else runs; and `publier` refuses any alias that is not a plain folder name."""
    page = mike_commands._redirect_template(str(gh_pages.REDIRECT)).render(href=address)
    assert page.startswith("<!DOCTYPE html>")
    assert executable_vectors(page) == ["<meta>", "<meta>", "<script>"], "the template's own metas and script only"
    [script] = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    [literal] = re.findall(r"window\.location\.replace\((\".*\") \+ window\.location\.search", script)
    assert json.loads(literal) == "./" + address
    [link] = re.findall(r'<a href="([^"]*)">', page)
    [refresh] = re.findall(r'content="0; url=([^"]*)"', page)
    assert html_module.unescape(link) == html_module.unescape(refresh) == "./" + address
    assert gh_pages.alias_problems(address.removesuffix("/")), address
    assert gh_pages.alias_problems("latest") == gh_pages.alias_problems("2026.1") == []



def test_writing_the_schemas_replaces_a_link_and_never_writes_through_it(tmp_path: Path):
    """A pull request may put a link where a schema is expected: `python build.py schema` replaces the link by
    the schema, and the file it led to, outside the repository, is left untouched."""
    root = small_referentiel(tmp_path)
    vocabularies = checked(root).vocabularies
    outside = tmp_path / "ailleurs.txt"
    outside.write_text("intact", encoding="utf-8")
    (root / json_schemas.SCHEMA_DIR).mkdir()
    name = next(iter(json_schemas.schema_files()))
    (root / json_schemas.SCHEMA_DIR / name).symlink_to(outside)
    assert name in json_schemas.stale_schemas(root, vocabularies), "a link is no schema"
    json_schemas.write_schemas(root, vocabularies)
    assert outside.read_text(encoding="utf-8") == "intact"
    assert not (root / json_schemas.SCHEMA_DIR / name).is_symlink()
    assert json_schemas.stale_schemas(root, vocabularies) == []


def test_publier_reads_the_changelog_under_the_rule_of_every_input(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    (root / gh_pages.CHANGELOG).symlink_to("/proc/self/environ")
    publication = checked(root).publication
    assert gh_pages.release_problems(root, publication, publication.edition) == [
        "CHANGELOG.md:1:1: ce n'est pas un fichier ordinaire mais un lien symbolique : remplacez-le par le fichier "
        "lui-même"]
