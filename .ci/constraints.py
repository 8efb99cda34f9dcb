#!/usr/bin/env python3
"""Write `constraints.txt`: the exact versions, installed in this environment, of everything the
engine and its test extra need (their whole dependency tree, on every platform where it is installed).

Run it from the environment where the tests pass, after adding or upgrading a dependency:

    python .ci/constraints.py          # rewrites constraints.txt
    python .ci/constraints.py --verifier   # exits 1 if constraints.txt differs from this environment

Installs then use it: `pip install -c constraints.txt -e .` (build), `-e ".[test]"` (tests).
"""

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("test",)
HEADER = ("# Versions tested together, written by `python .ci/constraints.py` from the environment where the\n"
          "# tests pass. Used by the README's commands and .ci/run: pip install -c constraints.txt -e .\n")


def project_requirements(extras: tuple[str, ...]) -> list[str]:
    """The requirements of pyproject.toml (read from the file: the installed metadata may be older)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(line for extra in extras for line in optional.get(extra, []))]


def closure(extras: tuple[str, ...]) -> dict[str, str]:
    """Name → installed version of every distribution the project needs with these extras.

    Platform markers are not evaluated (a dependency needed only on Windows is pinned when it is
    installed here); only the `extra` markers choose which optional dependencies count."""
    pinned: dict[str, str] = {}
    pending: list[tuple[list[str], tuple[str, ...]]] = [(project_requirements(extras), ())]
    while pending:
        lines, wanted = pending.pop()
        for line in lines:
            requirement = Requirement(line)
            marker = str(requirement.marker or "")
            if "extra" in marker and not any(requirement.marker.evaluate({"extra": extra}) for extra in wanted):
                continue
            key = canonicalize_name(requirement.name)
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                continue  # not needed on this platform
            if key not in pinned:
                pinned[key] = version
                pending.append((requirements_of(requirement.name), tuple(requirement.extras)))
            elif requirement.extras:
                pending.append((requirements_of(requirement.name), tuple(requirement.extras)))
    return pinned


def requirements_of(name: str) -> list[str]:
    return metadata.distribution(name).requires or []


def constraints() -> str:
    pinned = closure(EXTRAS)
    return HEADER + "".join(f"{name}=={version}\n" for name, version in sorted(pinned.items()))


def main(argv: list[str]) -> int:
    path = ROOT / "constraints.txt"
    text = constraints()
    if "--verifier" in argv:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print("constraints.txt ne correspond pas à cet environnement : lancez python .ci/constraints.py",
                  file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"Écrit : constraints.txt ({text.count(chr(10)) - HEADER.count(chr(10))} paquets)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
