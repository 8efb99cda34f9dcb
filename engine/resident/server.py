"""The resident checker of one référentiel, started in the background by the first `--resident` command.

It imports the command line, checks the référentiel once so that every validator is built and every module
that a check imports is imported, empties the engine's caches, then waits on a Unix socket of a private
folder. Each request is served by a forked child that starts from that same state (nothing of a former
request survives, every file is read again from disk): it takes the client's standard streams, folder,
environment and umask, runs `engine.cli.main` on the client's command line and sends back the exit code.

It stops after `idle` seconds without a request, when asked (`python build.py resident --arreter`), when its
socket is no longer its own, and at the first request after the engine's code, the Python interpreter or the
installed packages have changed: that request is refused, and the client runs the command itself.
"""

import contextlib
import fcntl
import gc
import io
import marshal
import os
import signal
import socket
import struct
import sys
import sysconfig
import time
import traceback
import warnings
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, NoReturn

from engine.resident import client

if TYPE_CHECKING:
    from pydantic import BaseModel

LARGEST_REQUEST = 1 << 24
READ_WITHIN = 5.0
"""Seconds a client has to send its request once connected."""
Fingerprint = tuple[tuple[str, int, int], ...]
HANDLED = {signal.SIGCHLD, signal.SIGTERM}
"""The signals the server handles itself (see `Server.serve`)."""


def main(arguments: list[str]) -> None:
    """`ROOT IDLE`: serve the référentiel at ROOT until IDLE seconds pass without a request. A second server
    of the same référentiel stops at once (the first holds the lock)."""
    root, idle = os.path.realpath(arguments[0]), float(arguments[1])
    path = client.address(root, create=True)
    if path is None:
        return
    with open(path.removesuffix(".sock") + ".lock", "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        Server(root, path, idle, lock).serve()


def fingerprint() -> Fingerprint:
    """What the running code depends on: each module of the engine, `build.py`, the interpreter and the folders
    of installed packages (a package installed or removed changes their time of modification)."""
    engine = os.path.join(client.ENGINE_ROOT, "engine")
    paths = [os.path.join(client.ENGINE_ROOT, "build.py"), os.path.realpath(sys.executable),
             *sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})]
    for folder, subfolders, names in os.walk(engine):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        paths += [os.path.join(folder, name) for name in sorted(names) if name.endswith(".py")]
    found = []
    for path in paths:
        try:
            status = os.stat(path)
            found.append((path, status.st_mtime_ns, status.st_size))
        except OSError:
            found.append((path, -1, -1))
    return tuple(found)


class Server:
    def __init__(self, root: str, path: str, idle: float, lock: IO[str]):
        self.root, self.path, self.idle, self.lock = root, path, idle, lock
        self.served = 0
        self.listener: socket.socket | None = None
        self.inode = -1

    def serve(self) -> None:
        code = fingerprint()  # before the engine is imported: a change made meanwhile is seen
        warm(self.root)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        temporary = f"{self.path}.{os.getpid()}"
        umask = os.umask(0o177)
        try:
            self.listener.bind(temporary)
        finally:
            os.umask(umask)
        self.listener.listen(64)
        os.rename(temporary, self.path)  # at once: a client finds the former socket or this one
        self.inode = os.stat(self.path).st_ino
        signal.signal(signal.SIGCHLD, self.reap)
        signal.signal(signal.SIGTERM, stopped)
        last = time.monotonic()
        try:
            while (remaining := self.idle - (time.monotonic() - last)) > 0:
                self.listener.settimeout(remaining)
                try:
                    connection, _ = self.listener.accept()
                except TimeoutError:
                    continue
                last = time.monotonic()
                going_on = False
                try:
                    going_on = self.answer(connection, code)
                finally:
                    if not going_on:
                        self.close()  # before the client hears of it: it may start the next server at once
                    connection.close()
                if not going_on:
                    return
        finally:
            self.close()

    def reap(self, signum: int = 0, frame: FrameType | None = None) -> None:
        """Collect the children that have ended (no zombie waits for the next request), counting those that
        served their request."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.served += os.waitstatus_to_exitcode(status) == 0

    def ours(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def close(self) -> None:
        """Stop listening, remove the socket if it is still this server's, let the next server start."""
        if self.listener is not None:
            if self.ours():
                os.unlink(self.path)
            self.listener.close()
            self.listener = None
        self.lock.close()

    def answer(self, connection: socket.socket, code: Fingerprint) -> bool:
        """Serve one connection; False when the server must stop."""
        connection.settimeout(READ_WITHIN)
        fds: list[int] = []
        try:
            if not same_user(connection):
                return True
            header, fds, _, _ = socket.recv_fds(connection, 4, 3)
            header += client.receive(connection, 4 - len(header)) if len(header) < 4 else b""
            size = int.from_bytes(header, "big")
            if size > LARGEST_REQUEST:
                return True
            request = marshal.loads(client.receive(connection, size))
            if not isinstance(request, dict) or request.get("root") != self.root:
                return True
            action = request.get("action")
            if action in ("state", "stop"):
                self.reap()
                connection.sendall(client.STATE + os.getpid().to_bytes(4, "big") + self.served.to_bytes(4, "big"))
                return action == "state"
            if action != "run" or len(fds) != 3 or not well_formed(request):
                return True
            if fingerprint() != code or not self.ours():
                return False  # stale: refused, and the server stops
            if request["python"] != client.interpreter():
                return True
            assert self.listener is not None
            signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)  # the child must not run the server's handlers
            try:
                if os.fork() == 0:
                    child(connection, fds, request, (self.listener, self.lock))
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, HANDLED)
            return True
        except (OSError, ValueError, EOFError, TypeError):
            return True
        finally:
            for fd in fds:
                os.close(fd)


