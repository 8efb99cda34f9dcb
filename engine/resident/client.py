"""The client of the resident checker, run by `build.py` before anything else: standard library only, and
imported modules only once it knows that the command goes to a resident checker.

`python build.py --resident verifier …` (or `--resident ranger --verifier …`) sends its command line, its
folder, its environment and its standard input, output and error (as file descriptors) to the resident
checker of the référentiel, which runs the same `engine.cli.main` in a forked process. The first call starts
the resident checker in the background and answers by itself, and so does every call that cannot be served
(no checker yet, a stale or foreign one, no `fork` or Unix sockets as on Windows): the output is the same.
"""

import os
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs more than this whole client
if TYPE_CHECKING:
    import socket

ENGINE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
"""The folder of `build.py` and `engine/` (the default référentiel, as in `engine.cli.ROOT`)."""
OPTION = "--resident"
IDLE_VARIABLE = "REFERENTIEL_RESIDENT_ATTENTE"
"""Seconds without a request after which the resident checker stops (`IDLE` by default)."""
IDLE = 15 * 60.0
TAKEN_WITHIN = 10.0
"""Seconds a client waits for its request to be taken before it runs the command itself."""
CHECKS = {"verifier", "check"}
FORMATTING = {"ranger", "fmt"}
"""`ranger` is served only with `--verifier`, which writes nothing."""

READY, STATE, GO = b"R", b"S", b"G"
"""The server's answers: ready to run (then the client says GO), or its state; a closed connection means
« run it yourself »."""


def served(argv: list[str]) -> int | None:
    """The exit code of the command line as the resident checker ran it, or None when it must run here."""
    root = resident_root(argv)
    if root is None or not supported():
        return None
    path = address(root, create=True)
    if path is None:
        return None
    request: dict[str, object] = {
        "action": "run", "argv": argv, "root": root, "cwd": os.getcwd(), "env": dict(os.environ),
        "umask": current_umask(), "python": interpreter(), "streams": streams()}
    if request["streams"] is None:
        return None
    connection = connected(path)
    if connection is None:
        start(root)
        return None
    with connection:
        try:
            child = taken(connection, request)
        except (OSError, ValueError):
            child = None
        if child is None:  # refused: a stale checker (it has stopped), or a socket that is not one
            start(root)
            return None
        try:
            return outcome(connection, child)
        except (OSError, ValueError):  # the child died: the command runs here
            return None


def resident_root(argv: list[str]) -> str | None:
    """The référentiel (real path) whose resident checker may serve the command line: `--resident` is among
    the options before the command, and the command is `verifier`, or `ranger` with `--verifier`. Any option
    this reading does not know sends the command line to the engine itself."""
    root, resident, index = ENGINE_ROOT, False, 0
    while index < len(argv):
        argument = argv[index]
        if argument == OPTION:
            resident = True
        elif argument == "--racine" and index + 1 < len(argv):
            index += 1
            root = argv[index]
        elif argument.startswith("--racine="):
            root = argument.removeprefix("--racine=")
        elif argument != "--livret":
            break
        index += 1
    else:
        return None  # no command: the build
    command, rest = argv[index], argv[index + 1:]
    if not resident or not (command in CHECKS or (command in FORMATTING and "--verifier" in rest)):
        return None
    root = os.path.realpath(root)
    return root if os.path.isdir(root) else None  # no resident checker for a folder that is not there


