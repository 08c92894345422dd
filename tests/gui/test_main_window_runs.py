"""MainWindow: runs stopped from code keep the plot complete; closing or New during a run asks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox


@pytest.fixture
def window(main_window):
    return main_window


def start_long_run(qtbot, window) -> None:
    window.workbench.set_training(epochs=10_000_000)
    window.setWindowModified(False)  # as if saved with these settings: nothing edited since
    window.train()
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)


def assert_plot_is_history(window) -> None:
    plotted, kept = window.loss_plot.history(), window.session.history
    assert window.loss_plot.epochs == kept.epochs
    for name, values in kept.arrays().items():
        np.testing.assert_array_equal(plotted.arrays()[name], values, err_msg=name)


def test_stop_from_code_delivers_every_report(window, qtbot):
    for _ in range(2):  # a second run appends right after the first, without a gap
        start_long_run(qtbot, window)
        window.stop_training()
        assert window.state == "stopped"
        assert_plot_is_history(window)


def test_close_save_cancelled_keeps_plot_and_history_equal(window, answers, qtbot, monkeypatch):
    start_long_run(qtbot, window)
    window.stop()
    qtbot.waitUntil(lambda: window.state == "stopped", timeout=10_000)
    start_long_run(qtbot, window)
    answers.reply = QMessageBox.StandardButton.Save
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not window.close()  # the save dialog was cancelled: the window stays
    assert answers.asked("question")
    assert not window.run.running
    assert_plot_is_history(window)


def test_closing_during_the_first_run_asks(window, answers, qtbot):
    start_long_run(qtbot, window)
    assert not window.isWindowModified()  # the session's first run: nothing saved or edited
    answers.reply = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert answers.asked("question"), "a run's work is never discarded without asking"
    assert window.state == "training" and window.run.running


def test_new_during_a_run_asks_and_cancel_keeps_it(window, answers, qtbot):
    start_long_run(qtbot, window)
    answers.reply = QMessageBox.StandardButton.Cancel
    window.files.new_action.trigger()
    assert len(answers.asked("question")) == 1
    assert window.state == "training" and window.run.running
    answers.reply = QMessageBox.StandardButton.Discard
    window.files.new_action.trigger()
    assert not window.run.running and window.session.history.epochs == 0
