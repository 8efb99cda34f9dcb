"""« Ce qui a changé » : the entries added, removed, renamed and modified since the previous edition.

The previous edition is the latest edition tag older than the edition of `referentiel.yaml`: the
page of the edition 2026.2 shows what changed since 2026.1, whether 2026.2 is tagged yet or not.
Changes come from `editions.compare` (data, not text diffs); modified fields are shown old and new
side by side, contributor text going through the site's sanitising renderer.
"""

import difflib
import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from engine.check.edition_diff import Changes, EntryChange, compare, entries_at
from engine.check.referentiel import Referentiel
from engine.load.repository import git, previous_edition_of
from engine.model.format import KINDS, Entry
from engine.render.addresses import entry_page
from engine.render.pages import Pages

PAGE = "changements.md"
TITLE = "Ce qui a changé"


@dataclass
class Comparison:
    """What changed in this edition: compared with `since`, or nothing to compare with (first edition)."""

    since: str | None
    changes: Changes | None
    """None when the edition `since` can no longer be read with the current format."""


@functools.lru_cache(maxsize=4)
def _entries_of_commit(root: Path, commit: str) -> dict[str, dict[str, Entry]]:
    """The entries of a commit, read once per process (the preview renders the page after every change)."""
    return entries_at(root, commit)


def this_edition(referentiel: Referentiel) -> Comparison:
    """The changes between the previous edition and the référentiel as it is."""
    since = previous_edition_of(referentiel.root, referentiel.publication.edition)
    if since is None:
        return Comparison(None, Changes())
    try:
        older = _entries_of_commit(referentiel.root, git(referentiel.root, "rev-parse", f"{since}^{{commit}}").strip())
    except (ValueError, subprocess.CalledProcessError):
        return Comparison(since, None)
    return Comparison(since, compare(older, referentiel.entries))


LONG_TEXT = 120
"""From this length on, a changed text is shown once, its removed and added words marked, not twice."""
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
"""Words, spaces and punctuation: a word that only gains a comma is not shown as removed."""


def _marked(tokens: list[str]) -> str:
    return "".join(str(escape(token)) for token in tokens).replace("\n", "<br>")


def word_diff(before: object, after: object) -> Markup | None:
    """A long text changed between two editions, as one text where the removed words are in `<del>` and the
    added ones in `<ins>`; None when either value is not a text or both are short (shown before and after)."""
    if not (isinstance(before, str) and isinstance(after, str)) or max(len(before), len(after)) < LONG_TEXT:
        return None
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for operation, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(None, old, new,
                                                                                   autojunk=False).get_opcodes():
        if operation == "equal":
            parts.append(_marked(old[old_start:old_end]))
            continue
        if old_end > old_start:
            parts.append(f"<del>{_marked(old[old_start:old_end])}</del>")
        if new_end > new_start:
            parts.append(f"<ins>{_marked(new[new_start:new_end])}</ins>")
    return Markup("".join(parts))


def page(pages: Pages) -> str:
    """The Markdown of the « Ce qui a changé » page."""
    comparison = this_edition(pages.referentiel)
    return pages.page("changements.md.j2", PAGE, {"title": TITLE}, edition=pages.referentiel.publication.edition,
                      since=comparison.since, changes=comparison.changes, kinds=KINDS, page_of=entry_page,
                      current=pages.referentiel.get, diff=word_diff)


def _named(change: EntryChange) -> str:
    return f"{KINDS[change.kind].label} « {change.title} »"


def summary(changes: Changes) -> list[str]:
    """The changes as Markdown lines in the style of CHANGELOG.md, to start its next section with."""
    sections = [
        ("Ajouté", [f"- {_named(c)} (`{c.ident}`)" for c in changes.added]),
        ("Renommé", [f"- {_named(c)} : `{c.former}` devient `{c.ident}`"
                     + (f" ; champs modifiés : {', '.join(f.field for f in c.fields)}" if c.fields else "")
                     for c in changes.renamed]),
        ("Modifié", [f"- {_named(c)} (`{c.ident}`) : {', '.join(f.field for f in c.fields)}"
                     for c in changes.modified]),
        ("Retiré", [f"- {_named(c)} (`{c.ident}`)" + (f" : contenu repris dans `{c.into}`" if c.into else "")
                    for c in changes.removed]),
    ]
    lines: list[str] = []
    for title, items in sections:
        if items:
            lines += [f"### {title}", "", *items, ""]
    return lines or ["Aucun changement dans les entrées."]
