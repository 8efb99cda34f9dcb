"""Progress of the long steps of a build, in French: a line when a step starts, then a line with what it
made (a count) and how long it took. Silent unless a stream is given (the preview stays quiet)."""

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO


@dataclass
class Done:
    """What a step made, set by the step itself: `count` things, described as `unit` (« PDF », « pages »)."""

    count: int = 0
    unit: str = ""


class Progress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def say(self, text: str) -> None:
        if self.stream is not None:  # one write per line: the PDFs report theirs from another thread
            self.stream.write(text + "\n")
            self.stream.flush()

    @contextmanager
    def step(self, label: str) -> Iterator[Done]:
        """`label…` now; `label : 212 PDF en 3.4 s` once the step is over (nothing more if it fails)."""
        self.say(f"{label}…")
        start = time.monotonic()
        done = Done()
        yield done
        self.say(f"{label} : {done.count} {done.unit} en {time.monotonic() - start:.1f} s")


QUIET = Progress()


def on_screen() -> Progress:
    """Progress printed on the error stream, so that the output of a command stays its result."""
    return Progress(sys.stderr)
