"""Activations: forward against reference formulas, in-place backward against finite
differences, numerical stability, and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.activations import ACTIVATIONS, LEAKY_SLOPE, apply, get_activation

REFERENCE = {
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "linear": lambda z: z,
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
}


def random_z(seed: int, shape: tuple[int, ...] = (13, 7)) -> np.ndarray:
    """Random pre-activations kept at least 0.05 away from the kink at 0."""
    rng = np.random.default_rng(seed)
    z = rng.uniform(0.05, 4, shape) * rng.choice([-1.0, 1.0], shape)
    return z


def test_registry_holds_the_five_activations() -> None:
    assert set(ACTIVATIONS) == set(REFERENCE)
    for name, act in ACTIVATIONS.items():
        assert act.name == name
        assert get_activation(name) is act
        assert act.formula


def test_unknown_activation_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="relu") as info:
        get_activation("softplus")
    assert "softplus" in str(info.value)


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("seed", range(3))
def test_forward_matches_reference_formula(name: str, seed: int) -> None:
    z = random_z(seed)
    expected = REFERENCE[name](z)
    out = np.empty_like(z)
    get_activation(name).forward(z, out)
    np.testing.assert_allclose(out, expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(apply(name, z), expected, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_forward_in_place_on_its_input(name: str) -> None:
    z = random_z(11)
    expected = REFERENCE[name](z)
    get_activation(name).forward(z, z)
    np.testing.assert_allclose(z, expected, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("seed", range(3))
def test_backward_matches_finite_differences(name: str, seed: int) -> None:
    act = get_activation(name)
    z = random_z(100 + seed)
    a = apply(name, z)
    upstream = np.random.default_rng(seed).normal(size=z.shape)
    h = 1e-6
    derivative = (apply(name, z + h) - apply(name, z - h)) / (2 * h)
    d = upstream.copy()
    result = act.backward(d, z, a)
    assert result is None  # works in place
    np.testing.assert_allclose(d, upstream * derivative, rtol=1e-7, atol=1e-9)


def test_relu_derivative_at_zero_is_zero_as_in_the_article() -> None:
    z = np.array([-1.0, 0.0, 1.0])
    d = np.ones(3)
    get_activation("relu").backward(d, z, apply("relu", z))
    np.testing.assert_array_equal(d, [0.0, 0.0, 1.0])


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_float32_stays_float32(name: str) -> None:
    z = random_z(5).astype(np.float32)
    a = apply(name, z)
    assert a.dtype == np.float32
    d = np.ones_like(z)
    get_activation(name).backward(d, z, a)
    assert d.dtype == np.float32
    np.testing.assert_allclose(a, REFERENCE[name](z.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_sigmoid_is_stable_for_large_inputs() -> None:
    # pytest turns overflow RuntimeWarnings into errors, so this also checks for warnings
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    a = apply("sigmoid", z)
    assert np.all(np.isfinite(a))
    assert a[0] == 0.0
    assert a[-1] == 1.0
    assert a[2] == 0.5
    # 0.5 * (1 + tanh(z / 2)) is exact to about 1e-16 absolute (not relative) for z << 0
    np.testing.assert_allclose(a[[1, 3]], REFERENCE["sigmoid"](z[[1, 3]]), rtol=1e-15, atol=1e-16)
    d = np.ones_like(z)
    get_activation("sigmoid").backward(d, z, a)
    assert np.all(np.isfinite(d))
    np.testing.assert_allclose(d[[0, -1]], 0.0, atol=1e-300)
    for dtype in (np.float32, np.float64):
        assert np.all(np.isfinite(apply("sigmoid", z.astype(dtype))))


def test_tanh_is_stable_for_large_inputs() -> None:
    z = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(apply("tanh", z), [-1.0, 1.0])


def test_apply_returns_a_new_array() -> None:
    z = random_z(1)
    before = z.copy()
    out = apply("relu", z)
    assert out is not z
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_prime_and_the_training_backward_rule_agree(name):
    """One registry, one derivative: the Inside view's act′(z) is what training multiplies by."""
    z = np.linspace(-3, 3, 60).reshape(3, 20)  # an even count: no point on relu's kink at 0
    act = ACTIVATIONS[name]
    a = np.empty_like(z)
    act.forward(z, a)
    d = np.ones_like(z)
    act.backward(d, z, a)
    np.testing.assert_allclose(act.prime(z), d, rtol=1e-12, atol=1e-15)
    assert act.prime(z).dtype == np.float64 and act.prime_formula
