#!/usr/bin/env python3
"""Start-up of `python build.py check` on a référentiel of one entry, side by side with
`python -c "import yaml, pydantic"` (the least any check needs). Goal: at most 1.5 times as long.

    python bench/bench_startup.py [RUNS]

Both commands run RUNS times (default 15), interleaved so that a busy machine slows both alike;
the medians and their ratio are printed. `import pydantic` alone loads little of pydantic (its
attributes are imported when first used): the start-up with `BaseModel` loaded is printed too.
"""

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


def duration(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = one_entry(Path(folder))
        check = [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "check"]
        imports = [sys.executable, "-c", "import yaml, pydantic"]
        models = [sys.executable, "-c", "import yaml; from pydantic import BaseModel"]
        duration(check), duration(imports)  # warm the file cache and the bytecode
        measured: dict[str, list[float]] = {"check": [], "imports": [], "models": []}
        for _ in range(runs):
            measured["check"].append(duration(check))
            measured["imports"].append(duration(imports))
            measured["models"].append(duration(models))
    check_time, import_time, model_time = (statistics.median(measured[name]) for name in ("check", "imports", "models"))
    ratio = check_time / import_time
    print(f"python build.py check (une entrée)    : {check_time * 1000:6.0f} ms (médiane de {runs})")
    print(f"python -c \"import yaml, pydantic\"     : {import_time * 1000:6.0f} ms (médiane de {runs})")
    print(f"python -c \"import yaml; from pydantic import BaseModel\" : {model_time * 1000:6.0f} ms "
          f"(rapport de check à celui-ci : {check_time / model_time:.2f})")
    print(f"rapport : {ratio:.2f} (objectif : {GOAL} au plus) — {'atteint' if ratio <= GOAL else 'non atteint'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
