"""The workbench and its tests need no Qt: they pass with PySide6 and pyqtgraph unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_QT = """
import sys
for name in ("PySide6", "shiboken6", "pyqtgraph"):
    sys.modules[name] = None  # importing it raises ModuleNotFoundError
import pytest
# Without pytest-qt (it needs Qt), its qt_api setting is unknown: no --strict-config here.
sys.exit(pytest.main(["-q", "-p", "no:pytest-qt", "-p", "no:cacheprovider", "-o", "addopts=",
                      "-W", "ignore:Unknown config option:pytest.PytestConfigWarning",
                      "tests/workbench"]))
"""


def test_the_workbench_tests_pass_with_qt_unimportable():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert " passed" in output and " failed" not in output and " error" not in output
