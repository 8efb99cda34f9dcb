"""A kind of entry is declared in one place, its model: checking, pages, lists, navigation, open data, schemas
and skeletons all find it there. A « ressource » kind added by this file alone goes through all of them."""

from pathlib import Path
from typing import Annotated, ClassVar

import pytest
from pydantic import Field
from support import checked, small_referentiel

from engine.build.site import navigation
from engine.check.checker import check
from engine.check.json_schemas import render_schemas, schema_files
from engine.cli import parser
from engine.edit.skeleton import Shared, skeleton
from engine.load.documents import parse
from engine.load.history import History
from engine.model.format import KINDS, Entry, Ref, Text, Title
from engine.render import opendata
from engine.render.pages import Pages


class Ressource(Entry):
    """Une ressource : un guide ou un outil à consulter, et ce qu'on y trouve."""

    kind: ClassVar[str] = "ressource"
    folder: ClassVar[str] = "ressources"
    label: ClassVar[str] = "Ressource"
    indefinite: ClassVar[str] = "une ressource"
    pages: ClassVar[str] = "ressources"
    list_title: ClassVar[str] = "Ressources à consulter"

    titre: Title
    editeur: Annotated[str, Text(160, "Qui publie la ressource.")]
    fiches_liees: Annotated[
        list[Annotated[str, Ref("fiche")]], Field(description="Ids des fiches que la ressource aide à mener."),
    ] = []  # noqa: RUF012 (a pydantic field, as in the engine's kinds: pydantic copies the default)

    @property
    def title(self) -> str:
        return self.titre


GUIDE = """\
id: guide-des-reunions
titre: Guide des réunions publiques
resume: Un guide pour préparer et animer une réunion ouverte à tous.
editeur: Une association d'élus
fiches_liees:
  - reunion-test
sources:
  - document: rapport
    passage: annexe 2
"""


@pytest.fixture
def ressources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The small référentiel with one ressource, the kind being declared for the time of the test."""
    monkeypatch.setitem(KINDS, Ressource.kind, Ressource)
    root = small_referentiel(tmp_path)
    (root / "ressources").mkdir()
    (root / "ressources" / "guide-des-reunions.yaml").write_text(GUIDE, encoding="utf-8")
    return root


def test_a_new_kind_is_read_and_validated_from_its_own_folder(ressources: Path):
    outcome = check(ressources)
    assert outcome.ok, [problem.human() for problem in outcome.problems]
    assert outcome.referentiel is not None
    assert isinstance(outcome.referentiel.entries["ressource"]["guide-des-reunions"], Ressource)
    (ressources / "ressources" / "guide-des-reunions.yaml").write_text(
        GUIDE.replace("editeur: Une association d'élus\n", "").replace("reunion-test", "reunion-absente"),
        encoding="utf-8")
    shown = [problem.human() for problem in check(ressources).problems]
    assert any(line.startswith("ressources/guide-des-reunions.yaml:1:1: editeur :") for line in shown), shown
    assert any("aucun(e) fiche n'a l'id « reunion-absente »" in line for line in shown), shown


def test_a_new_kind_has_its_pages_its_list_and_its_place_in_the_navigation(ressources: Path):
    referentiel = checked(ressources)
    pages = Pages(referentiel, History(ressources)).all("# Accueil\n")
    page = pages["ressources/guide-des-reunions.md"]
    assert "# Guide des réunions publiques" in page and "annexe 2" in page
    listing = pages["ressources/index.md"]
    assert "# Ressources à consulter" in listing and "(guide-des-reunions.md)" in listing
    files = {name: text.encode() for name, text in pages.items()}
    assert {"Ressources à consulter": ["ressources/index.md"]} in navigation(files, ressources)


def test_a_new_kind_is_in_the_open_data_and_the_json_schemas(ressources: Path):
    referentiel = checked(ressources)
    files = opendata.files(referentiel)
    assert b'"id": "guide-des-reunions"' in files["donnees/ressources.json"]
    assert b'"ressources": [' in files["donnees/referentiel.json"]
    assert files["donnees/ressources.csv"].decode().startswith("id,titre,resume,editeur,fiches_liees,sources")
    assert schema_files()["ressource.schema.json"] is Ressource
    assert "Qui publie la ressource." in render_schemas(referentiel.vocabularies)["ressource.schema.json"]


def test_a_new_kind_has_its_skeleton_and_its_command(ressources: Path):
    referentiel = checked(ressources)
    shared = Shared(referentiel.vocabularies, referentiel.bibliography, {"fiche": ["reunion-test"]})
    written = skeleton("ressource", "Guide de l'animateur", shared)
    assert Ressource.model_validate(parse(written, "ressources/guide-de-l-animateur.yaml").data).titre == (
        "Guide de l'animateur")
    assert parser().parse_args(["nouveau", "ressource", "Guide de l'animateur"]).sorte == "ressource"
