"""A problem found in the référentiel, and the ways of printing a list of them."""

import json
from dataclasses import asdict, dataclass

ERROR = "erreur"
WARNING = "avertissement"


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
        where = f"{self.file}:{self.line}:{self.column}"
        label = "" if self.severity == ERROR else "avertissement : "
        if self.field:
            return f"{where}: {self.field} : {label}{self.message}"
        return f"{where}: {label}{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        command = "error" if self.severity == ERROR else "warning"
        title = self.field or "référentiel"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{command} file={self.file},line={self.line},col={self.column},title={title}::{message}"


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
