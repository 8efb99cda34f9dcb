"""Contributor text becomes safe HTML, and stays inert when MkDocs reads the page as Markdown."""

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import executable_vectors

from engine.model.format import GlossaryTerm
from engine.render import markup
from engine.render.markup import Glossary, Renderer, inert

SOURCE = {"document": "rapport", "passage": "§ 1"}
ADEME = GlossaryTerm(id="ademe", terme="ADEME", developpe="Agence de la transition écologique",
                     definition="L'agence qui a financé le travail.", sources=[SOURCE])
PLAN = GlossaryTerm(id="plu", terme="plan local d'urbanisme", definition="Les règles d'urbanisme.", sources=[SOURCE])

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[cliquez](javascript:alert(1))",
    '<a href="javascript:alert(1)">cliquez</a>',
    "[cliquez](JaVaScRiPt:alert(1))",
    "<iframe src=https://example.org></iframe>",
    "<svg onload=alert(1)>",
    "![x](data:text/html,<script>alert(1)</script>)",
    "paragraphe\n{: onclick=\"alert(1)\" }",
    "[lien](https://example.org){: onmouseover=\"alert(1)\" }",
    '<p style="position:fixed;top:0">recouvre la page</p>',
    "\\[x\\](javascript:alert(1))",
    "`{: onclick=alert(1)}`",
]


def renderer(*terms: GlossaryTerm) -> Renderer:
    return Renderer(Glossary(terms))


def as_mkdocs_reads_it(fragment: str) -> str:
    """The page text read again as Markdown, with the extensions of the site."""
    return markdown.markdown(f"# Titre\n\n{fragment}\n\n- {fragment}\n",
                             extensions=["attr_list", "md_in_html", "tables"])


def assert_inert(html: str) -> None:
    assert executable_vectors(html) == [], html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_prose_comes_out_inert_even_after_mkdocs_reads_it_again(text: str):
    rendered = renderer(ADEME)
    for fragment in (rendered.block(text), rendered.inline(text), inert(text)):
        assert_inert(fragment)
        assert_inert(as_mkdocs_reads_it(fragment))


def test_markdown_subset_is_kept():
    html = renderer().block("Un **texte** en *italique*.\n\n- un point\n- [un lien](https://example.org/a_b)\n\n"
                            "> cité")
    assert "<strong>texte</strong>" in html and "<em>italique</em>" in html
    assert "<ul>\n<li>un point</li>" in html
    assert '<a href="https://example.org/a_b" rel="noopener noreferrer">un lien</a>' in html
    assert "<blockquote>" in html


def test_only_web_mail_and_relative_links_keep_their_address():
    html = renderer().inline("[a](https://example.org) [b](mailto:x@example.org) [c](../fiches/x.md) [g](/glossaire/) "
                             "[d](//example.org) [e](/\\example.org) [f](ftp://example.org)")
    assert 'href="https://example.org"' in html
    assert 'href="mailto:x@example.org"' in html
    assert 'href="../fiches/x.md"' in html and 'href="/glossaire/"' in html
    assert html.count("href=") == 4
    assert html.endswith("d e f"), "a link whose address was removed keeps only its text"


def test_headings_and_tables_written_by_contributors_become_plain_text():
    html = renderer().block("# Grand titre\n\nTexte")
    assert "<h1" not in html and "Grand titre" in html


def test_a_block_is_a_single_raw_html_element_without_blank_lines():
    html = renderer().block("Premier paragraphe.\n\n\n\nSecond paragraphe.\n\n- a\n- b")
    assert html.startswith('<div class="ref-texte">') and html.endswith("</div>")
    assert "\n\n" not in html


def test_glossary_terms_are_explained_once_per_block():
    html = renderer(ADEME, PLAN).block("L'ADEME et l'ADEME. Le Plan local d'urbanisme de la ville.")
    assert html.count("<abbr") == 2
    assert ('<abbr title="Agence de la transition écologique\u00a0: L&#x27;agence qui a financé le travail.">'
            "ADEME</abbr> et l'ADEME") in html
    assert "<abbr title=\"Les règles d&#x27;urbanisme.\">Plan local d'urbanisme</abbr>" in html


