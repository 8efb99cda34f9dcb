"""schema.org JSON-LD in each entry page: a lesson or a fiche is a `LearningResource`, a training path a
`Course`, a territory a `Place` with its coordinates when it has them. Checked against schema.org's
vocabulary as far as a local check can: schema-dts (the schema.org vocabulary as TypeScript types) and
the TypeScript compiler refuse an unknown type, a property the type does not have, or a wrong value type."""

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from support import checked, mini_referentiel

from engine.build.site import Layout
from engine.load.history import History
from engine.render.pages import Pages

ROOT = Path(__file__).resolve().parent.parent
TSC = ROOT / "node_modules" / ".bin" / "tsc"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def type_errors(descriptions: list[dict]) -> dict[int, str]:
    """What the TypeScript compiler says of each description typed with schema-dts, by its index."""
    if not TSC.is_file() or not (ROOT / "node_modules" / "schema-dts").is_dir():
        pytest.fail("schema-dts et typescript sont absents : lancez « npm ci » à la racine du dépôt")
    types = sorted({description["@type"] for description in descriptions})
    lines = [f"import type {{ WithContext, {', '.join(types)} }} from \"schema-dts\";"]
    lines += [f"export const d{index}: WithContext<{description['@type']}> = {json.dumps(description)};"
              for index, description in enumerate(descriptions)]
    cache = ROOT / "node_modules" / ".cache"  # beside schema-dts, so that the import resolves
    cache.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as folder:
        source = Path(folder) / "descriptions.ts"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = subprocess.run([str(TSC), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext",
                                 "--moduleResolution", "nodenext", "--types", "", str(source)],
                                capture_output=True, text=True, timeout=300, check=False)
    errors: dict[int, str] = {}
    for line in result.stdout.splitlines():
        found = re.search(r"descriptions\.ts\((\d+),\d+\): error (.*)", line)
        if found:
            errors[int(found.group(1)) - 2] = found.group(2)
    assert errors or result.returncode == 0, result.stdout + result.stderr
    return errors


def descriptions(root: Path) -> dict[str, dict]:
    """The `schema_org` of every entry page's front matter, by kind and id."""
    referentiel = checked(root)
    pages = Pages(referentiel, History(root))
    found = {}
    for kind, entries in referentiel.entries.items():
        for ident, entry in entries.items():
            meta = yaml.safe_load(pages.entry(entry).split("---\n", 2)[1])
            found[f"{kind}/{ident}"] = meta["schema_org"]
    return found


def test_every_entry_page_is_described_with_schema_org_types_and_properties(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    found = descriptions(root)
    assert {name: description["@type"] for name, description in found.items()} == {
        "enseignement/penser-systemique": "LearningResource", "enseignement/proximite-quotidien": "LearningResource",
        "enseignement/recit-partage": "LearningResource", "fiche/fifty-fifty": "LearningResource",
        "fiche/visite-prealable": "LearningResource", "territoire/le-mene": "Place",
        "territoire/loos-en-gohelle": "Place", "parcours/premiers-pas": "Course"}
    assert found["territoire/le-mene"]["geo"] == {"@type": "GeoCoordinates", "latitude": 48.25, "longitude": -2.53}
    assert "geo" not in found["territoire/loos-en-gohelle"], "no coordinates, no geo"
    assert found["territoire/le-mene"]["address"]["addressRegion"] == "Bretagne"
    lesson = found["enseignement/recit-partage"]
    assert lesson["url"] == "https://referentiel.example.org/enseignements/recit-partage/"
    assert lesson["isPartOf"] == {"@type": "CreativeWork", "name": "Référentiel de la conduite du changement",
                                  "version": "2026.1"}
    assert lesson["license"] == "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"
    assert found["parcours/premiers-pas"]["teaches"] == ["Expliquer ce qu'apporte un récit partagé.",
                                                         "Préparer un premier fifty-fifty."]
    wrong = {**lesson, "geo": found["territoire/le-mene"]["geo"]}
    misspelt = {**found["territoire/le-mene"], "adress": "Bretagne"}
    checked = [*found.values(), wrong, misspelt]
    assert type_errors(checked) == {
        len(found): "TS2353: Object literal may only specify known properties, and '\"geo\"' does not exist in type "
                    "'LearningResourceLeaf & { \"@context\": \"https://schema.org\"; }'.",
        len(found) + 1: "TS2353: Object literal may only specify known properties, and '\"adress\"' does not exist in "
                        "type 'PlaceLeaf & { \"@context\": \"https://schema.org\"; }'."}


def test_the_description_is_in_the_head_of_the_built_page_and_cannot_end_its_script(built: Layout):
    page = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    [script] = SCRIPT.findall(head)
    description = json.loads(script)
    assert (description["@type"], description["name"]) == (
        "LearningResource", "Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants")
    assert "<" not in script and "'" not in script, "tojson escapes what could close the script"
    assert SCRIPT.findall((built.site / "glossaire/index.html").read_text(encoding="utf-8")) == []
