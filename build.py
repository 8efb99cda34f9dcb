#!/usr/bin/env python3
"""Entry point of the référentiel: `python build.py --help` lists the commands."""

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
