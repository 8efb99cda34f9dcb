"""`python build.py publier ÉDITION`: the site of one edition, published beside the others with mike.

mike keeps each edition in its own folder of the `gh-pages` branch (`2026.1/`, `2026.2/`…) with
`versions.json`, which Material's selector of editions reads, and aliases such as `latest`. The
site of the edition is built here, like `build.py build` (strict mode, accent-insensitive search),
then handed to mike's `deploy`, which commits it to the branch; with an alias, the root of the
site leads to it (`set-default`). Pushing the branch is left to the publisher. Without an address,
the edition still gets a plan of its pages (`stand_in_sitemap`), by which the selector of editions
lands on the same page of another edition.
"""

import contextlib
import re
import subprocess
import tempfile
from html import escape
from pathlib import Path

from mike import commands as mike
from mike import git_utils

from engine.build.site import Layout, build_into
from engine.check.publication import FILE, Publication
from engine.load.documents import LoadError
from engine.load.inputs import read_text
from engine.load.repository import commit_of, git, is_repository, uncommitted
from engine.render.addresses import TEMPLATES

BRANCH = "gh-pages"
CHANGELOG = "CHANGELOG.md"
REDIRECT = TEMPLATES / "redirection-edition.html"
"""The page at the root of the site that leads to the default edition (mike renders it, escaping `href`)."""
ALIAS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
"""An alias is the name of a folder beside the editions (`latest`, `derniere`): the root of the site leads to
`alias/`, so it may hold no scheme (`javascript:`), no slash, no quote, no space."""


def alias_problems(alias: str | None) -> list[str]:
    """Why an alias cannot be the folder that the root of the site leads to."""
    if alias is None or ALIAS.fullmatch(alias):
        return []
    return [f"alias « {alias} » refusé : un alias est un nom de dossier (lettres sans accents, chiffres, « . », "
            "« - » ou « _ », au plus 40 caractères), par exemple latest"]


class PublishingError(Exception):
    """The edition could not be published; the message, in French, says why."""


def release_problems(root: Path, publication: Publication, edition: str) -> list[str]:
    """What must be ready before an edition is published: `referentiel.yaml` and `CHANGELOG.md` name it."""
    problems = []
    if publication.edition != edition:
        problems.append(f"{FILE} annonce l'édition {publication.edition}, pas {edition} : écrivez "
                        f"edition: \"{edition}\" (et la même version dans CITATION.cff)")
    changelog = root / CHANGELOG
    try:
        text = read_text(changelog, CHANGELOG) if changelog.exists() or changelog.is_symlink() else ""
    except LoadError as error:
        return [*problems, error.problem.human()]
    if not re.search(rf"^## \[{re.escape(edition)}\]", text, flags=re.MULTILINE):
        problems.append(f"{CHANGELOG} n'a pas de section « ## [{edition}] » : décrivez-y ce qui change dans cette "
                        "édition (python build.py changements vous en donne la liste)")
    return problems


def git_problems(root: Path, edition: str) -> list[str]:
    """What would make the published edition impossible to rebuild from git: no tag `edition` on HEAD, or
    changes not committed (they would be published, yet be in no commit)."""
    if not is_repository(root):
        return [f"{root} n'est pas un dépôt git : une édition se publie depuis le commit qui porte sa balise"]
    problems = []
    tag, head = commit_of(root, f"refs/tags/{edition}"), commit_of(root, "HEAD")
    if tag is None:
        problems.append(f"la balise git {edition} n'existe pas : faites le commit de l'édition, puis "
                        f"git tag {edition}")
    elif tag != head:
        problems.append(f"la balise git {edition} ne désigne pas le commit en cours ({(head or '')[:10]}) mais "
                        f"{tag[:10]} : publiez depuis ce commit (git checkout {edition}), ou, si la balise est une "
                        f"erreur et n'a pas encore été poussée, déplacez-la (git tag -f {edition})")
    changed = uncommitted(root)
    if changed:
        shown = ", ".join(changed[:5]) + (f" et {len(changed) - 5} autres" if len(changed) > 5 else "")
        problems.append(f"des changements ne sont pas dans un commit ({shown}) : faites-en le commit (puis "
                        f"déplacez la balise {edition} sur ce commit) ou mettez-les de côté (git stash -u)")
    return problems


def push_command(root: Path, edition: str) -> str:
    """The command that puts the edition online: its branch, its tag and the site's branch, together."""
    try:
        branch = git(root, "symbolic-ref", "--short", "-q", "HEAD").strip() or "main"
    except subprocess.CalledProcessError:  # a detached HEAD: the edition was checked out by its tag
        branch = "main"
    return f"git push origin {branch} {edition} {BRANCH}"


STAND_IN = "https://adresse-non-publiee.invalid/"
"""The origin of the pages in the plan of an edition published without an address (a reserved domain, RFC 6761)."""


def stand_in_sitemap(site: Path) -> bytes:
    """The plan of a site without an address. MkDocs lists no page then, and Material's selector of editions,
    which looks the current page up in the plan of the other edition, would land on its home page: the pages are
    listed under a stand-in origin, whose scheme and host the selector replaces by the site's own."""
    folders = sorted(path.parent.relative_to(site).as_posix() for path in site.rglob("index.html"))
    urls = "".join(f"<url><loc>{escape(STAND_IN + ('' if folder == '.' else folder + '/'))}</loc></url>\n"
                   for folder in folders)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode()


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
                if not build_into(layout, site).site_url:
                    (site / "sitemap.xml").write_bytes(stand_in_sitemap(site))
            if alias:
                with contextlib.suppress(git_utils.GitEmptyCommit):  # the root already leads to this alias
                    mike.set_default(alias, str(REDIRECT), branch=BRANCH)
    except (git_utils.GitError, ValueError) as error:
        raise PublishingError(f"mike n'a pas pu écrire la branche {BRANCH} : {error}") from None
