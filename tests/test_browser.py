"""The built site in a real browser: Debian's headless Chromium driven by Playwright.

The site is served from 127.0.0.1 by a local HTTP server. Every request the pages make is
recorded: none may leave the machine. axe-core checks each kind of page against WCAG 2.1 A and AA and
the rules it ties to the French standard, RGAA 4.
"""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, sync_playwright
from support import checked, commit_all, mini_referentiel, own_publication, served

from engine.build.site import Layout, prepare, publish

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]
PAGES = {
    "accueil": "",
    "enseignement": "enseignements/recit-partage/",
    "fiche": "fiches/fifty-fifty/",
    "territoire": "territoires/loos-en-gohelle/",
    "liste des enseignements": "enseignements/",
    "liste des fiches": "fiches/",
    "liste des territoires": "territoires/",
    "matrice": "matrice/",
    "glossaire": "glossaire/",
    "bibliographie": "bibliographie/",
    "code source": "code-source/",
    "recherche": "recherche/?q=energie",
}


@pytest.fixture(scope="module")
def base_url(built: Layout) -> Iterator[str]:
    with served(built.site) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail("Chromium est absent : installez-le avec « apt-get install -y chromium » "
                    "(jamais de téléchargement de navigateur par Playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        yield browser
        browser.close()


class Visit:
    """A browser tab that records the console errors and every request."""

    def __init__(self, page: Page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def outside(self) -> list[str]:
        """The requests that went anywhere but the local server."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"]


def heading(page: Page) -> str:
    """The page's title as read, without the section link sign."""
    return page.locator("h1").first.inner_text().removesuffix("¶").strip()


def dismissed_dialogs(page: Page) -> list[str]:
    """The messages of the dialogs the page opens from now on (an alert, say), each dismissed."""
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield Visit(context.new_page())
    context.close()


def test_the_home_page_renders_without_console_errors(visit: Visit, base_url: str):
    visit.page.goto(base_url)
    assert heading(visit.page) == "Référentiel de test"
    assert visit.page.locator("#dernieres-modifications").is_visible()
    visit.page.wait_for_load_state("networkidle")
    assert visit.errors == []


def search(page: Page, base_url: str, query: str) -> list[str]:
    """The addresses of the results the header's search form gives for a query."""
    page.goto(base_url + "enseignements/")
    page.locator("input[name=q]").fill(query)
    page.locator("input[name=q]").press("Enter")
    page.wait_for_url("**/recherche/?q=*")
    page.wait_for_selector(".pagefind-ui__message:has-text('résultat')")
    # the message comes first, the results once their fragments are fetched: wait for the network to settle
    page.wait_for_selector(".pagefind-ui__result-link")
    page.wait_for_load_state("networkidle")
    results = page.locator(".pagefind-ui__result-link")
    return [results.nth(i).get_attribute("href") or "" for i in range(results.count())]


@pytest.mark.parametrize("query", ["energie", "énergie", "ENERGIE", "énerg"])
def test_searching_with_or_without_accents_finds_the_accented_word(visit: Visit, base_url: str, query: str):
    results = search(visit.page, base_url, query)
    assert any(link.endswith("enseignements/proximite-quotidien/") for link in results), results
    shown = visit.page.locator("#ref-recherche").inner_text()
    assert "énerg" in shown and not {"derriere", "energetique", "vecu"} & set(shown.split()), \
        "the previews show the text as written"
    assert visit.errors == []


def test_the_search_fetches_the_fragments_of_the_results_it_shows_and_no_more(visit: Visit, base_url: str):
    """The index says which pages match; each result's text (its « fragment ») is fetched when the result is
    shown: a page of results at first, the next page when the reader asks for it."""
    fetched: list[str] = []
    visit.page.context.on("request", lambda request: fetched.append(request.url))
    search(visit.page, base_url, "territoire")
    fragments = lambda: len({url for url in fetched if "/pagefind/fragment/" in url})  # noqa: E731
    shown = visit.page.locator(".pagefind-ui__result")
    assert shown.count() == fragments() == 5, "five results at first, each with its own fragment"
    visit.page.locator("button.pagefind-ui__button").click()  # « Charger plus de résultats »
    visit.page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length > 5")
    visit.page.wait_for_load_state("networkidle")
    assert shown.count() == fragments() > 5
    assert len([url for url in fetched if url.endswith("/pagefind/wasm.fr.pagefind")]) == 1


def test_the_first_view_of_a_page_fetches_nothing_of_the_search(visit: Visit, base_url: str):
    visit.page.goto(base_url + "enseignements/recit-partage/")
    visit.page.wait_for_load_state("networkidle")
    assert not [url for url in visit.requests if "pagefind" in url or "search" in url]


def test_on_a_phone_the_magnifier_opens_the_search_page_ready_to_type(browser: Browser, base_url: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR")
    page = context.new_page()
    page.goto(base_url + "fiches/fifty-fifty/")
    assert not page.locator("input[name=q]").is_visible()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/recherche/**")
    page.locator(".pagefind-ui__search-input").fill("fifty")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert "Rechercher" in (page.locator(".pagefind-ui__search-input").get_attribute("placeholder") or "")
    context.close()


def test_search_finds_a_word_in_an_elided_form(visit: Visit, base_url: str):
    """« Gohelliades » is written « des Gohelliades », « image » is written « l'image »."""
    assert any("enseignements/recit-partage/" in link for link in search(visit.page, base_url, "image"))


def test_a_filter_narrows_a_list_and_the_reset_shows_everything_again(visit: Visit, base_url: str):
    page = visit.page
    page.goto(base_url + "enseignements/")
    items = page.locator(".ref-groupe li")
    assert page.locator("form.ref-filtres").is_visible()
    assert items.count() == 3 and page.locator("[data-ref-compte]").inner_text() == "3 résultats sur 3."
    page.select_option("select[data-filtre='pole']", "recit")
    visible = [items.nth(index).inner_text() for index in range(items.count()) if items.nth(index).is_visible()]
    assert visible == ["Co-construire et partager un récit avec les acteurs du territoire — "
                       "Comment partager le projet de transition avec les acteurs du territoire\u202f?"]
    assert page.locator("[data-ref-compte]").inner_text() == "1 résultat sur 3."
    assert not page.locator("#famille-villes-pairs").is_visible(), "an empty group is hidden"
    page.select_option("select[data-filtre='niveau']", "operationnel")
    assert page.locator("[data-ref-compte]").inner_text() == "Aucun résultat : élargissez les filtres."
    page.get_by_role("button", name="Tout afficher").click()
    page.wait_for_function("document.querySelector('[data-ref-compte]').textContent === '3 résultats sur 3.'")
    assert visit.errors == []


def test_without_javascript_the_lists_are_complete_and_grouped(browser: Browser, base_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "fiches/")
    assert not page.locator("form.ref-filtres").is_visible()
    assert page.locator(".ref-groupe li").count() == 2
    assert page.locator("#type-dispositif-implication").is_visible()
    context.close()


def test_a_lesson_leads_to_its_territory_and_back(visit: Visit, base_url: str):
    page = visit.page
    page.goto(base_url + "enseignements/recit-partage/")
    page.locator("#observation-loos-en-gohelle summary").click()  # the observation is folded
    page.locator("#observation-loos-en-gohelle a", has_text="Loos-en-Gohelle").click()
    page.wait_for_url("**/territoires/loos-en-gohelle/")
    assert heading(page) == "Loos-en-Gohelle"
    page.locator("#enseignements + ul a", has_text="Co-construire et partager un récit").click()
    page.wait_for_url("**/enseignements/recit-partage/#observation-loos-en-gohelle")
    assert heading(page) == "Co-construire et partager un récit avec les acteurs du territoire"
    assert visit.errors == []


def follow(page: Page, address: str) -> None:
    """Follow the page's first link to `address` as a reader would, and wait until it is shown."""
    page.evaluate("address => [...document.querySelectorAll('a')].find(link => link.href.endsWith(address)).click()",
                  address)
    page.wait_for_url(f"**{address}")


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def test_the_scripts_of_a_page_shown_by_instant_navigation_run_there(visit: Visit, base_url: str, built: Layout):
    """A page loads the scripts of its features itself (the lists' filters, the date of a citation), also when
    Material's instant navigation shows it without loading a new document. Material navigates instantly to the
    pages of its sitemap, which names them at the site's own address: here, at the local server's."""
    page = visit.page
    site_url = yaml.safe_load(built.config.read_text(encoding="utf-8"))["site_url"]
    sitemap = (built.site / "sitemap.xml").read_text(encoding="utf-8").replace(site_url, base_url)
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=sitemap, content_type="application/xml"))
    # Material drops the clicks made before it has read the sitemap: the page loads anew then. The network is idle
    # once it has read it.
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.sameDocument = true")
    follow(page, "/enseignements/")
    page.wait_for_selector("form.ref-filtres:not([hidden])")
    page.select_option("select[data-filtre='pole']", "recit")
    assert page.locator("[data-ref-compte]").inner_text() == "1 résultat sur 3."
    follow(page, "/enseignements/recit-partage/")
    page.wait_for_function("(date => date && !/JJ/.test(date.textContent))("
                           "document.querySelector('[data-ref-consultation]'))")
    date = page.locator("[data-ref-consultation]").text_content() or ""
    day, month, year = date.split(" ")
    assert (day == "1er" or day.isdigit()) and month in MONTHS and year.isdigit() and len(year) == 4, date
    follow(page, "/matrice/")
    page.wait_for_selector("form[data-ref-matrice]:not([hidden])")
    assert page.evaluate("window.sameDocument") is True, "instant navigation showed the pages"
    assert visit.errors == []


@pytest.mark.parametrize(("address", "picture", "target"), [
    ("code-source/", ".ref-dessin--maison", "**/code-source/#*"),
    ("territoires/loos-en-gohelle/", ".ref-dessin--frise", "**/territoires/loos-en-gohelle/#projet-*"),
])
def test_each_element_of_a_picture_is_a_link_reached_and_followed_with_the_keyboard(
        visit: Visit, base_url: str, address: str, picture: str, target: str):
    page = visit.page
    page.goto(base_url + address)
    page.locator(f"{picture} a").first.focus()
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert visit.errors == []


def test_each_name_on_the_map_of_the_territories_is_a_link_reached_and_followed_with_the_keyboard(
        visit: Visit, base_url: str):
    page = visit.page
    page.goto(base_url + "territoires/")
    names = page.locator(".ref-dessin--carte a")
    assert names.all_inner_texts() == ["Le Mené"], "the territories with coordinates, by their name"
    names.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/territoires/le-mene/")
    assert visit.errors == []


def test_no_page_makes_a_request_outside_the_local_server(browser: Browser, base_url: str):
    """Each page in its own tab of one browser, all open at once: their quiet times (no request for 500 ms)
    overlap instead of adding up."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    visits = []
    for path in PAGES.values():
        visits.append(Visit(context.new_page()))
        visits[-1].page.goto(base_url + path)
    for visit in visits:
        visit.page.wait_for_load_state("networkidle")
    context.close()
    assert all(len(visit.requests) > 1 for visit in visits)
    assert [url for visit in visits for url in visit.outside()] == []


def test_a_printed_fiche_shows_the_content_only(visit: Visit, base_url: str):
    page = visit.page
    page.goto(base_url + "fiches/fifty-fifty/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".ref-carte").first.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violation(visit: Visit, base_url: str, name: str):
    if not AXE.is_file():
        pytest.fail("axe-core est absent : lancez « npm ci » à la racine du dépôt")
    page = visit.page
    page.goto(base_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    violations = [f"{violation['id']}: {violation['help']} — {[node['target'] for node in violation['nodes']]}"
                  for violation in result["violations"]]
    assert violations == []


@pytest.fixture(scope="module")
def hostile_url(hostile_built: Layout) -> Iterator[str]:
    """The site of the mini référentiel whose every free text is the hostile payload, served locally."""
    with served(hostile_built.site) as address:
        yield address


TOUCH_EVERYTHING = """() => {
    for (const element of document.querySelectorAll("body *")) {
        for (const type of ["mouseover", "mouseenter", "focus", "click", "error", "load"]) {
            element.dispatchEvent(new Event(type, {bubbles: false, cancelable: true}));
        }
    }
    return document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i], iframe, object, embed').length;
}"""


@pytest.mark.parametrize("name", ["enseignement", "fiche", "territoire", "liste des territoires", "glossaire",
                                  "bibliographie", "code source"])
def test_hostile_text_runs_no_script_and_fires_no_handler_in_a_real_browser(visit: Visit, hostile_url: str,
                                                                            name: str):
    dialogs = dismissed_dialogs(visit.page)
    visit.page.goto(hostile_url + PAGES[name], wait_until="load")
    assert "alert(1)" in visit.page.content(), "the payload is shown as text"
    assert visit.page.evaluate(TOUCH_EVERYTHING) == 0
    visit.page.fill("input[name=q]", "alert")
    visit.page.press("input[name=q]", "Enter")
    visit.page.wait_for_selector(".pagefind-ui__result-link")
    assert visit.page.evaluate(TOUCH_EVERYTHING) == 0
    assert dialogs == [], "no alert() ran: not on load, not on events, not in search results"


# --- Issue 15: what check accepts around the entries is inert in a real browser ----------------------

INERT_PAGES = {
    "content/a-propos.md": (
        "---\n"
        "title: \"\\u0026lt;img src=x onerror=alert(1)\\u0026gt; l'a & co\"\n"
        "description: \"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; ' onfocus=alert(1) \"\n"
        "---\n\n"
        "# &lt;img src=x onerror=alert(1)&gt; À propos\n\n"
        "Du texte &lt;script&gt;alert(1)&lt;/script&gt; et [le guide](guide/page.md), "
        "[un lien](https://example.org/), ![une photo](images/photo.png).\n\n"
        "## &lt;svg onload=alert(1)&gt; &amp;lt; section\n\n"
        "| &lt;img src=x onerror=alert(1)&gt; | b |\n|:--|--:|\n| [c](guide/page.md) | d |\n"),
    "content/guide/page.md": "# &lt;img src=x onerror=alert(2)&gt; Guide\n\nRetour [à propos](../a-propos.md).\n",
    "content/sans-en-tete.md": "# Titre &lt;iframe onload=alert(3)&gt;\n\nTexte.\n",
}
INERT_SUBJECT = "<img src=x onerror=alert(1)> \x1e [x](javascript:alert(1)) {: onclick=alert(1) }"


@pytest.fixture(scope="module")
def inert_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site built from the mini référentiel with every kind of hostile input that check accepts: escaped
    markup in the front matter, titles and text of free pages (sub-folders too), an image, the publication's
    identity written with entities, and a commit subject holding markup and control characters."""
    root = mini_referentiel(tmp_path_factory.mktemp("inerte"))
    for name, text in INERT_PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "content/images").mkdir()
    (root / "content/images/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    own_publication(root, titre="&lt;img src=x onerror=alert(1)&gt; l'atelier",
                    description="&lt;meta http-equiv=refresh content=0;url=https://ailleurs.example/&gt; ' x")
    commit_all(root, "Départ")
    fiche = root / "fiches/fifty-fifty.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8") + "# modifié\n", encoding="utf-8")
    commit_all(root, INERT_SUBJECT)
    layout = Layout(root)
    prepare(checked(root), layout, printed=False)
    publish(layout)
    with served(layout.site) as address:
        yield address


