"""On Windows there is no `fcntl` and no `fork`: the command line still checks, creates, formats, builds and
serves. Here the engine runs under tests/windows/sitecustomize.py, which takes both away (and gives the
engine a `msvcrt` that locks like Windows'); the forge's Windows job runs the same commands for real."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support import mini_referentiel

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "windows")}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="on Windows the forge runs the commands for real")


def python(*args: str, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=WINDOWS, capture_output=True, text=True,
                          timeout=timeout, check=False)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return python(str(ROOT / "build.py"), "--racine", str(root), *args)


def test_the_shim_takes_fcntl_and_fork_away_from_the_engine():
    result = python("-c", "import multiprocessing, engine.build.atomic as atomic\n"
                    "print(multiprocessing.get_context().get_start_method(), atomic.fcntl)\n"
                    "multiprocessing.get_context('fork')")
    assert result.stdout == "spawn None\n"
    assert "ValueError: cannot find context for 'fork'" in result.stderr


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mini_referentiel(tmp_path_factory.mktemp("windows"))


def test_check_build_new_and_fmt_work_without_fcntl_and_fork(root: Path):
    checked = cli(root, "check")
    assert checked.returncode == 0, checked.stderr
    built = cli(root, "build")
    assert built.returncode == 0, built.stderr
    assert (root / "site" / "index.html").is_file() and (root / "site" / "pdf" / "fiches" / "fifty-fifty.pdf").is_file()
    created = cli(root, "new", "fiche", "Essai sous Windows")
    assert created.returncode == 0, created.stderr
    assert (root / "fiches" / "essai-sous-windows.yaml").is_file()
    formatted = cli(root, "fmt")
    assert formatted.returncode == 0 and "Remis en forme : " in formatted.stdout, formatted.stderr
    assert cli(root, "fmt", "--verifier").returncode == 0
    (root / "fiches" / "essai-sous-windows.yaml").unlink()


def test_check_reads_many_files_in_spawned_processes(root: Path):
    result = python("-c", "import sys, engine.check.checker as checking\n"
                    "checking.PARALLEL_FROM = 2\n"
                    "outcome = checking.check(__import__('pathlib').Path(sys.argv[1]))\n"
                    "print(outcome.ok, len(outcome.referentiel.entries['fiche']))", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True "), result.stdout


def test_two_processes_take_the_build_lock_one_after_the_other(tmp_path: Path):
    log = tmp_path / "journal"
    holder = ("import os, sys, time\nfrom pathlib import Path\nfrom engine.build.atomic import one_at_a_time\n"
              "log = Path(sys.argv[1])\n"
              "with one_at_a_time(log.with_name('verrou')):\n"
              "    with log.open('a') as out: out.write(f'début {os.getpid()}\\n')\n"
              "    time.sleep(0.5)\n"
              "    with log.open('a') as out: out.write(f'fin {os.getpid()}\\n')\n")
    processes = [subprocess.Popen([sys.executable, "-c", holder, str(log)], cwd=ROOT, env=WINDOWS)
                 for _ in range(3)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
    lines = log.read_text(encoding="utf-8").split()
    steps, pids = lines[0::2], lines[1::2]
    assert steps == ["début", "fin"] * 3 and pids[0::2] == pids[1::2], "one holder at a time"


def test_serve_previews_the_site_without_fcntl_and_fork(root: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--racine", str(root), "serve",
                                "--adresse", f"127.0.0.1:{port}"], env=WINDOWS, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        page = None
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                assert process.poll() is None, "the preview stopped"
                time.sleep(0.5)
        assert page is not None and "Référentiel de test" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
