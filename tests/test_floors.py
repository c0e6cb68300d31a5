"""The floors hold: no module imports a floor it may not read, and no modules import each other in a circle.

Every module of the package is parsed (``ast``; nothing is imported): its
top-level imports and the imports inside functions (lazy imports count too),
``from qyanalysis.x import y`` and ``import qyanalysis.x`` alike. Each module
is mapped to its floor by :data:`FLOORS` (the table of ``docs/design.md``,
"Floors"), and each floor may read only the floors :data:`READS` lists for it —
the floors below it, except that ``present`` receives what it shows and reads
only ``contract`` and ``disclosure``. The front doors (``qyanalysis/__init__.py``,
``__main__.py``, ``cli.py``, ``equity.py``) may import anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "qyanalysis"

#: Floor → the modules (and packages, with everything below them) that stand on it, bottom floor first.
FLOORS: dict[str, tuple[str, ...]] = {
    "contract": ("qyanalysis.contract", "qyanalysis.dataset", "qyanalysis.errors", "qyanalysis.settings",
                 "qyanalysis.paths"),
    "disclosure": ("qyanalysis.disclosure",),
    "io": ("qyanalysis.io",),
    "measures": ("qyanalysis.measures",),
    "verdicts": ("qyanalysis.verdicts",),
    "demo": ("qyanalysis.demo",),
    "opening": ("qyanalysis.opening",),
    "present": ("qyanalysis.present",),
    "report": ("qyanalysis.report",),
    "runner": ("qyanalysis.runner",),
    "front doors": ("qyanalysis", "qyanalysis.__main__", "qyanalysis.cli", "qyanalysis.equity"),
}
ORDER = list(FLOORS)


def _below(floor: str) -> frozenset[str]:
    return frozenset(ORDER[:ORDER.index(floor)])


#: Floor → the other floors its modules may import (never one above it).
READS: dict[str, frozenset[str]] = {
    "contract": frozenset(),
    "disclosure": frozenset({"contract"}),
    "io": frozenset({"contract"}),  # reading knows no analysis, no generator, no targets
    "measures": frozenset({"contract"}),  # a measure knows no target, no chart, no kernel
    "verdicts": frozenset({"contract", "measures"}),
    "demo": frozenset({"contract", "io", "measures", "verdicts"}),
    "opening": frozenset({"contract", "io", "demo", "verdicts"}),
    "present": frozenset({"contract", "disclosure"}),  # drawing computes and judges nothing
    "report": _below("report") - {"demo"},
    "runner": _below("runner") - {"demo"},
    "front doors": _below("front doors"),
}

#: Names of the package itself (``qyanalysis/__init__.py``) that any floor may read: constants, not code.
PACKAGE_CONSTANTS = frozenset({"__version__"})

#: Upward imports known and not yet removed: (module, imported module) → why it is still there.
#: An entry that no longer matches an import fails the test (the list only shrinks).
NOT_YET: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    target: str  # the imported module (a submodule when the imported name is one)
    lazy: bool

    def where(self) -> str:
        path = PACKAGE.parent / (self.module.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / self.module.replace(".", "/") / "__init__.py"
        kind = "lazy import" if self.lazy else "import"
        return f"{path.relative_to(PACKAGE.parent)}:{self.line}: {self.module} ({floor_of(self.module)}) " \
               f"{kind}s {self.target} ({floor_of(self.target)})"


def module_files() -> dict[str, Path]:
    """Module name → file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = module_files()


def floor_of(module: str) -> str:
    """The floor of a module: the longest prefix of :data:`FLOORS` it stands under."""
    best, length = None, -1
    for floor, prefixes in FLOORS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = floor, len(prefix)
    assert best is not None, f"{module} stands on no floor: add it to FLOORS (and docs/design.md)"
    return best


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")
    base = ".".join(parts[:len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def imports_of(module: str) -> list[Import]:
    """Every import of a package module in ``module`` (top level and inside functions)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        lazy = id(node) not in top
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names
                       if not (source == "qyanalysis" and a.name in PACKAGE_CONSTANTS)]
        else:
            continue
        for target in targets:
            if target == "qyanalysis" or target.startswith("qyanalysis."):
                while target not in MODULES:  # import qyanalysis.x.y of a name y: the module x
                    target = target.rpartition(".")[0]
                found.append(Import(module, node.lineno, target, lazy))
    return list(dict.fromkeys(found))  # one per line and module imported


IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def test_every_module_stands_on_a_floor():
    for module in MODULES:
        floor_of(module)


def test_reads_never_point_up():
    for floor, reads in READS.items():
        assert reads <= _below(floor), f"{floor} reads a floor above it: {sorted(reads - _below(floor))}"


def test_no_module_imports_a_floor_it_may_not_read():
    upward = []
    for imp in IMPORTS:
        mine, theirs = floor_of(imp.module), floor_of(imp.target)
        if mine == theirs or theirs in READS[mine] or (imp.module, imp.target) in NOT_YET:
            continue
        upward.append(imp.where())
    assert not upward, "imports across the floors (docs/design.md, Floors):\n" + "\n".join(upward)


def test_the_list_of_imports_not_yet_removed_only_shrinks():
    present = {(imp.module, imp.target) for imp in IMPORTS}
    stale = sorted(set(NOT_YET) - present)
    assert not stale, f"remove from NOT_YET, the import is gone: {stale}"


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_no_modules_import_each_other_in_a_circle():
    front = set(FLOORS["front doors"])
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in IMPORTS:
        # A package's own __init__ re-exporting its modules is no circle; the front doors import anything.
        if imp.target == imp.module or imp.module in front or imp.target in front:
            continue
        if imp.module.startswith(imp.target + "."):
            continue
        edges[imp.module].add(imp.target)
    circles = _circles(edges)
    lines = []
    for circle in circles:
        members = set(circle)
        lines.append(" ↔ ".join(circle) + ":\n" + "\n".join(
            f"    {imp.where()}" for imp in IMPORTS if imp.module in members and imp.target in members
            and imp.target in edges[imp.module]))
    assert not circles, "modules importing each other in a circle:\n" + "\n".join(lines)


def test_the_checker_sees_lazy_and_plain_imports(tmp_path):
    source = ("import qyanalysis.io.load\nfrom qyanalysis.present.numbers import format_value\n"
              "def f():\n    from qyanalysis import demo\n    import qyanalysis.verdicts.targets.tasks as t\n")
    module = "qyanalysis.disclosure"
    saved = MODULES[module]
    path = tmp_path / "disclosure.py"
    path.write_text(source, encoding="utf-8")
    MODULES[module] = path
    try:
        found = [(imp.target, imp.line, imp.lazy) for imp in imports_of(module)]
    finally:
        MODULES[module] = saved
    assert found == [("qyanalysis.io.load", 1, False), ("qyanalysis.present.numbers", 2, False),
                     ("qyanalysis.demo", 4, True), ("qyanalysis.verdicts.targets.tasks", 5, True)]
