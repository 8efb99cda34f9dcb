"""A problem found in the référentiel, and the ways of printing a list of them."""

import json
import re
from dataclasses import asdict, dataclass

from engine.model.characters import INVISIBLE

ERROR = "erreur"
WARNING = "avertissement"

_UNSEEN = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
"""Characters that would act on a terminal or a page instead of being read: control characters (a
newline could forge a problem line, an escape sequence could rewrite the screen) and bidirectional
or zero-width ones (they could make a message read differently than it is)."""


def visible(text: str) -> str:
    """The text with each such character written as an escape, so that a message always shows what is there."""
    return _UNSEEN.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix, at a place in a file (lines and columns count from 1)."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: str = ERROR

    def human(self) -> str:
        where = f"{visible(self.file)}:{self.line}:{self.column}"
        label = "" if self.severity == ERROR else "avertissement : "
        if self.field:
            return f"{where}: {visible(self.field)} : {label}{visible(self.message)}"
        return f"{where}: {label}{visible(self.message)}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        command = "error" if self.severity == ERROR else "warning"
        title = _property(self.field or "référentiel")
        message = _data(self.message)
        return f"::{command} file={_property(self.file)},line={self.line},col={self.column},title={title}::{message}"


def _data(text: str) -> str:
    """Text escaped for the message of a workflow command: a newline could start another command."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    """Text escaped for a property of a workflow command (`file=…,title=…`), where `:` and `,` also count."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def is_error(problem: Problem) -> bool:
    return problem.severity == ERROR


def render(problems: list[Problem], fmt: str) -> str:
    """The problems in one of the formats of `check --format`."""
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(problem) for problem in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem.github() for problem in ordered)
    return "\n".join(problem.human() for problem in ordered)


def summary(problems: list[Problem]) -> str:
    errors = sum(1 for problem in problems if is_error(problem))
    warnings = len(problems) - errors
    if not problems:
        return "Aucun problème : le référentiel est valide."
    return f"{errors} erreur(s), {warnings} avertissement(s)."
