"""The suite runs the static checks too, so that a violation fails CI like a failing test.

ruff (lint and format), import-linter (the architecture's contracts in pyproject.toml) and
mypy (strict on nngui.core, default elsewhere) each run once over the project, as a person
would run them from the project's folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the project's folder with this interpreter's tools first on PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def tool(name: str) -> str:
    """The path of ``name`` installed beside this interpreter (the test extra installs it)."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, output[-6000:]


def test_ruff_finds_nothing_to_fix():
    assert_clean(run(tool("ruff"), "check", "nngui", "tests", "bench", "docs"))


def test_every_file_is_formatted():
    assert_clean(run(tool("ruff"), "format", "--check", "nngui", "tests", "bench", "docs"))


def test_the_import_contracts_are_kept():
    assert_clean(run(tool("lint-imports"), "--no-cache"))


def test_mypy_finds_no_type_errors():
    assert_clean(run(sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache")))
