"""JSON Schemas that tools nobody here wrote accept: every schema for editors (`schemas/`) and every
schema of the open data compiles in ajv (strict mode, ECMA-262 patterns), the open data validates
against them there too, and editors show the French label of each id of a closed list."""

import json
import subprocess
from pathlib import Path

import pytest

from engine.build.site import Layout
from engine.check.json_schemas import schema_files
from engine.check.publication import Publication
from engine.check.referentiel import Referentiel
from engine.model import format as entry_format
from engine.model.french import ACCENTED, UNACCENTED
from engine.render.opendata import EXPORTS

ROOT = Path(__file__).resolve().parent.parent
AJV = ROOT / "tests" / "tools" / "ajv-compile.cjs"
DATA = "donnees"


def ajv_errors(*arguments: str | Path) -> dict[str, str]:
    """The errors ajv reports, by argument (`schema.json` or `schema.json=data.json`)."""
    if not (ROOT / "node_modules" / "ajv").is_dir():
        pytest.fail("ajv est absent : lancez « npm ci » à la racine du dépôt")
    result = subprocess.run(["node", str(AJV), *map(str, arguments)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_editor_schema_compiles_in_ajv_strict_mode():
    files = sorted((ROOT / "schemas").glob("*.schema.json"))
    assert [path.name for path in files] == sorted(schema_files())
    assert ajv_errors(*files) == {}


def test_every_open_data_schema_compiles_in_ajv_and_its_file_validates(built: Layout):
    folder = built.site / DATA
    pairs = [f"{folder}/schemas/{name}.schema.json={folder}/{name}.json" for name in EXPORTS]
    sources = sorted((folder / "schemas" / "sources").glob("*.schema.json"))
    assert ajv_errors(*pairs, *sources) == {}


def test_ajv_refuses_what_the_schemas_must_not_contain(tmp_path: Path):
    """The check can fail: an escaped quote in a character class and an unknown keyword are refused."""
    quoted = tmp_path / "quote.schema.json"
    quoted.write_text(json.dumps({"type": "string", "pattern": '^[^\\s\\"]+$'}), encoding="utf-8")
    unknown = tmp_path / "unknown.schema.json"
    unknown.write_text(json.dumps({"type": "string", "x-libelles": {}}), encoding="utf-8")
    errors = ajv_errors(quoted, unknown)
    assert "Invalid escape" in errors[str(quoted)]
    assert 'unknown keyword: "x-libelles"' in errors[str(unknown)]


def test_ajv_refuses_an_entry_that_breaks_the_schema(built: Layout, tmp_path: Path):
    data = json.loads((built.site / DATA / "fiches.json").read_text(encoding="utf-8"))
    data["fiches"][0]["type"] = "inconnu"
    data["publication"]["adresse"] = 'https://example.org/"onmouseover'
    broken = tmp_path / "fiches.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    error = ajv_errors(f"{built.site / DATA}/schemas/fiches.schema.json={broken}").popitem()[1]
    assert "must be equal to one of the allowed values" in error
    assert 'must match pattern "^https?://[^\\s<>"\'`]+$"' in error


def test_editors_show_the_french_label_of_each_vocabulary_id(shipped_referentiel: Referentiel):
    vocabularies = shipped_referentiel.vocabularies
    schema = json.loads((ROOT / "schemas/fiche.schema.json").read_text(encoding="utf-8"))
    kind = schema["properties"]["type"]
    assert kind["enum"] == [item.id for item in vocabularies.types_fiche]
    assert kind["markdownEnumDescriptions"] == [item.libelle for item in vocabularies.types_fiche]
    assert "Dispositif d'implication" in kind["markdownEnumDescriptions"][0]
    assert not any("x-libelles" in (ROOT / "schemas" / name).read_text(encoding="utf-8")
                   for name in (ROOT / "schemas").iterdir())


def test_every_field_of_every_model_has_a_french_label_made_of_known_words():
    models = [value for value in vars(entry_format).values()
              if isinstance(value, type) and issubclass(value, entry_format.Model)] + [Publication]
    words = {word for model in models for name in model.model_fields for word in name.split("_")}
    assert words - ACCENTED.keys() - UNACCENTED == set(), "say how French writes these words in engine/model/french.py"
    schema = json.loads((ROOT / "schemas/territoire.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["numero_departement"]["title"] == "Numéro de département"
    assert schema["properties"]["resume"]["title"] == "Résumé"
