"""The command line of the référentiel: `python build.py [commande]`, with French help."""

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from engine.build.progress import QUIET, Progress, on_screen
from engine.check.checker import Checker, Outcome, check, relative
from engine.load import problems as report
from engine.model.format import KINDS, Bibliography, Vocabularies

if TYPE_CHECKING:
    from engine.build.late_pdfs import LatePdfs
    from engine.build.site import Layout
    from engine.check.referentiel import Referentiel
    from engine.edit.skeleton import Shared

# Each command imports what it needs when it runs: `check`, run at every commit, never loads MkDocs,
# mike, Jinja or ruamel (tests/test_cli.py checks it; bench/bench_startup.py measures the start-up).

ARCHIVE = "site-hors-ligne.zip"
"""The offline site's archive, at the root by default (`python build.py hors-ligne`)."""

ROOT = Path(__file__).resolve().parent.parent


def command_check(args: argparse.Namespace) -> int:
    if args.changed is None:
        outcome = check(args.racine)
    else:
        from engine.check.changed_files import ChangesError, check_changed

        try:
            outcome = check_changed(args.racine, args.changed)
        except ChangesError as error:
            print(error, file=sys.stderr)
            return 2
    shown = outcome.problems if args.avertissements else [p for p in outcome.problems if report.is_error(p)]
    if shown:
        print(report.render(shown, args.format))
    if args.format == "humain":
        if args.changed is not None and not outcome.problems:
            print(f"Aucun problème dans les fichiers modifiés depuis {args.changed} ni dans les entrées qui y "
                  "renvoient.", file=sys.stderr)
        else:
            print(report.summary(outcome.problems), file=sys.stderr)
    return 0 if outcome.ok else 1


def read_shared(root: Path) -> "Shared | None":
    """The vocabularies and bibliography, or None after printing why they cannot be read."""
    from engine.edit.skeleton import Shared, existing_ids

    checker = Checker(root)
    checker.read_shared(("vocabulaires.yaml", "bibliographie.yaml"))
    errors = [problem for problem in checker.problems if report.is_error(problem)]
    if errors:
        print(report.render(errors, "human"), file=sys.stderr)
        return None
    vocabularies, bibliography = checker.valid(Vocabularies), checker.valid(Bibliography)
    assert vocabularies and bibliography, "both were read without error"
    return Shared(vocabularies, bibliography, existing_ids(root))


def command_new(args: argparse.Namespace) -> int:
    from engine.edit.skeleton import TitleError, create

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
    verify = "check" if args.commande == "new" else "verifier"  # the verbs the command was given in
    print(f"Créé : {path.relative_to(args.racine)}. Remplacez chaque « À compléter » ({verify} refuse un brouillon), "
          f"puis lancez : python build.py {verify}")
    return 0


def command_schema(args: argparse.Namespace) -> int:
    from engine.check.json_schemas import stale_schemas, write_schemas

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
    from engine.check import zenodo
    from engine.load.inputs import write_text

    referentiel = valid_referentiel(args.racine, ".zenodo.json n'a pas été écrit")
    if referentiel is None:
        return 1
    write_text(args.racine / zenodo.ZENODO, zenodo.text(args.racine, referentiel.publication))
    print(f"Écrit : {zenodo.ZENODO}, d'après referentiel.yaml et CITATION.cff")
    return 0


def command_stats(args: argparse.Namespace) -> int:
    from engine.edit.stats import statistics

    outcome = check(args.racine)
    if outcome.referentiel is None:
        print(report.render([p for p in outcome.problems if report.is_error(p)], "human"), file=sys.stderr)
        return 1
    for label, count in statistics(outcome.referentiel):
        print(f"{count:>6}  {label}")
    return 0


def command_fmt(args: argparse.Namespace) -> int:
    from engine.edit.tidy import entry_files, format_file
    from engine.load.documents import LoadError

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
            print(f"{display} : à remettre en forme (python build.py {args.commande} {display})")
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
    """A step of a long build, shown as it happens (on the error output: the result alone goes to the output), in
    one write: lines come from two threads while the PDFs are laid out."""
    on_screen().say(line)


