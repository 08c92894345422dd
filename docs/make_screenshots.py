"""Make the screenshots in docs/: the real window, trained, on each tab.

Run on a (virtual) screen, e.g. ``xvfb-run -s "-screen 0 1400x900x24" python
docs/make_screenshots.py``. It opens the main window at 1280×800, applies the "Fast and
accurate" preset, trains through the Train button for a few seconds, then saves the window with
each tab in front: docs/view-loss.png and docs/view-*.png. Then it opens the diabetes example:
the import view (docs/view-csv-import.png), and after a short training the Data tab beside the
error map of own data (docs/view-csv-error-map.png). Last the classifiers: the "Playground:
spiral" preset trained, its decision map beside the Data tab (docs/screenshot.png, the README's)
and its other views (docs/view-decision-map.png, view-classifier-*.png, view-neuron-maps.png:
a neuron's map enlarged under the pointer), and the iris example's
import view and confusion matrix (docs/view-iris-import.png, view-confusion.png).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtTest import QTest

from nngui.core.presets import FAST
from nngui.gui.app import make_app
from nngui.gui.main_window import MainWindow

DOCS = Path(__file__).resolve().parent
SHOTS = {  # tab title → file
    "L&oss": "view-loss.png",
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
        if not w.views.isTabVisible(i):
            continue
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
    csv_shots(app, w)
    classifier_shots(app, w)
    w.workbench.mark_saved()  # (its runs too): closing asks nothing
    for run in w.workbench.runs:
        w.workbench.runs.mark_saved(run.id)
    w.close()
    return 0


def csv_shots(app, w: MainWindow) -> None:
    """The import view of the diabetes example, then its data trained on, with its error map."""
    dialog = w.data.open_example("diabetes.csv")
    assert dialog is not None
    while dialog.reading():
        wait(app, 0.1)
    dialog.move(w.geometry().topLeft())
    wait(app, 0.5)
    dialog.grab().save(str(DOCS / "view-csv-import.png"))
    dialog.accept()
    w.apply_preset(FAST.name)
    w.workbench.set_training(time_limit=4.0)
    w.training_panel._train.click()
    t0 = time.perf_counter()
    while w.state == "training" and time.perf_counter() - t0 < 30:
        wait(app, 0.2)
    w.statusBar().clearMessage()
    w.tabs.setCurrentIndex(0)
    w.views.setCurrentIndex(w.views.indexOf(w.error_map))
    wait(app, 0.5)
    w.grab().save(str(DOCS / "view-csv-error-map.png"))


def train_until_done(app, w: MainWindow) -> None:
    """Click Train and wait for the run to end (at most 30 s)."""
    w.training_panel._train.click()
    t0 = time.perf_counter()
    while w.state == "training" and time.perf_counter() - t0 < 30:
        wait(app, 0.2)
    w.statusBar().clearMessage()


def show(app, w: MainWindow, view, name: str) -> None:
    """Bring ``view`` to the front and save the window as docs/``name``."""
    w.views.setCurrentIndex(w.views.indexOf(view))
    wait(app, 0.6)
    w.grab().save(str(DOCS / name))


def classifier_shots(app, w: MainWindow) -> None:
    """Playground's spiral learnt, then the iris example classified."""
    w.apply_preset("Playground: spiral")
    train_until_done(app, w)
    w.predict_panel.set_inputs([2.0, -1.5])
    w.tabs.setCurrentIndex(0)
    show(app, w, w.decision_map, "screenshot.png")
    w.tabs.setCurrentIndex(2)
    show(app, w, w.decision_map, "view-decision-map.png")
    show(app, w, w.loss_plot, "view-classifier-loss.png")
    network = w.views.views[1]
    show(app, w, network, "view-classifier-network.png")
    diagram = network.diagram()
    QTest.mouseMove(diagram, diagram.neuron_point(2, 4))  # a neuron's map, enlarged
    wait(app, 0.4)
    w.grab().save(str(DOCS / "view-neuron-maps.png"))
    dialog = w.data.open_example("iris.csv")
    assert dialog is not None
    while dialog.reading():
        wait(app, 0.1)
    dialog.move(w.geometry().topLeft())
    wait(app, 0.5)
    dialog.grab().save(str(DOCS / "view-iris-import.png"))
    dialog.accept()
    w.apply_preset(FAST.name)
    w.workbench.set_training(time_limit=4.0)
    train_until_done(app, w)
    show(app, w, w.confusion, "view-confusion.png")


if __name__ == "__main__":
    sys.exit(main())
