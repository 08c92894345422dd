"""Every panel's and view's preview (``python -m nngui.gui.data_panel`` …) opens and closes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nngui
from nngui.gui.widgets import PREVIEW_QUIT_ENV

PACKAGE = Path(nngui.__file__).resolve().parent


def preview_modules() -> list[str]:
    """Modules of nngui.gui that run a preview when run as a script."""
    found = []
    for path in sorted((PACKAGE / "gui").rglob("*.py")):
        if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            found.append(".".join(parts))
    return found


def test_there_are_previews_to_run():
    modules = preview_modules()
    assert "nngui.gui.data_panel" in modules and "nngui.gui.views.fit_view" in modules


def test_every_preview_opens_and_closes_without_an_error():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", PREVIEW_QUIT_ENV: "300"}
    running = {
        module: subprocess.Popen(
            [sys.executable, "-m", module], env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for module in preview_modules()
    }  # fmt: skip
    failed = []
    for module, process in running.items():
        _, err = process.communicate(timeout=120)
        if process.returncode != 0 or "Traceback" in err:
            failed.append(f"{module}: exit {process.returncode}\n{err[-2000:]}")
    assert not failed, "\n".join(failed)
