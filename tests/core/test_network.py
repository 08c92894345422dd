"""Network and Backprop: gradients against finite differences for every activation and random
architectures, partial batches, the two input paths, initialisation, views and dtypes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nngui.core.activations import ACTIVATIONS
from nngui.core.kernels import Backprop, augment
from nngui.core.losses import objective
from nngui.core.network import (
    MAX_UNITS,
    LayerSpec,
    Network,
    count_parameters,
    seed_layers,
)

ACTIVATION_NAMES = sorted(ACTIVATIONS)


def numeric_gradients(net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6) -> list:
    """Central finite differences of the objective with respect to every parameter."""
    grads = []
    for p in net.params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = objective(net.forward(x), y)
            p[idx] = old - h
            down = objective(net.forward(x), y)
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads.append(g)
    return grads


KINKED = ("relu", "leaky_relu")


def min_abs_preactivation(net: Network, x: np.ndarray) -> float:
    """Smallest |Z| over the units of relu and leaky relu layers (their kinks lie at 0)."""
    cache = net.forward(x, keep=True)
    kinked = [z for (z, _), l in zip(cache, net.layers, strict=True) if l.activation in KINKED]
    return min((float(np.abs(z).min()) for z in kinked), default=np.inf)


def relative_error(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    va = np.concatenate([x.ravel() for x in a])
    vb = np.concatenate([x.ravel() for x in b])
    scale = max(np.linalg.norm(va), np.linalg.norm(vb), 1e-12)
    return float(np.linalg.norm(va - vb) / scale)


def analytic_gradients(net: Network, x: np.ndarray, y: np.ndarray) -> tuple[float, list]:
    bp = Backprop(net, len(x))
    loss = bp.loss_and_gradients(len(x), y, augment(x))
    return loss, [g.copy() for g in bp.grads]


def random_problem(seed: int, activations: list[str] | None = None):
    """A random network (depth 1-4, widths 1-7, random activations) and a random batch."""
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    n_in = int(rng.integers(1, 8))
    acts = activations or [str(rng.choice(ACTIVATION_NAMES)) for _ in range(depth)]
    layers = [LayerSpec(int(rng.integers(1, 8)), a) for a in acts]
    net = Network.initialise(n_in, layers, np.random.RandomState(seed))
    m = int(rng.integers(1, 20))
    x = rng.normal(size=(m, n_in))
    y = rng.normal(size=(m, layers[-1].units))
    return net, x, y


def check_gradients(net: Network, x: np.ndarray, y: np.ndarray) -> None:
    # Keep away from the kinks of relu and leaky relu: finite differences straddling Z = 0
    # are not the derivative. With h = 1e-6 a margin of 1e-4 is ample.
    assert min_abs_preactivation(net, x) > 1e-4, "seed puts a pre-activation on a kink"
    loss, grads = analytic_gradients(net, x, y)
    assert loss == pytest.approx(objective(net.forward(x), y), rel=1e-12)
    err = relative_error(grads, numeric_gradients(net, x, y))
    assert err < 1e-6, f"relative error {err:.2e} for {[l.activation for l in net.layers]}"


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("position", ["hidden", "output"])
def test_gradient_check_each_activation(activation: str, position: str) -> None:
    acts = [activation, "tanh", "linear"] if position == "hidden" else ["tanh", activation]
    net, x, y = random_problem(7, acts)
    check_gradients(net, x, y)


@pytest.mark.parametrize("seed", range(30))
def test_gradient_check_random_architectures(seed: int) -> None:
    net, x, y = random_problem(1000 + seed)
    check_gradients(net, x, y)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1))
def test_gradient_check_random_architectures_hypothesis(seed: int) -> None:
    net, x, y = random_problem(seed)
    assume(min_abs_preactivation(net, x) > 1e-4)  # skip draws that sit on a relu kink
    check_gradients(net, x, y)


@pytest.mark.parametrize("seed", range(3))
def test_gradient_check_deep_single_activation(seed: int) -> None:
    for activation in ACTIVATION_NAMES:
        net, x, y = random_problem(2000 + seed, [activation] * 4)
        check_gradients(net, x, y)


def test_gradient_check_seed_architecture() -> None:
    rng = np.random.default_rng(0)
    net = Network.initialise(2, seed_layers(3), np.random.RandomState(42))
    x, y = rng.normal(size=(25, 2)), rng.normal(size=(25, 3))
    check_gradients(net, x, y)


@pytest.mark.parametrize("seed", range(4))
def test_partial_batches_and_input_paths_agree(seed: int) -> None:
    net, _, _ = random_problem(3000 + seed)
    rng = np.random.default_rng(seed)
    capacity, m = 20, int(rng.integers(1, 20))
    x_big = rng.normal(size=(capacity, net.n_inputs))
    y_big = rng.normal(size=(capacity, net.n_outputs))
    x, y = x_big[:m], y_big[:m]
    exact_loss, exact = analytic_gradients(net, x, y)  # a Backprop sized for m
    bp = Backprop(net, capacity)
    # a full batch first leaves its numbers in the buffers: the partial one must ignore them
    bp.load_inputs(augment(x_big))
    bp.loss_and_gradients(capacity, y_big)
    bp.load_inputs(augment(x))
    loss_buffer = bp.loss_and_gradients(m, y)
    grads_buffer = [g.copy() for g in bp.grads]
    loss_inputs = bp.loss_and_gradients(m, y, augment(x))
    grads_inputs = [g.copy() for g in bp.grads]
    assert loss_buffer == pytest.approx(exact_loss, rel=1e-13)
    assert loss_inputs == pytest.approx(exact_loss, rel=1e-13)
    for a, b, c in zip(exact, grads_buffer, grads_inputs, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(c, a, rtol=1e-12, atol=1e-15)


def test_loss_and_gradients_leaves_parameters_and_inputs_alone() -> None:
    net, x, y = random_problem(5)
    before = net.get_params()
    xa, yc = augment(x), y.copy()
    xa_before = xa.copy()
    Backprop(net, len(x)).loss_and_gradients(len(x), yc, xa)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(xa, xa_before)
    np.testing.assert_array_equal(yc, y)


@pytest.mark.parametrize("seed", range(5))
def test_forward_equals_backprop_forward(seed: int) -> None:
    net, x, y = random_problem(4000 + seed)
    bp = Backprop(net, len(x))
    loss = bp.loss_and_gradients(len(x), y, augment(x))
    yhat = net.forward(x)
    assert loss == pytest.approx(objective(yhat, y), rel=1e-13)
    # Backprop's output buffer holds Ŷ after the pass
    np.testing.assert_allclose(bp.out[: len(x)], yhat, rtol=1e-13, atol=1e-15)


def test_forward_matches_manual_computation() -> None:
    net, x, _ = random_problem(9, ["tanh", "relu", "sigmoid"])
    a = x
    for W, b, name in zip(net.weights, net.biases, ["tanh", "relu", "sigmoid"], strict=True):
        z = a @ W + b
        a = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "sigmoid": None}[name]
        a = 1 / (1 + np.exp(-z)) if a is None else a(z)
    np.testing.assert_allclose(net.forward(x), a, rtol=1e-13)
    cache = net.forward(x, keep=True)
    assert len(cache) == 3
    np.testing.assert_allclose(cache[-1][1], a, rtol=1e-13)
    for (z, act), (_, fan_out) in zip(cache, net.shapes(), strict=True):
        assert z.shape == act.shape == (len(x), fan_out)


def test_parameter_count() -> None:
    net = Network(2, seed_layers(3))
    assert net.parameter_count() == 47
    assert count_parameters(2, seed_layers(3)) == 47
    assert sum(p.size for p in net.params) == 47
    layers = [LayerSpec(64), LayerSpec(64), LayerSpec(3, "linear")]
    assert count_parameters(2, layers) == 3 * 64 + 65 * 64 + 65 * 3
    assert net.sizes == [2, 4, 4, 3]
    assert net.shapes() == [(2, 4), (4, 4), (4, 3)]
    assert net.n_outputs == 3


@pytest.mark.parametrize(
    ("units", "activation"),
    [(0, "relu"), (-1, "relu"), (MAX_UNITS + 1, "relu"), (1.5, "relu"), ("4", "relu"),
     (None, "relu"), (4, "swish"), (4, "")],
)  # fmt: skip
def test_layer_spec_validation(units, activation) -> None:
    with pytest.raises(ValueError):
        LayerSpec(units, activation)


def test_softmax_is_for_an_output_layer_only() -> None:
    Network(2, [LayerSpec(3, "relu"), LayerSpec(3, "softmax")])
    with pytest.raises(ValueError, match="only an output layer"):
        Network(2, [LayerSpec(3, "softmax"), LayerSpec(3, "linear")])


def test_layer_spec_defaults_and_dict() -> None:
    assert LayerSpec(4).activation == "relu"
    assert LayerSpec(MAX_UNITS, "tanh").to_dict() == {"units": MAX_UNITS, "activation": "tanh"}
    assert LayerSpec(np.int64(3), "linear").to_dict() == {"units": 3, "activation": "linear"}
    assert seed_layers(5)[-1] == LayerSpec(5, "linear")


def test_network_validation() -> None:
    with pytest.raises(ValueError):
        Network(0, seed_layers())
    with pytest.raises(ValueError):
        Network(2, [])
    with pytest.raises(ValueError):
        Network(2, seed_layers(), params=[np.zeros((3, 4)), np.zeros((5, 4)), np.zeros((4, 3))])
    with pytest.raises(ValueError):
        Network(2, seed_layers(), params=[np.zeros((3, 4))])  # too few arrays
    with pytest.raises(ValueError):
        Network.initialise(2, seed_layers(), np.random.RandomState(0), scheme="lecun")


def test_weights_and_biases_are_views() -> None:
    net = Network.initialise(2, seed_layers(3), np.random.RandomState(0))
    for p, W, b in zip(net.params, net.weights, net.biases, strict=True):
        assert W.shape == (p.shape[0] - 1, p.shape[1])
        assert b.shape == (p.shape[1],)
        assert np.shares_memory(W, p)
        assert np.shares_memory(b, p)
    net.weights[1][0, 0] = 123.0
    net.biases[2][1] = -7.0
    assert net.params[1][0, 0] == 123.0
    assert net.params[2][-1, 1] == -7.0
    # and params are pieces of one vector
    assert all(np.shares_memory(p, net.param_vector) for p in net.params)
    assert net.param_vector.size == 47


def test_he_initialisation_draws_in_the_articles_order() -> None:
    layers = [LayerSpec(4), LayerSpec(5, "tanh"), LayerSpec(3, "linear")]
    net = Network.initialise(2, layers, np.random.RandomState(17))
    rng = np.random.RandomState(17)
    for (n_in, n_out), W, b in zip([(2, 4), (4, 5), (5, 3)], net.weights, net.biases, strict=True):
        w_ref = rng.randn(n_out, n_in) * np.sqrt(2 / n_in)
        b_ref = rng.randn(n_out, 1) * np.sqrt(2 / n_in)
        np.testing.assert_array_equal(W, w_ref.T)
        np.testing.assert_array_equal(b, b_ref[:, 0])
    # and leaves the stream right after its last draw, ready for the next user
    given = np.random.RandomState(17)
    Network.initialise(2, layers, given)
    assert given.randn() == rng.randn()


def test_xavier_initialisation_statistics() -> None:
    fan_in, fan_out = 300, 200
    net = Network.initialise(
        fan_in, [LayerSpec(fan_out, "tanh")], np.random.RandomState(3), "xavier"
    )
    W, b = net.weights[0], net.biases[0]
    expected_std = np.sqrt(2 / (fan_in + fan_out))
    assert abs(W.mean()) < 3 * expected_std / np.sqrt(W.size)
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    np.testing.assert_array_equal(b, 0.0)


def test_he_initialisation_statistics() -> None:
    net = Network.initialise(400, [LayerSpec(300)], np.random.RandomState(4))
    assert net.weights[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert net.biases[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.2)


def test_float32_network_produces_float32() -> None:
    net64, x, y = random_problem(21, ["tanh", "relu", "linear"])
    net = net64.astype(np.float32)
    assert net.dtype == np.float32
    assert all(p.dtype == np.float32 for p in net.params)
    out = net.forward(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, net64.forward(x), rtol=1e-4, atol=1e-5)
    bp = Backprop(net, len(x))
    loss = bp.loss_and_gradients(len(x), y.astype(np.float32), augment(x, np.float32))
    assert all(g.dtype == np.float32 for g in bp.grads)
    _, grads64 = analytic_gradients(net64, x, y)
    assert relative_error([g.astype(np.float64) for g in bp.grads], grads64) < 1e-4
    assert loss == pytest.approx(objective(net64.forward(x), y), rel=1e-4)
    init32 = Network.initialise(2, seed_layers(), np.random.RandomState(0), dtype=np.float32)
    assert init32.param_vector.dtype == np.float32


def test_copy_get_set_params_are_independent() -> None:
    net = Network.initialise(2, seed_layers(3), np.random.RandomState(1))
    twin = net.copy()
    saved = net.get_params()
    net.params[0][0, 0] += 1.0
    assert twin.params[0][0, 0] != net.params[0][0, 0]
    assert saved[0][0, 0] != net.params[0][0, 0]
    net.set_params(saved)
    for p, q in zip(net.params, twin.params, strict=True):
        np.testing.assert_array_equal(p, q)
    assert net.is_finite()
    net.params[1][0, 0] = np.nan
    assert not net.is_finite()


def test_given_params_are_copied_in() -> None:
    params = [np.ones((3, 4)), np.ones((5, 4)), np.ones((5, 3))]
    net = Network(2, seed_layers(3), params)
    params[0][0, 0] = 9.0
    assert net.params[0][0, 0] == 1.0