def same_user(connection: socket.socket) -> bool:
    """Whether the client runs as this user (Linux says; elsewhere the private folder is the guard)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("iII"))
    _, uid, _ = struct.unpack("iII", credentials)
    return bool(uid == os.getuid())


def well_formed(request: dict[str, Any]) -> bool:
    def strings(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    streams = request.get("streams")
    env = request.get("env")
    return (strings(request.get("argv")) and isinstance(request.get("cwd"), str)
            and isinstance(env, dict) and strings(list(env)) and strings(list(env.values()))
            and isinstance(request.get("umask"), int) and isinstance(streams, list) and len(streams) == 3
            and all(isinstance(stream, tuple) and len(stream) == 4 for stream in streams))


def stopped(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def child(connection: socket.socket, fds: list[int], request: dict[str, Any], server: tuple[socket.socket, IO[str]],
          ) -> NoReturn:
    """Take the client's place (folder, environment, umask, standard streams), say so, and run the command once
    the client agrees; exits with the server's process, never returns into it: with 0 once the client has the
    exit code of the command, with 1 when it must run the command itself."""
    served = False
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HANDLED)
        for held in server:  # the server's socket and lock: its own, not the child's
            held.close()
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        sys.stdin, sys.stdout, sys.stderr = (
            stream(fd, mode, *form) for fd, mode, form in zip((0, 1, 2), "rww", request["streams"], strict=True))
        connection.settimeout(None)
        connection.sendall(client.READY + os.getpid().to_bytes(4, "big"))
        if client.receive(connection, 1) != client.GO:
            os._exit(0)
        code = run(request["argv"])
        connection.sendall(code.to_bytes(4, "big", signed=True))
        served = True
    finally:
        os._exit(0 if served else 1)


def stream(fd: int, mode: str, encoding: str, errors: str, line_buffering: bool, write_through: bool) -> IO[str]:
    """A standard stream as the client's interpreter made it."""
    return io.TextIOWrapper(open(fd, mode + "b", closefd=False), encoding=encoding, errors=errors,
                            newline="\n", line_buffering=line_buffering, write_through=write_through)


def run(argv: list[str]) -> int:
    """What `python build.py ARGV` does in `main` and at its exit: its exit code."""
    from engine.cli import main as command_line

    sys.argv = [os.path.join(client.ENGINE_ROOT, "build.py"), *argv]
    try:
        code = command_line(argv)
    except SystemExit as exit:
        code = exit_status(exit.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
    except OSError:
        code = 120  # as Python when it cannot flush the output at exit
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return code


def exit_status(value: object) -> int:
    """The exit status of `sys.exit(value)`."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def warm(root: str) -> None:
    """Import what `verifier` and `ranger --verifier` use and build every validator, by checking the référentiel
    once; then empty every cache of the engine and keep the collector off what is there (the children
    share it with this process instead of copying it)."""
    from pydantic import BaseModel

    import engine.cli
    from engine.check import changed_files, json_schemas  # noqa: F401  # what `--modifies` and the check use
    from engine.check.checker import check
    from engine.edit import tidy  # noqa: F401  # what `ranger --verifier` uses

    engine.cli.parser()
    # A warning given once is given again in each child: the filters, changed on leaving, forget what was shown
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):  # an engine error: each child shows it as a direct run would
            check(Path(root))
        for model in subclasses(BaseModel):
            if model.__module__.startswith("engine.") and not model.__pydantic_complete__:
                with contextlib.suppress(Exception):  # a generic model is built when used
                    model.model_rebuild(force=True)
    for name, module in list(sys.modules.items()):
        if name.startswith("engine."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    gc.collect()
    gc.freeze()


def subclasses(model: "type[BaseModel]") -> "list[type[BaseModel]]":
    found: list[type[BaseModel]] = []
    for subclass in model.__subclasses__():
        found += [subclass, *subclasses(subclass)]
    return found
