"""The npm packages that the site serves are installed by the build itself the first time: no contributor
has to run `npm ci` to build the site or the offline site."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from engine.build.npm import NPM_CI, NpmError, install_packages, missing_packages

ROOT = Path(__file__).resolve().parent.parent
FAKE_NPM = """#!{python}
import json, pathlib, sys
pathlib.Path("arguments").write_text(" ".join(sys.argv[1:]))
for name in json.loads(pathlib.Path("package.json").read_text())["dependencies"]:
    pathlib.Path("node_modules", name).mkdir(parents=True, exist_ok=True)
    pathlib.Path("node_modules", name, "package.json").write_text("{{}}")
"""


@pytest.fixture
def engine_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the engine's package.json, and a fake npm alone on the PATH."""
    tools = tmp_path / "outils"
    tools.mkdir()
    (tools / "npm").write_text(FAKE_NPM.format(python=sys.executable))
    (tools / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    root = tmp_path / "moteur"
    root.mkdir()
    shutil.copy(ROOT / "package.json", root)
    return root


@pytest.mark.skipif(sys.platform == "win32", reason="the fake npm is a script with a shebang")
def test_the_packages_the_site_serves_are_installed_with_npm_ci_once(engine_root: Path):
    served = list(json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"])
    assert "iframe-worker" in served and missing_packages(engine_root) == served
    assert install_packages(engine_root) == served
    assert (engine_root / "arguments").read_text() == " ".join(NPM_CI), "without the tests' devDependencies"
    assert missing_packages(engine_root) == []
    (engine_root / "arguments").unlink()
    assert install_packages(engine_root) == []
    assert not (engine_root / "arguments").exists(), "npm runs only when a package is missing"


def test_without_npm_the_error_says_in_french_to_install_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copy(ROOT / "package.json", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NpmError, match=r"paquets npm absents \(.*iframe-worker.*\) et npm introuvable : installez "
                                       "Node.js"):
        install_packages(tmp_path)


def test_without_npm_the_build_goes_on_without_the_proposal_form_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from engine import cli
    from engine.build import site

    shutil.copy(ROOT / "package.json", tmp_path)
    monkeypatch.setattr(site, "ENGINE_ROOT", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    cli.served_packages()
    assert capsys.readouterr().err.endswith("Le site est construit sans la page « Proposer une entrée ».\n")
