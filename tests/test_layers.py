"""gwlab's layers import one way (docs/ARCHITECTURE.md, "Layers").

Every module of the package is parsed, and every import in it counts: at the top,
inside functions, under ``if TYPE_CHECKING:`` (a type-only import is still a
dependency the reader and mypy follow, and it is what turns into a real one the day
someone needs the name at run time), and a module named by a string to
``importlib.import_module``, ``import_settled`` or ``__import__``. Each module belongs
to a layer: a subpackage (``gwlab.lab``, ``gwlab.emulator``, ...) or, for a module at
the top of the package, that module itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import gwlab

PACKAGE = Path(gwlab.__file__).parent
#: Calls that import the module their first argument names.
IMPORTING_CALLS = {"import_module", "import_settled", "__import__"}
#: The one emulator module the gateway and the DNS server read its state through.
STATE = "gwlab.emulator.state"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether ``name`` (``gwlab.x.y``) is a module or package of gwlab."""
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative).with_suffix(".py").is_file() or (
        PACKAGE / relative / "__init__.py"
    ).is_file()


def imported(path: Path, name: str | None = None) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of each gwlab module ``path`` (module ``name``) imports, anywhere."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            # ``from gwlab.emulator import state`` imports the module gwlab.emulator.state.
            targets = [
                f"{source}.{alias.name}" if is_module(f"{source}.{alias.name}") else source
                for alias in node.names
            ]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in IMPORTING_CALLS
        ):
            targets = [node.args[0].value]
        else:
            continue
        for target in targets:
            if target == "gwlab" or target.startswith("gwlab."):
                yield node.lineno, target


def layer(module: str) -> str:
    """``gwlab.lab.runner`` -> ``gwlab.lab``; a top-level module is its own layer."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports() -> list[tuple[str, int, str]]:
    """``(importing module's file, line, imported module)`` for the whole package."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, target in imported(path):
            found.add((path.relative_to(PACKAGE.parent).as_posix(), line, target))
    return sorted(found)


def edges() -> dict[tuple[str, str], list[str]]:
    """Layer -> layer, with where each such import is."""
    found: dict[tuple[str, str], list[str]] = {}
    for where, line, target in imports():
        source = layer(module_name(PACKAGE.parent / where))
        if source != layer(target):
            found.setdefault((source, layer(target)), []).append(f"{where}:{line} {target}")
    return found


def cycles(graph: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more layers (Tarjan)."""
    successors: dict[str, set[str]] = {}
    for source, target in graph:
        successors.setdefault(source, set()).add(target)
        successors.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in sorted(successors[node]):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(successors):
        if node not in index:
            visit(node)
    return groups


def explain(graph: dict[tuple[str, str], list[str]], group: list[str]) -> str:
    return "; ".join(
        f"{source} -> {target} ({', '.join(graph[source, target])})"
        for source, target in sorted(graph)
        if source in group and target in group
    )


def test_the_walk_sees_imports_inside_functions_and_by_name(tmp_path: Path) -> None:
    """The walker itself: top-level, in-function, type-only and by-name imports count."""
    found = {target for _, target in imported(PACKAGE / "lab" / "lab.py")}
    assert "gwlab.lab.cleanup" in found  # at the top
    assert "gwlab.errors" in found  # only inside a method
    assert "gwlab.gateway" in found  # only under TYPE_CHECKING
    assert "gwlab.emulator" in {t for _, t in imported(PACKAGE / "backends" / "moto_backed.py")}
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def later():\n"
        "    from . import runner\n"
        "    from ..emulator import state, registry\n"
        "    importlib.import_module('gwlab.ui.card')\n"
        "    import_settled('gwlab.lessons')\n",
        encoding="utf-8",
    )
    assert sorted(t for _, t in imported(sample, "gwlab.lab.sample")) == [
        "gwlab.emulator.registry",
        "gwlab.emulator.state",
        "gwlab.lab.runner",
        "gwlab.lessons",
        "gwlab.ui.card",
    ]
    assert layer("gwlab.lab.runner") == "gwlab.lab"
    assert layer("gwlab.errors") == "gwlab.errors"
    graph = {("a", "b"): ["x"], ("b", "c"): ["y"], ("c", "a"): ["z"], ("c", "d"): ["w"]}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_cycle_between_layers() -> None:
    graph = edges()
    found = cycles(graph)
    assert not found, "\n".join(explain(graph, group) for group in found)


def forbidden(source: str, targets: tuple[str, ...]) -> list[str]:
    graph = edges()
    return [where for target in targets for where in graph.get((source, target), [])]


def test_the_engine_imports_neither_the_lessons_nor_the_widgets() -> None:
    assert forbidden("gwlab.lab", ("gwlab.lessons", "gwlab.ui")) == []


def test_the_emulator_imports_nothing_above_it() -> None:
    above = ("gwlab.gateway", "gwlab.dns", "gwlab.lab", "gwlab.lessons", "gwlab.ui", "gwlab.cli")
    assert forbidden("gwlab.emulator", above) == []


def test_the_gateway_and_dns_read_the_emulator_through_one_module() -> None:
    other = [
        f"{where}:{line} {target}"
        for where, line, target in imports()
        if where.startswith(("gwlab/gateway/", "gwlab/dns/"))
        and layer(target) == "gwlab.emulator"
        and target != STATE
    ]
    assert other == []


def test_the_state_module_exists() -> None:
    assert is_module(STATE)


def test_the_engine_gets_the_course_and_the_widgets_plugged_in() -> None:
    """What replaced the engine's imports: ``gwlab`` plugs both in, the engine asks."""
    import gwlab.lessons
    import gwlab.ui
    from gwlab.lab import plugins

    assert plugins.course() is gwlab.lessons
    assert plugins.views() is gwlab.ui


def test_the_start_up_machinery_imports_nothing_of_gwlab_above_it() -> None:
    """``gwlab.startup`` sits under everything: the engine, ui and the emulator use it."""
    assert [
        where
        for (source, _), wheres in edges().items()
        if source == "gwlab.startup"
        for where in wheres
    ] == []
    assert ("gwlab.emulator", "gwlab.startup") in edges()  # the speed-ups point moto at it


def test_the_start_up_package_imports_nothing_when_imported() -> None:
    """Any module may use one piece of it without loading the others (or moto)."""
    init = PACKAGE / "startup" / "__init__.py"
    assert list(imported(init)) == []
    assert not [
        node
        for node in ast.parse(init.read_text()).body
        if isinstance(node, ast.Import)
        or (isinstance(node, ast.ImportFrom) and node.module != "__future__")
    ]
