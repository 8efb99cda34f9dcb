"""Publishing a folder in one step, and one build at a time.

On Linux, `renameat2(RENAME_EXCHANGE)` swaps the new site and the old one in a single system
call: a reader, or a build killed at any moment, sees the old site or the new one, never none.
Elsewhere two renames are used, and a site left aside by an interrupted swap is put back first.
One build at a time: `flock` where it exists, `msvcrt.locking` on Windows.
"""

import ctypes
import ctypes.util
import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM}


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot do it."""
    library = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(library, use_errno=True), "renameat2", None) if library else None
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first))


def aside(target: Path) -> Path:
    return target.with_name(f".{target.name}-ancien")


def recover(target: Path) -> None:
    """Put back a folder that an interrupted two-rename swap left aside."""
    if not target.exists() and aside(target).exists():
        aside(target).rename(target)


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` at `target`, replacing what was there in one step where possible."""
    recover(target)
    if not target.exists():
        new.rename(target)
        return
    if exchange(new, target):
        shutil.rmtree(new)  # after the exchange, `new` holds the previous site
        return
    old = aside(target)
    if old.exists():
        shutil.rmtree(old)
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old)


@contextmanager
def one_at_a_time(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock` for the duration: a second build waits for the first."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("ab") as handle:
        _lock(handle)
        try:
            yield
        finally:
            _unlock(handle)


def _lock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return
    handle.seek(0)  # msvcrt locks bytes from the current position: always the first one
    while True:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            return
        except OSError:  # LK_LOCK gives up after about 10 s of waiting: keep waiting
            continue


def _unlock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        return
    handle.seek(0)
    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
