""".zenodo.json: the DOI of each edition through Zenodo's GitHub integration, derived from referentiel.yaml and
CITATION.cff, checked against them, rewritten by `python build.py zenodo`."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from support import mini_referentiel, own_publication

from engine.check.checker import check
from engine.check.referentiel import Referentiel

ROOT = Path(__file__).resolve().parent.parent
STALE = (".zenodo.json", "", ("ne concorde plus avec referentiel.yaml et CITATION.cff : lancez python build.py zenodo "
                             "pour le réécrire"))


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--racine", str(root), *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_shipped_zenodo_json_says_what_referentiel_yaml_and_citation_cff_say(shipped_referentiel: Referentiel):
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    publication = shipped_referentiel.publication
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (zenodo["title"], zenodo["description"], zenodo["version"], zenodo["license"]) == (
        publication.titre, publication.description, publication.edition, publication.licence.identifiant.lower())
    assert zenodo["creators"] == [{"name": author["name"]} for author in citation["authors"]]
    assert (zenodo["keywords"], zenodo["publication_date"]) == (citation["keywords"], citation["date-released"])
    assert (zenodo["upload_type"], zenodo["access_right"], zenodo["language"]) == ("dataset", "open", "fra")


def test_a_zenodo_json_left_behind_by_a_new_edition_is_reported_then_rewritten(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    shutil.copy(ROOT / ".zenodo.json", root / ".zenodo.json")
    own_publication(root, edition="2026.1", adresse=None)
    assert STALE not in {(p.file, p.field, p.message) for p in check(root).problems}
    own_publication(root, edition="2026.2", adresse=None, titre="Atlas des transitions du Val Test")
    (root / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace(
        'version: "2026.1"', 'version: "2026.2"'), encoding="utf-8")
    assert STALE in {(p.file, p.field, p.message) for p in check(root).problems}
    assert check(root).ok, "a warning: the site can still be built"
    result = run(root, "zenodo")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Écrit : .zenodo.json, d'après referentiel.yaml et CITATION.cff\n"
    rewritten = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    assert (rewritten["version"], rewritten["title"]) == ("2026.2", "Atlas des transitions du Val Test")
    assert STALE not in {(p.file, p.field, p.message) for p in check(root).problems}
