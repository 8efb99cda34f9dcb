"""Validation throughput: `python bench/bench_validate.py [ENTRIES]` (default 5,000).

Generates a synthetic référentiel, checks it with the engine (load with positions, models,
cross-references, orphans) and prints entries per second. Goal: at least 2,000 entries/s.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build

from engine.check.checker import check


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        root = build(Path(folder) / "referentiel", count)
        size = sum(path.stat().st_size for path in root.rglob("*.yaml"))
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            outcome = check(root)
            runs.append(time.perf_counter() - start)
        errors = [problem.human() for problem in outcome.problems if problem.severity == "erreur"]
        if errors:
            print("\n".join(errors[:10]))
            return 1
        best = min(runs)
        print(f"{count} entrées ({size / 1e6:.1f} Mo de YAML) vérifiées en {best:.2f} s "
              f"(meilleur de 3) : {count / best:,.0f} entrées/s".replace(",", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
