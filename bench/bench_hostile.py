"""Resources taken by hostile input: `python bench/bench_hostile.py`.

Places every case of `tests/hostile/cases.yaml` into its own copy of the small référentiel, then
checks them all in one child process and prints the wall time and the child's peak memory
(`ru_maxrss`, read with `os.wait4`). Goal: a few seconds and less than 200 Mo for the whole corpus.

`python bench/bench_hostile.py --enfant DOSSIER` is that child: it checks every référentiel of
DOSSIER, prints how many it refused and the slowest ones, and exits with 1 when it found errors,
as `build.py check` does.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile.corpus import load_cases, referentiel  # noqa: E402 (after the path is set)

GOAL_SECONDS = 10
GOAL_MEGABYTES = 200


def child(folder: Path) -> int:
    from engine.check.checker import check

    timings = []
    refused = 0
    roots = sorted(path for path in folder.iterdir() if path.is_dir())
    for root in roots:
        start = time.perf_counter()
        outcome = check(root)
        timings.append((time.perf_counter() - start, root.name))
        refused += not outcome.ok
    print(f"{refused} référentiels refusés sur {len(roots)}")
    for seconds, name in sorted(timings, reverse=True)[:5]:
        print(f"  {seconds * 1000:7.1f} ms  {name}")
    return 1 if refused else 0


def main() -> int:
    if sys.argv[1:2] == ["--enfant"]:
        return child(Path(sys.argv[2]))
    cases = load_cases()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for case in cases:
            referentiel(case, folder)
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, __file__, "--enfant", str(folder)])
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    megabytes = usage.ru_maxrss / 1024  # kilobytes on Linux
    print(f"{len(cases)} cas hostiles ({size / 1e6:.1f} Mo de fichiers) vérifiés en {seconds:.2f} s, "
          f"mémoire maximale {megabytes:.0f} Mo, code de sortie {code}")
    met = code == 1 and seconds < GOAL_SECONDS and megabytes < GOAL_MEGABYTES
    print("Objectif atteint." if met else f"Objectif manqué : moins de {GOAL_SECONDS} s et {GOAL_MEGABYTES} Mo, "
          "code de sortie 1.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
