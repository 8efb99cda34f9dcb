"""Fixtures shared by the tests: the small référentiel built once, as is and with hostile text, for the whole
run; the shipped référentiel checked once per test process (one per core with pytest-xdist)."""

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import checked, hostile_referentiel, mini_referentiel

from engine.build.site import Layout, prepare, publish
from engine.check.referentiel import Referentiel

ROOT = Path(__file__).resolve().parent.parent


def build(root: Path) -> Layout:
    """Check, render and build the site of a référentiel through the engine's own functions."""
    layout = Layout(root)
    prepare(checked(root), layout, booklet=True)
    publish(layout)
    return layout


WAIT = 900
"""How long a test process waits for another one to make a shared folder, in seconds."""


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder filled by `make`, once for the whole run: with pytest-xdist the first test process to ask makes it
    in the run's common temporary folder, the others wait until it is done (tests must not change it)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    common = tmp_path_factory.getbasetemp().parent
    folder, done, failed = common / name, common / f"{name}.fait", common / f"{name}.echec"
    try:
        folder.mkdir()
    except FileExistsError:
        deadline = time.monotonic() + WAIT
        while not done.exists():
            if failed.exists():
                pytest.fail(f"{name} : échec dans un autre processus de test : {failed.read_text(encoding='utf-8')}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} : toujours pas prêt après {WAIT} s")
            time.sleep(0.2)
        return folder
    try:
        make(folder)
    except BaseException as error:
        failed.write_text(repr(error), encoding="utf-8")
        raise
    done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The small référentiel with its site built in `site/` (tests must not change it)."""
    return Layout(made_once(tmp_path_factory, "built", lambda folder: build(mini_referentiel(folder))) / "mini")


def build_hostile(folder: Path) -> None:
    root = mini_referentiel(folder)
    layout = Layout(root)
    prepare(hostile_referentiel(root), layout)
    publish(layout)


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The small référentiel whose every free text is the hostile payload (`support.hostile_referentiel`), its site
    built with its PDFs in `site/` (tests must not change it)."""
    return Layout(made_once(tmp_path_factory, "hostile", build_hostile) / "mini")


def copy_of_built(built: Layout, destination: Path) -> Path:
    """A copy of the built small référentiel, its site and build folder included: a later build lays out
    only the PDFs whose text changed, and a test that needs a previous site has one without building it."""
    return Path(shutil.copytree(built.root, destination / built.root.name, symlinks=True))


@pytest.fixture(scope="session")
def shipped_referentiel() -> Referentiel:
    """The référentiel shipped in the repository, checked (tests only read it: it is shared by every test)."""
    return checked(ROOT)
