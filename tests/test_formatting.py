"""`build.py fmt`: fields in the order of the format, 2-space layout, and nothing lost on the way."""

import subprocess
from pathlib import Path

import pytest
from support import run_cli, small_referentiel

from engine.cli import read_shared
from engine.edit.skeleton import skeleton
from engine.edit.tidy import entry_files, format_file, format_text
from engine.load.documents import LoadError, parse
from engine.model.format import KINDS, Enseignement, Fiche

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = entry_files(ROOT)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


@pytest.mark.parametrize("path", SHIPPED, ids=[path.relative_to(ROOT).as_posix() for path in SHIPPED])
def test_every_shipped_entry_is_already_formatted_so_the_pre_commit_hook_passes(path: Path):
    text = path.read_text(encoding="utf-8")
    model = next(model for model in KINDS.values() if model.folder == path.parent.name)
    assert format_text(text, model, path.relative_to(ROOT).as_posix()) == text


SHUFFLED = """\
# yaml-language-server: $schema=../schemas/fiche.schema.json
# Une fiche écrite à la main, champs dans le désordre.

sources:
    -   passage: § 4   # le passage d'abord
        document: rapport
objectif: Réunir les habitants.
# Le type vient du vocabulaire types_fiche.
type: dispositif-implication
id: reunion-test
etapes:
    - duree: une soirée
      # Le titre de l'étape.
      titre: Débattre
resume: >-
  Une réunion
  ouverte à tous.
titre: Réunion de test
"""

ORDERED = """\
# yaml-language-server: $schema=../schemas/fiche.schema.json
# Une fiche écrite à la main, champs dans le désordre.

id: reunion-test
titre: Réunion de test
resume: >-
  Une réunion
  ouverte à tous.
# Le type vient du vocabulaire types_fiche.
type: dispositif-implication
objectif: Réunir les habitants.
etapes:
  # Le titre de l'étape.
  - titre: Débattre
    duree: une soirée
sources:
  - document: rapport
    passage: § 4       # le passage d'abord
"""


def test_fields_follow_the_format_and_comments_stay_above_their_field():
    assert format_text(SHUFFLED, Fiche, "fiches/reunion-test.yaml") == ORDERED


def test_an_ordered_file_in_the_layout_is_left_untouched():
    assert format_text(ORDERED, Fiche, "fiches/reunion-test.yaml") == ORDERED


def test_a_text_written_over_several_lines_keeps_its_line_breaks():
    text = 'id: x\ntitre: Un titre écrit\n  sur deux lignes\nresume: "Un résumé\n\n  en deux paragraphes"\n'
    formatted = format_text(text, Fiche, "fiches/x.yaml")
    assert formatted == ("id: x\ntitre: >-\n  Un titre écrit\n  sur deux lignes\n"
                         "resume: >-\n  Un résumé\n\n  en deux paragraphes\n")
    assert parse(formatted, "x").data == parse(text, "x").data


def test_values_are_never_retyped_and_a_hash_inside_a_text_is_not_a_comment():
    text = ("id: x\nnouveau: True\nniveau: 0012\nquoi: |\n    # pas un commentaire\n    suite\n"
            "titre: 1:30\n")
    formatted = format_text(text, Enseignement, "lessons/x.yaml")
    assert formatted == "id: x\ntitre: 1:30\nniveau: 0012\nnouveau: True\nquoi: |\n  # pas un commentaire\n  suite\n"


def test_flow_mappings_become_blocks_flow_lists_stay_on_one_line_and_indentation_becomes_two_spaces():
    text = "id: x\nsources:\n      - {passage: p, document: d}\nfiches_liees: [a,\n  b]\n"
    assert format_text(text, Enseignement, "lessons/x.yaml") == (
        "id: x\nfiches_liees: [a, b]\nsources:\n  - document: d\n    passage: p\n")


def test_unknown_fields_keep_their_order_after_the_known_ones():
    text = "zeta: 1\nid: x\nalpha: 2\n"
    assert format_text(text, Fiche, "fiches/x.yaml") == "id: x\nzeta: 1\nalpha: 2\n"


def test_anchors_and_aliases_are_refused_rather_than_risked():
    with pytest.raises(LoadError, match="ancres et alias"):
        format_text("id: &a x\ntitre: *a\n", Fiche, "fiches/x.yaml")


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_skeleton_written_by_new_is_already_formatted(tmp_path: Path, kind: str):
    shared = read_shared(small_referentiel(tmp_path))
    assert shared is not None
    text = skeleton(kind, "Réunion publique : l'art du débat", shared)
    assert format_text(text, KINDS[kind], f"{KINDS[kind].folder}/x.yaml") == text


def test_invalid_yaml_is_reported_in_french():
    with pytest.raises(LoadError, match="YAML invalide"):
        format_text("id: x\n  titre: : y\n", Fiche, "fiches/x.yaml")


def test_fmt_verifier_lists_the_files_to_format_without_touching_them(tmp_path: Path):
    root = small_referentiel(tmp_path)
    target = root / "fiches/reunion-test.yaml"
    target.write_text(SHUFFLED, encoding="utf-8")
    result = run("--racine", str(root), "fmt", "--verifier", cwd=root)
    assert result.returncode == 1
    assert ("fiches/reunion-test.yaml : à remettre en forme (python build.py fmt fiches/reunion-test.yaml)"
            in result.stdout.splitlines())
    assert target.read_text(encoding="utf-8") == SHUFFLED


def test_fmt_rewrites_the_given_files_then_verifier_passes(tmp_path: Path):
    root = small_referentiel(tmp_path)
    target = root / "fiches/reunion-test.yaml"
    target.write_text(SHUFFLED, encoding="utf-8")
    result = run("fmt", "fiches/reunion-test.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Remis en forme : fiches/reunion-test.yaml\n"
    assert target.read_text(encoding="utf-8") == ORDERED
    assert run("fmt", "--verifier", "fiches/reunion-test.yaml", cwd=root).returncode == 0


def test_fmt_refuses_files_that_are_not_entries(tmp_path: Path):
    root = small_referentiel(tmp_path)
    result = run("fmt", "data/glossaire.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("data/glossaire.yaml:1:1: ce n'est pas une entrée")


def test_windows_line_ends_of_a_formatted_entry_are_no_reason_to_rewrite_it(tmp_path: Path):
    shipped = sorted((ROOT / "fiches").glob("*.yaml"))[0]
    path = tmp_path / "fiches" / shipped.name
    path.parent.mkdir()
    path.write_bytes(shipped.read_bytes().replace(b"\n", b"\r\n"))
    assert format_file(path, path.name) is None, "a Windows checkout (core.autocrlf) is already formatted"
    path.write_bytes(path.read_bytes().replace(b"titre:", b"zz_inconnu: 1\r\ntitre:", 1))
    formatted = format_file(path, path.name)
    assert formatted is not None and "\r" not in formatted
