"""The command line of the référentiel: `python build.py [commande]`, with French help."""

import argparse
import sys
from pathlib import Path

from . import problems as report
from .checking import check

ROOT = Path(__file__).resolve().parent.parent


def command_check(args: argparse.Namespace) -> int:
    outcome = check(args.racine)
    shown = outcome.problems if args.avertissements else [p for p in outcome.problems if report.is_error(p)]
    if shown:
        print(report.render(shown, args.format))
    if args.format == "human":
        print(report.summary(outcome.problems), file=sys.stderr)
    return 0 if outcome.ok else 1


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
