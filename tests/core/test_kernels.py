"""The trainer's kernels (core.kernels.Backprop) give what the readable passes give."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.activations import ACTIVATIONS
from nngui.core.kernels import Backprop, augment
from nngui.core.network import LayerSpec, Network


def random_case(activation: str, seed: int, dtype: type = np.float64):
    rng = np.random.RandomState(seed)
    layers = [LayerSpec(int(rng.randint(1, 9)), activation) for _ in range(rng.randint(1, 4))]
    layers.append(LayerSpec(int(rng.randint(1, 4)), "linear"))
    net = Network.initialise(int(rng.randint(1, 4)), layers, rng, "xavier", dtype)
    for p in net.params:
        p += rng.randn(*p.shape).astype(dtype) * 0.1  # biases away from zero, kinks unlikely
    xs = rng.randn(37, net.n_inputs).astype(dtype)
    ys = rng.randn(37, net.n_outputs).astype(dtype)
    return net, xs, ys


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("seed", range(4))
def test_backprop_equals_the_readable_backward_pass(activation, seed):
    net, xs, ys = random_case(activation, seed)
    loss, grads = net.gradients(xs, ys)
    bp = Backprop(net, 50)  # room for more rows than the batch, as in training
    fast_loss = bp.loss_and_gradients(len(xs), ys, inputs=augment(xs))
    assert fast_loss == pytest.approx(loss, rel=1e-12)
    for fast, readable in zip(bp.grads, grads, strict=True):
        np.testing.assert_allclose(fast, readable, rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_the_same_in_float32(activation):
    net, xs, ys = random_case(activation, 11, np.float32)
    loss, grads = net.gradients(xs, ys)
    bp = Backprop(net, len(xs))
    fast_loss = bp.loss_and_gradients(len(xs), ys, inputs=augment(xs))
    assert fast_loss == pytest.approx(loss, rel=1e-5)
    for fast, readable in zip(bp.grads, grads, strict=True):
        assert fast.dtype == readable.dtype == np.float32
        np.testing.assert_allclose(fast, readable, rtol=2e-4, atol=1e-6)


def test_the_readable_gradient_is_the_objectives_slope():
    """Central differences of the objective on a few weights: the readable pass is right."""
    net, xs, ys = random_case("tanh", 5)
    _, grads = net.gradients(xs, ys)
    for layer, (i, j) in [(0, (0, 0)), (-1, (-1, 0))]:
        p = net.params[layer]
        old, h = p[i, j], 1e-6
        p[i, j] = old + h
        up = net.gradients(xs, ys)[0]
        p[i, j] = old - h
        down = net.gradients(xs, ys)[0]
        p[i, j] = old
        assert grads[layer][i, j] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)
