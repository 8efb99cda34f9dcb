"""Makes this Python look like Windows to the engine, for tests/test_windows.py (on PYTHONPATH only there).

- The engine's modules cannot import `fcntl`; they get a `msvcrt` whose `locking` works like Windows'
  (it locks bytes from the file's current position), made here with the real `fcntl`.
- The `fork` start method of multiprocessing does not exist and the default one is `spawn`.
"""

import builtins
import fcntl as _fcntl
import multiprocessing.context as _context
import os
import types
from collections.abc import Mapping, Sequence

_import = builtins.__import__


class _Msvcrt(types.ModuleType):
    """The part of Windows' `msvcrt` that the engine uses."""

    LK_UNLCK, LK_LOCK = 0, 1

    @staticmethod
    def locking(fd: int, mode: int, nbytes: int) -> None:
        command = _fcntl.LOCK_UN if mode == _Msvcrt.LK_UNLCK else _fcntl.LOCK_EX
        _fcntl.lockf(fd, command, nbytes, 0, os.SEEK_CUR)


msvcrt = _Msvcrt("msvcrt")


def _windows_import(name: str, globals: Mapping[str, object] | None = None,
                    locals: Mapping[str, object] | None = None, fromlist: Sequence[str] | None = (),
                    level: int = 0) -> types.ModuleType:
    importer = (globals or {}).get("__name__")
    if isinstance(importer, str) and importer.startswith("engine"):
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl'", name="fcntl")
        if name == "msvcrt":
            return msvcrt
    return _import(name, globals, locals, fromlist, level)


builtins.__import__ = _windows_import
# CPython's private table of start methods and default context: typeshed describes public names only.
del _context._concrete_contexts["fork"]  # type: ignore[attr-defined]
_context._default_context._default_context = _context._concrete_contexts["spawn"]  # type: ignore[attr-defined]
