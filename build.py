#!/usr/bin/env python3
"""Entry point of the référentiel: `python build.py --help` lists the commands."""

import os
import sys

if __name__ == "__main__":
    # The engine uses no pydantic plugin: looking for them reads the metadata of every installed package, a
    # tenth of the start-up of `check` (which runs at every commit). PYDANTIC_DISABLE_PLUGINS set otherwise wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from engine.resident.client import served  # standard library only: `--resident` answers from there

    code = served(sys.argv[1:])
    if code is None:
        from engine.cli import main  # here, not above: the processes that lay out PDFs import this file too

        code = main()
    sys.exit(code)
