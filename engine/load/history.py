"""When each source file was created and changed, and why, read from git in a single pass.

One `git log --name-only` over the whole repository gives every file's commits, with their dates
and subjects (one process per file is what makes date plugins slow). A file git does not know
(outside a repository, not yet committed) falls back to its modification time. When
`SOURCE_DATE_EPOCH` is set, every date is clamped to it, so two builds of the same commit give the
same pages.

Commits listed in `.git-blame-ignore-revs` (the file that `git blame` and GitHub read for the same
purpose) change how files are written, not what they say: reformatting every entry must not make
them all « mis à jour » that day. They are left out of the dates and of the history shown on the
pages, except for a file that no other commit touches.
"""

import datetime
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from engine.load.documents import LoadError
from engine.load.inputs import read_text
from engine.load.problems import visible

_COMMIT = "\x00"
"""Starts each commit in the log: the one character that no commit message, subject or file name holds."""
_HEADER = re.compile(r"([0-9a-f]{40,64}) ([0-9]{1,12}) (.*)")
"""The first line of a commit in the log: its hash, its time and its subject (which may hold anything)."""
IGNORED_REVISIONS = ".git-blame-ignore-revs"


@dataclass(frozen=True)
class Dates:
    created: datetime.date
    updated: datetime.date


def _day(timestamp: float) -> datetime.date:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).date()


def _epoch() -> float | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return float(value) if value.isdigit() else None


@dataclass(frozen=True)
class Commit:
    """One change of a file: when it was committed, and the first line of its message (control, invisible and
    non-characters written as escapes, so that a subject can neither hide text nor corrupt a page or a feed)."""

    time: int
    subject: str

    @property
    def day(self) -> datetime.date:
        return _day(self.time)


def ignored_revisions(root: Path) -> set[str]:
    """The full hashes listed in `.git-blame-ignore-revs` (one per line, `#` starts a comment)."""
    if not (root / IGNORED_REVISIONS).exists():
        return set()
    try:  # under the rule of every input: a link to /dev/zero must not stop the build (check reports it)
        lines = read_text(root / IGNORED_REVISIONS, IGNORED_REVISIONS).splitlines()
    except LoadError:
        return set()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def git_log(root: Path) -> dict[str, list[Commit]]:
    """The commits of every file under `root`, newest first, by path relative to `root`."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotePath=false", "log", "--relative", "--name-only",
             "--no-renames", "--format=%x00%H %ct %s"],
            capture_output=True, encoding="utf-8", errors="replace", check=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    ignored = ignored_revisions(root)
    log: dict[str, list[Commit]] = {}
    skipped: dict[str, list[Commit]] = {}
    for block in result.stdout.split(_COMMIT)[1:]:
        header, *names = block.split("\n")
        parsed = _HEADER.fullmatch(header)
        if parsed is None:
            continue  # not a commit of the log: never a reason to fail a build
        revision, stamp, subject = parsed.groups()
        commit = Commit(int(stamp), visible(subject.strip()))
        for name in filter(None, names):
            (skipped if revision in ignored else log).setdefault(name, []).append(commit)
    for name, commits in skipped.items():
        log.setdefault(name, commits)  # a file that only ignored commits touched keeps them
    return log


class History:
    """The dates and commits of the files of a référentiel."""

    def __init__(self, root: Path):
        self.root = root
        self.log = git_log(root)
        self.epoch = _epoch()

    def commits(self, path: Path | str) -> list[Commit]:
        """The commits that changed a file (given relative to the root), newest first; none outside git."""
        return self.log.get(Path(path).as_posix(), [])

    def dates(self, path: Path | str) -> Dates:
        """Creation and last change of a file, given relative to the root."""
        times = [float(commit.time) for commit in self.commits(path)]
        times = times or [(self.root / Path(path).as_posix()).stat().st_mtime]
        first, last = min(times), max(times)
        if self.epoch is not None:
            first, last = min(first, self.epoch), min(last, self.epoch)
        return Dates(_day(first), _day(last))
