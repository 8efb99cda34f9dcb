"""Open data: the whole référentiel as JSON and CSV in the built site, valid against the JSON Schemas
published beside them, read back into the models without loss, and documented on « Données ouvertes »."""

import csv
import io
import json

import jsonschema
import pytest

from engine.checking import check
from engine.format import KINDS
from engine.opendata import EXPORTS, LIST_SEPARATOR, columns
from engine.addresses import FOLDERS
from engine.schema import render_schemas
from engine.site import Layout

DATA = "donnees"


def read_json(layout: Layout, path: str) -> dict:
    return json.loads((layout.site / DATA / path).read_text(encoding="utf-8"))


def test_the_whole_referentiel_and_each_kind_are_published_as_json_and_csv(built: Layout):
    files = sorted(path.relative_to(built.site / DATA).as_posix() for path in (built.site / DATA).rglob("*")
                   if path.is_file() and path.name != "index.html")
    kinds = sorted(FOLDERS.values())
    assert files == sorted(
        ["referentiel.json", *[f"{kind}.{extension}" for kind in kinds for extension in ("json", "csv")],
         "schemas/referentiel.schema.json", *[f"schemas/{kind}.schema.json" for kind in kinds],
         *[f"schemas/sources/{name}.schema.json" for name in [*KINDS, "vocabulaires", "glossaire", "bibliographie",
                                                              "code-source", "reperes", "referentiel"]]])


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_json_file_validates_against_its_published_schema(built: Layout, name: str):
    schema = read_json(built, f"schemas/{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(read_json(built, f"{name}.json"))


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_json_file_reads_back_into_the_models_without_loss(built: Layout, name: str):
    referentiel = check(built.root).referentiel
    data = EXPORTS[name].model_validate_json((built.site / DATA / f"{name}.json").read_bytes())
    assert data.publication == referentiel.publication
    for kind, folder in FOLDERS.items():
        if folder in EXPORTS[name].model_fields:
            assert getattr(data, folder) == [referentiel.entries[kind][ident] for ident in sorted(
                referentiel.entries[kind])]


def test_the_json_files_are_readable_text_indented_with_accents_as_written(built: Layout):
    text = (built.site / DATA / "enseignements.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "publication": {\n    "titre": ')
    assert text.endswith("}\n")
    assert "\\u00" not in text and "é" in text
    assert ": null" not in text


def test_the_schema_refuses_a_value_outside_the_vocabularies(built: Layout):
    schema = read_json(built, "schemas/fiches.schema.json")
    data = read_json(built, "fiches.json")
    data["fiches"][0]["type"] = "inconnu"
    with pytest.raises(jsonschema.ValidationError, match="'inconnu' is not one of"):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_the_whole_file_carries_the_edition_licence_and_publisher(built: Layout):
    publication = read_json(built, "referentiel.json")["publication"]
    referentiel = check(built.root).referentiel
    assert publication["edition"] == referentiel.publication.edition
    assert publication["licence"]["identifiant"] == "CC-BY-SA-4.0"
    assert publication["editeur"]["nom"] == referentiel.publication.editeur.nom


def rows(layout: Layout, kind: str) -> list[dict[str, str]]:
    text = (layout.site / DATA / f"{FOLDERS[kind]}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_csv_file_has_one_flat_line_per_entry(built: Layout):
    referentiel = check(built.root).referentiel
    for kind, model in KINDS.items():
        found = rows(built, kind)
        assert [row["id"] for row in found] == sorted(referentiel.entries[kind])
        assert list(found[0]) == [column.name for column in columns(model)]
    fiche = next(row for row in rows(built, "fiche") if row["id"] == "fifty-fifty")
    assert fiche["enseignements_lies"] == "proximite-quotidien"
    assert fiche["difficultes"].count(LIST_SEPARATOR) == len(referentiel.get("fiche", "fifty-fifty").difficultes) - 1
    assert [step["titre"] for step in json.loads(fiche["etapes"])] == ["Initialisation", "Convention"]
    territory = rows(built, "territoire")[0]
    assert territory["coordonnees.latitude"] == territory["coordonnees.longitude"] == "", "no coordinates given"
    assert "coordonnees" not in territory, "a mapping is spread over one column per field"


def test_the_open_data_page_gives_the_licence_the_addresses_and_the_fields(built: Layout):
    page = (built.site / DATA / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="donnees-ouvertes">Données ouvertes<a class="headerlink"' in page
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr">CC BY-SA 4.0</a>' in page
    for name in ["referentiel.json", "fiches.csv", "fiches.json", "schemas/fiches.schema.json"]:
        assert f'href="{name}"' in page, name
    assert "<code>coordonnees.latitude</code></td>\n<td>Latitude en degrés décimaux.</td>" in page
    assert "<code>etapes</code></td>\n<td>Les étapes, dans l'ordre. (JSON)</td>" in page


def test_every_entry_page_links_to_the_open_data(built: Layout):
    page = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert '<a href="../../donnees/">téléchargeables</a>' in page


def test_the_source_schemas_are_those_of_the_editors(built: Layout):
    published = (built.site / DATA / "schemas/sources/fiche.schema.json").read_text(encoding="utf-8")
    assert published == render_schemas(check(built.root).referentiel.vocabularies)["fiche.schema.json"]
