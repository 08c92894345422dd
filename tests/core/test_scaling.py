"""Scaler: population statistics, transform / inverse round trip, constant columns."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.scaling import Scaler


@pytest.mark.parametrize("seed", range(5))
def test_transform_inverse_round_trip(seed: int) -> None:
    rng = np.random.default_rng(seed)
    cols = int(rng.integers(1, 6))
    v = rng.normal(rng.uniform(-100, 100, cols), rng.uniform(0.01, 50, cols), (200, cols))
    scaler = Scaler.fit(v)
    np.testing.assert_allclose(scaler.mean, v.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(scaler.std, v.std(axis=0, ddof=0), rtol=1e-13)
    s = scaler.transform(v)
    np.testing.assert_allclose(s.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(s.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(scaler.inverse(s), v, rtol=1e-12, atol=1e-12)
    # other data through the same scalers
    w = rng.normal(size=(7, cols)) * 10
    np.testing.assert_allclose(scaler.inverse(scaler.transform(w)), w, rtol=1e-12, atol=1e-12)


def test_transform_does_not_modify_its_input() -> None:
    v = np.arange(12.0).reshape(6, 2)
    before = v.copy()
    scaler = Scaler.fit(v)
    scaler.transform(v)
    scaler.inverse(v)
    np.testing.assert_array_equal(v, before)


def test_known_values() -> None:
    v = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0], [7.0, 20.0]])
    scaler = Scaler.fit(v)
    np.testing.assert_allclose(scaler.mean, [4.0, 20.0])
    np.testing.assert_allclose(scaler.std, [np.sqrt(5.0), np.sqrt(150.0)])
    np.testing.assert_allclose(scaler.transform(np.array([[4.0, 20.0]])), [[0.0, 0.0]])


def test_constant_column_gets_std_one() -> None:
    v = np.column_stack([np.full(10, 3.5), np.arange(10.0)])
    scaler = Scaler.fit(v)
    assert scaler.std[0] == 1.0
    assert scaler.mean[0] == 3.5
    s = scaler.transform(v)
    assert np.all(np.isfinite(s))
    np.testing.assert_array_equal(s[:, 0], 0.0)
    np.testing.assert_allclose(scaler.inverse(s), v, rtol=1e-13)


def test_inverse_returns_float64_for_float32_input() -> None:
    scaler = Scaler.fit(np.arange(20.0).reshape(10, 2))
    out = scaler.inverse(np.zeros((3, 2), dtype=np.float32))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, np.tile(scaler.mean, (3, 1)))
