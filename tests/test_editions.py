"""Editions: git tags, stable ids, and what changed between two editions, computed from the data."""

import shutil
import subprocess
from pathlib import Path

import pytest
from support import replace, small_referentiel

from engine.check.checker import check
from engine.check.edition_diff import compare, entries_at
from engine.load.repository import editions, outside_any_repository


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def repository(tmp_path: Path) -> Path:
    """The small référentiel in a git repository whose first commit is the edition 2026.1."""
    root = small_referentiel(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org", "add", "-A")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", "Première édition")
    git(root, "tag", "2026.1")
    return root


def commit(root: Path, message: str, tag: str | None = None) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", message)
    if tag:
        git(root, "tag", tag)


def test_editions_are_the_tags_shaped_like_year_dot_number(tmp_path: Path):
    root = repository(tmp_path)
    git(root, "tag", "brouillon")
    replace(root, "fiches/reunion-test.yaml", "Réunir les habitants.", "Réunir tous les habitants.")
    commit(root, "Objectif précisé", tag="2026.2")
    assert editions(root) == ["2026.1", "2026.2"]


def test_an_id_removed_without_redirect_fails_check(tmp_path: Path):
    root = repository(tmp_path)
    shutil.move(root / "fiches/reunion-test.yaml", root / "fiches/reunion-publique.yaml")
    replace(root, "fiches/reunion-publique.yaml", "id: reunion-test", "id: reunion-publique")
    replace(root, "lessons/recit-partage.yaml", "  - reunion-test", "  - reunion-publique")
    messages = [problem.human() for problem in check(root).problems]
    assert messages == [
        "fiches/reunion-test.yaml:1:1: id : « reunion-test » existait dans l'édition 2026.1 et a disparu sans "
        "redirection : ajoutez-le aux anciens_ids de l'entrée qui le remplace, ou rétablissez le fichier"]


def test_an_id_kept_in_anciens_ids_is_a_redirect_and_passes(tmp_path: Path):
    root = repository(tmp_path)
    shutil.move(root / "fiches/reunion-test.yaml", root / "fiches/reunion-publique.yaml")
    replace(root, "fiches/reunion-publique.yaml", "id: reunion-test", "id: reunion-publique\nanciens_ids: [reunion-test]")
    replace(root, "lessons/recit-partage.yaml", "  - reunion-test", "  - reunion-publique")
    assert check(root).problems == []


def test_changes_between_two_editions_list_added_removed_renamed_and_modified_fields(tmp_path: Path):
    root = repository(tmp_path)
    replace(root, "territories/ville-test.yaml", "Une ancienne cité minière.", "Une ancienne cité minière, "
            "devenue ville pilote.")
    shutil.move(root / "fiches/reunion-test.yaml", root / "fiches/reunion-publique.yaml")
    replace(root, "fiches/reunion-publique.yaml", "id: reunion-test", "id: reunion-publique\nanciens_ids: [reunion-test]")
    replace(root, "fiches/reunion-publique.yaml", "titre: Réunion de test", "titre: Réunion publique")
    replace(root, "lessons/recit-partage.yaml", "  - reunion-test", "  - reunion-publique")
    new_fiche = (root / "fiches/reunion-publique.yaml").read_text(encoding="utf-8")
    (root / "fiches/forum.yaml").write_text(
        new_fiche.replace("id: reunion-publique\nanciens_ids: [reunion-test]", "id: forum")
        .replace("titre: Réunion publique", "titre: Forum"), encoding="utf-8")
    commit(root, "Deuxième édition", tag="2026.2")
    changes = compare(entries_at(root, "2026.1"), entries_at(root, "2026.2"))
    assert [(c.kind, c.ident) for c in changes.added] == [("fiche", "forum")]
    assert changes.removed == []
    assert [(c.ident, c.former) for c in changes.renamed] == [("reunion-publique", "reunion-test")]
    assert [(f.field, f.before, f.after) for f in changes.renamed[0].fields] == [
        ("titre", "Réunion de test", "Réunion publique")]
    modified = {c.ident: [(f.field, f.before, f.after) for f in c.fields] for c in changes.modified}
    assert modified == {
        "recit-partage": [("fiches_liees", ["reunion-test"], ["reunion-publique"])],
        "ville-test": [("recit", "Une ancienne cité minière.", "Une ancienne cité minière, devenue ville pilote.")],
    }


def test_a_removed_entry_is_listed_as_removed(tmp_path: Path):
    root = repository(tmp_path)
    (root / "fiches/isolee.yaml").write_text(
        (root / "fiches/reunion-test.yaml").read_text(encoding="utf-8").replace("id: reunion-test", "id: isolee"),
        encoding="utf-8")
    commit(root, "Ajout", tag="2026.2")
    (root / "fiches/isolee.yaml").unlink()
    commit(root, "Retrait")
    changes = compare(entries_at(root, "2026.2"), entries_at(root, "HEAD"))
    assert [(c.kind, c.ident) for c in changes.removed] == [("fiche", "isolee")]


def test_check_works_in_a_repository_without_any_commit(tmp_path: Path):
    root = small_referentiel(tmp_path)
    git(root, "init", "-q")
    assert editions(root) == []
    assert check(root).ok


def test_outside_a_repository_check_starts_no_git_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = small_referentiel(tmp_path)
    assert outside_any_repository(root), "the test folder must not lie inside a git repository"
    started: list[str] = []
    run = subprocess.run

    def recorded(command, *args, **kwargs):
        started.append(command[0])
        return run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recorded)
    assert check(root).ok and editions(root) == []
    assert "git" not in started
    git(root, "init", "-q")
    assert not outside_any_repository(root / "fiches"), "a .git above the folder is a repository too"
