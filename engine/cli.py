"""The command line of the référentiel: `python build.py [commande]`, with French help."""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import problems as report
from .checking import Checker, Outcome, check, relative
from .format import KINDS
from .progress import QUIET, Progress, on_screen

if TYPE_CHECKING:
    from .referentiel import Referentiel
    from .scaffold import Shared

# Each command imports what it needs when it runs: `check`, run at every commit, never loads MkDocs,
# mike, Jinja or ruamel (tests/test_cli.py checks it; bench/bench_startup.py measures the start-up).

ARCHIVE = "site-hors-ligne.zip"
"""The offline site's archive, at the root by default (`python build.py offline`)."""

ROOT = Path(__file__).resolve().parent.parent


def command_check(args: argparse.Namespace) -> int:
    if args.changed is None:
        outcome = check(args.racine)
    else:
        from .changes import ChangesError, check_changed

        try:
            outcome = check_changed(args.racine, args.changed)
        except ChangesError as error:
            print(error, file=sys.stderr)
            return 2
    shown = outcome.problems if args.avertissements else [p for p in outcome.problems if report.is_error(p)]
    if shown:
        print(report.render(shown, args.format))
    if args.format == "human":
        if args.changed is not None and not outcome.problems:
            print(f"Aucun problème dans les fichiers modifiés depuis {args.changed} ni dans les entrées qui y "
                  "renvoient.", file=sys.stderr)
        else:
            print(report.summary(outcome.problems), file=sys.stderr)
    return 0 if outcome.ok else 1


def read_shared(root: Path) -> "Shared | None":
    """The vocabularies and bibliography, or None after printing why they cannot be read."""
    from .scaffold import Shared, existing_ids

    checker = Checker(root)
    checker.read_shared(("vocabulaires.yaml", "bibliographie.yaml"))
    errors = [problem for problem in checker.problems if report.is_error(problem)]
    if errors:
        print(report.render(errors, "human"), file=sys.stderr)
        return None
    return Shared(checker.shared["vocabulaires.yaml"].value, checker.shared["bibliographie.yaml"].value,
                  existing_ids(root))


def command_new(args: argparse.Namespace) -> int:
    from .scaffold import TitleError, create

    shared = read_shared(args.racine)
    if shared is None:
        return 1
    try:
        path = create(args.racine, args.sorte, args.titre, shared)
    except FileExistsError as error:
        print(f"{error.filename} existe déjà : choisissez un autre titre ou modifiez ce fichier.", file=sys.stderr)
        return 1
    except TitleError as error:
        print(f"Rien n'est créé : {report.visible(str(error))}.", file=sys.stderr)
        return 1
    print(f"Créé : {path.relative_to(args.racine)}. Remplacez chaque « À compléter » (check refuse un brouillon), "
          "puis lancez : python build.py check")
    return 0


def command_schema(args: argparse.Namespace) -> int:
    from .schema import stale_schemas, write_schemas

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


def command_zenodo(args: argparse.Namespace) -> int:
    from . import zenodo

    referentiel = valid_referentiel(args.racine, ".zenodo.json n'a pas été écrit")
    if referentiel is None:
        return 1
    (args.racine / zenodo.ZENODO).write_text(zenodo.text(args.racine, referentiel.publication), encoding="utf-8")
    print(f"Écrit : {zenodo.ZENODO}, d'après referentiel.yaml et CITATION.cff")
    return 0


def command_stats(args: argparse.Namespace) -> int:
    from .stats import statistics

    outcome = check(args.racine)
    if outcome.referentiel is None:
        print(report.render([p for p in outcome.problems if report.is_error(p)], "human"), file=sys.stderr)
        return 1
    for label, count in statistics(outcome.referentiel):
        print(f"{count:>6}  {label}")
    return 0


def command_fmt(args: argparse.Namespace) -> int:
    from .formatting import entry_files, format_file
    from .loading import LoadError

    paths = [path.resolve() for path in args.fichiers] or entry_files(args.racine)
    failed = pending = 0
    for path in paths:
        display = relative(path, Path.cwd())
        try:
            formatted = format_file(path, display)
        except LoadError as error:
            failed += 1
            print(error.problem.human(), file=sys.stderr)
            continue
        except OSError as error:
            failed += 1
            reason = "introuvable" if isinstance(error, FileNotFoundError) else f"illisible ({error.strerror})"
            print(f"{display} : fichier {reason}", file=sys.stderr)
            continue
        if formatted is None:
            continue
        pending += 1
        if args.verifier:
            print(f"{display} : à remettre en forme (python build.py fmt {display})")
        else:
            path.write_text(formatted, encoding="utf-8", newline="\n")
            print(f"Remis en forme : {display}")
    return 1 if failed or (args.verifier and pending) else 0


