"""trace_sample: one sample's forward and backward pass against numbers worked out by hand, and
against the engine's Backprop for every activation."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.activations import ACTIVATIONS, apply
from nngui.core.inside import derivative, derivative_formula, trace_sample
from nngui.core.kernels import Backprop, augment
from nngui.core.network import LayerSpec, Network

ACTIVATION_NAMES = sorted(ACTIVATIONS)


def known_net(dtype: type = np.float64) -> Network:
    """2 → 2 relu → 1 linear with hand-picked weights (rows: inputs, columns: units)."""
    w1 = np.array([[1.0, -1.0], [2.0, 0.5]])
    b1 = np.array([0.5, -1.0])
    w2 = np.array([[1.5], [-2.0]])
    b2 = np.array([0.25])
    params = [np.vstack([w1, b1]), np.vstack([w2, b2])]
    return Network(2, [LayerSpec(2, "relu"), LayerSpec(1, "linear")], params, dtype)


def test_known_net_forward_by_hand() -> None:
    # x = (1, 2):  Z¹ = (1·1 + 2·2 + 0.5, 1·(−1) + 2·0.5 − 1) = (5.5, −1);  A¹ = (5.5, 0)
    # Z² = 5.5·1.5 + 0·(−2) + 0.25 = 8.5 = Ŷ;  L = ½ (8.5 − 1)² = 28.125
    t = trace_sample(known_net(), np.array([1.0, 2.0]), np.array([1.0]))
    first, second = t.layers
    np.testing.assert_array_equal(first.a_prev, [[1.0, 2.0]])
    np.testing.assert_array_equal(first.z, [[5.5, -1.0]])
    np.testing.assert_array_equal(first.a, [[5.5, 0.0]])
    np.testing.assert_array_equal(second.a_prev, [[5.5, 0.0]])
    np.testing.assert_array_equal(second.z, [[8.5]])
    np.testing.assert_array_equal(second.a, [[8.5]])
    np.testing.assert_array_equal(t.yhat, [8.5])
    assert t.loss == 28.125
    assert (first.number, first.activation, second.number) == (1, "relu", 2)


def test_known_net_backward_by_hand() -> None:
    # dZ² = Ŷ − Y = 7.5;  dW² = A¹ᵀ·dZ² = (5.5·7.5, 0·7.5)ᵀ = (41.25, 0)ᵀ;  db² = 7.5
    # dA¹ = dZ²·W²ᵀ = (7.5·1.5, 7.5·(−2)) = (11.25, −15)
    # dZ¹ = dA¹ ⊙ relu′(Z¹) = (11.25·1, −15·0) = (11.25, 0)      (Z¹ = (5.5, −1))
    # dW¹ = xᵀ·dZ¹ = [[1·11.25, 0], [2·11.25, 0]];  db¹ = (11.25, 0)
    # dA⁰ = dZ¹·W¹ᵀ = (11.25·1 + 0·(−1), 11.25·2 + 0·0.5) = (11.25, 22.5)
    first, second = trace_sample(known_net(), np.array([1.0, 2.0]), np.array([1.0])).layers
    np.testing.assert_array_equal(second.da, [[7.5]])
    np.testing.assert_array_equal(second.dz, [[7.5]])
    np.testing.assert_array_equal(second.dw, [[41.25], [0.0]])
    np.testing.assert_array_equal(second.db, [7.5])
    np.testing.assert_array_equal(second.da_prev, [[11.25, -15.0]])
    np.testing.assert_array_equal(first.da, [[11.25, -15.0]])
    np.testing.assert_array_equal(first.d_act, [[1.0, 0.0]])
    np.testing.assert_array_equal(first.dz, [[11.25, 0.0]])
    np.testing.assert_array_equal(first.dw, [[11.25, 0.0], [22.5, 0.0]])
    np.testing.assert_array_equal(first.db, [11.25, 0.0])
    np.testing.assert_array_equal(first.da_prev, [[11.25, 22.5]])


def test_known_net_shapes() -> None:
    first, second = trace_sample(known_net(), np.array([1.0, 2.0]), np.array([1.0])).layers
    assert first.shapes() == {
        "a_prev": (1, 2), "w": (2, 2), "b": (2,), "z": (1, 2), "a": (1, 2), "da": (1, 2),
        "d_act": (1, 2), "dz": (1, 2), "dw": (2, 2), "db": (2,), "da_prev": (1, 2),
    }  # fmt: skip
    assert second.shapes()["dw"] == (2, 1)
    assert second.shapes()["da_prev"] == (1, 2)


def test_tanh_sigmoid_net_by_hand() -> None:
    # 1 → 1 tanh → 1 sigmoid, w1 = 0.5, b1 = 0.1, w2 = −2, b2 = 0.3, x = 0.8, y = 0.2
    params = [np.array([[0.5], [0.1]]), np.array([[-2.0], [0.3]])]
    net = Network(1, [LayerSpec(1, "tanh"), LayerSpec(1, "sigmoid")], params)
    t = trace_sample(net, np.array([0.8]), np.array([0.2]))
    z1 = 0.8 * 0.5 + 0.1
    a1 = np.tanh(z1)
    z2 = a1 * -2.0 + 0.3
    a2 = 1 / (1 + np.exp(-z2))
    dz2 = (a2 - 0.2) * a2 * (1 - a2)
    dz1 = dz2 * -2.0 * (1 - a1**2)
    first, second = t.layers
    np.testing.assert_allclose(second.a, [[a2]], rtol=1e-14)
    np.testing.assert_allclose(t.loss, 0.5 * (a2 - 0.2) ** 2, rtol=1e-14)
    np.testing.assert_allclose(second.dz, [[dz2]], rtol=1e-14)
    np.testing.assert_allclose(second.dw, [[a1 * dz2]], rtol=1e-14)
    np.testing.assert_allclose(first.dz, [[dz1]], rtol=1e-14)
    np.testing.assert_allclose(first.dw, [[0.8 * dz1]], rtol=1e-14)
    np.testing.assert_allclose(first.db, [dz1], rtol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_trace_matches_engine_for_one_sample(activation: str) -> None:
    """The readable pass and Backprop (m = 1) give the same gradients and loss."""
    rng = np.random.default_rng(3)
    layers = [LayerSpec(5, activation), LayerSpec(3, "tanh"), LayerSpec(2, activation)]
    net = Network.initialise(3, layers, np.random.RandomState(3))
    for _ in range(5):
        x, y = rng.normal(size=3), rng.normal(size=2)
        t = trace_sample(net, x, y)
        bp = Backprop(net, 1)
        loss = bp.loss_and_gradients(1, y[None], augment(x[None]))
        assert t.loss == pytest.approx(loss, rel=1e-12)
        for lt, g in zip(t.layers, bp.grads, strict=True):
            np.testing.assert_allclose(lt.dw, g[:-1], rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(lt.db, g[-1], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(t.yhat, net.forward(x[None])[0], rtol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_derivative_matches_finite_differences(activation: str) -> None:
    z = np.array([-2.0, -0.7, -0.1, 0.2, 1.3, 3.0])  # away from the kink at 0
    h = 1e-6
    numeric = (apply(activation, z + h) - apply(activation, z - h)) / (2 * h)
    np.testing.assert_allclose(derivative(activation, z), numeric, rtol=1e-6, atol=1e-9)
    assert derivative_formula(activation)


def test_relu_derivative_is_zero_at_the_kink() -> None:
    # The article's rule, and the engine's: relu′ = 1 only where the unit is active.
    np.testing.assert_array_equal(derivative("relu", np.array([0.0, 1.0])), [0.0, 1.0])


def test_float32_network_is_traced_in_float64() -> None:
    t64 = trace_sample(known_net(), np.array([1.0, 2.0]), np.array([1.0]))
    t32 = trace_sample(known_net(np.float32), np.array([1.0, 2.0]), np.array([1.0]))
    assert t32.layers[0].dw.dtype == np.float64
    np.testing.assert_array_equal(t32.layers[0].dw, t64.layers[0].dw)


def test_non_finite_weights_give_nan_without_warnings() -> None:
    net = known_net()
    net.params[0][0, 0] = np.nan
    net.params[1][0, 0] = np.inf
    t = trace_sample(net, np.array([1.0, 2.0]), np.array([1.0]))  # warnings are errors here
    assert np.isnan(t.layers[0].z[0, 0])
    assert not np.isfinite(t.loss)


def test_wrong_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="expected 2 inputs and 1 targets"):
        trace_sample(known_net(), np.array([1.0, 2.0, 3.0]), np.array([1.0]))
