"""Helpers shared by the engine tests: a small valid référentiel to copy and break."""

import shutil
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "engine"


def small_referentiel(destination: Path) -> Path:
    """A copy of the small valid référentiel of the fixtures, that a test may change."""
    root = destination / "referentiel"
    shutil.copytree(FIXTURE, root)
    return root


def replace(root: Path, relative: str, old: str, new: str) -> None:
    """Change one passage of a file of the copy (the passage must be there)."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
