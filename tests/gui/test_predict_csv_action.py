"""File ▸ Predict CSV…: the network shown predicts every row of a file in the background."""

from __future__ import annotations

import csv

import numpy as np
import shiboken6
from PySide6.QtWidgets import QFileDialog

from nngui.gui.background_task import BackgroundTask, TaskCancelledError, start_task


def test_the_rows_of_a_file_get_the_networks_predictions(main_window, qtbot, monkeypatch, tmp_path):
    source, target = tmp_path / "points.csv", tmp_path / "points-predicted.csv"
    source.write_text("a,b\n30,70\n10,5\n-3,4\nx,2\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "&File")
    action = next(a for a in menu.actions() if a.text() == "&Predict CSV…")
    action.trigger()
    qtbot.waitUntil(lambda: "Predicted 4 rows" in main_window.statusBar().currentMessage(),
                    timeout=10_000)  # fmt: skip
    assert "1 without a prediction" in main_window.statusBar().currentMessage()
    with target.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["a", "b", "predicted_a+b", "predicted_a-b", "predicted_|a-b|"]
    got = np.array([[float(v) for v in r[2:]] for r in rows[1:4]])
    expected = main_window.workbench.current_model().predict(np.array([[30, 70], [10, 5], [-3, 4]]))
    assert np.allclose(got, expected) and rows[4] == ["x", "2", "", "", ""]
    assert action.isEnabled()


def test_a_file_without_the_models_columns_warns_and_writes_nothing(main_window, answers, qtbot,
                                                                    tmp_path):  # fmt: skip
    source, target = tmp_path / "other.csv", tmp_path / "out.csv"
    source.write_text("x,y\n1,2\n3,4\n")
    assert main_window.predict_csv.predict(str(source), str(target))
    qtbot.waitUntil(lambda: bool(answers.asked("warning")), timeout=10_000)
    assert "no column 'a'" in answers.asked("warning")[0]
    assert "Nothing was written" in answers.asked("warning")[0] and not target.exists()
    assert not main_window.predict_csv.predict(str(source), str(source))
    assert "overwrite the input file" in answers.asked("warning")[1]


def test_a_cancelled_task_says_so_once(qtbot):
    def work(report, cancelled):
        report(1)
        raise TaskCancelledError

    task = BackgroundTask(work)
    heard = []
    task.progress.connect(heard.append)
    with qtbot.waitSignal(task.cancelled, timeout=5_000):
        thread = start_task(task)
    # The thread deletes itself once finished: wait for that, never call into it afterwards.
    qtbot.waitUntil(lambda: not shiboken6.isValid(thread), timeout=5_000)
    assert heard == [1]
