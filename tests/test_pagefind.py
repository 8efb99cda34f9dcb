"""Which Pagefind indexes the site: npm's (package.json pins 1.6.0, whose index chunks stay small for accented
words) when it is installed, else PyPI's `pagefind[bin]`, so that a machine with Python only still gets a
working search; the build says so only when it falls back."""

import json
import shutil
import sys
from importlib import metadata
from pathlib import Path

import pytest

from engine.build import pagefind

ROOT = Path(__file__).resolve().parent.parent
NPM_VERSION = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pagefind"]
PAGE = ('<!doctype html><html lang="fr"><head><title>{title}</title></head><body><main data-pagefind-body>'
        "<h1>{title}</h1><p>{text}</p></main></body></html>")


def small_site(folder: Path) -> Path:
    for name, title, text in [("energie", "Énergie", "Les habitants produisent leur énergie."),
                              ("eau", "Eau", "La régie publique de l'eau.")]:
        (folder / name).mkdir(parents=True)
        (folder / name / "index.html").write_text(PAGE.format(title=title, text=text), encoding="utf-8")
    return folder


def indexed_by(site: Path) -> str:
    """The version of Pagefind that wrote the site's index."""
    return str(json.loads((site / pagefind.BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))["version"])


def test_package_json_pins_pagefind_1_6_and_its_lock_keeps_every_platforms_binary():
    assert NPM_VERSION == "1.6.0"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert lock["node_modules/pagefind"]["version"] == "1.6.0" and "dev" not in lock["node_modules/pagefind"]
    for platform in ("linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64", "windows-arm64"):
        binary = lock[f"node_modules/@pagefind/{platform}"]
        assert binary["version"] == "1.6.0" and binary["optional"], platform


def test_the_site_is_indexed_by_npms_pagefind_when_it_is_installed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    command, note = pagefind.pagefind_command()
    assert note is None and Path(command[0]).stem == "node"
    assert Path(command[1]).is_relative_to(ROOT / "node_modules" / "pagefind")
    site = small_site(tmp_path / "site")
    pagefind.index(site)
    assert indexed_by(site) == NPM_VERSION
    assert capsys.readouterr().err == "", "nothing said when npm's Pagefind runs"


def test_without_npms_pagefind_the_site_is_indexed_by_pypis_and_the_build_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "node_modules" / "iframe-worker").mkdir(parents=True)
    monkeypatch.setattr(pagefind, "NPM_PACKAGE", tmp_path / "node_modules" / "pagefind")
    command, _ = pagefind.pagefind_command()
    assert command == [sys.executable, "-m", "pagefind"]
    site = small_site(tmp_path / "site")
    pagefind.index(site)
    pypi = metadata.version("pagefind")
    assert indexed_by(site) == pypi
    assert capsys.readouterr().err == (
        f"Pagefind de PyPI ({pypi}) : le paquet npm pagefind manque : lancez « npm ci --omit=dev » pour indexer le "
        "site avec celui de npm (1.6), dont la première recherche télécharge moins.\n")


def test_without_nodejs_the_build_says_to_install_it(monkeypatch: pytest.MonkeyPatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs:
                        None if name == "node" else real_which(name, *args, **kwargs))
    command, note = pagefind.pagefind_command()
    assert command == [sys.executable, "-m", "pagefind"]
    assert note is not None and note.startswith(f"Pagefind de PyPI ({metadata.version('pagefind')}) : installez "
                                                "Node.js (https://nodejs.org) pour indexer le site avec celui de npm")


@pytest.mark.parametrize("manifest", ["{", '{"bin": 3}', '{"bin": "lib/absent.cjs"}', "[]"])
def test_a_broken_npm_pagefind_is_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: str):
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "package.json").write_text(manifest, encoding="utf-8")
    monkeypatch.setattr(pagefind, "NPM_PACKAGE", tmp_path / "pagefind")
    assert pagefind.pagefind_command()[0] == [sys.executable, "-m", "pagefind"]
