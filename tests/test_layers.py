"""What may import what: the layers of docs/architecture.md, checked on every module's source.

A ground floor (`core`) imports no app of the project; the domain apps sit on it; the top floor
(`home`) may import them all and nothing imports it. No module imports another of the project
inside a function to dodge a circle (an `AppConfig.ready()` registering things is Django's own
pattern), and the modules' imports form no circle.
"""

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "followup"
GROUND = "followup.core"
# The top floor: pages that gather the domain apps; none of those imports them.
TOP = ("followup.home", "followup.insights", "followup.search", "followup.imports")


class Import(NamedTuple):
    target: str  # the project module imported
    in_function: bool  # whether the import sits inside a function body


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of `package` under `root` by dotted name; migrations are left out."""
    return {
        module_name(path, root): path
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name belongs to (a name from a package may be a module)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{anchor}.{node.module}" if node.module else anchor


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """The project modules `module` imports, and whether each import is inside a function."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    root_package = module.partition(".")[0]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, package)
                names = [f"{base}.{alias.name}" for alias in child.names]
            else:
                names = []
            for name in names:
                if name.partition(".")[0] != root_package:
                    continue
                target = resolve(name, modules)
                if target and target != module:
                    found.append(Import(target, in_function))
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, in_function or function)

    visit(tree, False)
    return found


def import_graph(root: Path, package: str = PACKAGE) -> dict[str, list[Import]]:
    modules = project_modules(root, package)
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def ground_imports(graph: dict[str, list[Import]], ground: str = GROUND) -> list[str]:
    """Imports of another app by the ground floor."""
    return sorted(
        f"{module} imports {target}"
        for module, imports in graph.items()
        if app_of(module) == ground
        for target, _ in imports
        if app_of(target) != ground
    )


def top_imports(graph: dict[str, list[Import]], top: tuple[str, ...] = TOP) -> list[str]:
    """Imports of a top-floor app by any other app."""
    return sorted(
        f"{module} imports {target}"
        for module, imports in graph.items()
        for target, _ in imports
        if app_of(target) in top and app_of(target) != app_of(module)
    )


def hidden_imports(graph: dict[str, list[Import]]) -> list[str]:
    """Project imports inside a function body, outside an app's `apps.py`."""
    return sorted(
        f"{module} imports {target} inside a function"
        for module, imports in graph.items()
        if not module.endswith(".apps")
        for target, in_function in imports
        if in_function
    )


def cycles(graph: dict[str, list[Import]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target, _ in graph.get(module, []):
            if target not in index:
                connect(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return sorted(groups)


GRAPH = import_graph(ROOT)


def test_the_ground_floor_imports_no_app_of_the_project():
    assert ground_imports(GRAPH) == []


def test_nothing_imports_the_top_floor():
    assert top_imports(GRAPH) == []


def test_no_project_import_hides_in_a_function_body():
    assert hidden_imports(GRAPH) == []


def test_the_modules_imports_form_no_circle():
    assert cycles(GRAPH) == []


# --- The checker itself, on a small package of its own ------------------------------------------

FIXTURE = {
    "followup/__init__.py": "",
    "followup/core/__init__.py": "",
    "followup/core/access.py": "from followup.letters.models import Letter\n",
    "followup/core/text.py": "import re\n",
    "followup/letters/__init__.py": "",
    "followup/letters/apps.py": (
        "def ready():\n    from followup.core import access\n    from . import signals\n"
    ),
    "followup/letters/signals.py": "",
    "followup/letters/models.py": (
        "from followup.core.text import single_line\nfrom . import views\n"
    ),
    "followup/letters/views.py": (
        "from .models import Letter\n"
        "from ..home import views as home_views\n\n"
        "def compose():\n    from followup.core import access\n"
    ),
    "followup/letters/migrations/0001_initial.py": "from followup.home import views\n",
    "followup/home/__init__.py": "",
    "followup/home/views.py": "import followup.core.text\nfrom followup.letters import signals\n",
}


@pytest.fixture
def fixture_graph(tmp_path):
    for name, source in FIXTURE.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return import_graph(tmp_path)


def test_the_checker_reads_every_form_of_import(fixture_graph):
    assert fixture_graph["followup.home.views"] == [
        Import("followup.core.text", False),
        Import("followup.letters.signals", False),
    ]
    assert fixture_graph["followup.letters.apps"] == [
        Import("followup.core.access", True),
        Import("followup.letters.signals", True),
    ]
    assert fixture_graph["followup.letters.views"] == [
        Import("followup.letters.models", False),
        Import("followup.home.views", False),
        Import("followup.core.access", True),
    ]
    assert fixture_graph["followup.core.text"] == []  # the standard library is not the project's
    assert "followup.letters.migrations.0001_initial" not in fixture_graph


def test_the_checker_finds_each_fault(fixture_graph):
    assert ground_imports(fixture_graph) == ["followup.core.access imports followup.letters.models"]
    assert top_imports(fixture_graph) == ["followup.letters.views imports followup.home.views"]
    # ready() in apps.py may import; a view may not.
    assert hidden_imports(fixture_graph) == [
        "followup.letters.views imports followup.core.access inside a function"
    ]
    assert cycles(fixture_graph) == [
        ["followup.core.access", "followup.letters.models", "followup.letters.views"]
    ]
