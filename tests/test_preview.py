"""The live preview: a change to a YAML source re-renders the pages that MkDocs serves."""

import time
from pathlib import Path

import pytest

from engine.preview import Watcher, refresh
from engine.site import Layout
from support import mini_referentiel, replace

PAGE = "build/docs/enseignements/recit-partage.md"


def wait_for(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_saved_yaml_file_re_renders_its_page(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    layout = Layout(root)
    assert refresh(layout)
    observer = Watcher(layout, delay=0.1).start()
    try:
        replace(root, "lessons/recit-partage.yaml", "titre: Co-construire et partager un récit",
                "titre: Construire ensemble un récit")
        assert wait_for(lambda: "# Construire ensemble un récit" in (root / PAGE).read_text(encoding="utf-8"))
    finally:
        observer.stop()
        observer.join()


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
                                               "donnees/referentiel.json, donnees/fiches.json, donnees/fiches.csv"), \
        "the page and the open data that hold its text"
