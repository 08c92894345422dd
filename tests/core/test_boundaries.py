"""Boundaries: nothing under nngui/core imports Qt, pyqtgraph or the GUI package.

Checked twice: statically, by parsing every module's imports (including imports inside
functions), and dynamically, by importing every core module in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import nngui.core

CORE = Path(nngui.core.__file__).parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "nngui.gui")
MODULES = sorted(CORE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the module's package
                package = module_name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                base = package[: len(package) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_core_has_modules() -> None:
    names = {p.stem for p in MODULES}
    assert {"data", "network", "training", "activations", "losses"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_forbidden_import_in_source(path: Path) -> None:
    bad = sorted(n for n in imported_names(path) if is_forbidden(n))
    assert not bad, f"{path.name} imports {bad}"


def test_checker_detects_forbidden_imports(tmp_path: Path) -> None:
    source = "import numpy\nfrom PySide6.QtCore import QObject\ndef f():\n    import pyqtgraph\n"
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    names = {n for n in imported_names(probe) if is_forbidden(n)}
    assert names == {"PySide6.QtCore", "pyqtgraph"}


def test_importing_core_loads_no_gui_library() -> None:
    modules = [module_name(p) for p in MODULES]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "nngui.core.training" in loaded
    bad = [n for n in loaded if is_forbidden(n)]
    assert not bad, f"importing nngui.core loaded {bad}"
