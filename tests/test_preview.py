"""The live preview: a change to a YAML source re-renders the pages that MkDocs serves, and MkDocs
rebuilds only what changed when that gives the same site."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import mini_referentiel, replace
from watchdog.events import FileModifiedEvent, FileMovedEvent

from engine.build.site import Layout
from engine.edit.preview import Watcher, page_by_page, refresh

ROOT = Path(__file__).resolve().parent.parent
PAGE = "build/docs/enseignements/recit-partage.md"


def wait_for(condition, seconds: float = 60) -> bool:
    """Whether `condition()` holds within `seconds`: asked every tenth of a second, so the wait ends as soon as it
    does; the bound is for a busy machine, where a rebuild of the preview may take several times its usual time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Layout]:
    """The small référentiel, rendered, with the preview's watcher on its sources."""
    layout = Layout(mini_referentiel(tmp_path))
    assert refresh(layout)
    observer = Watcher(layout, delay=0.1).start()
    try:
        yield layout
    finally:
        observer.stop()
        observer.join()


def test_a_saved_yaml_file_re_renders_its_page(watched: Layout):
    replace(watched.root, "lessons/recit-partage.yaml", "titre: Co-construire et partager un récit",
            "titre: Construire ensemble un récit")
    assert wait_for(lambda: "# Construire ensemble un récit" in (watched.root / PAGE).read_text(encoding="utf-8"))


def test_the_publication_and_the_base_configuration_are_watched_too(watched: Layout):
    replace(watched.root, "referentiel.yaml", "nom: Les contributeurs et contributrices du référentiel",
            "nom: Atelier du référentiel")
    assert wait_for(lambda: "Atelier du référentiel" in (watched.root / PAGE).read_text(encoding="utf-8"))
    (watched.root / "mkdocs.yml").write_text("copyright: Atelier du référentiel, 2026\n", encoding="utf-8")
    assert wait_for(lambda: "copyright: Atelier du référentiel, 2026" in watched.config.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "moved_to", "counts"), [
    ("notes.txt", None, False),
    ("referentiel.yaml", None, True),
    ("mkdocs.yml", None, True),
    (".referentiel.yaml.tmp", "referentiel.yaml", True),  # an editor's safe save
    (".referentiel.yaml.swp", None, False),
    ("lessons/recit-partage.yaml", None, True),
])
def test_in_the_root_folder_only_its_own_sources_start_a_refresh(tmp_path: Path, source: str, moved_to: str | None,
                                                                  counts: bool):
    watcher = Watcher(Layout(tmp_path))
    watcher.on_any_event(FileMovedEvent(str(tmp_path / source), str(tmp_path / moved_to)) if moved_to
                         else FileModifiedEvent(str(tmp_path / source)))
    assert (watcher.timer is not None) is counts
    if watcher.timer:
        watcher.timer.cancel()


def test_a_change_saved_during_a_rendering_is_rendered_after_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    running: list[Layout] = []
    overlaps: list[int] = []
    done: list[Layout] = []

    def slow_refresh(layout: Layout) -> bool:
        overlaps.append(len(running))
        running.append(layout)
        time.sleep(0.3)
        running.pop()
        done.append(layout)
        return True

    monkeypatch.setattr("engine.edit.preview.refresh", slow_refresh)
    watcher = Watcher(Layout(tmp_path), delay=0.01)
    for _ in range(2):
        watcher.on_any_event(FileModifiedEvent(str(tmp_path / "lessons" / "recit-partage.yaml")))
        time.sleep(0.1)  # the second save comes while the first rendering runs
    assert wait_for(lambda: len(done) == 2)
    assert overlaps == [0, 0]


def test_while_the_referentiel_has_errors_the_preview_keeps_its_pages(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]):
    root = mini_referentiel(tmp_path)
    layout = Layout(root)
    assert refresh(layout)
    before = (root / PAGE).read_text(encoding="utf-8")
    replace(root, "lessons/recit-partage.yaml", "statut: oui", "statut: peut-etre")
    assert not refresh(layout)
    assert "« peut-etre » n'est pas dans le vocabulaire" in capsys.readouterr().err
    assert (root / PAGE).read_text(encoding="utf-8") == before


