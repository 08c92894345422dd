"""layer_stats: weight and activation histograms count the right values, dead relu units are
found, and diverged networks are summarised without warnings."""

from __future__ import annotations

import numpy as np

from nngui.core.layer_stats import (
    MAX_ROWS,
    dead_text,
    dead_units,
    histogram,
    layer_stats,
    spread_rows,
)
from nngui.core.network import LayerSpec, Network


def net_with_a_dead_unit() -> Network:
    """2 → 4 relu → 3 relu → 2 linear; unit 2 of layer 1 has a hugely negative bias."""
    layers = [LayerSpec(4, "relu"), LayerSpec(3, "relu"), LayerSpec(2, "linear")]
    net = Network.initialise(2, layers, np.random.RandomState(0))
    net.params[0][-1, 2] = -1e6
    return net


def test_histograms_count_every_weight_and_activation() -> None:
    net = net_with_a_dead_unit()
    xs = np.random.default_rng(0).normal(size=(500, 2))
    stats = layer_stats(net, xs, bins=12)
    assert [s.weights.total for s in stats] == [2 * 4, 4 * 3, 3 * 2]
    assert [s.activations.total for s in stats] == [500 * 4, 500 * 3, 500 * 2]
    assert all(len(s.weights.counts) == 12 and len(s.weights.edges) == 13 for s in stats)
    assert [(s.layer, s.activation, s.units) for s in stats] == [
        (1, "relu", 4), (2, "relu", 3), (3, "linear", 2),
    ]  # fmt: skip
    # the weight histogram spans exactly the weights' range
    w = net.weights[1]
    assert stats[1].weights.edges[0] == w.min() and stats[1].weights.edges[-1] == w.max()


def test_unit_with_hugely_negative_bias_is_dead() -> None:
    net = net_with_a_dead_unit()
    xs = np.random.default_rng(1).normal(size=(300, 2))
    first, second, last = layer_stats(net, xs)
    np.testing.assert_array_equal(first.dead, [False, False, True, False])
    assert first.dead_count == 1
    assert dead_text(first) == "1 of 4 units dead (25 %)"
    a = np.maximum(xs @ net.weights[0] + net.biases[0], 0)  # by hand: which columns are all 0
    a2 = np.maximum(a @ net.weights[1] + net.biases[1], 0)
    np.testing.assert_array_equal(second.dead, np.all(a2 == 0, axis=0))
    assert last.dead is None and last.dead_count is None and dead_text(last) == ""


def test_non_relu_hidden_layers_have_no_dead_units() -> None:
    layers = [LayerSpec(3, "leaky_relu"), LayerSpec(3, "tanh"), LayerSpec(1, "relu")]
    net = Network.initialise(2, layers, np.random.RandomState(0))
    stats = layer_stats(net, np.random.default_rng(0).normal(size=(50, 2)))
    assert [s.dead for s in stats] == [None, None, None]  # the output layer is not hidden


def test_dead_units_and_text_by_hand() -> None:
    a = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    np.testing.assert_array_equal(dead_units(a), [True, False, True])
    layers = [LayerSpec(32, "relu"), LayerSpec(1, "linear")]
    net = Network(1, layers)
    net.params[0][0] = 1.0  # Z = x + 0.5: every unit fires for x > −0.5 …
    net.params[0][-1] = 0.5
    net.params[0][-1, :2] = -1e6  # … but two of the 32 never do on inputs in [−1, 1]
    stats = layer_stats(net, np.linspace(-1, 1, 101)[:, None])
    assert dead_text(stats[0]) == "2 of 32 units dead (6 %)"
    np.testing.assert_array_equal(np.flatnonzero(stats[0].dead), [0, 1])


def test_histogram_by_hand() -> None:
    h = histogram(np.array([0.0, 1.0, 1.0, 2.0]), bins=2)
    np.testing.assert_array_equal(h.edges, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(h.counts, [1, 3])  # [0, 1) and [1, 2] (right edge included)
    assert h.total == 4 and h.non_finite == 0


def test_histogram_of_constant_and_non_finite_values() -> None:
    h = histogram(np.array([[3.0, 3.0], [np.nan, np.inf]]), bins=4)
    np.testing.assert_array_equal(h.edges, [2.5, 2.75, 3.0, 3.25, 3.5])
    assert h.total == 2 and h.non_finite == 2
    empty = histogram(np.array([np.nan, -np.inf]), bins=3)
    assert empty.total == 0 and empty.non_finite == 2
    np.testing.assert_array_equal(empty.edges[[0, -1]], [0.0, 1.0])


def test_rows_are_subsampled_evenly() -> None:
    rows = spread_rows(7000, MAX_ROWS)
    assert len(rows) == MAX_ROWS and rows[0] == 0 and rows[-1] == 6999
    assert np.all(np.diff(rows) > 0)
    np.testing.assert_array_equal(spread_rows(5, MAX_ROWS), np.arange(5))
    net = net_with_a_dead_unit()
    stats = layer_stats(net, np.random.default_rng(0).normal(size=(7000, 2)))
    assert stats[0].activations.total == MAX_ROWS * 4


def test_non_finite_network_is_summarised_without_warnings() -> None:
    net = net_with_a_dead_unit()
    net.params[0][0, 0] = np.nan
    net.params[1][0, 1] = 1e308
    stats = layer_stats(net, np.random.default_rng(0).normal(size=(20, 2)))  # no warnings
    assert stats[0].weights.non_finite == 1 and stats[0].weights.total == 7
    assert stats[0].activations.non_finite > 0
    assert stats[2].activations.total + stats[2].activations.non_finite == 40
