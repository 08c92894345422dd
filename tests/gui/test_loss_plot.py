"""LossPlot: bounded drawing for a million epochs, exact last point, readout, log scale."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication

from nngui.core.training import History, Series
from nngui.gui.loss_plot import FIT_PADDING, MAX_POINTS, LossPlot, decimate
from nngui.gui.plot_range import LogTickAxis


@pytest.fixture
def plot(qtbot):
    p = LossPlot()
    qtbot.addWidget(p)
    p.resize(800, 500)
    p.show()
    return p


def drawn(plot: LossPlot, name: str) -> tuple[np.ndarray, np.ndarray]:
    curve = plot.curves[name]  # xData / yData: what was given to setData (before log10)
    x, y = curve.xData, curve.yData
    return (np.array([]), np.array([])) if x is None else (x, y)


def test_decimate_keeps_envelope_and_last_point():
    rng = np.random.default_rng(0)
    for n in (10, 4_000, 4_001, 123_457, 1_000_000):
        x = np.arange(1, n + 1, dtype=float)
        y = rng.random(n)
        dx, dy = decimate(x, y, MAX_POINTS)
        assert len(dx) == len(dy) <= MAX_POINTS + 1
        assert dx[-1] == x[-1] and dy[-1] == y[-1]
        assert dy.min() == y.min() and dy.max() == y.max()
        assert np.all(np.diff(dx) >= 0)


def test_decimate_ignores_nan_without_warnings():
    y = np.full(10_000, np.nan)
    y[5_000] = 2.0
    _, dy = decimate(np.arange(10_000.0), y, 100)
    assert np.nanmax(dy) == 2.0


def test_million_epochs_in_chunks_stay_bounded(plot, qtbot):
    rng = np.random.default_rng(1)
    total, chunk = 1_000_000, 25_000
    full = np.exp(-np.linspace(0, 8, total)) * (1 + 0.1 * rng.random(total))
    for start in range(0, total, chunk):  # (how long this takes: bench/bench_views.py)
        stop = start + chunk
        evals = np.arange(start + 1, stop + 1, 1000, dtype=float)
        tests = full[evals.astype(int) - 1]
        plot.append(full[start:stop], evals, np.full(len(evals), np.nan), tests)
        plot.redraw()
    assert plot.epochs == total
    x, y = drawn(plot, "train")
    assert 0 < len(x) <= MAX_POINTS + 1
    assert x[-1] == total and y[-1] == pytest.approx(full[-1])
    assert plot.data()["train"][1][-1] == full[-1]
    assert not plot.curves["val"].isVisible(), "no validation split: no validation curve"


def test_updates_are_throttled(plot, qtbot):
    calls = []
    original = plot.redraw
    plot.redraw = lambda: (calls.append(1), original())
    plot._timer.timeout.disconnect()
    plot._timer.timeout.connect(plot.redraw)
    for i in range(500):
        plot.append(np.array([1.0 / (i + 1)]), np.array([]), np.array([]), np.array([]))
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=2_000)  # one redraw for the burst
    assert len(calls) <= 2
    assert drawn(plot, "train")[0][-1] == 500


def test_set_history_and_clear(plot):
    h = History(Series([3.0, 2.0, 1.0]), Series([0, 2, 3]), Series([4.0, 3.0, 2.5]),
                Series([5.0, 4.0, 3.5]))  # fmt: skip
    plot.set_history(h)
    x, y = drawn(plot, "train")
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_array_equal(y, [3, 2, 1])
    np.testing.assert_array_equal(drawn(plot, "test")[0], [0, 2, 3])
    assert plot.curves["val"].isVisible()
    plot.clear()
    plot.redraw()
    assert plot.epochs == 0 and len(drawn(plot, "train")[0]) == 0


def test_zoom_draws_visible_detail(plot):
    n = 200_000
    y = np.linspace(2, 1, n)
    plot.append(y, np.array([n], dtype=float), np.array([np.nan]), np.array([1.0]))
    plot.redraw()
    plot.plot_item.setXRange(1000, 1100, padding=0)
    plot.redraw()
    x, _ = drawn(plot, "train")
    assert len(x) < 200 and x.min() <= 1000 and x.max() >= 1100
    plot.fit_button.click()
    assert drawn(plot, "train")[0][-1] == n


def test_readout_shows_losses_at_epoch(plot, qtbot):
    h = History(Series([3.0, 2.0, 1.0]), Series([0, 3]), Series([np.nan, np.nan]),
                Series([5.0, 0.5]))  # fmt: skip
    plot.set_history(h)
    plot.show_readout(2)
    text = plot.readout.text()
    assert "epoch 2" in text and "train 2" in text and "test 5 (epoch 0)" in text
    assert "validation" not in text
    plot.show_readout(99)
    assert plot.readout.text().startswith("epoch 3")
    # A real mouse move over the plot goes through the rate-limited proxy.
    vb = plot.plot_item.getViewBox()
    at_epoch_2 = vb.mapViewToScene(QPointF(2.0, vb.viewRect().center().y()))
    plot.plot_widget.scene().sigMouseMoved.emit(at_epoch_2)
    qtbot.waitUntil(lambda: plot.readout.text().startswith("epoch 2"), timeout=2_000)
    # Leaving the plot clears it.
    QApplication.sendEvent(plot.plot_widget.viewport(), QEvent(QEvent.Type.Leave))
    assert plot.readout.text() == "" and not plot._cursor.isVisible()


def test_log_toggle_and_zero_loss(plot, qtbot):
    plot.append(np.array([1.0, 0.0, 0.5]), np.array([]), np.array([]), np.array([]))
    plot.redraw()
    qtbot.mouseClick(plot.log_check, Qt.MouseButton.LeftButton)
    assert not plot.log_check.isChecked()
    np.testing.assert_array_equal(drawn(plot, "train")[1], [1.0, 0.0, 0.5])


def test_export_png(plot, tmp_path):
    plot.append(np.linspace(1, 0.1, 50), np.array([]), np.array([]), np.array([]))
    assert plot.export_png(str(tmp_path / "loss.png"))
    assert (tmp_path / "loss.png").stat().st_size > 0


def test_following_grows_the_view_in_steps_and_a_zoom_stops_it(plot):
    vb = plot.plot_item.getViewBox()
    plot.set_live(True)  # training runs: steps keep the axes from being rebuilt every frame
    ranges = []
    for n in range(1, 400):
        plot.append(np.array([10.0 / n]), np.array([]), np.array([]), np.array([]))
        plot.redraw()
        ranges.append(tuple(map(tuple, vb.viewRange())))
    (x0, x1), (y0, y1) = ranges[-1]
    assert x0 == 0 and x1 >= 399 and y0 <= np.log10(10 / 399) and y1 >= 1
    assert len(set(ranges)) <= 30, "the range changes in steps (here 399 frames), not every frame"
    vb.setXRange(10, 20, padding=0)  # as a zoom would
    assert not plot.following
    plot.append(np.array([0.01]), np.array([]), np.array([]), np.array([]))
    plot.redraw()
    assert vb.viewRange()[0] == pytest.approx([10, 20])
    plot.fit_button.click()
    assert plot.following and vb.viewRange()[0][1] >= 400


def x_end(plot: LossPlot) -> float:
    return plot.plot_item.getViewBox().viewRange()[0][1]


def test_when_not_training_the_view_ends_at_the_last_epoch(plot):
    plot.append(np.geomspace(1, 1e-3, 1000), np.array([]), np.array([]), np.array([]))
    plot.redraw()
    assert not plot.live
    assert x_end(plot) == pytest.approx(1000 * (1 + FIT_PADDING))
    plot.set_live(True)
    plot.redraw()
    assert x_end(plot) == 1500  # live: the next step, so that the axes rarely change
    plot.set_live(False)  # paused or finished: tight again at once
    assert x_end(plot) == pytest.approx(1000 * (1 + FIT_PADDING))


def test_fit_ends_at_the_last_epoch_and_so_do_loaded_histories(plot):
    plot.append(np.geomspace(1, 1e-3, 1000), np.array([]), np.array([]), np.array([]))
    plot.plot_item.setXRange(10, 20, padding=0)  # a zoom
    plot.redraw()
    plot.fit_button.click()
    assert x_end(plot) == pytest.approx(1000 * (1 + FIT_PADDING))
    losses = Series(np.linspace(2, 1, 803))
    plot.set_history(History(losses, Series([803]), Series([np.nan]), Series([1.0])))
    assert x_end(plot) == pytest.approx(803 * (1 + FIT_PADDING))
    plot.log_check.setChecked(False)  # linear: from 0 to just above the largest loss
    assert plot.following, "switching the scale is not a zoom"
    assert plot.plot_item.getViewBox().viewRange()[1][1] == pytest.approx(2 * (1 + FIT_PADDING))


def test_log_axis_labels_decades_in_one_style(plot):
    axis = plot.plot_item.getAxis("left")
    assert isinstance(axis, LogTickAxis) and axis.logMode
    levels = axis.tickValues(-5.0, -1.0, 300)  # 10⁻⁵ … 0.1: four decades
    labelled = [v for _, values in levels[:2] for v in values]
    np.testing.assert_allclose(labelled, [-5, -4, -3, -2, -1])
    assert axis.tickStrings(labelled, 1.0, 1.0) == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "0.1"]
    assert len(levels[2][1]) == 32  # 2 … 9 × 10ᵏ: ticks without labels
    assert axis.style["maxTextLevel"] == 1


def test_log_axis_labels_two_and_five_within_two_decades(plot):
    axis = plot.plot_item.getAxis("left")
    levels = axis.tickValues(-5.25, -3.5, 300)
    strings = [axis.tickStrings(values, 1.0, spacing) for spacing, values in levels[:2]]
    assert strings == [["10⁻⁵", "10⁻⁴"], ["2·10⁻⁵", "5·10⁻⁵", "2·10⁻⁴"]]
