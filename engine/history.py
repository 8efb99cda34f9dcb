"""When each source file was created and last changed, read from git in a single pass.

One `git log --name-only` over the whole repository gives every file's dates (one process per
file is what makes date plugins slow). A file git does not know (outside a repository, not yet
committed) falls back to its modification time. When `SOURCE_DATE_EPOCH` is set, every date is
clamped to it, so two builds of the same commit give the same pages.
"""

import datetime
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

_COMMIT = "\x1e"


@dataclass(frozen=True)
class Dates:
    created: datetime.date
    updated: datetime.date


def _day(timestamp: float) -> datetime.date:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).date()


def _epoch() -> float | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return float(value) if value.isdigit() else None


def git_times(root: Path) -> dict[str, tuple[int, int]]:
    """(first, last) commit time of every file under `root`, by path relative to `root`."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "--relative", "--name-only", "--no-renames", f"--format={_COMMIT}%ct"],
            capture_output=True, text=True, check=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    times: dict[str, tuple[int, int]] = {}
    for commit in result.stdout.split(_COMMIT)[1:]:
        stamp, *names = commit.split("\n")
        when = int(stamp)
        for name in filter(None, names):
            first, last = times.get(name, (when, when))
            times[name] = (min(first, when), max(last, when))
    return times


class History:
    """The dates of the files of a référentiel."""

    def __init__(self, root: Path):
        self.root = root
        self.times = git_times(root)
        self.epoch = _epoch()

    def dates(self, path: Path | str) -> Dates:
        """Creation and last change of a file, given relative to the root."""
        name = Path(path).as_posix()
        if name in self.times:
            first, last = self.times[name]
        else:
            first = last = (self.root / name).stat().st_mtime
        if self.epoch is not None:
            first, last = min(first, self.epoch), min(last, self.epoch)
        return Dates(_day(first), _day(last))
