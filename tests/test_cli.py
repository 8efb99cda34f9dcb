"""The command line, as contributors use it: exit codes, French output, never a traceback."""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURE, commit_all, git, replace, run_cli, small_referentiel
from yaml import safe_load

from engine.check.checker import check
from engine.check.json_schemas import stale_schemas
from engine.cli import main, parser, read_shared
from engine.model.format import KINDS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, root: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python build.py [--racine ROOT] …`, run by the command line's main function in this process (an exception
    fails the test, as a traceback would)."""
    return run_cli(*(["--racine", str(root)] if root else []), *args)


def test_build_py_runs_the_command_line_and_gives_its_exit_code(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    command = [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "check"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("fiches/reunion-test.yaml:4:7: type : « atelier »"), result.stdout


def test_check_exits_0_on_a_valid_referentiel(tmp_path: Path):
    result = run("check", root=small_referentiel(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip() == "Aucun problème : le référentiel est valide."


def test_check_exits_1_with_the_problem_and_no_traceback(tmp_path: Path):
    root = small_referentiel(tmp_path)
    (root / "fiches/reunion-test.yaml").write_bytes(b"id: reunion-test\ntitre: R\xe9union\n")
    result = run("check", root=root)
    assert result.returncode == 1
    assert result.stdout.startswith("fiches/reunion-test.yaml:2:9: caractère illisible (octet 0xE9)")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip() == "1 erreur(s), 0 avertissement(s)."


def test_check_speaks_github_annotations(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    result = run("check", "--format", "github", root=root)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=fiches/reunion-test.yaml,line=4,col=7,title=type::« atelier »")


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_skeleton_that_check_refuses_only_for_its_text_to_complete(tmp_path: Path, kind: str):
    root = small_referentiel(tmp_path)
    result = run("new", kind, "Réunion publique : l'art du débat", root=root)
    assert result.returncode == 0, result.stderr
    assert "check refuse un brouillon" in result.stdout
    path = root / KINDS[kind].folder / "reunion-publique-l-art-du-debat.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
    outcome = check(root)
    errors = [problem for problem in outcome.problems if problem.severity == "erreur"]
    assert not outcome.ok and outcome.referentiel is None, "a draft is never built"
    assert errors and all(problem.message.startswith("brouillon : remplacez « À compléter »") for problem in errors)
    assert {problem.file for problem in errors} == {path.relative_to(root).as_posix()}


def test_new_refuses_to_overwrite_an_existing_entry(tmp_path: Path):
    root = small_referentiel(tmp_path)
    before = (root / "fiches/reunion-test.yaml").read_bytes()
    result = run("new", "fiche", "Réunion test", root=root)
    assert result.returncode == 1
    assert "existe déjà" in result.stderr
    assert (root / "fiches/reunion-test.yaml").read_bytes() == before


def test_stats_counts_the_referentiel(tmp_path: Path):
    result = run("stats", root=small_referentiel(tmp_path))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "     1  enseignements", "     1  fiches", "     1  territoires", "     0  parcours",
        "     1  termes du glossaire",
        "     1  documents de la bibliographie", "     1  territoires avec une chronologie"]


def test_the_committed_json_schemas_are_up_to_date():
    assert stale_schemas(ROOT, read_shared(ROOT).vocabularies) == []


def test_the_shipped_referentiel_passes_check():
    result = run("check")
    assert result.returncode == 0, result.stdout


def test_help_is_in_french():
    result = run("--help")
    assert "Construit et vérifie le référentiel" in result.stdout
    assert "new" in result.stdout and "check" in result.stdout


def test_a_wrong_command_line_is_explained_in_french():
    result = run("new", "recette", "Titre")
    assert result.returncode == 2
    assert "erreur : argument sorte : choix invalide 'recette'" in result.stderr
    assert result.stderr.startswith("utilisation : python build.py new")


def test_a_draft_left_by_new_stops_the_pre_commit_hook_and_the_build(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]):
    root = small_referentiel(tmp_path)
    commit_all(root, "Référentiel")
    assert main(["--racine", str(root), "new", "fiche", "Essai"]) == 0
    git(root, "add", "-A")
    hook = safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert hook["id"] == "referentiel-check"
    assert main(["--racine", str(root), *shlex.split(hook["entry"])[2:]]) == 1, "the hook refuses the commit"
    assert "fiches/essai.yaml:" in capsys.readouterr().out
    assert main(["--racine", str(root), "build"]) == 1
    assert "Le site n'a pas été construit" in capsys.readouterr().err
    assert not (root / "site").exists() and not (root / "build" / "docs" / "fiches" / "essai.md").exists()


def loaded_by_check(root: Path, heavy: tuple[str, ...]) -> tuple[int, set[str]]:
    """`check` run in a fresh interpreter: its exit code, and which of these packages (or modules) it imported."""
    code = ("import sys\nfrom engine.cli import main\nstatus = main(['--racine', sys.argv[1], 'check'])\n"
            f"print(status, *sorted(name for name in sys.modules if name.split('.')[0] in {heavy!r} "
            f"or name in {heavy!r}))")
    result = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=120,
                            cwd=ROOT)
    assert result.stdout, result.stderr
    status, *names = result.stdout.splitlines()[-1].split()
    return int(status), set(names)


def test_check_loads_neither_the_site_builder_nor_the_formatter():
    # Without free pages (the fixture has no content/), neither Python-Markdown nor anything of MkDocs is loaded
    heavy = ("mkdocs", "markdown", "material", "mike", "jinja2", "ruamel", "weasyprint", "watchdog", "tarfile",
             "engine.build.site", "pagefind")
    assert loaded_by_check(FIXTURE, heavy) == (0, set())


def test_check_loads_markdown_only_to_check_free_pages(tmp_path: Path):
    # A free page is checked through the HTML that Python-Markdown makes of it, its front matter as MkDocs finds it
    root = small_referentiel(tmp_path)
    (root / "content").mkdir()
    (root / "content" / "a-propos.md").write_text("# À propos\n\nUne page libre.\n", encoding="utf-8")
    status, loaded = loaded_by_check(root, ("markdown", "mkdocs", "jinja2", "material"))
    assert status == 0 and {"markdown.core", "mkdocs.utils.meta"} <= loaded
    assert not {name for name in loaded if name.startswith(("jinja2", "material", "mkdocs.commands"))}


@pytest.mark.parametrize(("verb", "former", "arguments"), [
    ("verifier", "check", []), ("nouveau", "new", ["fiche", "Titre"]), ("ranger", "fmt", []),
    ("construire", "build", []), ("hors-ligne", "offline", []), ("apercu", "serve", []),
])
def test_each_command_is_a_french_verb_and_its_former_english_name_still_works(verb: str, former: str,
                                                                             arguments: list[str]):
    french, english = parser().parse_args([verb, *arguments]), parser().parse_args([former, *arguments])
    assert french.action is english.action
    assert vars(french) | {"commande": former} == vars(english)


def test_the_former_flags_still_work_beside_the_french_ones():
    assert parser().parse_args(["verifier", "--modifies", "main"]).changed == "main"
    assert parser().parse_args(["check", "--changed", "main"]).changed == "main"
    assert parser().parse_args(["verifier", "--format", "human"]).format == "humain"


def test_the_french_verb_checks_like_the_former_one(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: inconnu")
    french, english = run("verifier", root=root), run("check", root=root)
    assert french.returncode == english.returncode == 1
    assert french.stdout == english.stdout and "« inconnu » n'est pas dans le vocabulaire" in french.stdout


def test_the_help_lists_the_french_verbs_with_their_former_names():
    shown = " ".join(run("--help").stdout.split())
    for verb, former in [("verifier", "check"), ("nouveau", "new"), ("ranger", "fmt"), ("apercu", "serve")]:
        assert verb in shown and f"ancien nom : {former}" in shown
