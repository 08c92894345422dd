"""LossPlot: bounded drawing for a million epochs, exact last point, readout, log scale."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
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


# ----- a classifier's accuracy on the right axis ------------------------------------------
def classifier_history() -> History:
    """Losses and accuracies (fractions) of four evaluations, validation and test."""
    return History(Series([0.7, 0.5, 0.3, 0.2]), Series([0, 1, 2, 4]),
                   Series([0.8, 0.6, 0.4, 0.3]), Series([0.9, 0.7, 0.5, 0.35]),
                   Series([0.5, 0.7, 0.9, 0.95]), Series([0.45, 0.6, 0.85, 1.0]))  # fmt: skip


def drawn_accuracy(plot: LossPlot, name: str) -> tuple[np.ndarray, np.ndarray]:
    curve = plot.accuracy_curves[name]
    x, y = curve.xData, curve.yData
    return (np.array([]), np.array([])) if x is None else (x, y)


def legend_labels(plot: LossPlot) -> list[str]:
    return [item.text for _, item in plot.legend.items]


def test_a_classifier_shows_its_accuracy_in_per_cent_on_a_right_axis(plot):
    plot.set_history(classifier_history())
    assert plot.has_accuracy
    assert plot.plot_item.getAxis("right").isVisible() and plot.accuracy_view.isVisible()
    x, y = drawn_accuracy(plot, "val_accuracy")
    np.testing.assert_array_equal(x, [0, 1, 2, 4])
    np.testing.assert_allclose(y, [50, 70, 90, 95])
    np.testing.assert_allclose(drawn_accuracy(plot, "test_accuracy")[1], [45, 60, 85, 100])
    assert all(c.isVisible() for c in plot.accuracy_curves.values())
    for curve in plot.accuracy_curves.values():  # dashed, unlike the solid test loss
        assert curve.opts["pen"].style() != Qt.PenStyle.SolidLine
        assert curve.getViewBox() is plot.accuracy_view
    lo, hi = plot.accuracy_view.viewRange()[1]
    assert lo <= 0 and 100 <= hi < 110, "0 … 100 % whatever the losses"
    assert {"validation accuracy", "test accuracy"} <= set(legend_labels(plot))
    assert plot.plot_item.getAxis("right").linkedView() is plot.accuracy_view
    # the losses' log scale leaves the accuracy axis linear
    assert plot.plot_item.getAxis("left").logMode
    assert not plot.plot_item.getAxis("right").logMode
    plot.log_check.setChecked(False)
    plot.log_check.setChecked(True)
    assert not plot.plot_item.getAxis("right").logMode
    np.testing.assert_allclose(drawn_accuracy(plot, "val_accuracy")[1], [50, 70, 90, 95])


def test_a_regression_history_has_no_accuracy_axis(plot):
    h = History(Series([3.0, 2.0, 1.0]), Series([0, 2, 3]), Series([4.0, 3.0, 2.5]),
                Series([5.0, 4.0, 3.5]))  # fmt: skip
    plot.set_history(h)
    assert not plot.has_accuracy
    assert not plot.plot_item.getAxis("right").isVisible()
    assert not plot.accuracy_view.isVisible()
    assert not any("accuracy" in label for label in legend_labels(plot))
    assert len(drawn_accuracy(plot, "test_accuracy")[0]) == 0
    plot.set_history(classifier_history())  # a classifier after a regression …
    assert plot.plot_item.getAxis("right").isVisible()
    plot.clear()  # … and a fresh network after it
    assert not plot.plot_item.getAxis("right").isVisible()
    assert not any("accuracy" in label for label in legend_labels(plot))


def test_the_accuracy_view_covers_the_loss_view_and_follows_its_epochs(plot, qtbot):
    plot.set_history(classifier_history())
    plot.resize(900, 600)
    qtbot.waitUntil(
        lambda: plot.accuracy_view.geometry() == plot.plot_item.getViewBox().sceneBoundingRect(),
        timeout=2_000,
    )
    plot.plot_item.setXRange(1, 3, padding=0)  # a zoom: the accuracy's epochs follow
    np.testing.assert_allclose(plot.accuracy_view.viewRange()[0], [1, 3])


def test_appended_accuracies_are_kept_and_old_calls_stay_aligned(plot):
    plot.append(np.array([0.7]), np.array([0.0, 1.0]), np.array([0.8, 0.6]),
                np.array([0.9, 0.7]), np.array([0.5, 0.7]), np.array([0.4, 0.6]))  # fmt: skip
    plot.append(np.array([0.5]), np.array([2.0]), np.array([0.5]), np.array([0.6]))  # old call
    plot.redraw()
    h = plot.history()
    np.testing.assert_array_equal(h.val_accuracy.values[:2], [0.5, 0.7])
    np.testing.assert_array_equal(h.test_accuracy.values[:2], [0.4, 0.6])
    assert len(h.val_accuracy) == len(h.eval_epochs) == 3 and np.isnan(h.val_accuracy.values[2])
    assert plot.plot_item.getAxis("right").isVisible()
    with pytest.raises(ValueError, match="accuracies"):
        plot.append(np.array([0.4]), np.array([3.0]), np.array([0.5]), np.array([0.6]),
                    np.array([0.5, 0.6]), np.array([0.5]))  # fmt: skip


def test_a_million_epochs_of_accuracy_stay_bounded(plot):
    n = 1_000_000
    evals = np.arange(0, n + 1, dtype=float)  # an evaluation every epoch: the worst case
    rng = np.random.default_rng(2)
    acc = np.clip(np.linspace(0.5, 1.0, n + 1) + 0.01 * rng.standard_normal(n + 1), 0, 1)
    plot.append(np.ones(n), evals, np.full(n + 1, np.nan), np.ones(n + 1), acc, acc[::-1].copy())
    plot.redraw()
    x, y = drawn_accuracy(plot, "val_accuracy")
    assert 0 < len(x) <= MAX_POINTS + 1
    assert x[-1] == n and y[-1] == pytest.approx(100 * acc[-1])
    assert y.max() == pytest.approx(100 * acc.max()) and y.min() == pytest.approx(100 * acc.min())


def test_readout_shows_the_accuracies(plot):
    plot.set_history(classifier_history())
    plot.show_readout(2)
    text = plot.readout.text()
    assert "validation accuracy 90.0 %" in text and "test accuracy 85.0 %" in text


def test_the_wheel_still_zooms_the_losses_over_a_classifier(plot):
    """The wheel zooms the losses with the accuracy view over them; the accuracy's epochs
    follow and its axis keeps 0 … 100 %."""
    plot.set_history(classifier_history())
    vb = plot.plot_item.getViewBox()
    before = vb.viewRange()
    viewport = plot.plot_widget.viewport()
    at = viewport.rect().center()
    wheel = QWheelEvent(QPointF(at), QPointF(viewport.mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(viewport, wheel)
    after = vb.viewRange()
    assert after[1][1] - after[1][0] < before[1][1] - before[1][0], "the loss axis zoomed"
    assert not plot.following
    np.testing.assert_allclose(plot.accuracy_view.viewRange()[0], after[0])
    lo, hi = plot.accuracy_view.viewRange()[1]
    assert lo <= 0 and 100 <= hi < 110
