"""Make the screenshots in docs/: the real window, trained, on each tab.

Run on a (virtual) screen, e.g. ``xvfb-run -s "-screen 0 1400x900x24" python
docs/make_screenshots.py``. It opens the main window at 1280×800, applies the "Fast and
accurate" preset, trains through the Train button for a few seconds, then saves the window with
each tab in front: docs/screenshot.png (loss plot) and docs/view-*.png.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from nngui.core.presets import FAST
from nngui.gui.app import make_app
from nngui.gui.main_window import MainWindow

DOCS = Path(__file__).resolve().parent
SHOTS = {  # tab title → file
    "L&oss": "screenshot.png",
    "Network": "view-network.png",
    "Fit": "view-fit.png",
    "Error map": "view-error-map.png",
    "Inside": "view-inside.png",
    "Runs": "view-runs.png",
}


def wait(app, seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    """Train, then save one screenshot per tab."""
    app = make_app()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # leave the user's settings alone
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/nngui-shots")
    w = MainWindow()
    w.resize(1280, 800)
    w.show()
    w.apply_preset(FAST.name)  # its 10 s time limit ends the run
    w.training_panel._train.click()
    t0 = time.perf_counter()
    while w.state == "training" and time.perf_counter() - t0 < 30:
        wait(app, 0.2)
    w.predict_panel.set_inputs([30.0, 70.0])
    w.statusBar().clearMessage()  # show the state and metrics, not the 8 s run-end message
    for i in range(w.views.count()):
        title = w.views.tabText(i)
        w.views.setCurrentIndex(i)
        wait(app, 0.5)
        w.grab().save(str(DOCS / SHOTS[title]))
        if title == "Inside":
            inside = w.views.currentWidget()
            inside.run_gradient_check()
            wait(app, 0.3)
            w.grab().save(str(DOCS / SHOTS[title]))
            inside.tabs.setCurrentIndex(1)
            wait(app, 0.5)
            w.grab().save(str(DOCS / "view-inside-histograms.png"))
    w.workbench.mark_saved()  # (its one run too): closing asks nothing
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
