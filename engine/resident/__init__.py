"""The resident checker: a process that keeps the engine imported and its validators built, so that `verifier`
and `ranger --verifier`, run at every commit by pre-commit, start without importing pydantic or building a
model again.

`client` (standard library only, imported by `build.py`) decides whether a command goes to the resident checker
and talks to it; `server` (which imports the command line) serves each request in a forked process.
"""
