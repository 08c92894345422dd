"""The error map view: image values and placement, readout, outputs, levels, odd states."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QSpinBox

from nngui.core.data import DataSpec, make_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.scaling import Scaler
from nngui.gui.views.base import ViewState
from nngui.gui.views.error_map_view import (
    RESOLUTION,
    ErrorMapView,
    decade_label,
    decade_ticks,
)

# A 2 → 1 linear network with identity scalers: ŷ = 1.1·a + 0.9·b + 2 on target a + b, so
# |error| = |0.1·a − 0.1·b + 2|.
W = np.array([[1.1], [0.9]])
B = np.array([2.0])


def pred_by_hand(a, b):
    return 1.1 * a + 0.9 * b + 2.0


def make_state(params, layers, targets, spec: DataSpec | None = None, n_inputs=2) -> ViewState:
    spec = spec or DataSpec(samples=100, targets=targets)
    dataset = make_dataset(spec)
    n_out = len(targets)
    model = Model(
        network=Network(n_inputs, layers, params),
        x_scaler=Scaler(np.zeros(n_inputs), np.ones(n_inputs)),
        y_scaler=Scaler(np.zeros(n_out), np.ones(n_out)),
        input_names=("a", "b", "c")[:n_inputs],
        output_names=targets,
    )
    return ViewState(model, dataset, epoch=7)


def linear_state(w=W, b=B, spec: DataSpec | None = None) -> ViewState:
    return make_state([np.vstack([w, b[None, :]])], [LayerSpec(1, "linear")], ("a+b",), spec)


def centres(lo, hi, n=RESOLUTION):
    step = (hi - lo) / n
    return lo + (np.arange(n) + 0.5) * step


@pytest.fixture
def view(qtbot):
    v = ErrorMapView()
    qtbot.addWidget(v)
    v.resize(860, 560)
    v.show()
    return v


def image_rect(view: ErrorMapView) -> QRectF:
    """Where the image item lands in plot coordinates."""
    return view.image.mapRectToParent(view.image.boundingRect())


def test_title_and_empty_view(view):
    assert ErrorMapView.title == "Error map"
    assert view.grid() is None
    assert view.message.isVisible()
    assert "No network" in view.message.text()


def test_image_holds_the_error_at_each_pixel_centre(view):
    view.log_check.setChecked(False)
    view.show_state(linear_state())
    a, b = centres(0, 100), centres(0, 100)
    expected = np.abs(pred_by_hand(a[None, :], b[:, None]) - (a[None, :] + b[:, None]))
    image = view.image.image
    assert image.shape == (RESOLUTION, RESOLUTION)  # rows: b, columns: a
    np.testing.assert_allclose(image, expected, atol=1e-12)
    # Spot checks by number: pixel (row j = b index, column i = a index).
    # a = 99.5, b = 0.5: |9.95 − 0.05 + 2| = 11.9; a = 0.5, b = 99.5: |0.05 − 9.95 + 2| = 7.9
    assert image[0, 99] == pytest.approx(11.9)
    assert image[99, 0] == pytest.approx(7.9)
    assert image[50, 50] == pytest.approx(2.0)  # on the diagonal: just the bias
    assert image_rect(view) == QRectF(0.0, 0.0, 100.0, 100.0)
    assert view.image.axisOrder == "row-major"


def test_log_colours_show_log10_of_the_error(view):
    assert view.log_check.isChecked()  # the default: errors span decades
    # ŷ = 1.1·a + 1.1·b + 2 on a + b: |error| = 0.1·(a + b) + 2, from 2.01 to 21.9
    view.show_state(linear_state(w=np.array([[1.1], [1.1]])))
    a, b = centres(0, 100), centres(0, 100)
    expected = np.log10(0.1 * (a[None, :] + b[:, None]) + 2.0)
    np.testing.assert_allclose(view.image.image, expected, atol=1e-12)
    assert view.image.image[0, 0] == pytest.approx(np.log10(2.1))
    # 1st / 99th percentiles ≈ 2.3 and 20.6 → whole decades 10^0 … 10^2
    low, high = view.levels()
    assert (low, high) == (0.0, 2.0)
    assert view.colour_bar.axis._tickLevels == [decade_ticks(0.0, 2.0)]
    assert [label for _, label in decade_ticks(low, high)] == ["1", "10", "100"]
    # A zero error (a − b = −20 with the default weights) is −inf (or, after rounding, far
    # below the levels): drawn in the bottom colour, without warnings.
    view.show_state(linear_state())
    assert view.image.image[20, 0] < -10  # a = 0.5, b = 20.5
    view.grab()


def test_extension_widens_the_image_and_outlines_the_training_range(view):
    spec = DataSpec(samples=100, ranges=((0.0, 100.0), (-10.0, 30.0)), targets=("a+b",))
    view.show_state(linear_state(spec=spec))
    assert image_rect(view) == QRectF(0.0, -10.0, 100.0, 40.0)
    view.extend_spin.setValue(50)
    grid = view.grid()
    assert grid.shown == ((-50.0, 150.0), (-30.0, 50.0))
    np.testing.assert_allclose(grid.a, centres(-50, 150))
    np.testing.assert_allclose(grid.b, centres(-30, 50))
    assert image_rect(view) == QRectF(-50.0, -30.0, 200.0, 80.0)
    xs, ys = view.outline.getData()
    np.testing.assert_array_equal(xs, [0, 100, 100, 0, 0])
    np.testing.assert_array_equal(ys, [-10, -10, 30, 30, -10])
    # The view range follows the image (with a small margin).
    (x0, x1), (y0, y1) = view.plot_item.getViewBox().viewRange()
    assert x0 < -49 and x1 > 149 and x0 > -60 and x1 < 160
    assert y0 < -29 and y1 > 49
    # The bottom-left pixel is outside: a = −49, b = −29.6
    a0, b0 = -50 + 1.0, -30 + 0.4
    assert grid.error[0, 0, 0] == pytest.approx(abs(pred_by_hand(a0, b0) - (a0 + b0)))


def test_readout_at_a_point(view):
    view.show_state(linear_state())
    # a = 30, b = 70: ŷ = 33 + 63 + 2 = 98, truth 100, |error| 2
    text = view.show_readout(30.0, 70.0)
    assert text == "a = 30, b = 70 · prediction 98.0000 · truth 100.0000 · |error| 2"
    assert view.readout.text() == text
    # outside the training range: a = 120, b = 10: ŷ = 132 + 9 + 2 = 143, truth 130
    view.extend_spin.setValue(50)
    text = view.show_readout(120.0, 10.0)
    assert "prediction 143.0000 · truth 130.0000 · |error| 13" in text
    assert text.endswith("outside the training range")


def test_hovering_the_map_shows_the_readout(view, qtbot):
    view.show_state(linear_state())
    qtbot.waitExposed(view)
    QApplication.processEvents()  # the plot's deferred layout: view ↔ scene mapping is final
    assert view.readout.text().startswith("Training range: mean |error|")
    vb = view.plot_item.getViewBox()
    scene_pos = vb.mapViewToScene(QPointF(25.0, 75.0))
    view.plot_widget.scene().sigMouseMoved.emit(scene_pos)
    qtbot.waitUntil(lambda: view.readout.text().startswith("a = "), timeout=2000)
    match = re.match(r"a = ([\d.]+), b = ([\d.]+) · prediction ([\d.,]+)", view.readout.text())
    a, b, pred = (float(g.replace(",", "")) for g in match.groups())
    assert a == pytest.approx(25.0, abs=1.0) and b == pytest.approx(75.0, abs=1.0)
    assert pred == pytest.approx(pred_by_hand(a, b), abs=1e-3)


def test_output_switch_shows_the_other_error(view):
    # 2 → 2 linear: output 0 on a+b as above; output 1 = 0.5·a − 0.5·b on a−b: error 0.5·|a−b|.
    w = np.array([[1.1, 0.5], [0.9, -0.5]])
    params = [np.vstack([w, [2.0, 0.0]])]
    view.log_check.setChecked(False)
    view.show_state(make_state(params, [LayerSpec(2, "linear")], ("a+b", "a-b")))
    assert [view.output_combo.itemText(i) for i in range(2)] == ["a+b", "a-b"]
    assert view.plot_item.titleLabel.text.endswith("a+b")
    view.output_combo.setCurrentIndex(1)
    a, b = centres(0, 100), centres(0, 100)
    expected = 0.5 * np.abs(a[None, :] - b[:, None])
    np.testing.assert_allclose(view.image.image, expected, atol=1e-12)
    assert view.plot_item.titleLabel.text.endswith("a-b")
    assert view.output() == 1
    assert "|error| 20" in view.show_readout(60.0, 20.0)  # 0.5·|60 − 20|


def test_second_state_with_other_layers_and_outputs(view):
    view.show_state(linear_state())
    # 2 → 2 relu → 1 linear on |a−b| with hand-set weights: h = relu([a − b, b − a]),
    # ŷ = h1 + h2 = |a − b| exactly, so the error is zero everywhere.
    params = [
        np.array([[1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]]),
        np.array([[1.0], [1.0], [0.0]]),
    ]
    layers = [LayerSpec(2, "relu"), LayerSpec(1, "linear")]
    view.log_check.setChecked(False)
    view.show_state(make_state(params, layers, ("|a-b|",)))
    assert [view.output_combo.itemText(i) for i in range(view.output_combo.count())] == ["|a-b|"]
    np.testing.assert_allclose(view.image.image, 0.0, atol=1e-12)
    assert view.levels() == (0.0, 1.0)
    # Bias the second unit's output by +0.5: the error becomes 0.5 everywhere.
    params[1][2, 0] = 0.5
    view.show_state(make_state(params, layers, ("|a-b|",)))
    np.testing.assert_allclose(view.image.image, 0.5, atol=1e-12)


def test_nan_weights_do_not_crash(view):
    view.show_state(linear_state(w=np.full((2, 1), np.nan)))
    assert np.isnan(view.image.image).all()
    assert view.notice.isVisible()
    assert "not finite" in view.notice.text()
    view.grab()  # paints without warnings
    assert "prediction nan" in view.show_readout(10.0, 20.0)
    view.log_check.setChecked(False)
    view.grab()
    view.show_state(linear_state())  # recovers
    assert not view.notice.isVisible()
    assert np.isfinite(view.image.image).all()


def test_none_clears(view):
    view.show_state(linear_state())
    assert view.grid() is not None
    view.show_state(None)
    assert view.grid() is None
    assert view.message.isVisible()
    assert view.image.image is None
    assert view.show_readout(1.0, 2.0) == ""


def test_networks_without_two_inputs_get_a_message(view):
    params = [np.zeros((4, 1))]
    state = make_state(params, [LayerSpec(1, "linear")], ("a+b",), n_inputs=3)
    view.show_state(state)
    assert view.message.isVisible()
    assert "two inputs" in view.message.text() and "has 3" in view.message.text()
    assert view.grid() is None


def test_levels_follow_the_data_with_hysteresis_and_can_be_locked(view):
    view.log_check.setChecked(False)
    view.show_state(linear_state())  # errors up to 11.9: p99 ≈ 10.6 → 20
    assert view.levels() == (0.0, 20.0)
    # Errors 0.9× as large (p99 ≈ 9.5 < 10 by less than the headroom): levels stay put.
    view.show_state(linear_state(w=np.array([[1.09], [0.91]]), b=np.array([1.8])))
    assert view.levels() == (0.0, 20.0)
    # Errors ten times smaller → the levels shrink.
    view.show_state(linear_state(w=np.array([[1.01], [0.99]]), b=np.array([0.2])))
    assert view.levels() == (0.0, 2.0)
    view.lock_check.setChecked(True)
    view.show_state(linear_state())
    assert view.levels() == (0.0, 2.0)  # locked
    view.lock_check.setChecked(False)
    assert view.levels() == (0.0, 20.0)  # unlocked: fitted to the data again


def test_decade_labels():
    assert decade_label(-3) == "10⁻³"
    assert decade_label(-2) == "0.01"
    assert decade_label(0) == "1"
    assert decade_label(3) == "1000"
    assert decade_label(12) == "10¹²"
    assert decade_ticks(-3.2, 0.5) == [(-3.0, "10⁻³"), (-2.0, "0.01"), (-1.0, "0.1"), (0.0, "1")]
    assert len(decade_ticks(-20, 20)) <= 8


def test_every_control_is_described(view):
    for kind in (QComboBox, QSpinBox, QCheckBox):
        for widget in view.findChildren(kind):
            assert widget.accessibleName() and widget.toolTip(), widget


def test_dragging_the_colour_bar_locks_and_switching_scale_unlocks(view):
    view.show_state(linear_state())
    view.colour_bar.setLevels((-1.0, 0.5))  # as the handles do, then they are released:
    view.colour_bar.sigLevelsChangeFinished.emit(view.colour_bar)
    assert view.lock_check.isChecked()
    view.show_state(linear_state())
    assert view.levels() == (-1.0, 0.5)
    assert [k for k, _ in view.colour_bar.axis._tickLevels[0]] == [-1.0, 0.0]
    view.log_check.setChecked(False)  # log10 levels mean nothing on the linear scale
    assert not view.lock_check.isChecked()
    assert view.levels() == (0.0, 20.0)


def test_a_live_refresh_computes_the_map_over_several_turns(view, qtbot):
    from nngui.gui.views.error_map_view import ROWS_PER_STEP

    view.show_state(linear_state())
    at_once = view.grid().error.copy()
    view.show_state(None)
    view.show_live_state(linear_state())
    assert view.pending() and view.grid() is None  # nothing computed in the call itself
    turns = 0
    while view.pending():
        view._steps.advance()
        turns += 1
    assert turns == -(-RESOLUTION // ROWS_PER_STEP) + 1  # the blocks, then the drawing
    np.testing.assert_array_equal(view.grid().error, at_once)


def test_show_state_drops_a_live_refresh_left_unfinished(view, qtbot):
    view.show_live_state(linear_state())
    view._steps.advance()
    view.show_state(None)
    assert not view.pending() and view.grid() is None
    qtbot.wait(20)
    assert view.grid() is None  # the dropped refresh never comes back
