"""Stepped view ranges: nice bounds that move only in steps, and who decides the range."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from nngui.gui.plot_range import (
    SteppedRange,
    log_tick_label,
    log_ticks,
    nice_step_up,
    stepped_range,
)


def test_nice_step_up():
    values = (1, 1.2, 2.9, 3.1, 7.6, 999, 1001, 0.0042)
    assert [nice_step_up(v) for v in values] == pytest.approx([1, 1.5, 3, 5, 10, 1000, 1500, 0.005])


@pytest.mark.parametrize(
    ("lo", "hi", "log", "expected"),
    [
        (0.3, 20.0, True, (-0.75, 1.5)),  # quarter decades
        (1.0, 1.0, True, (0.0, 0.25)),
        (0.0, 9.0, False, (0.0, 9.0)),  # width 9: multiples of 0.5
        (3.2, 181.0, False, (0.0, 200.0)),  # width ~178: multiples of 50
        (-41.0, 93.0, False, (-50.0, 100.0)),
        (5.0, 5.0, False, (4.5, 5.5)),  # one value: a little around it
        (0.0, 0.0, False, (-1.0, 1.0)),
    ],
)
def test_stepped_range(lo, hi, log, expected):
    assert stepped_range(lo, hi, log) == pytest.approx(expected)


def test_small_changes_of_the_data_keep_the_range():
    ranges = {stepped_range(-41.0 + d, 93.0 + d) for d in (0.0, 0.5, 1.0, 2.0, 4.0)}
    assert ranges == {(-50.0, 100.0)}


def test_stepped_range_follows_until_the_user_zooms(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    follower = SteppedRange(plot)
    vb = plot.getViewBox()
    follower.show((0.0, 10.0), (-1.0, 1.0))
    assert vb.viewRange() == [[0.0, 10.0], [-1.0, 1.0]]
    vb.sigRangeChangedManually.emit([True, True])  # what a mouse zoom or pan emits
    follower.show((0.0, 20.0), (-1.0, 1.0))
    assert not follower.following and vb.viewRange()[0] == [0.0, 10.0]
    plot.autoBtn.clicked.emit(plot.autoBtn)  # pyqtgraph's "A" button
    assert follower.following and not any(vb.autoRangeEnabled())
    follower.show((0.0, 20.0), (-1.0, 1.0))
    assert vb.viewRange()[0] == [0.0, 20.0]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (1e-5, "10⁻⁵"), (2e-5, "2·10⁻⁵"), (3.5e-4, "3.5·10⁻⁴"), (0.01, "10⁻²"), (0.1, "0.1"),
        (0.25, "0.25"), (1.0, "1"), (5.0, "5"), (20.0, "20"), (100.0, "10²"), (1e12, "10¹²"),
    ],
)  # fmt: skip
def test_log_tick_labels_have_one_style(value, label):
    assert log_tick_label(np.log10(value)) == label


def labels(levels, level: int) -> list[str]:
    return [log_tick_label(v) for v in levels[level][1]]


def test_log_ticks_label_decades_only_when_several_show():
    levels = log_ticks(-6.0, 0.0, 300)
    assert labels(levels, 0) == ["10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "0.1", "1"]
    assert labels(levels, 1) == []
    assert "2·10⁻⁵" in labels(levels, 2)  # the minor ticks are drawn, without labels
    few_pixels = log_ticks(-12.0, 2.0, 120)  # four labels at most: every 5th decade
    assert labels(few_pixels, 0) == ["10⁻¹⁰", "10⁻⁵", "1"]
    assert "10⁻¹¹" in labels(few_pixels, 2)


def test_log_ticks_within_a_decade_label_what_is_there():
    assert labels(log_ticks(-0.25, 0.0, 300), 0) == ["1"]
    assert labels(log_ticks(-0.25, 0.0, 300), 1) == ["0.6", "0.7", "0.8", "0.9"]
    deep = log_ticks(np.log10(0.355), np.log10(0.468), 300)  # no 1 … 9 × 10ᵏ but 0.4
    assert labels(deep, 1) == ["0.4", "0.45"]
    assert log_ticks(1.0, 1.0, 300) == [] and log_ticks(np.nan, 1.0, 300) == []
