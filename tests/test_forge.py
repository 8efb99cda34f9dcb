"""The contributor's path around the engine: editor settings, forge workflow and forms, pre-commit hooks."""

import argparse
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from engine.cli import parser
from engine.format import KINDS, SHARED_FILES
from engine.schema import schema_files

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
        assert not argv or argv[0] in subcommands(), f"« {argv[0]} » n'est pas une commande de engine/cli.py"
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
    assert "pip install -e ." in runs
    assert "python build.py check --format github" in runs
    assert "python build.py" in runs


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
    assert hooks["referentiel-check"]["entry"] == "python build.py check --changed"
    assert hooks["referentiel-check"]["pass_filenames"] is False
    assert_real_commands([shlex.split(hook["entry"])[2:] for hook in hooks.values()])


def test_the_pull_request_template_and_the_guide_cite_real_commands():
    for path in (GITHUB / "PULL_REQUEST_TEMPLATE.md", ROOT / "CONTRIBUTING.md"):
        commands = build_commands(path.read_text(encoding="utf-8"))
        assert commands
        assert_real_commands(commands, complete=False)
        assert_real_commands([argv for argv in commands if len(argv) > 1])
