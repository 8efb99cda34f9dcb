"""Checking: every file against its model, the rules between files, the checked référentiel, the problems of changed
files, and what changed between two editions."""
