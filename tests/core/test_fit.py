"""core.fit: predictions, residuals and metrics per split, checked against hand-written NumPy.

The networks here are 2 → 1 linear (no hidden layer) with weights chosen so that, in original
units, the prediction is exactly ŷ = 2a + b + 3 on the target a + b: the residual is a + 3.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nngui.core.data import DataSpec, make_dataset
from nngui.core.fit import (
    FIT_COLUMNS,
    SPLITS,
    fit_table,
    residual_histogram,
    sample_rows,
    split_fit,
    split_fits,
)
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network


def linear_model(ds, ca: float, cb: float, c0: float, dtype=np.float64) -> Model:
    """A 2 → 1 linear network predicting ca·a + cb·b + c0 in original units on ``ds``.

    With a = sa·xa + ma, b = sb·xb + mb (standardised xa, xb) and ŷ = sy·z + my:
    z = (ca·sa/sy)·xa + (cb·sb/sy)·xb + (ca·ma + cb·mb + c0 − my)/sy.
    """
    (ma, mb), (sa, sb) = ds.x_scaler.mean, ds.x_scaler.std
    my, sy = ds.y_scaler.mean[0], ds.y_scaler.std[0]
    params = np.array([[ca * sa / sy], [cb * sb / sy], [(ca * ma + cb * mb + c0 - my) / sy]])
    net = Network(2, [LayerSpec(1, "linear")], [params], dtype=dtype)
    return Model.from_dataset(net, ds)


def hand_metrics(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    e = pred - truth
    return {
        "mse": np.mean(e**2),
        "rmse": np.sqrt(np.mean(e**2)),
        "mae": np.mean(np.abs(e)),
        "r2": 1 - np.sum(e**2) / np.sum((truth - truth.mean()) ** 2),
        "max_error": np.max(np.abs(e)),
    }


@pytest.fixture
def sum_data():
    """a+b only, 200 samples: 105 train, 35 validation, 60 test rows."""
    return make_dataset(DataSpec(samples=200, targets=("a+b",), val_ratio=0.25))


def test_columns_are_the_csv_header():
    assert FIT_COLUMNS == ("split", "output", "mse", "rmse", "mae", "r2", "max_error")
    assert SPLITS == ("train", "val", "test")


def test_split_fit_predicts_in_original_units(sum_data):
    model = linear_model(sum_data, 2.0, 1.0, 3.0)
    fit = split_fit(model, sum_data, "test")
    a, b = sum_data.test.x[:, 0], sum_data.test.x[:, 1]
    assert fit.split == "test" and fit.output_names == ("a+b",) and len(fit) == 60
    np.testing.assert_allclose(fit.truth[:, 0], a + b, rtol=1e-12)
    np.testing.assert_allclose(fit.predicted[:, 0], 2 * a + b + 3, rtol=1e-10)
    np.testing.assert_allclose(fit.residuals[:, 0], a + 3, rtol=1e-9, atol=1e-9)


def test_fit_table_metrics_match_hand_formulas(sum_data):
    model = linear_model(sum_data, 2.0, 1.0, 3.0)
    rows = fit_table(model, sum_data)
    assert [(r["split"], r["output"]) for r in rows] == [
        ("train", "a+b"),
        ("val", "a+b"),
        ("test", "a+b"),
    ]
    for row, part in zip(rows, (sum_data.train, sum_data.val, sum_data.test), strict=True):
        assert tuple(row) == FIT_COLUMNS
        a, b = part.x[:, 0], part.x[:, 1]
        expected = hand_metrics(2 * a + b + 3, a + b)
        for key, value in expected.items():
            assert isinstance(row[key], float)
            assert row[key] == pytest.approx(value, rel=1e-9), key
        # the residual is a + 3 > 0, so the max error is max(a) + 3
        assert row["max_error"] == pytest.approx(a.max() + 3, rel=1e-9)


def test_without_validation_the_split_is_skipped():
    ds = make_dataset(DataSpec(samples=100, targets=("a+b",)))
    rows = fit_table(linear_model(ds, 1.0, 1.0, 0.0), ds)
    assert [r["split"] for r in rows] == ["train", "test"]
    assert split_fit(linear_model(ds, 1.0, 1.0, 0.0), ds, "val") is None
    assert [f.split for f in split_fits(linear_model(ds, 1.0, 1.0, 0.0), ds)] == ["train", "test"]


def test_perfect_network_has_r2_one_and_no_error(sum_data):
    rows = fit_table(linear_model(sum_data, 1.0, 1.0, 0.0), sum_data)
    for row in rows:
        assert row["r2"] == pytest.approx(1.0, abs=1e-12)
        for key in ("mse", "rmse", "mae", "max_error"):
            assert row[key] == pytest.approx(0.0, abs=1e-9)


def test_rows_are_split_major_over_several_outputs():
    ds = make_dataset(DataSpec(samples=100, targets=("a+b", "a-b", "a*b")))
    rng = np.random.RandomState(0)
    net = Network.initialise(2, [LayerSpec(4, "tanh"), LayerSpec(3, "linear")], rng)
    model = Model.from_dataset(net, ds)
    rows = fit_table(model, ds)
    assert [(r["split"], r["output"]) for r in rows] == [
        (s, o) for s in ("train", "test") for o in ("a+b", "a-b", "a*b")
    ]
    # independently: forward by hand, then the metrics of the test split's second output
    h = np.tanh(ds.test.xs @ net.weights[0] + net.biases[0])
    pred = (h @ net.weights[1] + net.biases[1]) * ds.y_scaler.std + ds.y_scaler.mean
    expected = hand_metrics(pred[:, 1], ds.test.y[:, 1])
    for key, value in expected.items():
        assert rows[4][key] == pytest.approx(value, rel=1e-9)


def test_float32_network(sum_data):
    model = linear_model(sum_data, 2.0, 1.0, 3.0, dtype=np.float32)
    fit = split_fit(model, sum_data, "train")
    a = sum_data.train.x[:, 0]
    assert fit.predicted.dtype == np.float64
    np.testing.assert_allclose(fit.residuals[:, 0], a + 3, rtol=1e-4, atol=1e-3)


def test_nan_weights_give_nan_metrics_without_warnings(sum_data):
    model = linear_model(sum_data, 2.0, 1.0, 3.0)
    model.network.params[0][0, 0] = np.nan
    rows = fit_table(model, sum_data)  # filterwarnings=error: any warning fails here
    for row in rows:
        for key in FIT_COLUMNS[2:]:
            assert np.isnan(row[key])
    assert np.isnan(split_fit(model, sum_data, "test").residuals).all()


def test_huge_weights_give_inf_metrics_without_warnings(sum_data):
    model = linear_model(sum_data, 2.0, 1.0, 3.0)
    model.network.params[0][:2] = 1e308
    rows = fit_table(model, sum_data)
    for row in rows:
        assert row["mse"] == np.inf and row["max_error"] == np.inf
        assert row["r2"] == -np.inf


def test_bad_split_or_shape_is_refused(sum_data):
    with pytest.raises(ValueError, match="unknown split"):
        split_fit(linear_model(sum_data, 1, 1, 0), sum_data, "validation")
    net = Network(2, [LayerSpec(3, "linear")])
    with pytest.raises(ValueError, match="3 outputs"):
        split_fit(Model.from_dataset(net, sum_data), sum_data, "test")


def test_sample_rows_is_small_spread_and_deterministic():
    np.testing.assert_array_equal(sample_rows(5, 10), np.arange(5))
    np.testing.assert_array_equal(sample_rows(10, 10), np.arange(10))
    np.testing.assert_array_equal(sample_rows(9, 3), [0, 4, 8])
    rows = sample_rows(7000, 2000)
    assert len(rows) == 2000 and rows[0] == 0 and rows[-1] == 6999
    assert np.all(np.diff(rows) >= 3)  # distinct and evenly spread (steps of 3 or 4)
    np.testing.assert_array_equal(rows, sample_rows(7000, 2000))


def test_residual_histogram_counts_finite_values():
    edges, counts = residual_histogram(np.array([0.0, 1.0, 1.0, 2.0, np.nan, np.inf]), bins=2)
    np.testing.assert_array_equal(edges, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(counts, [1, 3])  # the last bin includes its right edge
    r = np.random.RandomState(1).randn(500)
    edges, counts = residual_histogram(r, bins=40)
    assert len(edges) == 41 and counts.sum() == 500
    assert edges[0] == r.min() and edges[-1] == r.max()
    expected = [np.sum((r >= lo) & (r < hi)) for lo, hi in itertools.pairwise(edges)]
    expected[-1] += np.sum(r == edges[-1])
    np.testing.assert_array_equal(counts, expected)


def test_residual_histogram_edge_cases():
    edges, counts = residual_histogram(np.full(7, 2.5), bins=4)
    assert edges[0] < 2.5 < edges[-1] and counts.sum() == 7
    edges, counts = residual_histogram(np.full(3, 1e20), bins=4)
    assert counts.sum() == 3
    for bad in (np.array([np.nan, -np.inf]), np.empty(0), np.array([-1.7e308, 1.7e308])):
        edges, counts = residual_histogram(bad)
        assert len(edges) == 0 and len(counts) == 0
