"""The engine's layout on disk follows its flow: each folder imports only from the floors below it, and no
module imports itself back, even through an import written inside a function."""

import ast
from collections.abc import Iterator
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"
FLOORS = {"model": 0, "load": 1, "check": 2, "render": 3, "build": 4, "publish": 5, "edit": 5, "cli": 6, "resident": 6}
"""Where each room stands: the models at the bottom, the command line at the top. `publish` and `edit`
stand side by side, above the build they both use; the resident checker runs the command line."""

Graph = dict[str, set[str]]


def modules() -> dict[str, Path]:
    return {".".join(("engine", *path.relative_to(ENGINE).with_suffix("").parts)): path
            for path in sorted(ENGINE.rglob("*.py")) if path.stem != "__init__"}


def imported(source: str, known: set[str]) -> Iterator[str]:
    """The engine modules that a module's source imports, at its top or inside a function."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "engine":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                yield candidate if candidate in known else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "engine")


def graph() -> Graph:
    known = modules()
    return {name: set(imported(path.read_text(encoding="utf-8"), set(known))) & set(known)
            for name, path in known.items()}


def floor(module: str) -> int:
    return FLOORS[module.split(".")[1]]  # engine.render.pages → render; engine.cli → cli


def upward(edges: Graph) -> list[tuple[str, str]]:
    return sorted((module, target) for module, targets in edges.items() for target in targets
                  if floor(target) > floor(module))


def cycles(edges: Graph) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(edges.get(module, ())):
            if target in path:
                found.append([*path[path.index(target):], target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    return found


def test_every_engine_module_stands_on_a_known_floor():
    assert {module.split(".")[1] for module in modules()} <= set(FLOORS)


def test_each_folder_imports_only_from_its_floor_or_below():
    assert upward(graph()) == []


def test_no_module_imports_itself_back_through_others():
    assert cycles(graph()) == []


def test_an_import_inside_a_function_counts_as_an_import():
    source = "def f():\n    from engine.build.site import prepare\n"
    assert list(imported(source, {"engine.build.site"})) == ["engine.build.site"]


def test_a_model_importing_the_build_or_a_loop_of_two_modules_is_caught():
    edges = {"engine.model.format": {"engine.build.site"}, "engine.build.site": {"engine.model.format"}}
    assert upward(edges) == [("engine.model.format", "engine.build.site")]
    assert cycles(edges) == [["engine.build.site", "engine.model.format", "engine.build.site"]]
