#!/usr/bin/env python3
"""Entry point of the référentiel: `python build.py --help` lists the commands."""

import sys

if __name__ == "__main__":
    from engine.cli import main  # here, not above: the processes that lay out PDFs import this file too

    sys.exit(main())
