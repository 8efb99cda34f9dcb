"""Fixtures shared by the tests: the small référentiel, checked, rendered and built once; the shipped
référentiel, checked once. Each test process (one per core with pytest-xdist) makes them once."""

import shutil
from pathlib import Path

import pytest
from support import mini_referentiel

from engine.build.site import Layout, prepare, publish
from engine.check.checker import check
from engine.check.referentiel import Referentiel

ROOT = Path(__file__).resolve().parent.parent


def build(root: Path) -> Layout:
    """Check, render and build the site of a référentiel through the engine's own functions."""
    outcome = check(root)
    assert outcome.referentiel is not None, [problem.human() for problem in outcome.problems]
    layout = Layout(root)
    prepare(outcome.referentiel, layout, booklet=True)
    publish(layout)
    return layout


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The small référentiel with its site built in `site/` (tests must not change it)."""
    return build(mini_referentiel(tmp_path_factory.mktemp("built")))


def copy_of_built(built: Layout, destination: Path) -> Path:
    """A copy of the built small référentiel, its site and build folder included: a later build lays out
    only the PDFs whose text changed, and a test that needs a previous site has one without building it."""
    return Path(shutil.copytree(built.root, destination / built.root.name, symlinks=True))


@pytest.fixture(scope="session")
def shipped_referentiel() -> Referentiel:
    """The référentiel shipped in the repository, checked (tests only read it: it is shared by every test)."""
    outcome = check(ROOT)
    assert outcome.referentiel is not None, [problem.human() for problem in outcome.problems]
    return outcome.referentiel
