"""Installs are reproducible: the README and .ci/run install the tested versions of constraints.txt,
what building needs first, then what testing adds."""

import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def lock_script():
    spec = importlib.util.spec_from_file_location("constraints", ROOT / ".ci" / "constraints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pinned() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("==") for line in lines if line and not line.startswith("#")]
    assert all(len(pair) == 2 for pair in pairs), "one « nom==version » per line"
    return {canonicalize_name(name): version for name, version in pairs}


def test_constraints_pin_every_dependency_of_the_build_and_the_tests_to_a_version_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = pinned()
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{name} n'est pas dans constraints.txt : lancez python .ci/constraints.py"
        assert requirement.specifier.contains(versions[name], prereleases=True), f"{name}=={versions[name]}"


def test_the_constraints_script_pins_the_whole_tree_of_what_is_installed():
    tree = lock_script().closure(("test",))
    assert {"pydantic-core", "markupsafe", "pluggy"} <= set(tree), "dependencies of dependencies are pinned too"
    unpinned = set(tree) - set(pinned())
    assert not unpinned, f"{unpinned} : lancez python .ci/constraints.py"
    without_tests = lock_script().closure(())
    assert "pytest" in tree and "pytest" not in without_tests and "mkdocs" in without_tests


def test_the_readme_installs_the_build_with_the_constraints_then_adds_the_test_extra():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)
    first, second = commands[0], commands[1]
    assert "pip install -c constraints.txt -e . " in first and "[test]" not in first
    assert 'pip install -c constraints.txt -e ".[test]"' in second and "pytest" in second


def test_ci_installs_the_same_two_steps_with_the_constraints_unless_asked_for_the_newest_versions():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'constraints=(-c constraints.txt)' in run and "--dernieres-versions" in run
    build = run.index('"${constraints[@]}" -e .\n')
    assert build < run.index('"${constraints[@]}" -e ".[test]"')
