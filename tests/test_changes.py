"""`check --changed`: everything is checked, only the changed files and their dependants are reported."""

import subprocess
import sys
from pathlib import Path

import pytest
from support import checked, replace, small_referentiel

from engine.check.changed_files import ChangesError, changed_files, check_changed

ROOT = Path(__file__).resolve().parent.parent


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def repository(tmp_path: Path) -> Path:
    """The small référentiel committed in a new git repository."""
    root = small_referentiel(tmp_path)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Référentiel de test")
    return root


def reported(root: Path, since: str = "HEAD") -> list[tuple[str, str]]:
    return [(problem.file, problem.message) for problem in check_changed(root, since).problems]


def test_nothing_changed_nothing_reported(tmp_path: Path):
    root = repository(tmp_path)
    assert changed_files(root, "HEAD") == set()
    assert reported(root) == []


def test_problems_already_committed_elsewhere_are_not_reported(tmp_path: Path):
    root = repository(tmp_path)
    replace(root, "territories/ville-test.yaml", "region: hauts-de-france", "region: nulle-part")
    git(root, "commit", "-q", "-am", "Une région inconnue")
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    assert changed_files(root, "HEAD") == {"fiches/reunion-test.yaml"}
    assert [file for file, _ in reported(root)] == ["fiches/reunion-test.yaml"]
    assert sorted({file for file, _ in reported(root, "HEAD~1")}) == ["fiches/reunion-test.yaml",
                                                                       "territories/ville-test.yaml"]


def test_entries_that_refer_to_a_changed_entry_are_reported(tmp_path: Path):
    root = repository(tmp_path)
    (root / "fiches/reunion-test.yaml").rename(root / "fiches/reunion-renommee.yaml")
    replace(root, "fiches/reunion-renommee.yaml", "id: reunion-test", "id: reunion-renommee")
    assert changed_files(root, "HEAD") == {"fiches/reunion-test.yaml", "fiches/reunion-renommee.yaml"}
    assert ("lessons/recit-partage.yaml", "aucun(e) fiche n'a l'id « reunion-test » : vouliez-vous dire "
            "« reunion-renommee » ?") in reported(root)


def test_new_untracked_files_are_checked(tmp_path: Path):
    root = repository(tmp_path)
    (root / "fiches/nouvelle.yaml").write_text("id: nouvelle\n", encoding="utf-8")
    assert changed_files(root, "HEAD") == {"fiches/nouvelle.yaml"}
    assert {file for file, _ in reported(root)} == {"fiches/nouvelle.yaml"}


def test_a_changed_bibliography_concerns_every_file_that_cites_a_document(tmp_path: Path):
    root = repository(tmp_path)
    replace(root, "data/bibliographie.yaml", "id: rapport", "id: rapport-2019")
    assert {file for file, _ in reported(root)} == {
        "data/glossaire.yaml", "fiches/reunion-test.yaml", "lessons/recit-partage.yaml",
        "territories/ville-test.yaml"}


def test_an_unknown_revision_is_explained(tmp_path: Path):
    root = repository(tmp_path)
    with pytest.raises(ChangesError, match="git diff a échoué"):
        changed_files(root, "pas-une-revision")
    with pytest.raises(ChangesError, match="n'est pas une révision git"):
        changed_files(root, "--cached")


def test_the_command_reports_only_the_changed_files(tmp_path: Path):
    root = repository(tmp_path)
    command = [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "check", "--changed"]
    clean = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0
    assert clean.stderr.strip() == ("Aucun problème dans les fichiers modifiés depuis HEAD ni dans les entrées qui "
                                    "y renvoient.")
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    broken = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1
    assert broken.stdout.startswith("fiches/reunion-test.yaml:4:7: type : « atelier »")
    unknown = subprocess.run([*command, "nulle-part"], capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("git diff a échoué")


def test_a_vocabulary_value_added_in_data_reports_the_stale_schemas_to_the_pre_commit_hook(tmp_path: Path):
    from engine.check.json_schemas import write_schemas

    root = small_referentiel(tmp_path)
    write_schemas(root, checked(root).vocabularies)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Référentiel de test, avec ses schémas")
    replace(root, "data/vocabulaires.yaml", "niveaux:\n", "niveaux:\n  - id: emergent\n    libelle: Émergent\n")
    files = {file for file, message in reported(root) if "schéma JSON périmé" in message}
    assert "schemas/enseignement.schema.json" in files