def checked(root: Path, progress: Progress = QUIET) -> Outcome:
    """Load and check; the errors, if any, are printed in French."""
    with progress.step("Vérification du référentiel") as done:
        outcome = check(root)
        entries = outcome.referentiel.entries.values() if outcome.referentiel else []
        done.count, done.unit = sum(len(of_kind) for of_kind in entries), "entrées valides"
    errors = [problem for problem in outcome.problems if report.is_error(problem)]
    if errors:
        print(report.render(errors, "human"), file=sys.stderr)
        print(report.summary(outcome.problems), file=sys.stderr)
    return outcome


def valid_referentiel(root: Path, failure: str, progress: Progress = QUIET) -> "Referentiel | None":
    """The checked référentiel; None when it has errors, printed with `failure` (what was not done)."""
    referentiel = checked(root, progress).referentiel
    if referentiel is None:
        print(f"{failure} : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
    return referentiel


def progress(line: str) -> None:
    """A step of a long build, shown as it happens (on the error output: the result alone goes to the output)."""
    print(line, file=sys.stderr, flush=True)


def command_build(args: argparse.Namespace) -> int:
    from .atomic import one_at_a_time
    from .site import Layout, SiteError, prepare, publish

    start = time.monotonic()
    steps = on_screen()
    referentiel = valid_referentiel(args.racine, "Le site n'a pas été construit", steps)
    if referentiel is None:
        return 1
    served_packages()
    layout = Layout(args.racine)
    try:
        with one_at_a_time(layout.lock):
            prepare(referentiel, layout, booklet=args.livret, report=progress)
            publish(layout, steps)
    except SiteError as error:
        print(f"Le site n'a pas été construit : {error}", file=sys.stderr)
        print("Le site précédent, s'il existe, est resté en place.", file=sys.stderr)
        return 1
    print(f"Site construit dans {layout.site} en {time.monotonic() - start:.1f} s.")
    print(f"Pour le regarder : python build.py{root_option(args.racine)} serve, puis ouvrez http://127.0.0.1:8000/ "
          "dans un navigateur (ouvrir site/index.html directement ne montre que des listes de dossiers).")
    return 0


def served_packages() -> None:
    """The npm packages that the site serves, installed the first time; without them, the site is built
    without the page « Proposer une entrée », and the reason is printed."""
    from .npm import NpmError, install_packages
    from .site import ENGINE_ROOT

    try:
        install_packages(ENGINE_ROOT)
    except NpmError as error:
        print(f"{error}. Le site est construit sans la page « Proposer une entrée ».", file=sys.stderr)


def root_option(root: Path) -> str:
    """` --racine …` when the référentiel is not the engine's own folder."""
    return "" if root.resolve() == ROOT else f" --racine {root}"


def command_offline(args: argparse.Namespace) -> int:
    from .atomic import one_at_a_time
    from .offline import build_offline
    from .site import Layout, SiteError, prepare

    start = time.monotonic()
    steps = on_screen()
    referentiel = valid_referentiel(args.racine, "Le site hors ligne n'a pas été construit", steps)
    if referentiel is None:
        return 1
    layout = Layout(args.racine)
    archive = (args.archive or args.racine / ARCHIVE).resolve()
    try:
        with one_at_a_time(layout.lock):
            prepare(referentiel, layout, booklet=True, report=progress)
            with steps.step("Construction du site hors ligne") as done:
                build_offline(layout, archive)
                done.count, done.unit = 1, "archive zip"
    except SiteError as error:
        print(f"Le site hors ligne n'a pas été construit : {error}", file=sys.stderr)
        return 1
    print(f"Site hors ligne écrit dans {archive} en {time.monotonic() - start:.1f} s : décompressez l'archive "
          "puis ouvrez index.html dans un navigateur.")
    return 0


def command_publish(args: argparse.Namespace) -> int:
    from .atomic import one_at_a_time
    from .publishing import BRANCH, PublishingError, deploy, git_problems, push_command, release_problems
    from .site import Layout, SiteError, prepare

    start = time.monotonic()
    referentiel = valid_referentiel(args.racine, "L'édition n'a pas été publiée")
    if referentiel is None:
        return 1
    served_packages()
    problems = release_problems(args.racine, referentiel.publication, args.edition)
    problems += git_problems(args.racine, args.edition)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("L'édition n'a pas été publiée.", file=sys.stderr)
        return 1
    layout = Layout(args.racine)
    try:
        with one_at_a_time(layout.lock):
            prepare(referentiel, layout, versioned=True, booklet=True, report=progress)
            deploy(layout, args.edition, args.alias)
    except (SiteError, PublishingError) as error:
        print(f"L'édition n'a pas été publiée : {error}", file=sys.stderr)
        return 1
    alias = f", sous l'alias « {args.alias} » vers lequel mène l'adresse du site" if args.alias else ""
    print(f"Édition {args.edition} publiée dans la branche {BRANCH}{alias}, en {time.monotonic() - start:.1f} s. "
          f"Pour la mettre en ligne : {push_command(args.racine, args.edition)}")
    return 0


def command_changes(args: argparse.Namespace) -> int:
    from .changelog import changes_base, summary
    from .editions import compare, entries_at

    current = None
    if args.depuis is None or args.jusqua is None:  # the edition to start from, or the state to end at
        current = checked(args.racine).referentiel
        if current is None:
            return 1
    since = args.depuis or changes_base(args.racine, current.publication.edition)
    if since is None:
        print("Aucune édition n'a précédé celle-ci : donnez la révision de départ (ex. python build.py changements "
              "2026.1).", file=sys.stderr)
        return 1
    for revision in (since, args.jusqua or ""):
        if revision.startswith("-"):
            print(f"« {revision} » n'est pas une révision git (ex. 2026.1, HEAD, main)", file=sys.stderr)
            return 2
    try:
        older = entries_at(args.racine, since)
        newer = entries_at(args.racine, args.jusqua) if args.jusqua else current.entries
    except subprocess.CalledProcessError:
        print(f"révision git inconnue : « {since} »{f' ou « {args.jusqua} »' if args.jusqua else ''} "
              "(ex. 2026.1, HEAD, main)", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"{error} : comparaison impossible", file=sys.stderr)
        return 1
    if current is not None and args.depuis is None and since == current.publication.edition:
        print(f"L'édition {since} est déjà publiée (balise git) : avant de publier ces changements, passez "
              f"edition à l'édition suivante dans referentiel.yaml et CITATION.cff.", file=sys.stderr)
    print(f"Changements des entrées de {since} à {args.jusqua or 'l’état actuel du référentiel'} :\n")
    print("\n".join(summary(compare(older, newer))).rstrip())
    return 0


def command_serve(args: argparse.Namespace) -> int:
    from .preview import serve
    from .site import Layout

    return serve(Layout(args.racine), args.adresse)


_ARGPARSE_ERRORS = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"argument \1 : choix invalide \2 (choisir parmi \3)"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"argument (.*?): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (.*?): invalid (.*?) value: (.*)", r"argument \1 : valeur invalide \3"),
]


class FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse speaking French: usage line, section titles, the help option and errors."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", FrenchFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str):  # type: ignore[override]
        for pattern, french in _ARGPARSE_ERRORS:
            message = re.sub(pattern, french, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def parser() -> argparse.ArgumentParser:
    main = FrenchParser(
        prog="python build.py",
        description="Construit et vérifie le référentiel. Sans commande : vérifie puis construit le site dans site/.",
    )
    main.add_argument("--racine", type=Path, default=ROOT, help="dossier du référentiel (par défaut : celui-ci)")
    main.add_argument("--livret", action="store_true",
                      help="construire : remet aussi en page le livret PDF de tout le référentiel (offline et publier "
                      "le font toujours ; sans cela, le livret n'est publié que s'il est déjà à jour)")
    commands = main.add_subparsers(dest="commande", title="commandes", metavar="COMMANDE")

    checking = commands.add_parser("check", help="vérifie toutes les entrées et signale chaque problème",
                                   description="Vérifie toutes les entrées. Sort avec le code 1 s'il y a une erreur.")
    checking.add_argument("--format", choices=["human", "json", "github"], default="human",
                          help="human : une ligne par problème ; json ; github : annotations de pull request")
    checking.add_argument("--sans-avertissements", dest="avertissements", action="store_false",
                          help="n'affiche que les erreurs")
    checking.add_argument("--changed", nargs="?", const="HEAD", metavar="RÉVISION",
                          help="tout est vérifié, mais seuls sont signalés les problèmes des fichiers modifiés depuis "
                          "RÉVISION (HEAD par défaut ; ex. origin/main), fichiers nouveaux compris, et des entrées "
                          "qui renvoient à eux")
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

    fmt = commands.add_parser("fmt", help="range les champs des entrées dans l'ordre du format, sans rien perdre",
                              description="Remet en forme les fichiers d'entrées : champs dans l'ordre du format "
                              "(aussi dans les sources, étapes, observations…), indentation de 2 espaces. Les "
                              "commentaires, les valeurs et les retours à la ligne des textes sont conservés.")
    fmt.add_argument("fichiers", nargs="*", type=Path, metavar="FICHIER",
                     help="fichiers à remettre en forme (par défaut : toutes les entrées)")
    fmt.add_argument("--verifier", action="store_true",
                     help="ne modifie rien : liste les fichiers à remettre en forme et sort avec le code 1 s'il y en a")
    fmt.set_defaults(action=command_fmt)

    stats = commands.add_parser("stats", help="compte les entrées, termes, sources et chronologies")
    stats.set_defaults(action=command_stats)

    building = commands.add_parser("build", help="vérifie puis construit le site dans site/ (par défaut)",
                                   description="Vérifie le référentiel, écrit les pages dans build/ puis construit "
                                   "le site en mode strict. Le site précédent n'est remplacé qu'en cas de succès.")
    building.add_argument("--livret", action="store_true", default=argparse.SUPPRESS,
                          help="remet aussi en page le livret PDF de tout le référentiel")
    building.set_defaults(action=command_build)

    offline = commands.add_parser("offline", help="construit le site hors ligne, en archive zip",
                                  description="Vérifie le référentiel puis écrit le site, PDF compris, dans une "
                                  "archive zip qui s'ouvre sans connexion ni serveur : décompressez-la et ouvrez "
                                  "index.html. La recherche fonctionne aussi. Au premier usage, installe avec npm "
                                  "le shim de la recherche hors ligne (iframe-worker).")
    offline.add_argument("archive", nargs="?", type=Path, metavar="ARCHIVE",
                         help=f"chemin de l'archive à écrire (par défaut : {ARCHIVE} à la racine)")
    offline.set_defaults(action=command_offline)

    publishing = commands.add_parser(
        "publier", help="publie une édition du site à côté des précédentes (branche gh-pages, avec mike)",
        description="Vérifie le référentiel, construit le site de l'édition ÉDITION et l'ajoute à la branche gh-pages "
        "avec mike, dans le dossier ÉDITION/, à côté des éditions précédentes ; le sélecteur d'éditions du site "
        "les propose toutes. referentiel.yaml, CITATION.cff et CHANGELOG.md doivent nommer cette édition.")
    publishing.add_argument("edition", metavar="ÉDITION", help="l'édition publiée, AAAA.N (ex. 2026.1)")
    publishing.add_argument("--alias", metavar="ALIAS",
                            help="un alias qui suit la dernière édition (ex. latest) : l'adresse du site y mène")
    publishing.set_defaults(action=command_publish)

    zenodo_command = commands.add_parser(
        "zenodo", help="écrit .zenodo.json (le DOI de chaque édition) d'après referentiel.yaml et CITATION.cff",
        description="Écrit .zenodo.json, que l'intégration GitHub de Zenodo lit pour archiver chaque édition avec "
        "son DOI : titre, description, édition et licence de referentiel.yaml, auteurs, mots-clés et date de "
        "CITATION.cff. check signale un .zenodo.json qui ne concorde plus avec eux.")
    zenodo_command.set_defaults(action=command_zenodo)

    changes = commands.add_parser(
        "changements", help="liste les entrées ajoutées, retirées, renommées et modifiées entre deux éditions",
        description="Compare les entrées entre deux révisions git (éditions, branches, commits) et écrit la liste "
        "des changements au format de CHANGELOG.md. Par défaut : de l'édition précédente à l'état actuel.")
    changes.add_argument("depuis", nargs="?", metavar="DEPUIS",
                         help="révision de départ (par défaut : l'édition qui précède celle de referentiel.yaml)")
    changes.add_argument("jusqua", nargs="?", metavar="JUSQUA",
                         help="révision d'arrivée (par défaut : l'état actuel des fichiers)")
    changes.set_defaults(action=command_changes)

    serving = commands.add_parser("serve", help="aperçu en direct du site, mis à jour à chaque modification",
                                  description="Construit les pages et sert le site en local ; chaque modification "
                                  "d'un fichier YAML ou d'une page de content/ met l'aperçu à jour.")
    serving.add_argument("--adresse", default="127.0.0.1:8000",
                         help="adresse et port du serveur d'aperçu (par défaut : 127.0.0.1:8000)")
    serving.set_defaults(action=command_serve)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.commande is None:
        args.action = command_build
    try:
        return args.action(args)
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
