"""The npm packages that the site serves (the `dependencies` of package.json: the offline search shim, the
form's library): installed with `npm ci` the first time a build needs them, so that no contributor has
to know about npm. The test tools (`devDependencies`) are left to the tests' own `npm ci`."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

NPM_CI = ["ci", "--omit=dev", "--no-audit", "--no-fund", "--silent"]


class NpmError(Exception):
    """The packages could not be installed; the message is in French."""


def missing_packages(root: Path) -> list[str]:
    """The packages of package.json's `dependencies` that are not in node_modules."""
    manifest = root / "package.json"
    if not manifest.is_file():
        return []
    wanted = json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {})
    return [name for name in wanted if not (root / "node_modules" / name / "package.json").is_file()]


def install_packages(root: Path) -> list[str]:
    """Install the missing packages with `npm ci`; the names installed (none when nothing was missing)."""
    missing = missing_packages(root)
    if not missing:
        return []
    names = ", ".join(missing)
    npm = shutil.which("npm")
    if npm is None:
        raise NpmError(f"paquets npm absents ({names}) et npm introuvable : installez Node.js "
                       "(https://nodejs.org), puis relancez la commande")
    print(f"Installation des paquets npm que sert le site ({names}) : npm ci…", file=sys.stderr, flush=True)
    result = subprocess.run([npm, *NPM_CI], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0 or missing_packages(root):
        raise NpmError(f"paquets npm absents ({names}) et « npm ci » a échoué : {result.stderr.strip()[-500:]}")
    return missing
