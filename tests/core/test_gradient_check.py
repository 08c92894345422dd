"""check_gradients: passes on healthy networks of every activation and dtype, fails on errors
planted in backprop, checks a spread subset of big networks, and avoids relu kinks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nngui.core.activations import ACTIVATIONS
from nngui.core.gradient_check import (
    KINK_MARGIN,
    MIN_PER_BLOCK,
    TOLERANCE,
    affordable,
    check_gradients,
    choose_parameters,
    engine_gradients,
    numeric_derivative,
    pick_samples,
    relative_difference,
)
from nngui.core.network import LayerSpec, Network
from nngui.core.presets import PRESETS
from nngui.core.setup import fresh_start
from nngui.core.training import Trainer

ACTIVATION_NAMES = sorted(ACTIVATIONS)


def problem(activations: list[str], seed: int = 0, dtype: type = np.float64, n: int = 200):
    """A 2 → 6 → 5 → 3 network with the given activations and standardised-looking data."""
    rng = np.random.default_rng(seed)
    layers = [LayerSpec(u, a) for u, a in zip((6, 5, 3), activations, strict=True)]
    net = Network.initialise(2, layers, np.random.RandomState(seed), dtype=dtype)
    return net, rng.normal(size=(n, 2)), rng.normal(size=(n, 3))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_healthy_networks_pass(activation: str, dtype: type) -> None:
    for acts in ([activation, activation, "linear"], ["tanh", activation, activation]):
        net, x, y = problem(acts, dtype=dtype)
        result = check_gradients(net, x, y)
        assert result.passed, (acts, result.max_rel_diff, result.worst)
        assert result.max_rel_diff < 1e-6
        assert result.checked == result.total == net.parameter_count()
        assert result.samples == 32
        assert net.dtype == dtype  # the check works on a float64 copy


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_networks_pass_before_and_after_training(name: str) -> None:
    preset = PRESETS[name]
    t = preset.training
    ds, net = fresh_start(preset.data, preset.layers, t.init, t.dtype)
    trainer = Trainer(net, ds, preset.training)
    for epochs in (0, 30):
        trainer.run(epochs=epochs, time_limit=0)
        n = net.parameter_count()  # every parameter (the window checks a sample of large nets)
        result = check_gradients(net, ds.train.xs, ds.train.ys, max_params=n)
        assert result.passed, (epochs, result.max_rel_diff, result.worst)
        assert result.checked == n


def test_planted_missing_division_by_m_fails() -> None:
    def no_mean(net: Network, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        return [g * len(x) for g in engine_gradients(net, x, y)]  # forgets the 1/m

    net, x, y = problem(["relu", "relu", "linear"])
    result = check_gradients(net, x, y, gradient_fn=no_mean)
    assert not result.passed
    # g = 32 f everywhere: |g − f| / |g| = 31/32 for every parameter with a gradient
    assert result.max_rel_diff == pytest.approx(31 / 32, rel=1e-6)
    assert all(lc.weights.max_rel_diff > 0.9 for lc in result.layers)


def test_planted_transposed_dw_fails_in_that_layer_only() -> None:
    def transposed(net: Network, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        grads = engine_gradients(net, x, y)
        grads[1][:-1] = grads[1][:-1].T.copy()  # layer 2 is 4 × 4: dW² transposed
        return grads

    rng = np.random.default_rng(1)
    layers = [LayerSpec(4, "tanh"), LayerSpec(4, "tanh"), LayerSpec(3, "linear")]
    net = Network.initialise(4, layers, np.random.RandomState(1))
    x, y = rng.normal(size=(50, 4)), rng.normal(size=(50, 3))
    result = check_gradients(net, x, y, gradient_fn=transposed)
    assert not result.passed
    assert result.worst.layer == 2 and result.worst.kind == "weight"
    assert result.worst.index[0] != result.worst.index[1]  # the diagonal is unchanged
    l1, l2, l3 = result.layers
    assert l2.weights.max_rel_diff > 0.1
    assert max(l1.weights.max_rel_diff, l1.biases.max_rel_diff) < TOLERANCE
    assert max(l2.biases.max_rel_diff, l3.weights.max_rel_diff) < TOLERANCE


def test_planted_broken_relu_derivative_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    net, x, y = problem(["relu", "relu", "linear"])
    assert check_gradients(net, x, y).passed

    def forgets_the_slope(d: np.ndarray, z: np.ndarray, a: np.ndarray) -> None:
        return None  # relu′ treated as 1 everywhere: inactive units pass gradient back

    broken = dataclasses.replace(ACTIVATIONS["relu"], backward=forgets_the_slope)
    monkeypatch.setitem(ACTIVATIONS, "relu", broken)
    result = check_gradients(net, x, y)
    assert not result.passed
    assert result.max_rel_diff > 0.1
    assert result.worst.layer in (1, 2)  # the layers below a relu get wrong gradients
    assert result.layers[2].weights.max_rel_diff < TOLERANCE  # the output layer is fine


def test_result_names_the_worst_parameter() -> None:
    def bad_bias(net: Network, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        grads = engine_gradients(net, x, y)
        grads[2][-1, 1] += 1.0  # db³[1] off by one
        return grads

    net, x, y = problem(["tanh", "tanh", "linear"])
    result = check_gradients(net, x, y, gradient_fn=bad_bias)
    w = result.worst
    assert (w.layer, w.kind, w.index) == (3, "bias", (1,))
    assert w.label() == "b3[1]"
    assert w.engine - w.numeric == pytest.approx(1.0, rel=1e-6)
    assert result.layers[2].biases.worst == w
    assert result.layers[2].weights.max_rel_diff < TOLERANCE
    assert (result.layers[2].biases.checked, result.layers[2].biases.total) == (3, 3)


def test_big_network_checks_a_spread_subset() -> None:
    layers = [LayerSpec(120, "tanh"), LayerSpec(100, "relu"), LayerSpec(3, "linear")]
    net = Network.initialise(2, layers, np.random.RandomState(0))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(300, 2)), rng.normal(size=(300, 3))
    result = check_gradients(net, x, y, max_params=300)
    assert result.total == net.parameter_count() == 3 * 120 + 121 * 100 + 101 * 3
    assert result.checked <= 300 + 6 * MIN_PER_BLOCK
    for lc in result.layers:
        for block in (lc.weights, lc.biases):
            assert block.checked >= min(block.total, MIN_PER_BLOCK)
    assert result.passed, (result.max_rel_diff, result.worst)


def test_parameter_subset_is_seeded_and_spread() -> None:
    net = Network.initialise(2, [LayerSpec(50, "relu"), LayerSpec(3, "linear")],
                             np.random.RandomState(0))  # fmt: skip
    a = choose_parameters(net, 60, np.random.default_rng(5))
    b = choose_parameters(net, 60, np.random.default_rng(5))
    for (wa, ba), (wb, bb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    (w1, b1), (w2, b2) = a
    # layer 1: weights at flat 0 … 99 of its (3, 50) params, biases at 100 … 149
    assert w1.min() >= 0 and w1.max() < 100 and b1.min() >= 100 and b1.max() < 150
    assert len(np.unique(w1)) == len(w1) == 60 * 100 // 303
    assert len(w2) == 60 * 150 // 303 and w2.max() < 150  # W² is (50, 3): flat 0 … 149
    np.testing.assert_array_equal(b2, [150, 151, 152])  # fewer than MIN_PER_BLOCK: all
    everything = choose_parameters(net, 10_000, np.random.default_rng(0))
    assert sum(len(w) + len(b) for w, b in everything) == net.parameter_count()


def test_relative_difference_by_hand() -> None:
    g = np.array([1.0, 0.0, -2.0, 1e-9, np.nan])
    f = np.array([1.1, 0.0, 2.0, 0.0, 1.0])
    rel = relative_difference(g, f, tiny=1e-6)
    np.testing.assert_allclose(rel[:4], [0.1 / 1.1, 0.0, 4.0 / 2.0, 1e-9 / 1e-6])
    assert rel[4] == np.inf


def test_numeric_derivative_of_a_known_quadratic() -> None:
    # One linear unit ŷ = w·x + b; L = ½ mean (w x + b − y)²:
    # ∂L/∂w = mean((w x + b − y) x), ∂L/∂b = mean(w x + b − y).
    w, b = 1.5, -0.5
    net = Network(1, [LayerSpec(1, "linear")], [np.array([[w], [b]])])
    x = np.array([[1.0], [2.0], [-1.0]])
    y = np.array([[0.0], [3.0], [1.0]])
    e = (w * x + b - y)[:, 0]  # (1, −0.5, −3)
    assert numeric_derivative(net, x, y, 0, 0) == pytest.approx(np.mean(e * x[:, 0]), rel=1e-9)
    assert numeric_derivative(net, x, y, 0, 1) == pytest.approx(np.mean(e), rel=1e-9)
    np.testing.assert_array_equal(net.params[0], [[w], [b]])  # restored exactly


def test_samples_at_a_relu_kink_are_avoided() -> None:
    # 1 → 1 relu (Z = x) → 1 linear: rows with x near 0 sit on the kink.
    params = [np.array([[1.0], [0.0]]), np.array([[2.0], [0.0]])]
    net = Network(1, [LayerSpec(1, "relu"), LayerSpec(1, "linear")], params)
    x = np.array([[0.0], [1e-3], [-2e-3], [0.5], [-0.8], [1.2], [2.0]])
    y = np.zeros((7, 1))
    xs, ys, margin = pick_samples(net, x, y, samples=4)
    np.testing.assert_array_equal(xs[:, 0], [0.5, -0.8, 1.2, 2.0])
    assert margin == 0.5 and len(ys) == 4
    result = check_gradients(net, x, y, samples=4)
    assert result.passed and result.note == "" and result.kink_margin >= KINK_MARGIN


def test_only_kink_samples_are_flagged() -> None:
    params = [np.array([[1.0], [0.0]]), np.array([[2.0], [0.0]])]
    net = Network(1, [LayerSpec(1, "relu"), LayerSpec(1, "linear")], params)
    result = check_gradients(net, np.zeros((3, 1)), np.ones((3, 1)))
    assert result.kink_margin == 0.0
    assert "kink" in result.note


def test_non_finite_weights_cannot_pass() -> None:
    net, x, y = problem(["relu", "relu", "linear"])
    net.params[1][0, 0] = np.nan
    result = check_gradients(net, x, y)  # warnings are errors here
    assert not result.passed
    assert result.worst is None and "NaN" in result.note


def test_the_network_is_left_alone() -> None:
    net, x, y = problem(["relu", "sigmoid", "linear"], dtype=np.float32)
    before = [p.copy() for p in net.params]
    check_gradients(net, x, y)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)
        assert p.dtype == np.float32


def test_affordable_settings_shrink_with_the_network() -> None:
    small = Network.initialise(2, [LayerSpec(32, "relu"), LayerSpec(3, "linear")],
                               np.random.RandomState(0))  # fmt: skip
    assert affordable(small) == {"samples": 32, "max_params": 400, "candidates": 2000}
    # 195 parameters: one row's forward pass costs 390 operations
    assert affordable(small, flops=1e6) == {
        "samples": 8,
        "max_params": int(1e6 / (4 * 8 * 390)),
        "candidates": int(0.1 * 1e6 / 390),
    }
    tiny_budget = choose_parameters(small, 5, np.random.default_rng(0))
    assert [(len(w), len(b)) for w, b in tiny_budget] == [(1, 1), (2, 1)]
