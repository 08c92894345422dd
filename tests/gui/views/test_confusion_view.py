"""The Confusion view: its counts, shares and per-class metrics are core's, split by split.

Every expected number comes from ``classification_metrics`` on the model's own predictions
(and is checked against ``Model.evaluate``), so the view adds nothing but the drawing.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QTableWidget
from widget_actions import combo, named, pages

from nngui.core.classification import Classes, classification_metrics
from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.data import DataSpec, make_dataset
from nngui.core.examples import example_path
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.setup import start_on
from nngui.core.training import TrainConfig, Trainer
from nngui.gui.views.base import ViewState
from nngui.gui.views.confusion_view import (
    NOT_A_CLASSIFIER,
    ConfusionView,
    luminance,
    text_colour,
)


def trained(ds, layers, epochs: int = 200) -> ViewState:
    ds, net = start_on(ds, layers)
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=epochs)).run()
    return ViewState(Model.from_dataset(net.copy(), ds), ds, epochs)


@pytest.fixture(scope="module")
def spiral():
    """Two classes, no validation split."""
    ds = make_playground_dataset(PlaygroundSpec(dataset="spiral", points=300))
    return trained(ds, [LayerSpec(8, "tanh"), LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")])


@pytest.fixture(scope="module")
def iris():
    """Three classes, with a validation split."""
    path = example_path("iris.csv")
    ds = make_csv_dataset(CsvSpec(path, (), ("species",), sniff(path), val_ratio=0.2)).dataset
    return trained(ds, [LayerSpec(8, "tanh"), LayerSpec(3, "softmax")], epochs=60)


@pytest.fixture
def view(qtbot):
    v = ConfusionView()
    qtbot.addWidget(v)
    v.resize(600, 476)  # the view's size in a 1024 × 700 window
    v.show()
    return v


def core_metrics(state: ViewState, split: str):
    """classification_metrics of the model's predictions on ``split``, by hand."""
    part = getattr(state.dataset, split)
    classes = Classes(state.model.classes)
    p = classes.class_probabilities(state.model.predict(part.x))
    true = part.y[:, 0].astype(int) if classes.k == 2 else np.argmax(part.y, axis=1)
    return classification_metrics(p, true, classes.k)


def shown_counts(view: ConfusionView) -> np.ndarray:
    return np.array([[int(t.replace(",", "")) for t in row] for row in view.matrix_texts()])


def assert_shows(view: ConfusionView, state: ViewState, split: str) -> None:
    m = core_metrics(state, split)
    assert m.to_dict()["confusion"] == state.model.evaluate(state.dataset)[split]["confusion"]
    np.testing.assert_array_equal(shown_counts(view), m.confusion)
    rows = len(getattr(state.dataset, split))
    summary = named(view, "Confusion summary", QLabel).text()
    assert summary == f"Accuracy {m.accuracy * 100:.1f} % · log loss {m.log_loss:.3g} · {rows} rows"
    table = view.per_class_rows()
    assert [row[0] for row in table] == list(state.model.classes)
    for i, row in enumerate(table):
        expected = [m.precision[i], m.recall[i], m.f1[i]]
        assert [float(v) for v in row[1:4]] == pytest.approx(expected, abs=5e-4)
        assert int(row[4]) == m.confusion[i].sum()


def test_empty_view_says_why(view):
    assert view.title == "Confusion" and view.live_rate <= 2.0
    assert "No network yet" in pages(view).currentWidget().text()
    assert not combo(view, "Split to show").isEnabled()


def test_two_classes_on_the_test_split_by_default(view, spiral):
    view.show_state(spiral)
    assert pages(view).currentIndex() == 1
    assert view.current_split() == "test"
    assert_shows(view, spiral, "test")
    matrix = named(view, "Confusion matrix", QTableWidget)
    headers = [matrix.horizontalHeaderItem(c).text() for c in range(matrix.columnCount())]
    assert headers == list(spiral.model.classes)
    assert shown_counts(view).sum() == len(spiral.dataset.test)
    assert not named(view, "Confusion warning").isVisible()


def test_validation_is_offered_only_when_the_data_has_it(view, spiral, iris):
    splits = combo(view, "Split to show")
    validation = splits.model().item(splits.findData("val"))
    view.show_state(spiral)
    assert not validation.isEnabled()
    view.set_split("val")
    assert view.current_split() == "test"
    view.show_state(iris)
    assert validation.isEnabled()
    view.set_split("val")
    assert view.current_split() == "val"
    assert_shows(view, iris, "val")
    view.show_state(spiral)  # no validation rows: back to the test split
    assert view.current_split() == "test"
    assert_shows(view, spiral, "test")


