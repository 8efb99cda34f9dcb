"""`python build.py publier ÉDITION`: the site of one edition, published beside the others with mike.

mike keeps each edition in its own folder of the `gh-pages` branch (`2026.1/`, `2026.2/`…) with
`versions.json`, which Material's selector of editions reads, and aliases such as `latest`. The
site of the edition is built here, like `build.py build` (strict mode, accent-insensitive search),
then handed to mike's `deploy`, which commits it to the branch; with an alias, the root of the
site leads to it (`set-default`). Pushing the branch is left to the publisher.
"""

import contextlib
import re
import tempfile
from pathlib import Path

from mike import commands as mike
from mike import git_utils

from .addresses import TEMPLATES
from .publication import FILE, Publication
from .site import Layout, build_into

BRANCH = "gh-pages"
CHANGELOG = "CHANGELOG.md"
REDIRECT = TEMPLATES / "redirection-edition.html"
"""The page at the root of the site that leads to the default edition (mike renders it, escaping `href`)."""


class PublishingError(Exception):
    """The edition could not be published; the message, in French, says why."""


def release_problems(root: Path, publication: Publication, edition: str) -> list[str]:
    """What must be ready before an edition is published: `referentiel.yaml` and `CHANGELOG.md` name it."""
    problems = []
    if publication.edition != edition:
        problems.append(f"{FILE} annonce l'édition {publication.edition}, pas {edition} : écrivez "
                        f"edition: \"{edition}\" (et la même version dans CITATION.cff)")
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    if not re.search(rf"^## \[{re.escape(edition)}\]", text, flags=re.MULTILINE):
        problems.append(f"{CHANGELOG} n'a pas de section « ## [{edition}] » : décrivez-y ce qui change dans cette "
                        "édition (python build.py changements vous en donne la liste)")
    return problems


def deploy(layout: Layout, edition: str, alias: str | None) -> None:
    """Build the prepared site of `edition` and commit it to the `gh-pages` branch, with its alias."""
    layout = Layout(layout.root.resolve())  # its paths must hold once in the référentiel's folder
    aliases = [alias] if alias else []
    try:
        with tempfile.TemporaryDirectory(prefix=".edition-", dir=layout.build) as folder, \
                contextlib.chdir(layout.root):  # mike runs git in the current folder
            site = Path(folder) / "site"
            with mike.deploy({"site_dir": str(site), "use_directory_urls": True}, edition, f"Édition {edition}",
                             aliases, update_aliases=True, branch=BRANCH):
                build_into(layout, site)
            if alias:
                with contextlib.suppress(git_utils.GitEmptyCommit):  # the root already leads to this alias
                    mike.set_default(alias, str(REDIRECT), branch=BRANCH)
    except (git_utils.GitError, ValueError) as error:
        raise PublishingError(f"mike n'a pas pu écrire la branche {BRANCH} : {error}") from None
