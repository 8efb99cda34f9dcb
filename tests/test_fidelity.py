"""Shipped content says no more than its source: over-readings found by a reading against the seeds stay out."""

from pathlib import Path

import pytest

from engine.check.referentiel import Referentiel
from engine.load.history import History
from engine.model.format import Fiche
from engine.render.pages import Pages

ROOT = Path(__file__).resolve().parent.parent

OVER_READINGS = [
    # (file, wording that said more than the source, the source line it was checked against)
    ("lessons/experiences-personnelles-elus-agents.yaml", "rend probablement les agents plus fragiles"),  # 000 l.4684
    ("lessons/enfants-publics-cibles.yaml", "on agit pour et avec ceux"),  # 000 l.4253
    ("lessons/planification-impulsion.yaml", "rallié des élus"),  # 000 l.4218
    ("lessons/expertise-externe.yaml", "Les élus racontent"),  # 000 l.5027
    ("lessons/marges-de-manoeuvre-agents.yaml", "Relier la reconnaissance individuelle"),  # 000 l.4526
    ("lessons/penser-systemique.yaml", "avant de\n  le lancer"),  # 000 l.4370
    ("lessons/engagement-des-citoyens.yaml", "tous n'en ont pas les moyens"),  # 004 l.2555
    ("lessons/passer-a-l-action.yaml", "n'avait pas structuré ses méthodes"),  # 004 l.50-57
    ("lessons/engagement-construire-le-recit.yaml", "perd sa capacité à fédérer"),  # not in 001 (l.1064)
    ("lessons/capacitation-individuelle.yaml", "Évaluer qualitativement les trajectoires"),  # 004 l.1030
    ("fiches/defis-entre-pairs.yaml", "relèvent pendant trois mois"),  # 000 l.5340, a flyer announcing it
    ("lessons/lieux-formes-de-conscience-formes-de-pensee.yaml", "Quelques années auparavant"),  # 001 l.2895
]


@pytest.mark.parametrize("path, wording", OVER_READINGS)
def test_an_over_reading_corrected_against_its_seed_line_stays_corrected(path: str, wording: str):
    assert wording not in (ROOT / path).read_text(encoding="utf-8")


PADDED = ["reserve-communale-securite-civile", "creer-des-clubs", "chausser-nouvelles-lunettes", "agora"]


@pytest.mark.parametrize("ident", PADDED)
def test_a_fiche_whose_sources_give_no_steps_has_none_and_says_so(ident: str, shipped_referentiel: Referentiel):
    referentiel = shipped_referentiel
    fiche = referentiel.by_id(Fiche)[ident]
    assert fiche.etapes == []
    page = Pages(referentiel, History(ROOT)).entry(fiche)
    assert "## Étapes {#etapes}\n\nLes sources ne décrivent pas d'étapes" in page
