"""`python build.py publier`: each edition in its own folder of the gh-pages branch, written by mike, with
`versions.json` for Material's selector, the root leading to the latest edition, the old addresses of renamed
entries leading to their new page, and refusals in French when the edition is not ready."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from support import commit_all, git, mini_referentiel, own_publication, replace, run_cli

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://referentiel.example.org/"
IGNORED = "/build/\n/site/\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli("--racine", str(root), *args)


def release(root: Path, edition: str, summary: str) -> None:
    """Prepare the edition as a publisher does: referentiel.yaml, CHANGELOG.md, a commit and its tag (the build
    folder and the site ignored by git, as in the engine's repository)."""
    (root / ".gitignore").write_text(IGNORED, encoding="utf-8")
    own_publication(root, edition=edition, adresse=SITE)
    changelog = root / "CHANGELOG.md"
    earlier = changelog.read_text(encoding="utf-8").removeprefix("# Journal des modifications\n") \
        if changelog.is_file() else "\n"
    changelog.write_text(f"# Journal des modifications\n\n## [{edition}] - 2026-06-01\n\n{summary}\n{earlier}",
                         encoding="utf-8")
    commit_all(root, f"Édition {edition}", tag=edition)


def on_branch(root: Path, path: str) -> str:
    return git(root, "show", f"gh-pages:{path}")


def test_each_edition_is_published_in_its_own_folder_beside_the_others(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    release(root, "2026.1", "Première édition.")
    result = run(root, "publier", "2026.1", "--alias", "latest")
    assert result.returncode == 0, result.stderr
    assert "Édition 2026.1 publiée dans la branche gh-pages, sous l'alias « latest »" in result.stdout
    assert result.stdout.rstrip().endswith("Pour la mettre en ligne : git push origin main 2026.1 gh-pages")
    assert json.loads(on_branch(root, "versions.json")) == [
        {"version": "2026.1", "title": "Édition 2026.1", "aliases": ["latest"]}]
    fiche = on_branch(root, "2026.1/fiches/fifty-fifty/index.html")
    assert f'<a href="{SITE}2026.1/fiches/fifty-fifty/">' in fiche, "the citation gives the edition's own address"
    assert 'Redirection vers la dernière édition : <a href="./latest/">' in on_branch(root, "index.html")
    config = yaml.safe_load((root / "build/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["extra"]["version"] == {"provider": "mike"} and config["site_url"] == f"{SITE}2026.1/"

    shutil.move(root / "fiches/visite-prealable.yaml", root / "fiches/visite-du-territoire.yaml")
    replace(root, "fiches/visite-du-territoire.yaml", "id: visite-prealable",
            "id: visite-du-territoire\nanciens_ids: [visite-prealable]")
    for path in ("lessons/recit-partage.yaml", "fiches/fifty-fifty.yaml"):
        replace(root, path, "  - visite-prealable", "  - visite-du-territoire")
    release(root, "2026.2", "### Renommé\n\n- La fiche `visite-prealable` devient `visite-du-territoire`.")
    assert run(root, "publier", "2026.2", "--alias", "latest").returncode == 0
    assert json.loads(on_branch(root, "versions.json")) == [
        {"version": "2026.2", "title": "Édition 2026.2", "aliases": ["latest"]},
        {"version": "2026.1", "title": "Édition 2026.1", "aliases": []}]
    redirect = on_branch(root, "2026.2/fiches/visite-prealable/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../visite-du-territoire/">' in redirect
    assert "La visite préalable du territoire" in on_branch(root, "2026.1/fiches/visite-prealable/index.html")
    changes = on_branch(root, "2026.2/changements/index.html")
    assert "l'identifiant <code>visite-prealable</code> devient <code>visite-du-territoire</code>" in changes


def test_an_edition_is_published_only_when_referentiel_yaml_and_the_changelog_name_it(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    release(root, "2026.1", "Première édition.")
    result = run(root, "publier", "2026.2")
    assert result.returncode == 1
    edition = ("referentiel.yaml annonce l'édition 2026.1, pas 2026.2 : écrivez edition: \"2026.2\" (et la même "
               "version dans CITATION.cff)")
    changelog = ("CHANGELOG.md n'a pas de section « ## [2026.2] » : décrivez-y ce qui change dans cette édition "
                 "(python build.py changements vous en donne la liste)")
    tag = "la balise git 2026.2 n'existe pas : faites le commit de l'édition, puis git tag 2026.2"
    assert result.stderr.splitlines() == [edition, changelog, tag, "L'édition n'a pas été publiée."]
    assert git(root, "branch", "--list", "gh-pages") == "", "nothing was written"


def refusal(root: Path) -> list[str]:
    """The reasons `publier 2026.1` gives for refusing, once it is checked that it wrote nothing."""
    result = run(root, "publier", "2026.1", "--alias", "latest")
    assert result.returncode == 1, result.stdout
    assert git(root, "branch", "--list", "gh-pages") == "", "no gh-pages branch was written"
    assert not (root / "build").exists(), "not even the build folder"
    lines = result.stderr.splitlines()
    assert lines[-1] == "L'édition n'a pas été publiée."
    return lines[:-1]


def test_an_edition_is_refused_without_its_tag_and_nothing_is_written(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    release(root, "2026.1", "Première édition.")
    git(root, "tag", "-d", "2026.1")
    assert refusal(root) == ["la balise git 2026.1 n'existe pas : faites le commit de l'édition, puis git tag 2026.1"]


def test_an_edition_is_refused_when_its_tag_is_not_the_current_commit(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    release(root, "2026.1", "Première édition.")
    (root / "content/apres.md").write_text("# Après l'édition\n", encoding="utf-8")
    commit_all(root, "Une page après l'édition")
    reasons = refusal(root)
    assert len(reasons) == 1 and reasons[0].startswith("la balise git 2026.1 ne désigne pas le commit en cours (")
    assert "publiez depuis ce commit (git checkout 2026.1)" in reasons[0]


def test_an_edition_is_refused_from_a_tree_with_uncommitted_changes(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    release(root, "2026.1", "Première édition.")
    replace(root, "fiches/fifty-fifty.yaml", "Reconnaître", "Donner")
    (root / "content/brouillon.md").write_text("# Brouillon\n", encoding="utf-8")
    assert refusal(root) == [(
        "des changements ne sont pas dans un commit (content/brouillon.md, fiches/fifty-fifty.yaml) : faites-en le "
        "commit (puis déplacez la balise 2026.1 sur ce commit) ou mettez-les de côté (git stash -u)")]


def test_mike_s_own_commands_work_from_the_root_of_the_repository(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    release(root, "2026.1", "Première édition.")
    assert run(root, "publier", "2026.1", "--alias", "latest").returncode == 0
    listed = subprocess.run([str(Path(sys.executable).parent / "mike"), "list"], cwd=root, capture_output=True, text=True,
                            timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ['"Édition 2026.1" (2026.1) [latest]']
