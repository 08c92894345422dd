"""Optimisers: each step equals its textbook formula, for separate arrays and for the
contiguous parameter / gradient vectors of a network."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.kernels import Backprop, augment
from nngui.core.network import LayerSpec, Network
from nngui.core.optimizers import (
    OPTIMIZER_NAMES,
    Adam,
    GradientDescent,
    Momentum,
    contiguous_span,
    make_optimizer,
)

SHAPES = [(3, 4), (5, 2), (3, 1)]


def separate_arrays(seed: int) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Parameters (separate arrays) and gradients for five steps."""
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in SHAPES]
    grads = [[rng.normal(size=s) for s in SHAPES] for _ in range(5)]
    return params, grads


def contiguous_arrays(seed: int) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """The same, but laid end to end in one vector (as Network.params are)."""
    params, grads = separate_arrays(seed)

    def pack(arrays: list[np.ndarray]) -> list[np.ndarray]:
        vector = np.concatenate([a.ravel() for a in arrays])
        views, start = [], 0
        for a in arrays:
            views.append(vector[start : start + a.size].reshape(a.shape))
            start += a.size
        return views

    return pack(params), [pack(g) for g in grads]


LAYOUTS = [separate_arrays, contiguous_arrays]


def expected_gd(params, grads, lr):
    p = [x.copy() for x in params]
    for g in grads:
        p = [pi - lr * gi for pi, gi in zip(p, g, strict=True)]
    return p


def expected_momentum(params, grads, lr, mu):
    p = [x.copy() for x in params]
    v = [np.zeros_like(x) for x in params]
    for g in grads:
        v = [mu * vi + gi for vi, gi in zip(v, g, strict=True)]
        p = [pi - lr * vi for pi, vi in zip(p, v, strict=True)]
    return p


def expected_adam(params, grads, lr, b1, b2, eps):
    p = [x.copy() for x in params]
    m = [np.zeros_like(x) for x in params]
    v = [np.zeros_like(x) for x in params]
    for t, g in enumerate(grads, start=1):
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g, strict=True)]
        v = [b2 * vi + (1 - b2) * gi**2 for vi, gi in zip(v, g, strict=True)]
        m_hat = [mi / (1 - b1**t) for mi in m]
        v_hat = [vi / (1 - b2**t) for vi in v]
        p = [pi - lr * mh / (np.sqrt(vh) + eps) for pi, mh, vh in zip(p, m_hat, v_hat, strict=True)]
    return p


def run(opt, params, grads):
    for g in grads:
        opt.step(params, [x.copy() for x in g])  # step may overwrite the gradients


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["gd", "sgd"])
def test_gradient_descent_step(layout, name) -> None:
    params, grads = layout(0)
    expected = expected_gd(params, grads, 0.03)
    opt = make_optimizer(name, params, 0.03)
    assert isinstance(opt, GradientDescent)
    assert opt.name == name
    run(opt, params, grads)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
def test_momentum_step(layout, mu) -> None:
    params, grads = layout(1)
    expected = expected_momentum(params, grads, 0.02, mu)
    opt = make_optimizer("momentum", params, 0.02, momentum=mu)
    assert isinstance(opt, Momentum)
    run(opt, params, grads)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("b1", "b2", "eps"), [(0.9, 0.999, 1e-8), (0.5, 0.9, 1e-3)])
def test_adam_step(layout, b1, b2, eps) -> None:
    params, grads = layout(2)
    expected = expected_adam(params, grads, 0.01, b1, b2, eps)
    opt = make_optimizer("adam", params, 0.01, beta1=b1, beta2=b2, eps=eps)
    assert isinstance(opt, Adam)
    run(opt, params, grads)
    assert opt.t == len(grads)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-12, atol=1e-14)


def test_adam_first_step_is_lr_times_sign_of_gradient() -> None:
    rng = np.random.default_rng(3)
    params = [rng.normal(size=(4, 3)), rng.normal(size=5)]
    grads = [rng.normal(size=(4, 3)) * 10 ** rng.uniform(-3, 3), rng.normal(size=5)]
    before = [p.copy() for p in params]
    signs = [np.sign(g) for g in grads]
    Adam(params, lr=0.001).step(params, grads)
    for p, b, s in zip(params, before, signs, strict=True):
        np.testing.assert_allclose(b - p, 0.001 * s, rtol=1e-4)


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_learning_rate_change_takes_effect(name) -> None:
    params, grads = separate_arrays(4)
    same_params = [p.copy() for p in params]
    changed = make_optimizer(name, params, 0.01)
    constant = make_optimizer(name, same_params, 0.01)
    changed.step(params, [g.copy() for g in grads[0]])
    constant.step(same_params, [g.copy() for g in grads[0]])
    for p, q in zip(params, same_params, strict=True):
        np.testing.assert_array_equal(p, q)
    after_first = [p.copy() for p in params]
    changed.lr = 0.1
    changed.step(params, [g.copy() for g in grads[1]])
    constant.step(same_params, [g.copy() for g in grads[1]])
    # for all three rules the second step is proportional to lr (same state, same gradient)
    for p, q, a in zip(params, same_params, after_first, strict=True):
        np.testing.assert_allclose(p - a, 10 * (q - a), rtol=1e-10, atol=1e-15)
        assert np.abs(p - a).max() > 0


def test_gd_step_scales_with_lr_after_change() -> None:
    params, grads = separate_arrays(5)
    start = [p.copy() for p in params]
    opt = GradientDescent(params, 0.01)
    opt.lr = 0.5
    opt.step(params, [g.copy() for g in grads[0]])
    for p, s, g in zip(params, start, grads[0], strict=True):
        np.testing.assert_allclose(p, s - 0.5 * g, rtol=1e-14)


def test_unknown_optimizer_raises() -> None:
    with pytest.raises(ValueError, match="rmsprop"):
        make_optimizer("rmsprop", [np.zeros(3)], 0.1)
    assert set(OPTIMIZER_NAMES) == {"gd", "sgd", "momentum", "adam"}


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_network_vectors_and_separate_arrays_agree(name) -> None:
    """The whole-vector fast path gives the numbers of the layer-by-layer path."""
    rng = np.random.default_rng(6)
    layers = [LayerSpec(5, "tanh"), LayerSpec(3, "relu"), LayerSpec(2, "linear")]
    net = Network.initialise(3, layers, np.random.RandomState(0))
    separate = [p.copy() for p in net.params]
    assert contiguous_span(net.params) is not None
    bp = Backprop(net, 16)
    opt_net = make_optimizer(name, net.params, 0.05)
    opt_sep = make_optimizer(name, separate, 0.05)
    for _ in range(4):
        x = augment(rng.normal(size=(16, 3)))
        y = rng.normal(size=(16, 2))
        bp.loss_and_gradients(16, y, x)
        grads = [g.copy() for g in bp.grads]
        opt_net.step(net.params, bp.grads)
        opt_sep.step(separate, grads)
    for p, q in zip(net.params, separate, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-14, atol=1e-16)


def test_contiguous_span() -> None:
    vector = np.arange(20.0)
    parts = [vector[0:6].reshape(2, 3), vector[6:10].reshape(4, 1), vector[10:13]]
    span = contiguous_span(parts)
    assert span is not None
    assert np.shares_memory(span, vector)
    np.testing.assert_array_equal(span, np.arange(13.0))
    assert contiguous_span([vector[0:6], vector[7:10]]) is None  # a gap
    assert contiguous_span([vector[6:10], vector[0:6]]) is None  # out of order
    assert contiguous_span([np.zeros(3), np.zeros(3)]) is None  # separate arrays
    assert contiguous_span([]) is None
