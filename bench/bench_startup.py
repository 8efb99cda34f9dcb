#!/usr/bin/env python3
"""Start-up of `python build.py check` on the small référentiel of the tests (one fiche, its lesson
and its territory), side by side with `python -c "import yaml, pydantic"` (the least any check needs).
Goal: at most 1.5 times as long.

    python bench/bench_startup.py [RUNS]

The commands run RUNS times (default 15), interleaved so that a busy machine slows them alike; the
medians and their ratios are printed. `check` is measured twice: run directly (a fresh interpreter
imports the engine), and through the resident checker (`--resident`, what the pre-commit hooks do),
started and warmed before the measure. `import pydantic` alone loads little of pydantic (its
attributes are imported when first used): the start-up with `BaseModel` loaded is printed too.
The processor time of each command (user + system, its children included) is printed beside the
elapsed time: on a machine that others keep busy, it varies much less. For the resident checker, it
is the client's time plus that of the forked child that served it (its average, read from the
resident process, which collects its children).

The commands run without PYTHONDONTWRITEBYTECODE, as on a contributor's machine (bytecode cached).
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from engine.resident import client  # noqa: E402  # standard library only

FIXTURE = ROOT / "tests" / "fixtures" / "engine"
GOAL = 1.5


def one_entry(destination: Path) -> Path:
    """The small référentiel of the tests: one fiche, with the lesson and the territory it names (so
    that the check passes: a failing check would measure the error path), and the shared data."""
    root = destination / "referentiel"
    shutil.copytree(FIXTURE, root)
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


def children_time(pid: int) -> float:
    """The processor time of the children that a process has collected, in seconds (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def resident(root: Path, command: list[str]) -> int:
    """Start the resident checker of the référentiel (the first call answers itself) and wait until it answers:
    its process id."""
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    deadline = time.monotonic() + 300
    while (state := client.state(str(root))) is None:
        if time.monotonic() > deadline:
            sys.exit("le vérificateur résident n'a pas démarré")
        time.sleep(0.1)
    return state[0]


def main(runs: int) -> None:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a contributor's machine: bytecode is cached
    sockets = tempfile.mkdtemp(prefix="rb-", dir="/tmp")  # the resident checker's socket, short and private
    os.environ["XDG_RUNTIME_DIR"] = sockets
    served = client.supported()
    with tempfile.TemporaryDirectory() as folder:
        root = one_entry(Path(folder))
        build = [sys.executable, str(ROOT / "build.py"), "--racine", str(root)]
        commands = {
            "check": [*build, "check"],
            "resident": [*build, "--resident", "check"],
            "imports": [sys.executable, "-c", "import yaml, pydantic"],
            "models": [sys.executable, "-c", "import yaml; from pydantic import BaseModel"],
        }
        if not served:
            del commands["resident"]
        try:
            pid = resident(root, commands["resident"]) if served else 0
            for command in commands.values():  # warm the file cache and the bytecode
                duration(command)
            before = children_time(pid) if served else 0.0
            measured: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
            for _ in range(runs):
                for name, command in commands.items():
                    measured[name].append(duration(command))
            if served:
                while (state := client.state(str(root))) is not None and state[1] < runs + 1:
                    time.sleep(0.05)  # the last children end just after answering
                assert state == (pid, runs + 1), f"served {state}, not {runs + 1} requests: some ran directly"
                child = (children_time(pid) - before) / runs
        finally:
            if served:
                client.state(str(root), stop=True)
            shutil.rmtree(sockets)
    wall = {name: statistics.median(run[0] for run in runs_) for name, runs_ in measured.items()}
    cpu = {name: statistics.median(run[1] for run in runs_) for name, runs_ in measured.items()}
    labels = {"check": "python build.py check (une fiche), direct",
              "resident": "python build.py --resident check (une fiche)",
              "imports": 'python -c "import yaml, pydantic"',
              "models": 'python -c "import yaml; from pydantic import BaseModel"'}
    print(f"médianes de {runs} exécutions : durée écoulée, temps de processeur")
    for name in commands:
        extra = ""
        if name == "resident":
            extra = f" (client {cpu[name] * 1000:.0f} ms + enfant du résident {child * 1000:.0f} ms)"
            cpu[name] += child
        print(f"{labels[name]:56} : {wall[name] * 1000:6.0f} ms, {cpu[name] * 1000:6.0f} ms{extra}")
    print(f"rapport de check direct à BaseModel : {wall['check'] / wall['models']:.2f} "
          f"(processeur : {cpu['check'] / cpu['models']:.2f})")
    for name, how in (("check", "direct"), ("resident", "résident")):
        if name in commands:
            ratio, cpu_ratio = wall[name] / wall["imports"], cpu[name] / cpu["imports"]
            print(f"rapport {how} : {ratio:.2f} (processeur : {cpu_ratio:.2f} ; objectif : {GOAL} au plus) — "
                  f"{'atteint' if ratio <= GOAL else 'non atteint'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
