"""The parts of `core/` import each other only along the arrows ARCHITECTURE.md allows, and no
module imports itself back through others: the map stays true as code lands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
FOUNDATION = {"config", "db", "models", "errors", "catalog", "__init__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(p): p for p in CORE.rglob("*.py") if "migrations" not in p.relative_to(CORE).parts
}


def _imports(path: Path) -> set[str]:
    """Every core module this one imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES}


def _part(module: str) -> str:
    name = module.split(".")[1] if "." in module else "__init__"
    if name == "__main__":  # `python -m core` is the command line
        return "cli"
    return "foundation" if name in FOUNDATION else name


def _allowed() -> dict[str, set[str]]:
    table = (ROOT / "ARCHITECTURE.md").read_text().split("| part | owns | may import |", 1)[1]
    allowed: dict[str, set[str]] = {}
    for row in table.split("\n\n", 1)[0].splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        part = cells[0].strip("`")
        may = cells[2]
        allowed[part] = {"*"} if may == "every part" else set(re.findall(r"`(\w+)`", may))
    return allowed


def test_every_part_of_core_is_on_the_map():
    parts = {_part(m) for m in MODULES}
    assert parts <= set(_allowed()), (
        f"parts missing from ARCHITECTURE.md: {parts - set(_allowed())}"
    )


def test_parts_import_only_what_the_map_allows():
    allowed = _allowed()
    refused = sorted(
        f"{module} -> {imported}"
        for module, path in MODULES.items()
        for imported in _imports(path)
        if _part(imported) not in {"foundation", _part(module)}
        and "*" not in allowed.get(_part(module), set())
        and _part(imported) not in allowed.get(_part(module), set())
    )
    assert not refused, "imports ARCHITECTURE.md does not allow:\n" + "\n".join(refused)


def test_no_module_imports_itself_back_through_others():
    # A package's __init__ importing its own modules is how it offers its API, not a cycle.
    graph = {
        module: {i for i in _imports(path) if i != module and not i.startswith(module + ".")}
        for module, path in MODULES.items()
    }
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            module, trail = stack.pop()
            for imported in graph[module]:
                if imported == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif imported not in seen:
                    seen.add(imported)
                    stack.append((imported, (*trail, imported)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles)[:10])
