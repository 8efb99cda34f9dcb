"""The resident checker (`python build.py --resident verifier`, the pre-commit hooks): through it, a command prints
the same bytes and exits with the same code as a direct run; every file is read again at each request; it stops
after its idle time, when the engine changes, or when asked; and whatever is wrong with it (no server yet, a
stale or foreign socket, a child that dies, no `fork` as on Windows), the command simply runs directly."""

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal, TypeVar

import pytest
from support import replace, small_referentiel

from engine.cli import main
from engine.resident import client

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
unix = pytest.mark.skipif(not client.supported(), reason="no fork or Unix sockets: the command runs directly")


def eventually(condition: Callable[[], T | None], within: float = 240) -> T:
    """Wait until the condition holds (a busy machine may take long to start a process; nothing is timed), and
    give what it gave then."""
    deadline = time.monotonic() + within
    while not (value := condition()):
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)
    return value


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return status not in ("Z", "X")


class Residents:
    """Runs `build.py` as a contributor would, and stops every resident checker it started (a test leaves no
    process behind)."""

    def __init__(self, sockets: Path, monkeypatch: pytest.MonkeyPatch):
        self.sockets, self.monkeypatch = sockets, monkeypatch
        self.roots: dict[Path, Path] = {}

    def run(self, root: Path, *args: str, engine: Path = ROOT, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        if "--resident" in args:
            self.roots[root] = engine
        return subprocess.run([sys.executable, str(engine / "build.py"), "--racine", str(root), *args],
                              capture_output=True, timeout=300, cwd=cwd or root, env=env, check=False)

    def state(self, root: Path, engine: Path = ROOT, stop: bool = False) -> tuple[int, int] | None:
        self.monkeypatch.setattr(client, "ENGINE_ROOT", str(engine))
        return client.state(str(root), stop=stop)

    def started(self, root: Path, engine: Path = ROOT) -> int:
        """The process id of the resident checker of the référentiel, once it answers."""
        return eventually(lambda: self.state(root, engine))[0]

    def served(self, root: Path, count: int) -> None:
        """Wait until the resident checker has served `count` requests (its children end just after answering)."""
        eventually(lambda: (self.state(root) or (0, -1))[1] >= count)
        assert self.state(root) == (self.started(root), count)

    def servers(self) -> list[int]:
        """The resident checkers started under this test's socket folder, still running."""
        found = []
        for folder in Path("/proc").glob("[0-9]*"):
            try:
                command = (folder / "cmdline").read_bytes()
                environment = (folder / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"engine.resident.server" in command and f"XDG_RUNTIME_DIR={self.sockets}".encode() in environment:
                found.append(int(folder.name))
        return [pid for pid in found if alive(pid)]

    def stop_all(self) -> None:
        """Stop each resident checker as a contributor would; one still starting gets SIGTERM (by its id)."""
        for root, engine in self.roots.items():
            self.state(root, engine, stop=True)
        for pid in self.servers():
            os.kill(pid, signal.SIGTERM)
        eventually(lambda: not self.servers())


@pytest.fixture
def residents(monkeypatch: pytest.MonkeyPatch) -> Iterator[Residents]:
    short = "/tmp" if os.path.isdir("/tmp") else None  # a socket's path has at most 107 bytes
    sockets = Path(tempfile.mkdtemp(prefix="rs-", dir=short))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(sockets))
    monkeypatch.setenv(client.IDLE_VARIABLE, "300")
    running = Residents(sockets, monkeypatch)
    try:
        yield running
    finally:
        running.stop_all()
        shutil.rmtree(sockets)


def same(one: subprocess.CompletedProcess, other: subprocess.CompletedProcess) -> bool:
    return (one.returncode, one.stdout, one.stderr) == (other.returncode, other.stdout, other.stderr)


@unix
def test_through_the_resident_checker_each_command_prints_and_exits_as_a_direct_run(residents: Residents,
                                                                                    tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    first = residents.run(root, "--resident", "verifier")  # starts the resident checker, and answers itself
    residents.started(root)
    columns = {**os.environ, "COLUMNS": "52", "NO_COLOR": "1"}
    commands = [(("verifier",), None), (("check", "--format", "github"), None), (("check", "--modifies"), None),
                (("ranger", "--verifier"), None), (("fmt", "--verifier", "reunion-test.yaml"), root / "fiches"),
                (("verifier", "--inconnue"), None), (("verifier", "--help"), None)]
    for served, (args, cwd) in enumerate(commands, start=1):
        direct = residents.run(root, *args, cwd=cwd, env=columns)
        resident = residents.run(root, "--resident", *args, cwd=cwd, env=columns)
        assert same(resident, direct), args
        residents.served(root, served)
    assert same(first, residents.run(root, "verifier")) and first.returncode == 1
    assert first.stdout.startswith("fiches/reunion-test.yaml:4:7: type : « atelier »".encode())
    help_lines = residents.run(root, "--resident", "verifier", "--help", env=columns).stdout.decode().splitlines()
    assert max(map(len, help_lines)) <= 52, "the client's terminal width reaches the command"


@unix
def test_an_edit_between_two_requests_is_seen(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    residents.run(root, "--resident", "check")
    residents.started(root)
    valid = residents.run(root, "--resident", "check")
    assert valid.returncode == 0 and valid.stderr == "Aucun problème : le référentiel est valide.\n".encode()
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    broken = residents.run(root, "--resident", "check")
    assert broken.returncode == 1 and broken.stdout.startswith(b"fiches/reunion-test.yaml:4:7: type")
    replace(root, "fiches/reunion-test.yaml", "type: atelier", "type: dispositif-implication")
    assert same(residents.run(root, "--resident", "check"), valid)
    residents.served(root, 3)


@unix
def test_two_requests_at_once_are_both_answered(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    replace(root, "fiches/reunion-test.yaml", "type: dispositif-implication", "type: atelier")
    residents.run(root, "--resident", "check")
    residents.started(root)
    command = [sys.executable, str(ROOT / "build.py"), "--racine", str(root), "--resident", "check"]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    answers = [(process.wait(timeout=300), *process.communicate()) for process in both]
    direct = residents.run(root, "check")
    assert answers == [(direct.returncode, direct.stdout, direct.stderr)] * 2 and direct.returncode == 1
    residents.served(root, 2)


@unix
def test_the_resident_checker_stops_after_its_idle_time(residents: Residents, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    root = small_referentiel(tmp_path)
    monkeypatch.setenv(client.IDLE_VARIABLE, "3")
    residents.run(root, "--resident", "check")
    pid = residents.started(root)
    eventually(lambda: not alive(pid))
    assert not list(residents.sockets.glob("referentiel/*.sock")), "its socket is removed"
    assert residents.servers() == []


@unix
def test_it_is_stopped_on_request_and_then_says_so(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    residents.run(root, "--resident", "check")
    pid = residents.started(root)
    stopped = residents.run(root, "resident", "--arreter")
    assert stopped.returncode == 0 and f"Vérificateur résident arrêté pour {root} (processus {pid}".encode() in \
        stopped.stdout
    eventually(lambda: not alive(pid))
    assert residents.run(root, "resident").stdout == f"Aucun vérificateur résident pour {root}.\n".encode()


@unix
def test_a_change_to_the_engine_stops_it_and_that_request_runs_directly(residents: Residents, tmp_path: Path):
    engine = copied_engine(tmp_path)
    root = small_referentiel(tmp_path)
    residents.run(root, "--resident", "check", engine=engine)
    pid = residents.started(root, engine)
    with (engine / "engine" / "load" / "problems.py").open("a", encoding="utf-8") as module:
        module.write("# changed\n")
    after = residents.run(root, "--resident", "check", engine=engine)
    assert same(after, residents.run(root, "check", engine=engine)) and after.returncode == 0
    eventually(lambda: not alive(pid))


def copied_engine(tmp_path: Path) -> Path:
    engine = tmp_path / "moteur"
    shutil.copytree(ROOT / "engine", engine / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "mkdocs.yml"):
        shutil.copy(ROOT / name, engine)
    return engine


def signal_state(pid: int) -> str:
    """What Linux says of a process's signals (blocked, ignored, caught, pending), threads and wait, to tell why
    a signal did not stop it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines()
        wait = Path(f"/proc/{pid}/wchan").read_text(encoding="utf-8")
    except OSError as error:
        return f"not readable ({error})"
    fields = [line for line in status if line.startswith(("State", "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk",
                                                           "SigIgn", "SigCgt"))]
    return "; ".join([*fields, f"wchan: {wait}"])


@unix
def test_ctrl_c_stops_the_command_as_it_stops_a_direct_run(residents: Residents, tmp_path: Path):
    engine = copied_engine(tmp_path)
    cli = engine / "engine" / "cli.py"
    slow = "def command_check(args: argparse.Namespace) -> int:\n    print('commence', flush=True)\n    time.sleep(600)\n"
    cli.write_text(cli.read_text(encoding="utf-8").replace(
        "def command_check(args: argparse.Namespace) -> int:\n", slow), encoding="utf-8")
    root = small_referentiel(tmp_path)
    residents.roots[root] = engine

    def interrupted() -> tuple[int, bytes, bytes]:
        # As from a terminal: a shell that runs the tests in the background (`nohup … &`) has them ignore SIGINT,
        # which the command would inherit, and Python leaves a signal ignored at its start.
        process = subprocess.Popen([sys.executable, str(engine / "build.py"), "--racine", str(root), "--resident",
                                    "check"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   preexec_fn=functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL))
        assert process.stdout is not None and process.stdout.readline() == b"commence\n"
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:  # say in what state, to tell why
            state = signal_state(process.pid)
            process.kill()
            process.communicate()
            pytest.fail(f"Ctrl-C did not stop the command; its process then: {state}")
        return process.returncode, b"commence\n" + out, err

    direct = interrupted()  # no resident checker yet: the command runs directly, and starts one
    pid = residents.started(root, engine)
    assert interrupted() == direct == (130, b"commence\n", b"Interrompu.\n")
    eventually(lambda: residents.state(root, engine) == (pid, 1))  # its child was the one interrupted


@unix
@pytest.mark.parametrize("answer", [b"", b"HTTP/1.1 400\r\n", "ready, then dies"])
def test_a_foreign_socket_or_a_child_that_dies_means_a_direct_run(residents: Residents, tmp_path: Path,
                                                                  answer: bytes | Literal["ready, then dies"]):
    root = small_referentiel(tmp_path)
    path = client.address(str(root.resolve()), create=True)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
        listener.listen()

        def foreign() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(1 << 16)
                if answer == "ready, then dies":
                    connection.sendall(client.READY + (1).to_bytes(4, "big"))  # pid 1: never signalled here
                    connection.recv(1)
                else:
                    connection.sendall(answer)

        thread = threading.Thread(target=foreign)
        thread.start()
        through = residents.run(root, "--resident", "check")
        thread.join(timeout=300)
    assert same(through, residents.run(root, "check")) and through.returncode == 0


@unix
def test_a_stale_socket_means_a_direct_run_and_a_new_resident_checker(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    path = client.address(str(root.resolve()), create=True)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(path)  # a socket file that nothing listens to, as after a crash
    through = residents.run(root, "--resident", "check")
    assert same(through, residents.run(root, "check"))
    residents.started(root)
    assert same(residents.run(root, "--resident", "check"), through)
    residents.served(root, 1)


@unix
def test_a_request_for_another_referentiel_is_refused(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    residents.run(root, "--resident", "check")
    pid = residents.started(root)
    path = client.address(str(root.resolve()))
    connection = client.connected(path) if path else None
    assert connection is not None
    with connection:
        request = {"action": "run", "argv": ["--resident", "check"], "root": str(tmp_path), "cwd": str(tmp_path),
                   "env": {}, "umask": 0o22, "python": client.interpreter(), "streams": client.streams()}
        assert client.taken(connection, request) is None
    assert residents.state(root) == (pid, 0)


@unix
def test_a_client_whose_interpreter_has_other_options_runs_directly(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    residents.run(root, "--resident", "check")
    pid = residents.started(root)
    command = [sys.executable, "-W", "error::DeprecationWarning", str(ROOT / "build.py"), "--racine", str(root),
               "--resident", "check"]
    other = subprocess.run(command, capture_output=True, timeout=300, check=False)
    assert same(other, residents.run(root, "check")) and other.returncode == 0
    assert residents.state(root) == (pid, 0), "not served: the resident checker runs without -W"


@unix
def test_a_socket_folder_others_may_enter_means_a_direct_run_and_no_resident_checker(residents: Residents,
                                                                                     tmp_path: Path):
    root = small_referentiel(tmp_path)
    (residents.sockets / "referentiel").mkdir(mode=0o755)
    (residents.sockets / "referentiel").chmod(0o755)
    through = residents.run(root, "--resident", "check")
    assert same(through, residents.run(root, "check")) and through.returncode == 0
    assert residents.state(root) is None and not list((residents.sockets / "referentiel").iterdir())


def test_a_plain_check_starts_nothing_and_leaves_nothing(residents: Residents, tmp_path: Path):
    root = small_referentiel(tmp_path)
    for args in (("check",), ("ranger", "--verifier"), ("--resident", "stats")):
        assert b"Traceback" not in residents.run(root, *args).stderr
    assert not (residents.sockets / "referentiel").exists(), "no socket folder, hence no resident checker"
    assert residents.servers() == []


def test_without_fork_the_option_is_accepted_and_the_command_runs_directly(residents: Residents, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]):
    root = small_referentiel(tmp_path)
    monkeypatch.delattr(os, "fork", raising=False)  # as on Windows (where the forge runs this test too)
    assert client.served(["--resident", "--racine", str(root), "check"]) is None
    assert main(["--resident", "--racine", str(root), "check"]) == 0
    assert capsys.readouterr().err == "Aucun problème : le référentiel est valide.\n"
    assert not (residents.sockets / "referentiel").exists()
