"""Reading YAML files: safe, exact about positions, and faithful to what contributors wrote."""

import codecs
from pathlib import Path

import pytest

from engine.load import documents as loading
from engine.load.documents import LoadError, parse
from engine.load.inputs import read_document


def error_of(text: str) -> str:
    with pytest.raises(LoadError) as caught:
        parse(text, "f.yaml")
    return caught.value.problem.human()


def test_the_c_parser_of_libyaml_is_used():
    assert loading.HAS_LIBYAML


def test_plain_values_stay_as_written_instead_of_yaml_1_1_conversions():
    data = parse("code_postal: 01234\npays: NO\nheure: 12:30:00\nduree: 1:30\nactif: on\n", "f.yaml").data
    assert data == {"code_postal": "01234", "pays": "NO", "heure": "12:30:00", "duree": "1:30", "actif": "on"}


def test_empty_values_and_tilde_are_null_but_quoted_ones_are_text():
    assert parse("a:\nb: ~\nc: ''\nd: 'null'\n", "f.yaml").data == {"a": None, "b": None, "c": "", "d": "null"}


def test_every_value_and_key_keeps_its_line_and_column():
    document = parse("id: x\nliste:\n  - titre: a\n    duree: 2\n", "f.yaml")
    assert document.locate(("liste", 0, "duree")) == loading.Position(4, 12)
    assert document.locate(("liste", 0, "duree"), key=True) == loading.Position(4, 5)
    assert document.locate(("liste", 0, "absent")) == loading.Position(3, 5)


def test_a_duplicate_key_is_an_error_that_names_both_lines():
    assert error_of("titre: a\nresume: b\ntitre: c\n") == (
        "f.yaml:3:1: champ « titre » écrit deux fois (déjà ligne 1) : gardez-en un seul")


def test_python_tags_are_refused_before_anything_is_built():
    assert error_of("a: !!python/object/apply:os.system ['echo x']\n") == (
        "f.yaml:1:4: a : balise YAML « !!python/object/apply:os.system » interdite : "
        "retirez-la, les types viennent du format")


def test_explicit_type_tags_are_refused_too():
    assert "balise YAML « !!int »" in error_of("a: !!int 3\n")


def test_a_billion_laughs_file_is_stopped_by_the_alias_limit():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    assert "trop de valeurs (plus de 100000, alias compris)" in error_of("\n".join(lines) + "\n")


def test_deep_nesting_is_refused_without_crashing_the_parser():
    assert "imbrication trop profonde (plus de 40 niveaux)" in error_of("[" * 100_000 + "]" * 100_000)


def test_a_file_over_the_size_limit_is_refused_before_being_read(tmp_path: Path):
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"a: " + b"x" * (loading.MAX_BYTES + 1))
    with pytest.raises(LoadError) as caught:
        read_document(path, "gros.yaml")
    assert caught.value.problem.message.startswith("fichier trop gros")


def test_a_latin_1_file_is_reported_at_its_first_bad_byte(tmp_path: Path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: x\ntitre: Réunion\n".encode("latin-1"))
    with pytest.raises(LoadError) as caught:
        read_document(path, "latin.yaml")
    problem = caught.value.problem
    assert (problem.line, problem.column) == (2, 9)
    assert "Latin-1 ou Windows-1252" in problem.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + "titre: Réunion\n".encode())
    assert read_document(path, "bom.yaml").data == {"titre": "Réunion"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n\tb: 1\n", "f.yaml:2:1: YAML invalide : tabulation interdite, en YAML on indente avec des espaces"),
        ("a: 'abc\nb: 2\n", "f.yaml:3:1: YAML invalide : guillemet ouvert mais jamais fermé"),
        ("a: 1\n b: 2\n", "f.yaml:2:3: YAML invalide : « : » inattendu"),
        ("# seulement un commentaire\n", "f.yaml:1:1: fichier vide (ou seulement des commentaires)"),
        ("", "f.yaml:1:1: fichier vide"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: plusieurs documents YAML"),
        ("a: *rien\n", "f.yaml:1:4: YAML invalide : alias (*nom) sans ancre (&nom) correspondante"),
        ('a: "\\q"\n', "f.yaml:1:5: YAML invalide : séquence d'échappement inconnue entre guillemets doubles"),
        ("a: 1\nb", "f.yaml:2:2: YAML invalide : « : » manquant après un nom de champ"),
        ("a: 1\rb: [\r", "f.yaml:3:1: YAML invalide : liste ou dictionnaire entre crochets mal fermé"),
        ("   a: 1\nb: 2\n", "f.yaml:2:1: YAML invalide : texte inattendu après la fin des champs"),
        ('titre: "Le projet" de la ville\n', "f.yaml:1:20: YAML invalide : texte après une valeur entre guillemets"),
        ("a: 'x\n---\n'\n", "f.yaml:2:1: YAML invalide : « --- » ou « ... » en début de ligne dans un texte entre"),
        ("a: !<x y\n", "f.yaml:1:7: YAML invalide : balise YAML (!…) mal écrite"),
        ("%FOO\n---\na: 1\n", "f.yaml:1:5: YAML invalide : directive YAML (ligne qui commence par %) invalide"),
        ("a: |0\n  x\n", "f.yaml:1:5: YAML invalide : texte en bloc (| ou >) mal écrit"),
        ("a: 1\n\u2028b: [\n", "f.yaml:4:1: YAML invalide : liste ou dictionnaire entre crochets mal fermé"),
        ("a: \x07\n", "f.yaml:1:4: caractère de contrôle (U+0007) interdit"),
    ],
)
def test_broken_yaml_is_explained_in_french_at_its_position(text: str, expected: str):
    assert error_of(text).startswith(expected)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_nesting_past_libyaml_s_own_limit_gets_the_same_french_message_at_the_level_past_ours(opening: str):
    # libyaml 0.2.6 refuses 1,000 levels itself, in English, before the engine sees any of them
    text = "titre: " + opening * 1200 + "x"
    with pytest.raises(LoadError) as raised:
        parse(text, "fiches/x.yaml")
    problem = raised.value.problem
    assert problem.message == f"imbrication trop profonde (plus de {loading.MAX_DEPTH} niveaux)"
    # the entry's own mapping is the first level: the opening that goes past the limit is the 40th
    assert (problem.line, problem.column) == (1, len("titre: ") + len(opening) * (loading.MAX_DEPTH - 1) + 1)
