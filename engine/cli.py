"""The command line of the référentiel: `python build.py [commande]`, with French help."""

import argparse
import sys
from pathlib import Path

from . import problems as report
from .checking import Checker, check
from .format import KINDS
from .scaffold import Shared, create
from .schema import stale_schemas, write_schemas
from .stats import statistics

ROOT = Path(__file__).resolve().parent.parent


def command_check(args: argparse.Namespace) -> int:
    outcome = check(args.racine)
    shown = outcome.problems if args.avertissements else [p for p in outcome.problems if report.is_error(p)]
    if shown:
        print(report.render(shown, args.format))
    if args.format == "human":
        print(report.summary(outcome.problems), file=sys.stderr)
    return 0 if outcome.ok else 1


def read_shared(root: Path) -> Shared | None:
    """The vocabularies and bibliography, or None after printing why they cannot be read."""
    checker = Checker(root)
    checker.read_shared(("vocabulaires.yaml", "bibliographie.yaml"))
    errors = [problem for problem in checker.problems if report.is_error(problem)]
    if errors:
        print(report.render(errors, "human"), file=sys.stderr)
        return None
    return Shared(checker.shared["vocabulaires.yaml"].value, checker.shared["bibliographie.yaml"].value)


def command_new(args: argparse.Namespace) -> int:
    shared = read_shared(args.racine)
    if shared is None:
        return 1
    try:
        path = create(args.racine, args.sorte, args.titre, shared)
    except FileExistsError as error:
        print(f"{error.filename} existe déjà : choisissez un autre titre ou modifiez ce fichier.", file=sys.stderr)
        return 1
    print(f"Créé : {path.relative_to(args.racine)}. Complétez-le, puis lancez : python build.py check")
    return 0


def command_schema(args: argparse.Namespace) -> int:
    shared = read_shared(args.racine)
    if shared is None:
        return 1
    if args.verifier:
        stale = stale_schemas(args.racine, shared.vocabularies)
        for name in stale:
            print(f"schemas/{name} n'est pas à jour : lancez python build.py schema", file=sys.stderr)
        return 1 if stale else 0
    for path in write_schemas(args.racine, shared.vocabularies):
        print(f"Écrit : {path.relative_to(args.racine)}")
    return 0


def command_stats(args: argparse.Namespace) -> int:
    outcome = check(args.racine)
    if outcome.referentiel is None:
        print(report.render([p for p in outcome.problems if report.is_error(p)], "human"), file=sys.stderr)
        return 1
    for label, count in statistics(outcome.referentiel):
        print(f"{count:>6}  {label}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python build.py",
        description="Construit et vérifie le référentiel. Sans commande : vérifie puis construit le site dans site/.",
    )
    main.add_argument("--racine", type=Path, default=ROOT, help="dossier du référentiel (par défaut : celui-ci)")
    commands = main.add_subparsers(dest="commande", title="commandes", metavar="COMMANDE")

    checking = commands.add_parser("check", help="vérifie toutes les entrées et signale chaque problème",
                                   description="Vérifie toutes les entrées. Sort avec le code 1 s'il y a une erreur.")
    checking.add_argument("--format", choices=["human", "json", "github"], default="human",
                          help="human : une ligne par problème ; json ; github : annotations de pull request")
    checking.add_argument("--sans-avertissements", dest="avertissements", action="store_false",
                          help="n'affiche que les erreurs")
    checking.set_defaults(action=command_check)

    new = commands.add_parser("new", help="crée le squelette commenté d'une nouvelle entrée",
                              description="Crée le fichier d'une nouvelle entrée, avec l'id tiré du titre. "
                              "Ne remplace jamais un fichier existant.")
    new.add_argument("sorte", choices=list(KINDS), help="sorte d'entrée")
    new.add_argument("titre", help="titre de l'entrée, entre guillemets")
    new.set_defaults(action=command_new)

    schema = commands.add_parser("schema", help="écrit les schémas JSON pour les éditeurs dans schemas/",
                                 description="Écrit les schémas JSON dérivés du format (et des vocabulaires).")
    schema.add_argument("--verifier", action="store_true", help="vérifie seulement qu'ils sont à jour")
    schema.set_defaults(action=command_schema)

    stats = commands.add_parser("stats", help="compte les entrées, termes, sources et chronologies")
    stats.set_defaults(action=command_stats)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.commande is None:
        parser().print_help()
        return 2
    try:
        return args.action(args)
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