@pytest.mark.parametrize("path", ["", "a-propos/", "guide/page/", "sans-en-tete/", "fiches/fifty-fifty/",
                                  "glossaire/", "changements/"])
def test_hostile_pages_configuration_and_history_run_nothing_and_lead_nowhere(visit: Visit, inert_url: str,
                                                                              path: str):
    page = visit.page
    dialogs = dismissed_dialogs(page)
    response = page.goto(inert_url + path, wait_until="load")
    assert response is not None and response.ok, path
    assert "<img src=x onerror=alert(1)> l'atelier" in page.locator(".md-header").inner_text(), "shown as text"
    if path == "a-propos/":
        assert heading(page).startswith("<img src=x onerror=alert(1)>")
    if path == "fiches/fifty-fifty/":
        # the history is folded: its text is in the page, shown when the fold opens
        assert "<img src=x onerror=alert(1)> \\x1e [x](javascript:alert(1))" in (page.locator("body").text_content() or "")
    assert page.evaluate(TOUCH_EVERYTHING) == 0
    page.wait_for_timeout(500)  # a refresh or a handler would have acted by now
    assert dialogs == [], "no alert() ran"
    assert page.url.startswith(inert_url), "no navigation left the site"
    assert visit.outside() == []
    assert page.locator("meta[http-equiv]").count() == 0
    for link in page.locator("a[href]").all():
        href = link.get_attribute("href") or ""
        assert not "".join(href.split()).lower().startswith(("javascript:", "data:", "vbscript:")), href
