"""Typst lays out one printed document: the HTML of a print template, handed over as data.

`pdftree` turns the HTML into a tree of plain values and `templates/pdf/document.typ` reads it as JSON
(`sys.inputs.document`): no text ever reaches Typst as markup. Typst reads no file but that layout and
no font but those embedded in it, so no library or font of the system is needed. This module imports
little, so that the processes that lay out documents in parallel start quickly.
"""

import contextlib
import json
import multiprocessing.context
import os
from pathlib import Path

import typst

from engine.render.pdftree import document_tree

PRINT = Path(__file__).resolve().parents[2] / "templates" / "pdf"
LAYOUT = PRINT / "document.typ"
TREE = Path(__file__).with_name("pdftree.py")


class PdfError(Exception):
    """A PDF could not be laid out; the message, in French, says why."""


def _compiler() -> typst.Compiler:
    """One Typst compiler per process: it loads its fonts once (only those embedded in Typst) and its
    only file is the layout, in `templates/pdf/`."""
    global _COMPILER
    if _COMPILER is None:
        _COMPILER = typst.Compiler(str(LAYOUT), root=str(PRINT), ignore_system_fonts=True)
    return _COMPILER


_COMPILER: typst.Compiler | None = None

BACKGROUND_NICENESS = 10
"""How much lower than the build's the priority of a process laying out PDFs in the background is."""


class BackgroundProcess(multiprocessing.context.SpawnProcess):
    """A process started afresh (Typst does not survive a fork) that runs at a lower priority than the one that
    starts it, from the moment it starts, its imports included (where the system has priorities: not on Windows),
    so that the work the build waits for keeps its core and PDFs take the rest. Its parent sets the priority: a
    process that lowered its own would run at the build's until it got that far."""

    def start(self) -> None:
        super().start()
        if hasattr(os, "setpriority") and self.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # a process already gone needs no priority
                os.setpriority(os.PRIO_PROCESS, self.pid, os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS)


class BackgroundContext(multiprocessing.context.SpawnContext):
    """The processes of a pool that lays out PDFs in the background: `BackgroundProcess`es."""

    Process = BackgroundProcess


def data(document: str) -> str:
    """What Typst reads of an HTML document: its tree as JSON (see `pdftree`)."""
    return json.dumps(document_tree(document), ensure_ascii=False, separators=(",", ":"))


def lay_out_data(tree: str) -> bytes:
    """The PDF of a document given as its JSON tree: tagged for screen readers, and PDF/UA-1 where it holds
    (a document that breaks one of its rules is still laid out, tagged, without claiming it)."""
    try:
        try:
            pdf = _compiler().compile(sys_inputs={"document": tree}, pdf_standards=["ua-1"], timestamp=0)
        except typst.TypstError as error:
            if not error.message.startswith("PDF/UA-1 error"):
                raise
            pdf = _compiler().compile(sys_inputs={"document": tree}, timestamp=0)
    except typst.TypstError as error:
        raise PdfError(f"Typst n'a pas pu mettre un PDF en page : {error.message}") from None
    assert isinstance(pdf, bytes)
    return pdf


def lay_out(document: str) -> bytes:
    """The PDF of an HTML document."""
    return lay_out_data(data(document))


