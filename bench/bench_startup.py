#!/usr/bin/env python3
"""Start-up of `python build.py check` on a référentiel of one entry, side by side with
`python -c "import yaml, pydantic"` (the least any check needs). Goal: at most 1.5 times as long.

    python bench/bench_startup.py [RUNS]

Both commands run RUNS times (default 15), interleaved so that a busy machine slows both alike;
the medians and their ratio are printed. `import pydantic` alone loads little of pydantic (its
attributes are imported when first used): the start-up with `BaseModel` loaded is printed too.
The processor time of each command (user + system, its children included) is printed beside the
elapsed time: on a machine that others keep busy, it varies much less.
"""

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "engine"
GOAL = 1.5


def one_entry(destination: Path) -> Path:
    """The small référentiel of the tests reduced to one fiche (and the shared data it needs)."""
    root = destination / "referentiel"
    shutil.copytree(FIXTURE / "data", root / "data")
    (root / "fiches").mkdir()
    shutil.copy(FIXTURE / "fiches" / "reunion-test.yaml", root / "fiches")
    shutil.copy(ROOT / "tests" / "fixtures" / "referentiel.yaml", root)
    return root


def duration(command: list[str]) -> tuple[float, float]:
    """Elapsed and processor time of one run of the command, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = one_entry(Path(folder))
        commands = {
            "check": [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "check"],
            "imports": [sys.executable, "-c", "import yaml, pydantic"],
            "models": [sys.executable, "-c", "import yaml; from pydantic import BaseModel"],
        }
        duration(commands["check"]), duration(commands["imports"])  # warm the file cache and the bytecode
        measured: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                measured[name].append(duration(command))
    wall = {name: statistics.median(run[0] for run in runs_) for name, runs_ in measured.items()}
    cpu = {name: statistics.median(run[1] for run in runs_) for name, runs_ in measured.items()}
    labels = {"check": "python build.py check (une entrée)", "imports": 'python -c "import yaml, pydantic"',
              "models": 'python -c "import yaml; from pydantic import BaseModel"'}
    print(f"médianes de {runs} exécutions : durée écoulée, temps de processeur")
    for name, label in labels.items():
        print(f"{label:56} : {wall[name] * 1000:6.0f} ms, {cpu[name] * 1000:6.0f} ms")
    ratio, cpu_ratio = wall["check"] / wall["imports"], cpu["check"] / cpu["imports"]
    print(f"rapport de check à BaseModel : {wall['check'] / wall['models']:.2f} "
          f"(processeur : {cpu['check'] / cpu['models']:.2f})")
    print(f"rapport : {ratio:.2f} (processeur : {cpu_ratio:.2f} ; objectif : {GOAL} au plus) — "
          f"{'atteint' if ratio <= GOAL else 'non atteint'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