def supported() -> bool:
    """Whether this system can fork and pass file descriptors over Unix sockets (not Windows)."""
    if not hasattr(os, "fork"):
        return False
    import socket

    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def folder() -> str:
    """The folder of the resident checkers' sockets, private to the user."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, "referentiel")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"referentiel-{os.getuid()}")


def private(path: str, create: bool) -> bool:
    """Whether the folder is a real folder of this user that no one else may enter (created so if asked)."""
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        found = os.lstat(path)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and found.st_mode & 0o077 == 0


def address(root: str, create: bool = False) -> str | None:
    """The socket of the resident checker of this référentiel, for this engine and this Python; None when the
    folder of the sockets is not private."""
    import zlib

    place = folder()
    if not private(place, create):
        return None
    key = "\0".join((root, ENGINE_ROOT, sys.executable)).encode("utf-8", "surrogateescape")
    name = "".join(char if char.isascii() and (char.isalnum() or char in "-_") else "_"
                   for char in os.path.basename(root))[:32]
    return os.path.join(place, f"{name}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.sock")


def interpreter() -> list[object]:
    """What the server's interpreter must share with the client's: its path, its file-name encoding, its flags
    (-O, -X utf8, -W…)."""
    return [sys.executable, sys.getfilesystemencoding(), list(sys.flags), sys.warnoptions, sys._xoptions]


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def streams() -> list[tuple[object, ...]] | None:
    """How this process writes its standard streams (encoding, errors, line buffering, write-through): the
    server's child writes in the same way. None when one of them is closed."""
    found: list[tuple[object, ...]] = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "buffer"):
            return None
        found.append((stream.encoding, stream.errors or "strict", stream.line_buffering,
                      getattr(stream, "write_through", False)))
    return found


def connected(path: str) -> "socket.socket | None":
    import socket

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(TAKEN_WITHIN)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def send(connection: "socket.socket", request: dict[str, object], fds: list[int]) -> None:
    import marshal
    import socket

    payload = marshal.dumps(request)
    socket.send_fds(connection, [len(payload).to_bytes(4, "big")], fds)
    connection.sendall(payload)


def receive(connection: "socket.socket", size: int) -> bytes:
    """Exactly `size` bytes; ValueError when the other side closes before."""
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ValueError("connection closed")
        data += chunk
    return data


def taken(connection: "socket.socket", request: dict[str, object]) -> int | None:
    """Send the request with the standard streams; the process id of the server's child that runs it, or
    None when the server refuses it."""
    send(connection, request, [0, 1, 2])
    try:
        answer = receive(connection, 5)
    except ValueError:  # closed: refused
        return None
    if answer[:1] != READY:
        return None
    connection.sendall(GO)
    return int.from_bytes(answer[1:], "big")


def outcome(connection: "socket.socket", child: int) -> int:
    """The exit code of the command, once the server's child has run it."""
    connection.settimeout(None)  # a check takes as long as it takes
    while True:
        try:
            return int.from_bytes(receive(connection, 4), "big", signed=True)
        except KeyboardInterrupt:  # Ctrl-C: the child stops as the command would (« Interrompu. », code 130)
            import signal

            os.kill(child, signal.SIGINT)


def start(root: str) -> None:
    """Start the resident checker of the référentiel in the background, detached from this process: its
    standard streams lead nowhere, so that nothing (pre-commit, a terminal) waits for it."""
    import contextlib
    import subprocess

    idle = os.environ.get(IDLE_VARIABLE, "")
    try:
        valid = 0 < float(idle) < 7 * 24 * 3600
    except ValueError:
        valid = False
    idle = idle if valid else str(IDLE)
    boot = "import sys; sys.path.insert(0, sys.argv[1]); from engine.resident.server import main; main(sys.argv[2:])"
    with contextlib.suppress(OSError):
        options = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]  # -O, -X…, as multiprocessing
        subprocess.Popen([sys.executable, *options, "-c", boot, ENGINE_ROOT, root, idle], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/", start_new_session=True)


def state(root: str, stop: bool = False) -> tuple[int, int] | None:
    """The process id of the resident checker of the référentiel and how many requests it served, or None
    when it does not run; with `stop`, it stops (once this returns, it no longer answers)."""
    if not supported():
        return None
    path = address(os.path.realpath(root))
    connection = connected(path) if path else None
    if connection is None:
        return None
    with connection:
        try:
            send(connection, {"action": "stop" if stop else "state", "root": os.path.realpath(root)}, [])
            answer = receive(connection, 9)
            if answer[:1] != STATE:
                return None
            if stop:
                connection.settimeout(None)
                while connection.recv(1):  # closed when it has stopped
                    pass
            return int.from_bytes(answer[1:5], "big"), int.from_bytes(answer[5:], "big")
        except (OSError, ValueError):
            return None
