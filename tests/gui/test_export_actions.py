"""File ▸ Export: PNG of the visible view, loss history and fit table as CSV, through the
patched save dialog; a failed write warns and leaves nothing behind."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox

from nngui.core.fit import FIT_COLUMNS
from nngui.core.training import History, Series
from nngui.gui.export_actions import ExportActions


class Source:
    def __init__(self) -> None:
        self.view = QLabel("a view")
        self.view.resize(120, 80)
        self.history = History(Series([2.0, 1.0]), Series([2]), Series([np.nan]), Series([0.5]))
        self.rows = [
            {"split": "test", "output": "a+b", "mse": 0.25, "rmse": 0.5, "mae": 0.4,
             "r2": 0.99, "max_error": 1.5},
        ]  # fmt: skip

    def export_view(self):
        return self.view, "Error map"

    def export_history(self):
        return self.history

    def export_fit_rows(self):
        return self.rows

    def export_base_name(self):
        return "mymodel"


@pytest.fixture
def window(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    return w


@pytest.fixture
def exports(window):
    return ExportActions(window, Source())


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


def test_fit_table_csv(exports, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path / "fit.csv")
    assert exports.export_fit()
    with (tmp_path / "fit.csv").open() as f:
        reader = csv.reader(f)
        assert next(reader) == list(FIT_COLUMNS)
        assert next(reader) == ["test", "a+b", "0.25", "0.5", "0.4", "0.99", "1.5"]


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
