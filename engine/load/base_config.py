"""`mkdocs.yml`, the base configuration of the site, read under the rule of every input.

It is read with the engine's loader first (size, lines, nesting and aliases capped, no tags: a
`!!python/…` tag is refused), and only then given its YAML types. What would let it run code or load
from elsewhere is refused at its line: hooks (Python files run by MkDocs), `INHERIT` (another file, anywhere),
the folders that the build sets itself, and scripts or style sheets that are not files of `assets/`.
"""

from pathlib import Path
from typing import Any

import yaml

from engine.load.documents import Document, LoadError, parse
from engine.load.inputs import read_text
from engine.load.problems import Problem

FILE = "mkdocs.yml"
ENGINE_FILE = Path(__file__).resolve().parents[2] / FILE
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REFUSED_KEYS = {
    "hooks": "les hooks exécutent du code Python pendant la construction",
    "INHERIT": "INHERIT lit un autre fichier, où qu'il soit",
    "docs_dir": "la construction choisit elle-même le dossier des pages",
    "site_dir": "la construction choisit elle-même le dossier du site",
    "extra_templates": "les gabarits supplémentaires ne passent pas par les vérifications",
    "watch": "l'aperçu choisit lui-même les dossiers qu'il surveille",
}
"""Top-level keys refused, with why."""
MIKE_DOCS_DIR = "content"
"""The one `docs_dir` accepted: the free pages' folder, so that mike's own commands run at the root find a
complete configuration (`mike list`); the build replaces it with its own folder."""
PLUGINS = {"search", "tags", "offline"}
"""Plugins allowed (the build adds `redirects` itself): another one may run code on the pages (`macros`) or
fetch from elsewhere at build time (`privacy`)."""
EXTENSIONS = {"abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "sane_lists", "tables",
              "toc", "pymdownx.caret", "pymdownx.details", "pymdownx.mark", "pymdownx.smartsymbols",
              "pymdownx.tabbed", "pymdownx.tilde"}
"""Markdown extensions allowed: `pymdownx.snippets` would include any file of the machine into a page."""
EXTRA = {"generator"}
"""Keys of `extra` allowed: the build fills `extra` itself; the theme prints the others (`social`, `analytics`,
`consent`, `homepage`…) as they are, as links or scripts."""


def config_file(root: Path) -> Path:
    """The référentiel's own `mkdocs.yml` (even a link, to be refused), or the engine's."""
    own = root / FILE
    return own if own.exists() or own.is_symlink() else ENGINE_FILE


def _local_asset(item: Any) -> bool:
    path = item.get("path") if isinstance(item, dict) else item
    return (isinstance(path, str) and path.startswith("assets/") and ".." not in path.split("/")
            and ":" not in path and "\\" not in path)


def _named(key: str, allowed: set[str], label: str, document: Document) -> list[Problem]:
    """A list of names (or of one-key mappings: a name and its settings) holds allowed names only."""
    items = document.data.get(key) or []
    problems = []
    for index, item in enumerate(items if isinstance(items, list) else [items]):
        name = next(iter(item), None) if isinstance(item, dict) else item
        if name not in allowed:
            problems.append(document.problem((key, index), f"« {name} » refusé dans {key} : les autres {label}s "
                                             "que " + ", ".join(sorted(allowed)) + " peuvent lire des fichiers, "
                                             "exécuter du code ou charger depuis ailleurs"))
    return problems


def read(root: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The base configuration, or the problems that keep it from being used."""
    path = config_file(root)
    display = FILE if path != ENGINE_FILE else path.as_posix()
    try:
        text = read_text(path, display)
        document = parse(text, display)
    except LoadError as error:
        return None, [error.problem]
    if not isinstance(document.data, dict):
        return None, [Problem(display, 1, 1, "", "le fichier doit contenir des champs « nom: valeur »")]
    problems = [document.problem((key,), f"« {key} » refusé : {why}", key=True)
                for key, why in REFUSED_KEYS.items() if key in document.data
                and not (key == "docs_dir" and document.data[key] == MIKE_DOCS_DIR)]
    theme = document.data.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name not in (None, "material"):  # only another theme, named, is refused
        problems.append(document.problem(("theme", "name") if isinstance(theme, dict) and "name" in theme
                                          else ("theme",), f"thème « {name} » refusé : le site est construit avec "
                                          "Material et les gabarits vérifiés du moteur ; écrivez name: material"))
    if isinstance(theme, dict) and "custom_dir" in theme:
        problems.append(document.problem(("theme", "custom_dir"), "custom_dir refusé : la construction utilise "
                                          "les gabarits vérifiés du moteur (overrides/)", key=True))
    for key in ("logo", "favicon"):
        if isinstance(theme, dict) and key in theme and not _local_asset(theme[key]):
            problems.append(document.problem(("theme", key), f"{key} « {theme[key]} » refusé : une image du thème est "
                                              "un fichier du dossier assets/ (aucune adresse extérieure)"))
    if isinstance(theme, dict) and theme.get("font") not in (None, "false"):
        problems.append(document.problem(("theme", "font"), "font refusé : le thème chargerait ses polices chez "
                                          "Google depuis chaque page ; écrivez font: false"))
    problems += _named("plugins", PLUGINS, "greffon", document)
    problems += _named("markdown_extensions", EXTENSIONS, "module", document)
    extra = document.data.get("extra")
    for key in extra if isinstance(extra, dict) else []:
        if key not in EXTRA:
            problems.append(document.problem(("extra", key), f"« extra.{key} » refusé : le thème l'imprimerait tel "
                                             "quel (lien, script) ; la construction remplit extra elle-même", key=True))
    for key in ("extra_javascript", "extra_css"):
        items = document.data.get(key) or []
        for index, item in enumerate(items if isinstance(items, list) else [items]):
            if not _local_asset(item):
                problems.append(document.problem(
                    (key, index), f"« {item} » refusé : un script ou une feuille de style est un fichier du dossier "
                    "assets/ (aucune adresse extérieure)"))
    if problems:
        return None, problems
    return yaml.load(text, Loader=_SafeLoader), []  # bounded: the loader above accepted it


def markdown_extensions(root: Path) -> list[Any] | None:
    """The Markdown extensions of the site, or None when the configuration cannot be read (reported)."""
    config, _ = read(root)
    return config.get("markdown_extensions") if config else None
