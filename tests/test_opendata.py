"""Open data: the whole référentiel as JSON and CSV in the built site, valid against the JSON Schemas
published beside them, read back into the models without loss, and documented on « Données ouvertes »."""

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from frictionless import Package
from frictionless.resources import TableResource
from support import checked, mini_referentiel, replace

from engine.build.site import Layout
from engine.check.json_schemas import render_schemas
from engine.model.format import KINDS, Fiche
from engine.render import opendata
from engine.render.addresses import FOLDERS
from engine.render.csv_tables import LIST_SEPARATOR, columns, protect, recover
from engine.render.opendata import EXPORTS

DATA = "donnees"
NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
"""A number, which a spreadsheet reads as a number (a formula starts with « = », « + » or « @ »)."""


def read_json(layout: Layout, path: str) -> dict:
    return json.loads((layout.site / DATA / path).read_text(encoding="utf-8"))


def test_the_whole_referentiel_and_each_kind_are_published_as_json_and_csv(built: Layout):
    files = sorted(path.relative_to(built.site / DATA).as_posix() for path in (built.site / DATA).rglob("*")
                   if path.is_file() and path.name != "index.html")
    kinds = sorted(FOLDERS.values())
    assert files == sorted(
        ["referentiel.json", "datapackage.json", "scrutaridata.xml",
         *[f"{kind}{extension}" for kind in kinds for extension in (".json", ".csv", "-excel.csv")],
         "schemas/referentiel.schema.json", *[f"schemas/{kind}.schema.json" for kind in kinds],
         *[f"schemas/sources/{name}.schema.json" for name in [*KINDS, "vocabulaires", "glossaire", "bibliographie",
                                                              "code-source", "reperes", "carte-france",
                                                              "referentiel"]]])


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_json_file_validates_against_its_published_schema(built: Layout, name: str):
    schema = read_json(built, f"schemas/{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(read_json(built, f"{name}.json"))


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_json_file_reads_back_into_the_models_without_loss(built: Layout, name: str):
    referentiel = checked(built.root)
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
    referentiel = checked(built.root)
    assert publication["edition"] == referentiel.publication.edition
    assert publication["licence"]["identifiant"] == "CC-BY-SA-4.0"
    assert publication["editeur"]["nom"] == referentiel.publication.editeur.nom


def rows(layout: Layout, kind: str) -> list[dict[str, str]]:
    text = (layout.site / DATA / f"{FOLDERS[kind]}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_csv_file_has_one_flat_line_per_entry(built: Layout):
    referentiel = checked(built.root)
    for kind, model in KINDS.items():
        found = rows(built, kind)
        assert [row["id"] for row in found] == sorted(referentiel.entries[kind])
        assert list(found[0]) == [column.name for column in columns(model)]
    fiche = next(row for row in rows(built, "fiche") if row["id"] == "fifty-fifty")
    assert fiche["enseignements_lies"] == "proximite-quotidien"
    assert fiche["difficultes"].count(LIST_SEPARATOR) == len(referentiel.by_id(Fiche)["fifty-fifty"].difficultes) - 1
    assert [step["titre"] for step in json.loads(fiche["etapes"])] == ["Initialisation", "Convention"]
    territory = next(row for row in rows(built, "territoire") if row["id"] == "loos-en-gohelle")
    assert territory["coordonnees.latitude"] == territory["coordonnees.longitude"] == "", "no coordinates given"
    assert "coordonnees" not in territory, "a mapping is spread over one column per field"


def test_the_open_data_page_gives_the_licence_the_addresses_and_the_fields(built: Layout):
    page = (built.site / DATA / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="donnees-ouvertes">Données ouvertes<a class="headerlink"' in page
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr">CC BY-SA 4.0</a>' in page
    for name in ["referentiel.json", "fiches.csv", "fiches-excel.csv", "fiches.json", "schemas/fiches.schema.json",
                 "datapackage.json"]:
        assert f'href="{name}"' in page, name
    assert "<code>coordonnees.latitude</code></td>\n<td>Latitude en degrés décimaux.</td>" in page
    assert "<code>etapes</code></td>\n<td>Les étapes, dans l'ordre. (JSON)</td>" in page
    assert "retirez la première apostrophe des cellules qui en ont une" in " ".join(page.split()), "reversible"


def test_every_entry_page_links_to_the_open_data(built: Layout):
    page = (built.site / "fiches/fifty-fifty/index.html").read_text(encoding="utf-8")
    assert '<a href="../../donnees/">téléchargeables</a>' in page


def test_the_source_schemas_are_those_of_the_editors(built: Layout):
    published = (built.site / DATA / "schemas/sources/fiche.schema.json").read_text(encoding="utf-8")
    assert published == render_schemas(checked(built.root).vocabularies)["fiche.schema.json"]


def open_data(root: Path, tmp_path: Path) -> Path:
    """The open data files of a référentiel, written to a folder as the site has them; `donnees/` is returned."""
    for name, data in opendata.files(checked(root)).items():
        (tmp_path / "od" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "od" / name).write_bytes(data)
    return tmp_path / "od" / DATA


def test_the_data_package_validates_with_frictionless(built: Layout):
    report = Package(str(built.site / DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == [
        name for folder in FOLDERS.values() for name in (folder, f"{folder}-excel")]


def test_frictionless_reads_department_numbers_as_text_and_refuses_a_broken_cell(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    replace(root, "territories/le-mene.yaml", 'numero_departement: "22"', 'numero_departement: "2A"')
    replace(root, "territories/loos-en-gohelle.yaml", 'numero_departement: "62"',
            'numero_departement: "08"\ncoordonnees:\n  latitude: 50.4575\n  longitude: -2.5\n  source:\n    document: rapport-test\n    passage: mairie')
    folder = open_data(root, tmp_path)
    package = Package(str(folder / "datapackage.json"))
    for name in ("territoires", "territoires-excel"):
        resource = package.get_resource(name)
        assert isinstance(resource, TableResource), "a CSV file is a table"
        rows = {row["id"]: row for row in resource.read_rows()}
        assert (rows["le-mene"]["numero_departement"], rows["loos-en-gohelle"]["numero_departement"]) == ("2A", "08")
        assert float(rows["loos-en-gohelle"]["coordonnees.longitude"]) == -2.5, name
    csv_file = folder / "territoires.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace(",commune,", ",inconnue,"), encoding="utf-8")
    errors = Package(str(folder / "datapackage.json")).validate().flatten(["fieldName", "type"])
    assert errors == [["type", "constraint-error"]]


def test_no_csv_cell_starts_like_a_formula_and_every_text_is_recoverable(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    titles = {"visite-prealable": "=HYPERLINK(\"https://example.org\";\"clic\")", "fifty-fifty": "+cmd|' /C calc'!A0"}
    for ident, title in titles.items():
        text = (root / f"fiches/{ident}.yaml").read_text(encoding="utf-8")
        line = next(line for line in text.splitlines() if line.startswith("titre:"))
        replace(root, f"fiches/{ident}.yaml", line, "titre: " + json.dumps(title, ensure_ascii=False))
    folder = open_data(root, tmp_path)
    for path in folder.glob("*.csv"):
        excel = path.stem.endswith("-excel")
        text = path.read_text(encoding="utf-8-sig" if excel else "utf-8")
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";" if excel else ",") for cell in row]
        texts = [cell for cell in cells if not NUMBER.fullmatch(cell)]  # a longitude west of Greenwich stays -2.53
        assert not [cell for cell in texts if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and cell], path.name
        if path.stem.startswith("fiches"):
            found = {row["id"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";" if excel else ",")}
            assert {ident: recover(found[ident]["titre"]) for ident in titles} == titles
            assert found["visite-prealable"]["titre"].startswith("'=HYPERLINK(")


@pytest.mark.parametrize("text", ["=1+1", "+33 3 21", "- une liste", "@SUM(A1)", "'déjà marqué", "''", "\tx",
                                  "Un texte", "", "50 % - moitié"])
def test_protect_and_recover_give_back_any_text(text: str):
    protected = protect(text)
    assert protected[:1] not in ("=", "+", "-", "@", "\t", "\r") or not protected
    assert recover(protected) == text
    assert protected == text or protected == "'" + text


def test_the_excel_variant_has_a_bom_semicolons_and_decimal_commas(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    folder = open_data(root, tmp_path)
    excel = (folder / "territoires-excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfid;nom;resume;type;")
    row = next(csv.DictReader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert (row["id"], row["coordonnees.latitude"], row["coordonnees.longitude"]) == ("le-mene", "48,25", "-2,53")
    standard = (folder / "territoires.csv").read_bytes()
    assert standard.startswith(b"id,nom,resume,type,")
    assert next(csv.DictReader(io.StringIO(standard.decode("utf-8"))))["coordonnees.longitude"] == "-2.53"
