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

_import = builtins.__import__

msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_UNLCK, msvcrt.LK_LOCK = 0, 1


def _locking(fd: int, mode: int, nbytes: int) -> None:
    command = _fcntl.LOCK_UN if mode == msvcrt.LK_UNLCK else _fcntl.LOCK_EX
    _fcntl.lockf(fd, command, nbytes, 0, os.SEEK_CUR)


msvcrt.locking = _locking


def _windows_import(name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore[no-untyped-def]
    if (globals or {}).get("__name__", "").startswith("engine"):
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl'", name="fcntl")
        if name == "msvcrt":
            return msvcrt
    return _import(name, globals, locals, fromlist, level)


builtins.__import__ = _windows_import
del _context._concrete_contexts["fork"]
_context._default_context._default_context = _context._concrete_contexts["spawn"]