def test_only_the_pages_whose_text_changed_are_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the change does not move the file's date
    root = mini_referentiel(tmp_path)
    layout = Layout(root)
    assert refresh(layout)
    capsys.readouterr()
    replace(root, "fiches/visite-prealable.yaml", "Comprendre le territoire,", "Connaître le territoire,")
    assert refresh(layout)
    assert capsys.readouterr().out.strip() == ("Pages mises à jour : fiches/visite-prealable.md, "
                                               "donnees/referentiel.json, donnees/fiches.json, donnees/fiches.csv, "
                                               "donnees/fiches-excel.csv"), \
        "the page and the open data that hold its text"


@pytest.mark.parametrize(("written", "expected"), [
    ([], True),
    (["docs/fiches/visite-prealable.md", "docs/donnees/fiches.json"], True),
    (["docs/enseignements/recit-partage.md", "docs/enseignements/index.md"], False),
    (["docs/enseignements/index.md"], False),
    (["docs/index.md"], False),
    (["docs/glossaire.md", "mkdocs.yml"], False),
    (["overrides/main.html"], False),
])
def test_only_a_single_page_with_no_page_below_it_is_rebuilt_alone(written: list[str], expected: bool):
    assert page_by_page(written) is expected


def fetch(address: str) -> str | None:
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def search_index(preview: str) -> list[dict[str, str]]:
    """The documents (pages and sections) of the preview's search index."""
    index = fetch(preview + "search/search_index.json")
    return json.loads(index)["docs"] if index else []


def search_locations(preview: str) -> Counter[str]:
    """How many times each address (page or section) is in the preview's search index."""
    return Counter(document["location"] for document in search_index(preview))


def searchable(preview: str, words: str) -> bool:
    return any(words in document["title"] + document["text"] for document in search_index(preview))


@dataclass
class Preview:
    """`python build.py serve` running on a référentiel."""

    root: Path
    address: str
    output: Path
    """What the command printed."""


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """`python build.py serve` on the small référentiel."""
    root = mini_referentiel(tmp_path / "referentiel")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    output = tmp_path / "sortie.txt"
    with output.open("w", encoding="utf-8") as printed:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "serve", "--adresse", f"127.0.0.1:{port}"],
            env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},  # an edit does not move the « Mis à jour » dates
            stdout=printed, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: search_locations(address), 120), "the preview did not start"
        yield Preview(root, address, output)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_edited_text_shows_on_its_page_and_in_search_once(preview: Preview):
    address = preview.address
    before = search_locations(address)
    assert set(before.values()) == {1}
    replace(preview.root, "fiches/visite-prealable.yaml", "Comprendre le territoire,", "Arpenter le territoire,")
    assert wait_for(lambda: "Arpenter le territoire" in (fetch(address + "fiches/visite-prealable/") or ""))
    assert wait_for(lambda: searchable(address, "Arpenter le territoire"))
    assert search_locations(address) == before
    printed = preview.output.read_text(encoding="utf-8")
    assert "Pages mises à jour : fiches/visite-prealable.md" in printed
    assert "WARNING" not in printed and "dirty" not in printed


def test_a_new_title_shows_on_every_page_that_names_the_entry_and_search_keeps_each_page_once(preview: Preview):
    address = preview.address
    before = search_locations(address)
    replace(preview.root, "lessons/recit-partage.yaml", "titre: Co-construire et partager un récit",
            "titre: Construire ensemble un récit")
    for page in ("enseignements/recit-partage/", "enseignements/", "territoires/le-mene/", "bibliographie/"):
        assert wait_for(lambda page=page: "Construire ensemble un récit" in (fetch(address + page) or "")), page
    assert wait_for(lambda: searchable(address, "Construire ensemble un récit"))
    after = search_locations(address)
    assert set(after.values()) == {1}
    assert {location.split("#")[0] for location in after} == {location.split("#")[0] for location in before}
