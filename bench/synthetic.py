"""A synthetic référentiel of any size, for the benchmarks: valid entries of every kind that
link to each other, with French text of realistic length.

    python bench/synthetic.py DOSSIER [ENTREES] [--site]

writes it under DOSSIER (1,000 entries by default); with `--site`, also builds its site in DOSSIER/site/
as `python build.py` does (check, pages, strict MkDocs build, Pagefind), without the PDFs.
"""

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("la commune les habitants une démarche de transition énergie récit coopération élus agents "
         "projet territoire écologique implication fifty-fifty réunion publique évaluation changement "
         "durable acteurs associations services confiance résilience biodiversité mobilité").split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def source(index: int) -> dict:
    return {"document": "rapport-recherche-action-ademe", "passage": f"§ {index % 9 + 1}"}


def build(destination: Path, count: int, seed: int = 1) -> Path:
    """Write `count` entries (a third of each kind) and the shared data under `destination`."""
    rng = random.Random(seed)
    root = destination
    shutil.rmtree(root, ignore_errors=True)
    (root / "data").mkdir(parents=True)
    for name in ("vocabulaires.yaml", "bibliographie.yaml"):
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    dump(root / "data" / "glossaire.yaml", {"termes": [
        {"id": f"terme-{i}", "terme": f"Terme {i}", "definition": sentence(rng, 20), "sources": [source(i)]}
        for i in range(50)]})
    for folder in ("lessons", "fiches", "territories"):
        (root / folder).mkdir(parents=True)
    thirds = count // 3
    territories = [f"territoire-{i}" for i in range(thirds)]
    lessons = [f"enseignement-{i}" for i in range(thirds)]
    fiches = [f"fiche-{i}" for i in range(count - 2 * thirds)]
    for index, ident in enumerate(territories):
        entry = {
            "id": ident, "nom": f"Territoire {index}", "resume": sentence(rng, 30), "type": "commune",
            "departement": "Pas-de-Calais", "numero_departement": "62", "region": "hauts-de-france",
            "populations": [{"valeur": rng.randint(500, 90000), "annee": 2015, "source": source(index)}],
            "recit": paragraph(rng, 8),
            "chronologie": [{"date": str(1990 + year), "evenement": sentence(rng, 12)} for year in range(5)],
            "projets": [{"nom": f"Projet {p}", "description": paragraph(rng, 2),
                         "chiffres": [{"valeur": rng.randint(1, 500), "unite": "ha", "libelle": "surface"}]}
                        for p in range(2)],
            "sources": [source(index)],
        }
        dump(root / "territories" / f"{ident}.yaml", entry)
    for index, ident in enumerate(lessons):
        entry = {
            "id": ident, "titre": sentence(rng, 10), "titre_court": f"Enseignement {index}",
            "resume": sentence(rng, 30), "famille": "recherche-action-ademe", "pole": "recit",
            "question_cle": "Comment ça commence ?", "niveau": "structurant", "quoi": paragraph(rng, 3),
            "comment": paragraph(rng, 2), "pour_quels_resultats": paragraph(rng, 2),
            "observations": [{"territoire": rng.choice(territories), "statut": "oui", "exemple": paragraph(rng, 2)}],
            "facteurs_de_reussite": [sentence(rng, 14) for _ in range(3)],
            "points_de_vigilance": [sentence(rng, 14) for _ in range(3)],
            "fiches_liees": [fiches[index % len(fiches)]],
            "sources": [source(index)],
        }
        dump(root / "lessons" / f"{ident}.yaml", entry)
    for index, ident in enumerate(fiches):
        entry = {
            "id": ident, "titre": sentence(rng, 8), "resume": sentence(rng, 30), "type": "dispositif-implication",
            "implication": "coproduction", "objectif": paragraph(rng, 2),
            "etapes": [{"titre": sentence(rng, 5), "description": paragraph(rng, 2)} for _ in range(4)],
            "qui": sentence(rng, 10), "duree": "une demi-journée", "difficultes": [sentence(rng, 12)],
            "exemples": [{"territoire": rng.choice(territories), "recit": paragraph(rng, 2), "date": "2015"}],
            "enseignements_lies": [lessons[index % len(lessons)]],
            "sources": [source(index)],
        }
        dump(root / "fiches" / f"{ident}.yaml", entry)
    return root


def dump(path: Path, entry: dict) -> None:
    text = yaml.dump(entry, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def build_site(root: Path) -> Path:
    """Check the référentiel under `root` and publish its site, without the PDFs; where the site is."""
    sys.path.insert(0, str(ROOT))
    from engine.build.site import Layout, prepare, publish
    from engine.check.checker import check

    outcome = check(root)
    if outcome.referentiel is None:
        raise SystemExit("\n".join(problem.human() for problem in outcome.problems))
    layout = Layout(root)
    prepare(outcome.referentiel, layout, printed=False)
    publish(layout)
    return layout.site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("entrees", nargs="?", type=int, default=1000, help="nombre d'entrées")
    parser.add_argument("--site", action="store_true", help="construire aussi le site (sans les PDF)")
    arguments = parser.parse_args()
    start = time.perf_counter()
    root = build(arguments.dossier, arguments.entrees)
    if arguments.site:
        site = build_site(root)
        print(f"{arguments.entrees} entrées : site construit dans {site} en {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
