"""`verifier` says when `schemas/` is stale without generating every schema at each run: what the models and
vocabularies give is kept in the build folder, by the hash of the models' source, and made again when any of
them changes."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import checked, replace, small_referentiel

from engine.check import json_schemas
from engine.check.checker import check

ROOT = Path(__file__).resolve().parent.parent


def with_schemas(tmp_path: Path) -> Path:
    root = small_referentiel(tmp_path)
    json_schemas.write_schemas(root, checked(root).vocabularies)
    (root / "build").mkdir()
    return root


def test_once_kept_the_schemas_are_compared_without_being_generated_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    root = with_schemas(tmp_path)
    assert check(root).ok
    assert (root / json_schemas.CACHE).is_file() and not (root / "site").exists()
    monkeypatch.setattr(json_schemas, "render_schemas", lambda vocabularies: pytest.fail("generated again"))
    assert check(root).ok
    (root / "schemas" / "fiche.schema.json").write_text("{}\n", encoding="utf-8")
    assert [problem.file for problem in check(root).problems] == ["schemas/fiche.schema.json"]


def test_a_vocabulary_value_added_to_data_still_reports_the_stale_schemas(tmp_path: Path):
    root = with_schemas(tmp_path)
    assert check(root).ok
    replace(root, "data/vocabulaires.yaml", "niveaux:\n", "niveaux:\n  - id: emergent\n    libelle: Émergent\n")
    assert "schemas/enseignement.schema.json" in {problem.file for problem in check(root).problems}


def test_without_a_build_folder_nothing_is_written_in_the_referentiel(tmp_path: Path):
    root = with_schemas(tmp_path)
    (root / "build").rmdir()
    assert check(root).ok and not (root / "build").exists()


def test_a_build_folder_that_links_elsewhere_is_never_written_through(tmp_path: Path):
    root = with_schemas(tmp_path)
    (root / "build").rmdir()
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (root / "build").symlink_to(elsewhere)
    assert check(root).ok and list(elsewhere.iterdir()) == []


def test_a_changed_model_still_reports_the_stale_schemas(tmp_path: Path):
    engine = tmp_path / "moteur"
    shutil.copytree(ROOT / "engine", engine / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "mkdocs.yml"):
        shutil.copy(ROOT / name, engine)
    root = with_schemas(tmp_path)

    def verifier() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(engine / "build.py"), "--racine", str(root), "verifier"],
                              capture_output=True, text=True, timeout=300, check=False)

    assert verifier().returncode == 0 and (root / json_schemas.CACHE).is_file()
    format_source = engine / "engine" / "model" / "format.py"
    text = format_source.read_text(encoding="utf-8")
    old = "La citation exacte, entre guillemets français « … » (30 mots au plus)."
    assert old in text
    format_source.write_text(text.replace(old, "La citation exacte, entre guillemets français."), encoding="utf-8")
    after = verifier()
    assert after.returncode == 1
    assert "schemas/fiche.schema.json:1:1: schéma JSON périmé" in after.stdout
