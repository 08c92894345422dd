"""Losses: the training objective, the article's reported loss and the regression metrics."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.losses import METRIC_NAMES, objective, regression_metrics, seed_loss


def test_objective_known_value() -> None:
    yhat = np.array([[1.0, 2.0], [3.0, 5.0]])
    y = np.array([[0.0, 2.0], [1.0, 1.0]])
    # errors: [1, 0], [2, 4] -> summed squares 1 and 20 -> 0.5 * mean = 0.5 * 10.5
    assert objective(yhat, y) == pytest.approx(5.25, rel=1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_objective_matches_definition_and_gradient(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = rng.integers(1, 50), rng.integers(1, 6)
    yhat, y = rng.normal(size=(n, k)), rng.normal(size=(n, k))
    assert objective(yhat, y) == pytest.approx(0.5 * np.mean(np.sum((yhat - y) ** 2, axis=1)))
    # its gradient with respect to yhat is (yhat - y) / n (central differences are exact for
    # a quadratic up to rounding)
    h = 1e-5
    i, j = rng.integers(n), rng.integers(k)
    up, down = yhat.copy(), yhat.copy()
    up[i, j] += h
    down[i, j] -= h
    numeric = (objective(up, y) - objective(down, y)) / (2 * h)
    assert numeric == pytest.approx((yhat[i, j] - y[i, j]) / n, rel=1e-6, abs=1e-9)


def test_objective_accepts_float32_and_returns_python_float() -> None:
    yhat = np.ones((3, 2), dtype=np.float32)
    value = objective(yhat, np.zeros((3, 2), dtype=np.float32))
    assert type(value) is float
    assert value == pytest.approx(1.0)


def test_seed_loss_known_value() -> None:
    yhat = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    y = np.array([[0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    # row 1: 0.5 * e² = [0.5, 2, 0] -> norm sqrt(4.25); row 2: [0, 2, 0] -> 2
    assert seed_loss(yhat, y) == pytest.approx((np.sqrt(4.25) + 2) / 2, rel=1e-15)


def test_seed_loss_single_output_is_half_mean_squared_error() -> None:
    rng = np.random.default_rng(0)
    yhat, y = rng.normal(size=(20, 1)), rng.normal(size=(20, 1))
    assert seed_loss(yhat, y) == pytest.approx(objective(yhat, y), rel=1e-14)


def test_perfect_fit_metrics() -> None:
    y = np.random.default_rng(1).normal(size=(30, 3)) * 10
    m = regression_metrics(y.copy(), y)
    np.testing.assert_array_equal(m.r2, 1.0)
    for name in ("mse", "rmse", "mae", "max_error"):
        np.testing.assert_array_equal(getattr(m, name), 0.0)
    assert objective(y, y) == 0.0
    assert seed_loss(y, y) == 0.0


def test_metrics_known_small_example() -> None:
    y = np.array([[1.0], [2.0], [3.0], [4.0]])
    yhat = np.array([[1.0], [3.0], [2.0], [6.0]])
    # errors 0, 1, -1, 2; mean(y) = 2.5, SS_tot = 5, SS_res = 6
    m = regression_metrics(yhat, y)
    np.testing.assert_allclose(m.mse, [1.5])
    np.testing.assert_allclose(m.rmse, [np.sqrt(1.5)])
    np.testing.assert_allclose(m.mae, [1.0])
    np.testing.assert_allclose(m.r2, [1 - 6 / 5])
    np.testing.assert_allclose(m.max_error, [2.0])


def test_metrics_are_per_column() -> None:
    y = np.array([[0.0, 10.0], [2.0, 20.0]])
    yhat = np.array([[1.0, 10.0], [2.0, 22.0]])
    m = regression_metrics(yhat, y)
    np.testing.assert_allclose(m.mse, [0.5, 2.0])
    np.testing.assert_allclose(m.mae, [0.5, 1.0])
    np.testing.assert_allclose(m.max_error, [1.0, 2.0])
    np.testing.assert_allclose(m.r2, [1 - 1 / 2, 1 - 4 / 50])
    d = m.to_dict()
    assert tuple(d) == METRIC_NAMES
    assert d["mse"] == [0.5, 2.0]
    assert all(type(v) is float for values in d.values() for v in values)


def test_constant_target_column() -> None:
    y = np.column_stack([np.full(5, 7.0), np.arange(5.0)])
    exact = regression_metrics(y.copy(), y)
    np.testing.assert_array_equal(exact.r2, [1.0, 1.0])
    off = y.copy()
    off[:, 0] += 0.5
    m = regression_metrics(off, y)
    assert m.r2[0] == 0.0
    assert m.r2[1] == 1.0
    np.testing.assert_allclose(m.mse, [0.25, 0.0])
    assert np.all(np.isfinite(m.r2))


def test_mean_prediction_has_r2_zero() -> None:
    y = np.random.default_rng(2).normal(size=(40, 2))
    m = regression_metrics(np.tile(y.mean(axis=0), (40, 1)), y)
    np.testing.assert_allclose(m.r2, 0.0, atol=1e-14)