@dataclass(frozen=True)
class Building:
    """What a command that builds does between its checks and its report (see `build`)."""

    failure: str
    """What was not done, said when it fails: « Le site n'a pas été construit »."""
    act: "Callable[[Layout, Progress, LatePdfs], None]"
    """What it does with the prepared build folder, its steps shown by the progress given; the PDFs still being
    laid out are given when `overlap` (see `late_pdfs`), none otherwise."""
    done: Callable[[float], str]
    """What it says when it succeeds, given the seconds it took."""
    versioned: bool = False
    """Whether the site is one edition among others (`prepare`)."""
    booklet: bool = True
    """Whether the booklet of the whole référentiel is laid out again (`prepare`)."""
    overlap: bool = False
    """Whether `act` runs while the PDFs are laid out, and writes them (`prepare_overlapped`)."""
    served: bool = True
    """Whether the npm packages the site serves are installed first (`served_packages`)."""
    shown: bool = True
    """Whether the steps of the check are shown as they happen."""
    ready: "Callable[[Referentiel], list[str]]" = lambda referentiel: []
    """What must be fixed first, once the référentiel is known to be valid (each printed, nothing is built)."""
    errors: tuple[type[Exception], ...] = ()
    """The failures it explains in French, besides the site's own (`SiteError`)."""
    kept: str = ""
    """Said after a failure: what was left in place."""


def build(root: Path, building: Building) -> int:
    """The sequence of every command that builds: check, take the lock, prepare the build folder, act, report."""
    from engine.build.atomic import one_at_a_time
    from engine.build.site import Layout, SiteError, prepare_overlapped

    start = time.monotonic()
    steps = on_screen() if building.shown else QUIET
    referentiel = valid_referentiel(root, building.failure, steps)
    if referentiel is None:
        return 1
    if building.served:
        served_packages()
    problems = building.ready(referentiel)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{building.failure}.", file=sys.stderr)
        return 1
    layout = Layout(root)
    errors: tuple[type[Exception], ...] = (SiteError, *building.errors)
    try:
        with one_at_a_time(layout.lock):
            _, late = prepare_overlapped(referentiel, layout, versioned=building.versioned, booklet=building.booklet,
                                         report=progress, overlap=building.overlap)
            try:
                building.act(layout, steps, late)
            finally:
                late.close()
    except errors as error:
        print(f"{building.failure} : {error}", file=sys.stderr)
        if building.kept:
            print(building.kept, file=sys.stderr)
        return 1
    print(building.done(time.monotonic() - start))
    return 0


def command_build(args: argparse.Namespace) -> int:
    from engine.build.site import Layout, publish

    site = Layout(args.racine).site
    preview = "apercu" if args.commande == "construire" else "serve"  # in the language the command was given in
    return build(args.racine, Building(
        "Le site n'a pas été construit", publish,
        lambda seconds: f"Site construit dans {site} en {seconds:.1f} s.\nPour le regarder : python build.py"
        f"{root_option(args.racine)} {preview}, puis ouvrez http://127.0.0.1:8000/ dans un navigateur (ouvrir "
        "site/index.html directement ne montre que des listes de dossiers).",
        booklet=args.livret, overlap=True, kept="Le site précédent, s'il existe, est resté en place."))


def served_packages() -> None:
    """The npm packages that the site serves, installed the first time; without them, the site is built
    without the page « Proposer une entrée », and the reason is printed."""
    from engine.build.npm import NpmError, install_packages
    from engine.build.site import ENGINE_ROOT

    try:
        install_packages(ENGINE_ROOT)
    except NpmError as error:
        print(f"{error}. Le site est construit sans la page « Proposer une entrée ».", file=sys.stderr)


def root_option(root: Path) -> str:
    """` --racine …` when the référentiel is not the engine's own folder."""
    return "" if root.resolve() == ROOT else f" --racine {root}"


