"""Hostile and broken input: every case of `tests/hostile/cases.yaml` is refused by
`python build.py check` with exit code 1, its French message at its file and line, and no traceback.

Each case is placed into its own copy of the small référentiel, so the case is the only thing
wrong in it: no other file may be reported as an error (the breakage stays contained).

The command line runs in this process (an exception would fail the test); the memory bound is
checked once for the whole corpus, in a child process whose address space is capped.
"""

import io
import os
import re
import resource
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile.corpus import Case, load_cases, referentiel
from support import replace, small_referentiel

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = load_cases()
PROBLEM_LINE = re.compile(r"^[^\n:]+:\d+:\d+: \S")
"""What every line printed by `check` looks like: `fichier:ligne:colonne: …`."""
SUMMARY = re.compile(r"^\d+ erreur\(s\), \d+ avertissement\(s\)\.$")
MEMORY_CAP = 1024 ** 3
"""Address space allowed to a check of the hostile corpus (1 Gio)."""


def cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_check(root: Path, *options: str) -> Result:
    """`python build.py --racine ROOT check`, run by the command line's own main function."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--racine", str(root), "check", *options])
    return Result(code, out.getvalue(), err.getvalue())


def test_the_corpus_covers_enough_cases():
    assert len(CASES) >= 45


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check_refuses_the_case(case: Case, tmp_path: Path):
    if case.spec.get("fifo") and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipe on this system")
    result = run_check(referentiel(case, tmp_path))
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Error:" not in output, output
    assert result.returncode == 1, output
    lines = result.stdout.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in lines), output
    assert SUMMARY.match(result.stderr.strip()), result.stderr
    expected = case.expected
    found = [line for line in lines if line.startswith(expected.prefix)]
    assert found, f"expected a line starting with {expected.prefix!r}:\n{result.stdout}"
    assert any(expected.message in line for line in found), f"{expected.message!r} not in {found}"
    allowed = (expected.file, *case.others)
    errors = [line for line in lines if ": avertissement : " not in line]
    assert all(line.split(":", 1)[0] in allowed for line in errors), result.stdout


def test_a_field_name_cannot_forge_a_github_annotation(tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "objectif: Réunir",
            '"x,line=1\\n::error file=README.md::faux": 1\nobjectif: Réunir')
    result = run_check(root, "--format", "github")
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(
        "::error file=fiches/reunion-test.yaml,line=6,col=1,title=x%2Cline=1%0A%3A%3Aerror file=README.md%3A%3Afaux"
        "::champ inconnu « x,line=1%0A::error file=README.md::faux » : ")


def test_checking_the_whole_corpus_completes_within_1_gib(tmp_path: Path):
    for case in CASES:
        referentiel(case, tmp_path)
    command = [sys.executable, str(ROOT / "bench" / "bench_hostile.py"), "--enfant", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, preexec_fn=cap_memory, check=False)
    assert "Traceback" not in result.stdout + result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{len(CASES)} référentiels refusés sur {len(CASES)}\n")
