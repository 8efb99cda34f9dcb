"""The contributor's path around the engine: editor settings, forge workflow and forms, pre-commit hooks."""

import argparse
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.check.json_schemas import schema_files
from engine.cli import parser
from engine.model.format import KINDS, SHARED_FILES

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
FORMS = {"enseignement": "enseignement.yml", "fiche": "fiche.yml", "territoire": "territoire.yml"}
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_commands(text: str) -> list[list[str]]:
    """The arguments of every `python build.py …` command written in a text."""
    return [shlex.split(match)[2:] for match in re.findall(r"python build\.py[^\n|&;`#]*", text)]


def subcommands() -> set[str]:
    """The subcommands of engine/cli.py, read from its argparse parser."""
    actions = [action for action in parser()._actions if isinstance(action, argparse._SubParsersAction)]
    return set(actions[0].choices)


def assert_real_commands(commands: list[list[str]], *, complete: bool = True) -> None:
    """Each command names a real subcommand and, when `complete`, parses with its arguments."""
    for argv in commands:
        command = argv[1:] if argv[:1] == ["--resident"] else argv  # the one option before the command they use
        assert not command or command[0] in subcommands(), f"« {command[0]} » n'est pas une commande de engine/cli.py"
        if not complete:
            continue
        try:
            parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"« python build.py {' '.join(argv)} » : arguments refusés par engine/cli.py")


def test_vscode_maps_every_entry_folder_and_data_file_to_its_committed_schema():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = {glob: Path(schema).name for schema, globs in settings["yaml.schemas"].items() for glob in globs}
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).is_file(), f"{schema} n'existe pas"
    expected = {f"{model.folder}/*.yaml": f"{kind}.schema.json" for kind, model in KINDS.items()}
    expected |= {f"data/{name}": f"{Path(name).stem}.schema.json" for name in SHARED_FILES}
    expected["referentiel.yaml"] = "referentiel.schema.json"
    assert mapping == expected
    assert set(mapping.values()) == set(schema_files())


def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((ROOT / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_the_workflow_checks_builds_and_uploads_the_site_on_pull_requests():
    workflow = load(GITHUB / "workflows/verifier.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    runs = [step["run"].strip() for step in steps if "run" in step]
    assert "pip install -c constraints.txt -e ." in runs
    assert "python build.py check --format github" in runs
    assert "python build.py" in runs


WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


def validate(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    """SchemaStore's schema, as vendored by check-jsonschema, checks the files."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_workflows_and_issue_forms_are_valid_for_github():
    result = validate("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    forms = [path for path in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if path.name != "config.yml"]
    result = validate("vendor.github-issue-forms", *forms)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "casse.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: 3\n")
    assert validate("vendor.github-workflows", broken).returncode == 1


def steps_of(path: Path) -> list[dict]:
    return [step for job in load(path)["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_commit_and_checkout_keeps_no_token(path: Path):
    text = path.read_text(encoding="utf-8")
    for step in steps_of(path):
        if "uses" not in step:
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        assert re.search(re.escape(step["uses"]) + r" # v\d+\.\d+\.\d+\n", text), "the tag is recalled"
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_every_pull_request_runs_the_tests_browser_ones_included_with_the_tested_versions():
    tests = load(GITHUB / "workflows/verifier.yml")["jobs"]["tests"]
    markers = [part["marqueur"] for part in tests["strategy"]["matrix"]["partie"]]
    assert sorted(markers) == ["browser", "not browser"], "together, every test"
    runs = [step["run"] for step in tests["steps"] if "run" in step]
    assert '.ci/run -m "${{ matrix.partie.marqueur }}"' in runs
    assert tests["container"].startswith("python:3.11-"), "Debian, as .ci/run expects"


def test_windows_runs_check_new_fmt_serve_build_and_tests():
    windows = load(GITHUB / "workflows/verifier.yml")["jobs"]["windows"]
    assert windows["runs-on"].startswith("windows-")
    runs = "\n".join(step["run"] for step in windows["steps"] if "run" in step)
    for command in ("python build.py check", "python build.py new fiche", "python build.py fmt",
                    '"build.py", "serve"', "python build.py\n", "python -m pytest"):
        assert command in runs + "\n", command
    assert "-c constraints.txt" in runs
    assert runs.index("python build.py\n") < runs.index("tests/test_pagefind.py"), \
        "npm's Pagefind, which the build installs, indexes a site under Windows too"


def test_every_week_the_tests_run_with_the_newest_versions():
    workflow = load(GITHUB / "workflows/dernieres-versions.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["schedule"][0]["cron"].endswith("* * 1"), "weekly"
    runs = [step["run"] for step in steps_of(GITHUB / "workflows/dernieres-versions.yml") if "run" in step]
    assert ".ci/run --dernieres-versions" in runs


def test_every_build_command_of_the_workflow_is_a_real_subcommand():
    commands = build_commands((GITHUB / "workflows/verifier.yml").read_text(encoding="utf-8"))
    assert [] in commands and ["check", "--format", "github"] in commands
    assert_real_commands(commands)


@pytest.mark.parametrize("kind", list(FORMS))
def test_each_issue_form_asks_every_required_field_of_its_kind(kind: str):
    form = load(GITHUB / "ISSUE_TEMPLATE" / FORMS[kind])
    ids = [element["id"] for element in form["body"] if "id" in element]
    required = [name for name, info in KINDS[kind].model_fields.items() if info.is_required()]
    assert set(required) <= set(ids), set(required) - set(ids)
    assert set(ids) - {"engagements"} <= set(KINDS[kind].model_fields), "champ inconnu du format"


@pytest.mark.parametrize("path", sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml")), ids=lambda path: path.name)
def test_issue_forms_are_well_formed(path: Path):
    form = load(path)
    if path.name == "config.yml":
        assert isinstance(form["blank_issues_enabled"], bool)
        return
    assert form["name"] and form["description"]
    ids = [element["id"] for element in form["body"] if "id" in element]
    assert len(ids) == len(set(ids))
    for element in form["body"]:
        assert element["type"] in FORM_TYPES
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element.get("id", "x"))
        assert element["attributes"].get("label") or element["type"] == "markdown"


def test_pre_commit_hooks_run_real_commands():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["referentiel-check"]["entry"] == "python build.py --resident verifier --modifies"
    assert hooks["referentiel-check"]["pass_filenames"] is False
    assert_real_commands([shlex.split(hook["entry"])[2:] for hook in hooks.values()])


def test_the_pull_request_template_and_the_guide_cite_real_commands():
    for path in (GITHUB / "PULL_REQUEST_TEMPLATE.md", ROOT / "CONTRIBUTING.md"):
        commands = build_commands(path.read_text(encoding="utf-8"))
        assert commands
        assert_real_commands(commands, complete=False)
        assert_real_commands([argv for argv in commands if len(argv) > 1])