def test_acronyms_match_their_case_and_whole_words_only():
    html = renderer(ADEME).block("ademe, ADEMEX et PRÉ-ADEME ne sont pas le sigle ; ADEME l'est.")
    assert html.count("<abbr") == 1 and "<abbr" in html.split("l'est")[0].split("sigle\u202f;")[1]


def test_glossary_terms_are_not_explained_inside_links_or_code():
    html = renderer(ADEME).block("[site de l'ADEME](https://example.org) et `ADEME`")
    assert "<abbr" not in html


def test_a_one_line_value_is_escaped_for_html_and_markdown():
    assert inert("Titre <b> & [lien](x) {#id} | *gras* _x_") == (
        "Titre &lt;b&gt; &amp; &#91;lien&#93;(x) &#123;&#35;id&#125; &#124; &#42;gras&#42; &#95;x&#95;")
    assert inert("- pas une liste") == "&#45; pas une liste"
    assert inert("1. pas une liste") == "&#49;. pas une liste"
    assert inert("titre\nsur deux lignes") == "titre sur deux lignes"


PLAIN = st.text(alphabet="aéZ9 \u00a0\u202f-+.)«»'\"=:;,?%$@^{}()/", max_size=40).map(lambda text: "L" + text)
"""One-line texts that start with a letter, with the punctuation of prose but none of Markdown's own characters."""


@settings(max_examples=2000, deadline=None)
@given(PLAIN)
def test_a_plain_text_skips_python_markdown_and_gets_exactly_what_python_markdown_would_give(text: str):
    assert markup._PLAIN.fullmatch(text)
    assert renderer().markdown_html(text) == markdown.markdown(text, extensions=["sane_lists"], output_format="html")


@pytest.mark.parametrize("text", ["L\n- x", "L *x*", "L_x_", "L `x`", "L [x](y)", "L <b>", "L &amp;", "L\tx", "1. x",
                                  "- x", "# x", "> x", "Ligne\u2028suite", "L\\", "L !", "L | x", "L ~x~"])
def test_a_text_with_markdown_characters_or_a_line_start_is_left_to_python_markdown(text: str):
    assert not markup._PLAIN.fullmatch(text)


SITE_EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition"]


def between_elements(html: str) -> str:
    return re.sub(r">\n\n+<", ">\n<", html)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_inert_and_rendered_text_has_no_markdown_and_comes_out_the_same_in_raw_html(text: str):
    rendered = renderer(ADEME)
    for value in (inert(text), rendered.inline(text)):
        assert not markup.has_markdown(value)
        read = markdown.markdown(f'<dl markdown>\n<div markdown>\n<dt>x</dt>\n<dd markdown>\n\n{value}\n\n</dd>\n'
                                 f'</div>\n</dl>\n\n<ol markdown>\n<li markdown="span">{value}</li>\n</ol>',
                                 extensions=SITE_EXTENSIONS)
        raw = markdown.markdown(f"<dl>\n<div>\n<dt>x</dt>\n<dd>\n\n{value}\n\n</dd>\n</div>\n</dl>\n\n"
                                f"<ol>\n<li>{value}</li>\n</ol>", extensions=SITE_EXTENSIONS)
        assert between_elements(read) == between_elements(raw), \
            "Markdown in HTML is spared where it would change nothing (for a reader: a blank line may differ)"


def test_a_link_written_by_a_template_is_markdown():
    assert markup.has_markdown("[Hauts-de-France](index.md#region-hauts-de-france)")
    assert markup.has_markdown("Source : [ADEME 2019](#source-ademe), § 3")
    assert not markup.has_markdown("2 confirmés ici sur 3 observés") and not markup.has_markdown(None)
