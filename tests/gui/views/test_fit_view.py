"""The Fit view: scatters, residual histograms and the metrics table for known weights.

The network is 2 → 1 linear with weights set so that it predicts ŷ = 2a + b + 3 (original
units) for the target a + b; every expected number is computed here with plain NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from widget_actions import named, pages

from nngui.core.data import DataSpec, make_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.gui.views.base import ViewState
from nngui.gui.views.fit_view import HIST_BINS, MAX_POINTS, FitView


def linear_state(ds, ca: float, cb: float, c0: float) -> ViewState:
    """A 2 → 1 linear network predicting ca·a + cb·b + c0 (original units) on ``ds``."""
    (ma, mb), (sa, sb) = ds.x_scaler.mean, ds.x_scaler.std
    my, sy = ds.y_scaler.mean[0], ds.y_scaler.std[0]
    params = np.array([[ca * sa / sy], [cb * sb / sy], [(ca * ma + cb * mb + c0 - my) / sy]])
    net = Network(2, [LayerSpec(1, "linear")], [params])
    return ViewState(Model.from_dataset(net, ds), ds, epoch=5)


def hand_metrics(pred: np.ndarray, truth: np.ndarray) -> list[float]:
    """MSE, RMSE, MAE, R², max error, in table column order."""
    e = pred - truth
    mse = np.mean(e**2)
    r2 = 1 - np.sum(e**2) / np.sum((truth - truth.mean()) ** 2)
    return [mse, np.sqrt(mse), np.mean(np.abs(e)), r2, np.max(np.abs(e))]


def cells(view: FitView, row: int) -> list[str]:
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


@pytest.fixture
def sum_data():
    """a+b only, 200 samples: 105 train, 35 validation, 60 test rows."""
    return make_dataset(DataSpec(samples=200, targets=("a+b",), val_ratio=0.25))


@pytest.fixture
def view(qtbot):
    w = FitView()
    qtbot.addWidget(w)
    w.resize(860, 560)
    w.show()
    return w


def test_empty_view(view):
    assert view.title == "Fit"
    assert view.table.rowCount() == 0 and view.table_rows() == []
    assert view.current_split() is None and not view.split_combo.isEnabled()
    assert "No network yet" in pages(view).currentWidget().text()


def test_table_shows_hand_computed_metrics(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    assert view.table.rowCount() == 3
    assert [view.table.horizontalHeaderItem(c).text() for c in range(7)] == [
        "Split", "Output", "MSE", "RMSE", "MAE", "R²", "Max error",
    ]  # fmt: skip
    for r, (label, part) in enumerate(
        [("train", sum_data.train), ("validation", sum_data.val), ("test", sum_data.test)]
    ):
        a, b = part.x[:, 0], part.x[:, 1]
        expected = hand_metrics(2 * a + b + 3, a + b)
        row = cells(view, r)
        assert row[:2] == [label, "a+b"]
        for text, value in zip(row[2:], expected, strict=True):
            assert float(text) == pytest.approx(value, rel=5e-4)  # four significant digits
            digits = text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
            assert len(digits) == 4, text
        # the residual is a + 3 > 0: the largest error is max(a) + 3
        assert float(row[6]) == pytest.approx(a.max() + 3, rel=5e-4)
    a, b = sum_data.test.x[:, 0], sum_data.test.x[:, 1]
    assert cells(view, 2)[2] == f"{np.mean((a + 3) ** 2):.4g}"


def test_table_rows_are_the_numbers(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    rows = view.table_rows()
    assert [(r["split"], r["output"]) for r in rows] == [
        ("train", "a+b"), ("val", "a+b"), ("test", "a+b"),
    ]  # fmt: skip
    assert list(rows[0]) == ["split", "output", "mse", "rmse", "mae", "r2", "max_error"]
    a, b = sum_data.test.x[:, 0], sum_data.test.x[:, 1]
    expected = hand_metrics(2 * a + b + 3, a + b)
    got = [rows[2][k] for k in ("mse", "rmse", "mae", "r2", "max_error")]
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_table_is_read_only(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    assert view.table.editTriggers() == view.table.EditTrigger.NoEditTriggers
    for r in range(view.table.rowCount()):
        for c in range(view.table.columnCount()):
            assert not view.table.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable


def test_scatter_shows_test_split_by_default(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    assert view.current_split() == "test"
    assert [view.split_combo.itemText(i) for i in range(3)] == ["train", "validation", "test"]
    a, b = sum_data.test.x[:, 0], sum_data.test.x[:, 1]
    x, y = view.plotted(0)
    np.testing.assert_allclose(x, a + b, rtol=1e-12)
    np.testing.assert_allclose(y, 2 * a + b + 3, rtol=1e-10)
    plot = view.scatter_plots[0]
    assert plot.getAxis("bottom").labelText == "true a+b"
    assert plot.getAxis("left").labelText == "predicted a+b"
    e = a + 3  # the residual
    r2 = 1 - np.sum(e**2) / np.sum((a + b - (a + b).mean()) ** 2)
    label = view.r2_labels[0].toPlainText()
    assert label.startswith("R² = ") and float(label[5:]) == pytest.approx(r2, rel=5e-4)
    # the y = x line spans every drawn value
    lx, ly = view.diagonals[0].getData()
    lo, hi = min((a + b).min(), (2 * a + b + 3).min()), (2 * a + b + 3).max()
    np.testing.assert_allclose(lx, [lo, hi], rtol=1e-10)
    np.testing.assert_allclose(ly, lx)
    assert view.summary.text() == "60 test rows"


def test_histogram_counts_residuals(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    residual = sum_data.test.x[:, 0] + 3  # (2a + b + 3) − (a + b)
    edges, counts = view.histogram(0)
    assert len(edges) == HIST_BINS + 1 and counts.sum() == 60
    np.testing.assert_allclose([edges[0], edges[-1]], [residual.min(), residual.max()], rtol=1e-9)
    expected, _ = np.histogram(residual, bins=np.linspace(residual.min(), residual.max(), 41))
    np.testing.assert_array_equal(counts, expected)
    assert view.histograms[0].isVisible()


def test_combo_switches_split(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    for split, part in (("train", sum_data.train), ("val", sum_data.val)):
        view.set_split(split)
        assert view.current_split() == split
        a, b = part.x[:, 0], part.x[:, 1]
        x, y = view.plotted(0)
        np.testing.assert_allclose(x, a + b, rtol=1e-12)
        np.testing.assert_allclose(y, 2 * a + b + 3, rtol=1e-10)
        assert view.histogram(0)[1].sum() == len(part)
    assert view.summary.text() == "35 validation rows"
    # the choice survives the next snapshot
    view.show_state(linear_state(sum_data, 1.0, 1.0, 0.0))
    assert view.current_split() == "val"


def test_without_validation_the_combo_falls_back_to_test(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    view.set_split("val")
    ds = make_dataset(DataSpec(samples=100, targets=("a+b",)))
    view.show_state(linear_state(ds, 2.0, 1.0, 3.0))
    assert [view.split_combo.itemData(i) for i in range(view.split_combo.count())] == [
        "train", "test",
    ]  # fmt: skip
    assert view.current_split() == "test"
    assert [cells(view, r)[0] for r in range(view.table.rowCount())] == ["train", "test"]


def test_perfect_network(view, sum_data):
    view.show_state(linear_state(sum_data, 1.0, 1.0, 0.0))
    for r in range(3):
        row = cells(view, r)
        assert row[5] == "1.000"
        for text in (row[2], row[3], row[4], row[6]):
            assert abs(float(text)) < 1e-9
    x, y = view.plotted(0)
    np.testing.assert_allclose(y, x, rtol=1e-12)


def test_large_split_draws_a_fixed_subset_but_measures_every_row(view):
    ds = make_dataset(DataSpec(samples=10_000, targets=("a+b",)))  # 3,000 test rows
    view.show_state(linear_state(ds, 2.0, 1.0, 3.0))
    a, b = ds.test.x[:, 0], ds.test.x[:, 1]
    rows = np.round(np.linspace(0, 2999, MAX_POINTS)).astype(int)
    x, y = view.plotted(0)
    assert len(x) == MAX_POINTS
    np.testing.assert_allclose(x, (a + b)[rows], rtol=1e-12)
    np.testing.assert_allclose(y, (2 * a + b + 3)[rows], rtol=1e-10)
    assert view.histogram(0)[1].sum() == 3000
    assert view.table_rows()[1]["mse"] == pytest.approx(np.mean((a + 3) ** 2), rel=1e-9)
    assert view.summary.text() == "3,000 test rows · 2,000 plotted"


def test_nan_weights_do_not_crash(view, sum_data):
    state = linear_state(sum_data, 2.0, 1.0, 3.0)
    state.network.params[0][0, 0] = np.nan
    view.show_state(state)  # filterwarnings=error: a warning would fail here
    for r in range(3):
        assert cells(view, r)[2:] == ["—"] * 5
    assert len(view.plotted(0)[0]) == 0
    assert len(view.histogram(0)[1]) == 0
    assert "non-finite" in view.summary.text()
    view.grab()  # and it paints


def test_infinite_predictions_are_spelt_out(view, sum_data):
    state = linear_state(sum_data, 2.0, 1.0, 3.0)
    state.network.params[0][:2] = 1e308
    view.show_state(state)
    row = cells(view, 2)
    assert row[2] == "inf" and row[5] == "-inf" and row[6] == "inf"
    view.grab()


@pytest.mark.parametrize("weight", [1e100, 1e200])
def test_huge_finite_predictions_paint(view, sum_data, weight):
    state = linear_state(sum_data, 2.0, 1.0, 3.0)
    state.network.params[0][:2] = weight
    view.show_state(state)
    drawn = len(view.plotted(0)[0])
    assert drawn == (60 if weight < 1e150 else 0)  # beyond DRAW_LIMIT nothing can be ranged
    assert np.isfinite(view.table_rows()[2]["mae"])
    view.grab()
    view.set_split("train")
    view.grab()


def test_second_state_with_other_outputs_and_layers_rebuilds(view, sum_data):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    ds = make_dataset(DataSpec(samples=100, targets=("a+b", "a-b", "|a-b|")))
    rng = np.random.RandomState(3)
    net = Network.initialise(2, [LayerSpec(4), LayerSpec(4), LayerSpec(3, "linear")], rng)
    view.show_state(ViewState(Model.from_dataset(net, ds), ds))
    assert len(view.scatters) == len(view.histograms) == 3
    assert view.table.rowCount() == 6
    assert [cells(view, r)[:2] for r in (0, 5)] == [["train", "a+b"], ["test", "|a-b|"]]
    assert view.scatter_plots[2].getAxis("left").labelText == "predicted |a-b|"
    # the drawn points are the network's, forwarded here by hand
    h = np.maximum(ds.test.xs @ net.weights[0] + net.biases[0], 0)
    h = np.maximum(h @ net.weights[1] + net.biases[1], 0)
    pred = (h @ net.weights[2] + net.biases[2]) * ds.y_scaler.std + ds.y_scaler.mean
    np.testing.assert_allclose(view.plotted(1)[1], pred[:, 1], rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(view.plotted(1)[0], ds.test.x[:, 0] - ds.test.x[:, 1])
    # and back to one output, then to nothing
    view.show_state(linear_state(sum_data, 1.0, 1.0, 0.0))
    assert len(view.scatters) == 1 and view.table.rowCount() == 3
    view.show_state(None)
    assert view.table.rowCount() == 0 and view.table_rows() == []
    assert pages(view).currentWidget() is named(view, "Empty view note")


def test_controls_are_described(view):
    for widget in (view.split_combo, view.table, view.plots, view.summary):
        assert widget.accessibleName() and widget.toolTip()


def test_a_live_refresh_takes_one_step_per_event_loop_turn(view, sum_data, qtbot):
    view.show_state(linear_state(sum_data, 1.0, 1.0, 0.0))  # perfect: residuals 0
    before = view.table_rows()
    view.show_live_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    assert view.pending() and view.table_rows() == before  # nothing done in the call
    for _ in range(3):  # train, validation, test predicted, one a turn: nothing shown yet
        view._advance()
        assert view.table_rows() == before
        np.testing.assert_allclose(view.plotted(0)[1], view.plotted(0)[0])  # the old scatter
    qtbot.waitUntil(lambda: not view.pending())  # the table and plots, in a later turn
    assert view.table_rows() != before
    a, b = sum_data.test.x[:, 0], sum_data.test.x[:, 1]
    np.testing.assert_allclose(view.plotted(0)[1], 2 * a + b + 3, rtol=1e-10)
    assert view.summary.text() == "60 test rows"


def test_a_newer_live_state_supersedes_an_unfinished_one(view, sum_data, qtbot):
    view.show_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    ds = make_dataset(DataSpec(samples=100, targets=("a+b", "a-b", "|a-b|")))
    net = Network.initialise(2, [LayerSpec(4), LayerSpec(3, "linear")], np.random.RandomState(3))
    view.show_live_state(ViewState(Model.from_dataset(net, ds), ds))
    view._advance()
    view._advance()  # part way through the three-output state
    view.show_live_state(linear_state(sum_data, 1.0, 1.0, 0.0))
    qtbot.waitUntil(lambda: not view.pending())
    assert len(view.scatters) == 1 and view.table.rowCount() == 3  # never the older state
    assert [float(cells(view, r)[5]) for r in range(3)] == [1.0, 1.0, 1.0]
    x, y = view.plotted(0)
    np.testing.assert_allclose(y, x, rtol=1e-12)


def test_flush_and_show_state_finish_or_replace_a_live_refresh(view, sum_data, qtbot):
    view.show_live_state(linear_state(sum_data, 2.0, 1.0, 3.0))
    view.flush()
    assert not view.pending() and view.table.rowCount() == 3
    assert view.summary.text() == "60 test rows"
    view.show_live_state(linear_state(sum_data, 1.0, 1.0, 0.0))
    view.show_state(None)  # e.g. the network was removed: the live steps must not come back
    assert not view.pending()
    qtbot.wait(0)  # hand the event loop a turn; no live step is left to run in it
    empty = named(view, "Empty view note")
    assert view.table.rowCount() == 0 and pages(view).currentWidget() is empty


def test_a_live_refresh_draws_one_output_per_turn_each_in_its_own_widget(view, qtbot):
    """A turn repaints only the output it drew: each output's plots are a widget of their own."""
    ds = make_dataset(DataSpec(samples=100, targets=("a+b", "a-b", "|a-b|")))
    rng = np.random.RandomState(3)
    states = [
        ViewState(Model.from_dataset(Network.initialise(2, [LayerSpec(3, "linear")], rng), ds), ds)
        for _ in range(2)
    ]  # fmt: skip
    view.show_state(states[0])
    assert len(view.columns) == 3 and len(set(map(id, view.columns))) == 3
    for j, column in enumerate(view.columns):
        assert view.scatter_plots[j] in column.ci.items  # each output's plots in its column
    old = [view.plotted(j)[1].copy() for j in range(3)]
    view.show_live_state(states[1])
    for _ in range(3 + 1):  # three splits predicted, then the table
        view._advance()
    drawn = []
    while view.pending():
        view._advance()
        drawn.append([not np.array_equal(view.plotted(j)[1], old[j]) for j in range(3)])
    assert drawn == [[True, False, False], [True, True, False], [True, True, True]]