def command_offline(args: argparse.Namespace) -> int:
    from engine.build.offline import build_offline

    archive = (args.archive or args.racine / ARCHIVE).resolve()

    def act(layout: "Layout", steps: Progress, _: "LatePdfs") -> None:
        with steps.step("Construction du site hors ligne") as done:
            build_offline(layout, archive)
            done.count, done.unit = 1, "archive zip"

    return build(args.racine, Building(
        "Le site hors ligne n'a pas été construit", act,
        lambda seconds: f"Site hors ligne écrit dans {archive} en {seconds:.1f} s : décompressez l'archive puis ouvrez "
        "index.html dans un navigateur.", served=False))


def command_publish(args: argparse.Namespace) -> int:
    from engine.publish.gh_pages import (
        BRANCH,
        PublishingError,
        alias_problems,
        deploy,
        git_problems,
        push_command,
        release_problems,
    )

    alias = f", sous l'alias « {args.alias} » vers lequel mène l'adresse du site" if args.alias else ""
    return build(args.racine, Building(
        "L'édition n'a pas été publiée", lambda layout, _, __: deploy(layout, args.edition, args.alias),
        lambda seconds: f"Édition {args.edition} publiée dans la branche {BRANCH}{alias}, en {seconds:.1f} s. "
        f"Pour la mettre en ligne : {push_command(args.racine, args.edition)}",
        versioned=True, shown=False,
        ready=lambda referentiel: [*alias_problems(args.alias),
                                   *release_problems(args.racine, referentiel.publication, args.edition),
                                   *git_problems(args.racine, args.edition)],
        errors=(PublishingError,)))


def command_changes(args: argparse.Namespace) -> int:
    from engine.check.edition_diff import compare, entries_at
    from engine.load.repository import changes_base
    from engine.render.changes_page import summary

    current: Referentiel | None = None
    if args.depuis is None or args.jusqua is None:  # the edition to start from, or the state to end at
        current = checked(args.racine).referentiel
        if current is None:
            return 1
    since = args.depuis
    if since is None and current is not None:
        since = changes_base(args.racine, current.publication.edition)
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
        newer = current.entries if current is not None and not args.jusqua else entries_at(args.racine, args.jusqua)
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


def command_resident(args: argparse.Namespace) -> int:
    from engine.resident.client import state

    found = state(str(args.racine), stop=args.arreter)
    if found is None:
        print(f"Aucun vérificateur résident pour {args.racine}.")
    else:
        print(f"Vérificateur résident {'arrêté' if args.arreter else 'en marche'} pour {args.racine} (processus "
              f"{found[0]}, {found[1]} demande(s) servie(s)).")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    from engine.build.site import Layout
    from engine.edit.preview import serve

    return serve(Layout(args.racine), args.adresse)


_ARGPARSE_ERRORS = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"argument \1 : choix invalide \2 (choisir parmi \3)"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"argument (.*?): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (.*?): invalid (.*?) value: (.*)", r"argument \1 : valeur invalide \3"),
]


class FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse speaking French: usage line, section titles, the help option and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", FrenchFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str) -> NoReturn:
        for pattern, french in _ARGPARSE_ERRORS:
            message = re.sub(pattern, french, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


FORMATS = {"humain": "humain", "human": "humain", "json": "json", "github": "github"}
"""The formats of `verifier --format`, and the English name it had before (`human`)."""


def _format(value: str) -> str:
    return FORMATS.get(value, value)


class Commands:
    """The subcommands, each under its French verb, and under its former English name for a while (that name
    works as before, with its own usage line, but is no longer listed: the help mentions it)."""

    def __init__(self, main: argparse.ArgumentParser):
        self.commands = main.add_subparsers(dest="commande", title="commandes", metavar="COMMANDE")

    def add(self, verb: str, former: str | None, action: Callable[[argparse.Namespace], int], help: str,
            description: str | None = None, arguments: Callable[[argparse.ArgumentParser], None] = lambda _: None,
            ) -> None:
        listed = help + (f" (ancien nom : {former})" if former else "")
        commands = [self.commands.add_parser(verb, help=listed, description=description)]
        if former:
            commands.append(self.commands.add_parser(former, description=description))  # without help: not listed
        for command in commands:
            arguments(command)
            command.set_defaults(action=action)


def _check_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", type=_format, choices=["humain", "json", "github"], default="humain",
                         help="humain : une ligne par problème ; json ; github : annotations de pull request")
    command.add_argument("--sans-avertissements", dest="avertissements", action="store_false",
                         help="n'affiche que les erreurs")
    command.add_argument("--modifies", dest="changed", nargs="?", const="HEAD", metavar="RÉVISION",
                         help="tout est vérifié, mais seuls sont signalés les problèmes des fichiers modifiés depuis "
                         "RÉVISION (HEAD par défaut ; ex. origin/main), fichiers nouveaux compris, et des entrées "
                         "qui renvoient à eux")
    command.add_argument("--changed", dest="changed", nargs="?", const="HEAD", metavar="RÉVISION",
                         help=argparse.SUPPRESS)  # its former name


def _new_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("sorte", choices=list(KINDS), help="sorte d'entrée")
    command.add_argument("titre", help="titre de l'entrée, entre guillemets")


def _schema_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--verifier", action="store_true", help="vérifie seulement qu'ils sont à jour")


def _fmt_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("fichiers", nargs="*", type=Path, metavar="FICHIER",
                         help="fichiers à remettre en forme (par défaut : toutes les entrées)")
    command.add_argument("--verifier", action="store_true",
                         help="ne modifie rien : liste les fichiers à remettre en forme et sort avec le code 1 s'il y "
                         "en a")


def _build_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--livret", action="store_true", default=argparse.SUPPRESS,
                         help="remet aussi en page le livret PDF de tout le référentiel")


def _offline_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("archive", nargs="?", type=Path, metavar="ARCHIVE",
                         help=f"chemin de l'archive à écrire (par défaut : {ARCHIVE} à la racine)")


def _publish_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("edition", metavar="ÉDITION", help="l'édition publiée, AAAA.N (ex. 2026.1)")
    command.add_argument("--alias", metavar="ALIAS",
                         help="un alias qui suit la dernière édition (ex. latest) : l'adresse du site y mène")


def _changes_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("depuis", nargs="?", metavar="DEPUIS",
                         help="révision de départ (par défaut : l'édition qui précède celle de referentiel.yaml)")
    command.add_argument("jusqua", nargs="?", metavar="JUSQUA",
                         help="révision d'arrivée (par défaut : l'état actuel des fichiers)")


def _serve_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--adresse", default="127.0.0.1:8000",
                         help="adresse et port du serveur d'aperçu (par défaut : 127.0.0.1:8000)")


def _resident_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--arreter", action="store_true", help="arrête le vérificateur résident")


