"""Two published editions in a real browser: choosing the other edition in Material's selector lands on
the same page of that edition, even while `adresse` is unset in referentiel.yaml."""

import io
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import support
from playwright.sync_api import sync_playwright
from support import commit_all, mini_referentiel, own_publication
from test_browser import ARGUMENTS, CHROMIUM
from test_publier import IGNORED, run

pytestmark = pytest.mark.browser


def release_without_address(root: Path, edition: str) -> None:
    (root / ".gitignore").write_text(IGNORED, encoding="utf-8")
    own_publication(root, edition=edition, adresse=None)
    changelog = root / "CHANGELOG.md"
    earlier = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    changelog.write_text(f"## [{edition}] - 2026-06-01\n\nÉdition {edition}.\n\n{earlier}", encoding="utf-8")
    commit_all(root, f"Édition {edition}", tag=edition)
    result = run(root, "publier", edition, "--alias", "latest")
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The gh-pages branch of a référentiel with the editions 2026.1 and 2026.2, served over HTTP."""
    root = mini_referentiel(tmp_path_factory.mktemp("editions"))
    release_without_address(root, "2026.1")
    release_without_address(root, "2026.2")
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=root, capture_output=True, check=True)
    folder = root.parent / "gh-pages"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    with support.served(folder) as address:
        yield address


@pytest.mark.parametrize(("start", "other"), [("2026.2", "2026.1"), ("2026.1", "2026.2")])
@pytest.mark.parametrize("path", ["fiches/fifty-fifty/", "glossaire/"])
def test_choosing_the_other_edition_lands_on_the_same_page(two_editions: str, start: str, other: str, path: str):
    if not CHROMIUM.is_file():
        pytest.fail("Chromium est absent : installez-le avec « apt-get install -y chromium »")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        page = browser.new_page()
        page.goto(f"{two_editions}{start}/{path}")
        page.wait_for_selector(f'.md-version__link[href$="/{other}/"]', state="attached")
        page.eval_on_selector(f'.md-version__link[href$="/{other}/"]', "link => link.click()")
        page.wait_for_url(f"{two_editions}{other}/**")
        assert page.url == f"{two_editions}{other}/{path}"
        browser.close()
