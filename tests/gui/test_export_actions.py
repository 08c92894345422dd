"""File ▸ Export: PNG of the visible view, loss history and fit table as CSV, through the
patched save dialog; a failed write warns and leaves nothing behind."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox

from nngui.core.data import DataSpec
from nngui.core.export import table_csv
from nngui.core.fit import FIT_COLUMNS, fit_table
from nngui.core.training import History, Series
from nngui.gui.export_actions import ExportActions
from nngui.gui.views.base import ViewState
from nngui.gui.views.view_tabs import ViewTabs
from nngui.workbench import Settings, Workbench

HISTORY = History(Series([2.0, 1.0]), Series([2]), Series([np.nan]), Series([0.5]))


@pytest.fixture
def window(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    return w


@pytest.fixture
def workbench():
    bench = Workbench(Settings(DataSpec(samples=100)))
    bench.start_fresh().history = HISTORY
    return bench


@pytest.fixture
def views(qtbot, workbench):
    tabs = ViewTabs(QLabel("the loss plot"), "L&oss", [])
    view = QLabel("a view")
    view.resize(120, 80)
    tabs.addTab(view, "Error &map")
    tabs.setCurrentIndex(1)
    session = workbench.session
    tabs.set_state(ViewState(session.predictor(), session.dataset, 2))
    qtbot.addWidget(tabs)
    tabs.resize(300, 200)
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs


@pytest.fixture
def exports(window, views, workbench):
    return ExportActions(window, views, workbench, lambda: "mymodel")


def choose(monkeypatch, path, asked=None):
    def fake(parent, title, start, file_filter, *args, **kwargs):
        if asked is not None:
            asked.append((title, start, file_filter))
        return (str(path) if path else "", file_filter)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)


def test_menu_holds_the_three_actions(exports, window):
    menu = QMenu(window)
    exports.fill_menu(menu)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Current View as &PNG…", "&Loss History as CSV…", "&Fit Table as CSV…"]
    assert all(a.toolTip() for a in menu.actions())


def test_png_of_the_visible_view(exports, monkeypatch, tmp_path):
    asked = []
    choose(monkeypatch, tmp_path / "map", asked)
    assert exports.export_png()
    image = QImage(str(tmp_path / "map.png"))  # ".png" added
    assert not image.isNull() and image.width() >= 120
    assert asked[0][1].endswith("mymodel-error-map.png")


def test_loss_history_csv(exports, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path / "h.csv")
    assert exports.export_history()
    rows = list(csv.DictReader((tmp_path / "h.csv").read_text().splitlines()))
    assert rows == [
        {"epoch": "1", "train_loss": "2", "val_loss": "", "test_loss": ""},
        {"epoch": "2", "train_loss": "1", "val_loss": "", "test_loss": "0.5"},
    ]


def test_fit_table_csv(exports, views, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path / "fit.csv")
    assert exports.export_fit()
    with (tmp_path / "fit.csv").open() as f:
        reader = csv.reader(f)
        assert next(reader) == list(FIT_COLUMNS)
        rows = list(reader)
    state = views.state
    expected = fit_table(state.model, state.dataset)
    assert (tmp_path / "fit.csv").read_text() == table_csv(FIT_COLUMNS, expected)
    assert len(rows) == len(expected) == 2 * 3  # train and test, for each output
    assert [row[:2] for row in rows[:3]] == [["train", "a+b"], ["train", "a-b"], ["train", "|a-b|"]]


def test_cancelled_dialog_writes_nothing(exports, monkeypatch, tmp_path):
    choose(monkeypatch, "")
    assert not exports.export_history()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_place_warns_and_leaves_nothing(exports, monkeypatch, tmp_path):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    choose(monkeypatch, tmp_path / "no-such-folder" / "fit.csv")
    assert not exports.export_fit()
    assert len(warnings) == 1 and "Nothing was written" in warnings[0]
    assert list(tmp_path.iterdir()) == []