def test_switching_the_split_shows_its_counts(view, iris):
    view.show_state(iris)
    assert_shows(view, iris, "test")
    test_counts = shown_counts(view)
    splits = combo(view, "Split to show")
    splits.setCurrentIndex(splits.findData("train"))
    assert view.current_split() == "train"
    assert_shows(view, iris, "train")
    assert shown_counts(view).sum() == len(iris.dataset.train) != test_counts.sum()


def test_row_shares_are_each_true_classs_rows(view, iris):
    view.show_state(iris)
    combo(view, "Cell values").setCurrentIndex(1)
    assert view.show_mode() == "share"
    m = core_metrics(iris, "test")
    share = m.confusion / m.confusion.sum(axis=1, keepdims=True)
    for i, row in enumerate(view.matrix_texts()):
        for j, text in enumerate(row):
            assert text.endswith(" %")
            if share[i, j] == 0 or share[i, j] >= 0.005:
                assert float(text.rstrip(" %")) == pytest.approx(100 * share[i, j], abs=0.5)
            else:
                assert text == "<1 %"
    combo(view, "Cell values").setCurrentIndex(0)
    np.testing.assert_array_equal(shown_counts(view), m.confusion)


def test_a_regression_model_gets_the_note(view, iris):
    view.show_state(iris)
    ds = make_dataset(DataSpec(samples=60))
    net = Network.initialise(2, [LayerSpec(3, "linear")], np.random.RandomState(0))
    view.show_state(ViewState(Model.from_dataset(net, ds), ds))
    assert pages(view).currentIndex() == 0
    assert pages(view).currentWidget().text() == NOT_A_CLASSIFIER
    assert view.shown() is None


def test_nan_weights_neither_raise_nor_warn(view, spiral):
    net = spiral.network.copy()
    net.params[0][0, 0] = np.nan
    state = ViewState(Model.from_dataset(net, spiral.dataset), spiral.dataset)
    view.show_state(state)  # warnings are errors in this suite
    warning = named(view, "Confusion warning", QLabel)
    assert warning.isVisible() and "non-finite" in warning.text()
    assert shown_counts(view).sum() == len(spiral.dataset.test)
    np.testing.assert_array_equal(shown_counts(view), core_metrics(state, "test").confusion)
    combo(view, "Cell values").setCurrentIndex(1)
    combo(view, "Split to show").setCurrentIndex(0)
    assert view.current_split() == "train"


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_contrasts_with_every_cell_on_a_light_and_a_dark_palette(view, iris):
    assert text_colour(QColor(31, 119, 180)) == QColor("white")
    assert text_colour(QColor(250, 230, 230)) == QColor("black")
    for base in (QColor(255, 255, 255), QColor(30, 30, 30)):
        palette = view.palette()
        palette.setColor(QPalette.ColorRole.Base, base)
        view.setPalette(palette)
        view.show_state(iris)
        matrix = view.matrix
        for i in range(matrix.rowCount()):
            for j in range(matrix.columnCount()):
                item = matrix.item(i, j)
                if item.text() != "0":  # (zeros are quiet on purpose)
                    fg, bg = item.foreground().color(), item.background().color()
                    assert contrast(fg, bg) >= 4.5, (base.name(), i, j, item.text())
        assert matrix.item(0, 0).background().color() != base, "the diagonal is coloured"


def test_ten_classes_fit_a_small_window(view, tmp_path, qtbot):
    path = tmp_path / "ten.csv"
    rng = np.random.RandomState(0)
    rows = [f"{rng.randn():.3f},{rng.randn():.3f},class_{i % 10}" for i in range(400)]
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    ds = make_csv_dataset(CsvSpec(str(path), (), ("label",), sniff(path))).dataset
    ds, net = start_on(ds, [LayerSpec(4, "tanh"), LayerSpec(10, "softmax")])
    view.show_state(ViewState(Model.from_dataset(net, ds), ds))
    qtbot.wait(50)  # the tables lay their cells out in a later event-loop turn
    matrix = view.matrix
    assert (matrix.rowCount(), matrix.columnCount()) == (10, 10)
    assert not matrix.verticalScrollBar().isVisible()
    assert not matrix.horizontalScrollBar().isVisible()
    widest = matrix.fontMetrics().horizontalAdvance("100 %")
    assert all(matrix.columnWidth(c) > widest for c in range(10))
    assert all(matrix.rowHeight(r) >= matrix.fontMetrics().height() for r in range(10))
    assert view.per_class.height() >= 3 * view.per_class.verticalHeader().defaultSectionSize()