def parser() -> argparse.ArgumentParser:
    main = FrenchParser(
        prog="python build.py",
        description="Construit et vérifie le référentiel. Sans commande : vérifie puis construit le site dans site/.",
    )
    main.add_argument("--racine", type=Path, default=ROOT, help="dossier du référentiel (par défaut : celui-ci)")
    main.add_argument("--livret", action="store_true",
                      help="construire (ou construire --livret) : remet aussi en page le livret PDF de tout le "
                      "référentiel (hors-ligne et publier le font toujours ; sans cela, le livret n'est publié que "
                      "s'il est déjà à jour)")
    main.add_argument("--resident", action="store_true",
                      help="verifier et ranger --verifier passent par le vérificateur résident du référentiel, qui "
                      "garde le moteur chargé : ils ne rechargent ni pydantic ni les modèles (le premier appel le "
                      "lance en arrière-plan ; il s'arrête après 15 min sans demande) ; sans effet sur les autres "
                      "commandes et sous Windows")
    commands = Commands(main)
    commands.add("verifier", "check", command_check, "vérifie toutes les entrées et signale chaque problème",
                 "Vérifie toutes les entrées. Sort avec le code 1 s'il y a une erreur.", _check_arguments)
    commands.add("nouveau", "new", command_new, "crée le squelette commenté d'une nouvelle entrée",
                 "Crée le fichier d'une nouvelle entrée, avec l'id tiré du titre. Ne remplace jamais un fichier "
                 "existant.", _new_arguments)
    commands.add("schema", None, command_schema, "écrit les schémas JSON pour les éditeurs dans schemas/",
                 "Écrit les schémas JSON dérivés du format (et des vocabulaires).", _schema_arguments)
    commands.add("ranger", "fmt", command_fmt, "range les champs des entrées dans l'ordre du format, sans rien perdre",
                 "Remet en forme les fichiers d'entrées : champs dans l'ordre du format (aussi dans les sources, "
                 "étapes, observations…), indentation de 2 espaces. Les commentaires, les valeurs et les retours à la "
                 "ligne des textes sont conservés.", _fmt_arguments)
    commands.add("stats", None, command_stats, "compte les entrées, termes, sources et chronologies")
    commands.add("construire", "build", command_build, "vérifie puis construit le site dans site/ (par défaut)",
                 "Vérifie le référentiel, écrit les pages dans build/ puis construit le site en mode strict. Le site "
                 "précédent n'est remplacé qu'en cas de succès.", _build_arguments)
    commands.add("hors-ligne", "offline", command_offline, "construit le site hors ligne, en archive zip",
                 "Vérifie le référentiel puis écrit le site, PDF compris, dans une archive zip qui s'ouvre sans "
                 "connexion ni serveur : décompressez-la et ouvrez index.html. La recherche fonctionne aussi. "
                 "Demande « npm ci ».", _offline_arguments)
    commands.add("publier", None, command_publish,
                 "publie une édition du site à côté des précédentes (branche gh-pages, avec mike)",
                 "Vérifie le référentiel, construit le site de l'édition ÉDITION et l'ajoute à la branche gh-pages "
                 "avec mike, dans le dossier ÉDITION/, à côté des éditions précédentes ; le sélecteur d'éditions du "
                 "site les propose toutes. referentiel.yaml, CITATION.cff et CHANGELOG.md doivent nommer cette "
                 "édition.", _publish_arguments)
    commands.add("zenodo", None, command_zenodo,
                 "écrit .zenodo.json (le DOI de chaque édition) d'après referentiel.yaml et CITATION.cff",
                 "Écrit .zenodo.json, que l'intégration GitHub de Zenodo lit pour archiver chaque édition avec son "
                 "DOI : titre, description, édition et licence de referentiel.yaml, auteurs, mots-clés et date de "
                 "CITATION.cff. verifier signale un .zenodo.json qui ne concorde plus avec eux.")
    commands.add("changements", None, command_changes,
                 "liste les entrées ajoutées, retirées, renommées et modifiées entre deux éditions",
                 "Compare les entrées entre deux révisions git (éditions, branches, commits) et écrit la liste des "
                 "changements au format de CHANGELOG.md. Par défaut : de l'édition précédente à l'état actuel.",
                 _changes_arguments)
    commands.add("apercu", "serve", command_serve, "aperçu en direct du site, mis à jour à chaque modification",
                 "Construit les pages et sert le site en local ; chaque modification d'un fichier YAML ou d'une page "
                 "de content/ met l'aperçu à jour.", _serve_arguments)
    commands.add("resident", None, command_resident, "dit si le vérificateur résident tourne ; --arreter l'arrête",
                 "Le vérificateur résident (python build.py --resident verifier) garde le moteur chargé pour que "
                 "verifier et ranger --verifier démarrent aussitôt. Cette commande dit s'il tourne pour ce "
                 "référentiel, et l'arrête avec --arreter.", _resident_arguments)
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
