"""Data generation: DataSpec defaults and validation, splits, targets, noise, ranges, scalers."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nngui.core.data import (
    MAX_SAMPLES,
    SEED_TARGETS,
    TARGETS,
    DataSpec,
    DataSpecError,
    make_dataset,
    true_outputs,
)


def test_defaults_are_the_seed_articles() -> None:
    spec = DataSpec()
    assert spec.samples == 10_000
    assert spec.ranges == ((0.0, 100.0), (0.0, 100.0))
    assert spec.targets == ("a+b", "a-b", "|a-b|") == SEED_TARGETS
    assert spec.noise == 0.0
    assert spec.train_ratio == 0.7
    assert spec.val_ratio == 0.0
    assert spec.seed == 42


@pytest.mark.parametrize(
    "kwargs",
    [
        {"samples": 9},
        {"samples": 0},
        {"samples": -5},
        {"samples": MAX_SAMPLES + 1},
        {"samples": 100.0},
        {"samples": 100.5},
        {"samples": "100"},
        {"samples": None},
        {"ranges": ((0.0, 1.0),)},
        {"ranges": ((0.0, 1.0), (0.0, 1.0), (0.0, 1.0))},
        {"ranges": ((1.0, 1.0), (0.0, 1.0))},
        {"ranges": ((0.0, 1.0), (2.0, 1.0))},
        {"ranges": ((-math.inf, 1.0), (0.0, 1.0))},
        {"ranges": ((0.0, math.inf), (0.0, 1.0))},
        {"ranges": ((0.0, 1.0), (math.nan, 1.0))},
        {"targets": ()},
        {"targets": ("a+b", "a/b")},
        {"targets": ("a+b", "a+b")},
        {"noise": -0.1},
        {"noise": math.nan},
        {"noise": math.inf},
        {"train_ratio": 0.04},
        {"train_ratio": 0.96},
        {"train_ratio": math.nan},
        {"val_ratio": -0.01},
        {"val_ratio": 0.51},
        {"val_ratio": math.nan},
        {"seed": -1},
        {"seed": 2**32},
        {"seed": 1.5},
        {"seed": "42"},
        # malformed values are refused with the same error type
        {"ranges": ((0.0, 1.0, 2.0), (0.0, 1.0))},
        {"ranges": ((0.0, "x"), (0.0, 1.0))},
        {"ranges": (5, 6)},
        {"ranges": None},
        {"targets": None},
        {"targets": 5},
        {"targets": "a+b"},
        {"noise": None},
        {"noise": "1"},
        {"train_ratio": "0.7"},
        {"val_ratio": None},
        # every part of the split needs at least one sample
        {"samples": 10, "train_ratio": 0.05},
        {"samples": 10, "val_ratio": 0.05},
    ],
)
def test_bad_settings_raise_dataspec_error(kwargs: dict) -> None:
    with pytest.raises(DataSpecError):
        DataSpec(**kwargs)


def test_error_messages_name_the_setting() -> None:
    with pytest.raises(DataSpecError, match="samples"):
        DataSpec(samples=3)
    with pytest.raises(DataSpecError, match="range of b"):
        DataSpec(ranges=((0, 1), (5, 5)))
    with pytest.raises(DataSpecError, match="unknown target 'nope'"):
        DataSpec(targets=("a+b", "nope"))
    with pytest.raises(DataSpecError, match="noise"):
        DataSpec(noise=-1)
    with pytest.raises(DataSpecError, match="seed"):
        DataSpec(seed=-1)


def test_validate_rechecks_a_spec() -> None:
    spec = DataSpec()
    spec.validate()  # a valid spec passes
    object.__setattr__(spec, "noise", -1.0)
    with pytest.raises(DataSpecError):
        spec.validate()


def test_edge_values_are_accepted() -> None:
    DataSpec(samples=10, train_ratio=0.5)
    DataSpec(samples=MAX_SAMPLES)  # only validated, not drawn
    DataSpec(train_ratio=0.05)
    DataSpec(train_ratio=0.95)
    DataSpec(val_ratio=0.5)
    DataSpec(seed=0)
    DataSpec(seed=2**32 - 1)
    DataSpec(seed=np.int64(7), samples=np.int32(100))
    DataSpec(ranges=((-1e6, -1e6 + 1e-3), (0, 1)))


def test_default_split_sizes_are_7000_0_3000() -> None:
    spec = DataSpec()
    assert spec.split_sizes() == (7000, 0, 3000)
    ds = make_dataset(spec)
    assert (len(ds.train), ds.val, len(ds.test)) == (7000, None, 3000)
    assert ds.train.x.shape == ds.train.xs.shape == (7000, 2)
    assert ds.train.y.shape == ds.train.ys.shape == (7000, 3)
    assert ds.test.x.shape == (3000, 2)
    assert ds.n_inputs == 2
    assert ds.n_outputs == 3
    assert ds.input_names == ("a", "b")
    assert ds.output_names == SEED_TARGETS


def test_validation_split_is_the_end_of_the_training_part() -> None:
    plain = make_dataset(DataSpec())
    spec = DataSpec(val_ratio=0.15)
    assert spec.split_sizes() == (5950, 1050, 3000)
    ds = make_dataset(spec)
    assert ds.val is not None
    assert (len(ds.train), len(ds.val), len(ds.test)) == (5950, 1050, 3000)
    # same draws; train, val and test are consecutive pieces of them, in that order
    np.testing.assert_array_equal(ds.train.x, plain.train.x[:5950])
    np.testing.assert_array_equal(ds.val.x, plain.train.x[5950:])
    np.testing.assert_array_equal(ds.val.y, plain.train.y[5950:])
    np.testing.assert_array_equal(ds.test.x, plain.test.x)
    np.testing.assert_array_equal(ds.test.y, plain.test.y)


@pytest.mark.parametrize(
    ("samples", "train_ratio", "val_ratio"),
    [(10, 0.7, 0.0), (11, 0.5, 0.2), (1000, 0.8, 0.25), (12345, 0.33, 0.5), (99, 0.95, 0.1)],
)
def test_split_sizes_add_up(samples: int, train_ratio: float, val_ratio: float) -> None:
    spec = DataSpec(samples=samples, train_ratio=train_ratio, val_ratio=val_ratio)
    n_train, n_val, n_test = spec.split_sizes()
    assert n_train + n_val + n_test == samples
    assert n_train + n_val == int(train_ratio * samples)
    assert n_val == round(val_ratio * (n_train + n_val))
    ds = make_dataset(spec)
    assert len(ds.train) == n_train
    assert len(ds.test) == n_test
    assert (0 if ds.val is None else len(ds.val)) == n_val


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_formula(name: str) -> None:
    ds = make_dataset(DataSpec(samples=500, targets=(name,), seed=3))
    a, b = ds.train.x[:, 0], ds.train.x[:, 1]
    expected = {
        "a+b": a + b,
        "a-b": a - b,
        "|a-b|": np.abs(a - b),
        "a*b": a * b,
        "max(a,b)": np.maximum(a, b),
        "min(a,b)": np.minimum(a, b),
    }[name]
    assert ds.train.y.shape == (len(a), 1)
    np.testing.assert_allclose(ds.train.y[:, 0], expected, rtol=1e-15)
    assert ds.output_names == (name,)
    np.testing.assert_allclose(true_outputs(ds.test.x, (name,)), ds.test.y, rtol=1e-15)


def test_targets_keep_their_order() -> None:
    targets = ("min(a,b)", "a*b", "a+b")
    ds = make_dataset(DataSpec(samples=100, targets=targets))
    assert ds.output_names == targets
    np.testing.assert_allclose(ds.train.y, true_outputs(ds.train.x, targets), rtol=1e-15)


def test_noise_is_gaussian_with_the_given_std_and_leaves_inputs_alone() -> None:
    clean = make_dataset(DataSpec(samples=20_000))
    noisy = make_dataset(DataSpec(samples=20_000, noise=2.5))
    np.testing.assert_array_equal(noisy.train.x, clean.train.x)  # noise is drawn after inputs
    residual = np.vstack([noisy.train.y, noisy.test.y]) - np.vstack([clean.train.y, clean.test.y])
    assert abs(residual.mean()) < 0.05
    np.testing.assert_allclose(residual.std(axis=0), 2.5, rtol=0.03)
    # the noise differs between output columns
    assert not np.allclose(residual[:, 0], residual[:, 1])


def test_no_noise_means_exact_targets() -> None:
    ds = make_dataset(DataSpec(samples=300, noise=0.0))
    np.testing.assert_array_equal(ds.train.y, true_outputs(ds.train.x, ds.spec.targets))


@settings(deadline=None, max_examples=30)
@given(
    lo_a=st.floats(-1e6, 1e6),
    width_a=st.floats(1e-3, 1e6),
    lo_b=st.floats(-1e6, 1e6),
    width_b=st.floats(1e-3, 1e6),
    seed=st.integers(0, 2**32 - 1),
)
def test_custom_ranges_are_respected(
    lo_a: float, width_a: float, lo_b: float, width_b: float, seed: int
) -> None:
    ranges = ((lo_a, lo_a + width_a), (lo_b, lo_b + width_b))
    spec = DataSpec(samples=200, ranges=ranges, seed=seed)
    ds = make_dataset(spec)
    x = np.vstack([ds.train.x, ds.test.x])
    for col, (lo, hi) in enumerate(spec.ranges):
        assert np.all(x[:, col] >= lo)
        assert np.all(x[:, col] < hi) or hi - lo < 1e-9 * abs(hi)  # rounding at the top
        # uniform draws spread across the range
        assert x[:, col].max() - x[:, col].min() > 0.8 * (hi - lo)


def test_custom_range_is_an_affine_map_of_the_default_draws() -> None:
    default = make_dataset(DataSpec(samples=100))
    custom = make_dataset(DataSpec(samples=100, ranges=((-3.0, 5.0), (10.0, 11.0))))
    u = default.train.x / 100
    np.testing.assert_allclose(custom.train.x[:, 0], -3 + 8 * u[:, 0], rtol=1e-12)
    np.testing.assert_allclose(custom.train.x[:, 1], 10 + u[:, 1], rtol=1e-12)


def test_default_inputs_are_rand_2_by_n_times_100() -> None:
    ds = make_dataset(DataSpec(samples=50, seed=9))
    expected = np.random.RandomState(9).rand(2, 50) * 100
    np.testing.assert_array_equal(np.vstack([ds.train.x, ds.test.x]), expected.T)


@settings(deadline=None, max_examples=40)
@given(
    samples=st.integers(100, 5000),
    ranges=st.tuples(
        st.tuples(st.floats(-100, 0), st.floats(1, 100)),
        st.tuples(st.floats(-100, 0), st.floats(1, 100)),
    ),
    targets=st.lists(st.sampled_from(sorted(TARGETS)), min_size=1, max_size=6, unique=True),
    noise=st.floats(0, 10),
    train_ratio=st.floats(0.3, 0.9),
    val_ratio=st.one_of(st.just(0.0), st.floats(0.05, 0.5)),
    seed=st.integers(0, 2**32 - 1),
)
def test_to_dict_from_dict_round_trip(
    samples, ranges, targets, noise, train_ratio, val_ratio, seed
) -> None:
    spec = DataSpec(samples, ranges, tuple(targets), noise, train_ratio, val_ratio, seed)
    d = spec.to_dict()
    assert set(d) == {
        "samples",
        "ranges",
        "targets",
        "noise",
        "train_ratio",
        "val_ratio",
        "seed",
    }
    assert DataSpec.from_dict(d) == spec
    assert DataSpec.from_dict(json.loads(json.dumps(d))) == spec


def test_from_dict_uses_defaults_for_optional_keys() -> None:
    d = {"samples": 10_000, "ranges": [[0, 100], [0, 100]], "targets": list(SEED_TARGETS)}
    assert DataSpec.from_dict(d) == DataSpec()


@pytest.mark.parametrize(
    "change",
    [
        {"samples": None},
        {"samples": "10000"},
        {"samples": True},
        {"samples": 100.5},
        {"samples": math.inf},
        {"ranges": [[0, 1, 2], [0, 1]]},
        {"ranges": [[0, "1"], [0, 1]]},
        {"ranges": [[0, True], [0, 1]]},
        {"ranges": 5},
        {"targets": [1, 2]},
        {"targets": ["a+b", "nope"]},
        {"noise": "0"},
        {"train_ratio": None},
        {"val_ratio": [0.1]},
        {"seed": 4.5},
        {"seed": "42"},
        {"seed": False},
    ],
)
def test_from_dict_rejects_malformed_values(change: dict) -> None:
    d = DataSpec().to_dict() | change
    with pytest.raises(DataSpecError):
        DataSpec.from_dict(d)


@pytest.mark.parametrize("missing", ["samples", "ranges", "targets"])
def test_from_dict_rejects_missing_required_keys(missing: str) -> None:
    d = DataSpec().to_dict()
    del d[missing]
    with pytest.raises(DataSpecError):
        DataSpec.from_dict(d)


def test_from_dict_accepts_integral_floats() -> None:
    d = DataSpec().to_dict() | {"samples": 500.0, "seed": 7.0}
    spec = DataSpec.from_dict(d)
    assert spec.samples == 500
    assert isinstance(spec.samples, int)
    assert spec.seed == 7


@pytest.mark.parametrize("val_ratio", [0.0, 0.2])
def test_scalers_are_fitted_on_the_train_split_only(val_ratio: float) -> None:
    ds = make_dataset(DataSpec(samples=2000, val_ratio=val_ratio, seed=5))
    np.testing.assert_allclose(ds.x_scaler.mean, ds.train.x.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(ds.x_scaler.std, ds.train.x.std(axis=0, ddof=0), rtol=1e-13)
    np.testing.assert_allclose(ds.y_scaler.mean, ds.train.y.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(ds.y_scaler.std, ds.train.y.std(axis=0, ddof=0), rtol=1e-13)
    # so the standardised training split has zero mean and unit population std
    np.testing.assert_allclose(ds.train.xs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.train.xs.std(axis=0), 1, rtol=1e-12)
    np.testing.assert_allclose(ds.train.ys.std(axis=0), 1, rtol=1e-12)
    # and not on everything: the full data's statistics differ
    everything = np.vstack([ds.train.x, ds.test.x])
    assert not np.allclose(ds.x_scaler.mean, everything.mean(axis=0), rtol=1e-6)
    # the same scalers serve every split
    for split in (ds.val, ds.test):
        if split is not None:
            np.testing.assert_allclose(split.xs, (split.x - ds.x_scaler.mean) / ds.x_scaler.std)
            np.testing.assert_allclose(split.ys, (split.y - ds.y_scaler.mean) / ds.y_scaler.std)


def test_same_seed_gives_identical_data_and_other_seeds_differ() -> None:
    spec = DataSpec(samples=1000, noise=1.0, val_ratio=0.1, seed=123)
    one, two = make_dataset(spec), make_dataset(spec)
    for name in ("train", "val", "test"):
        a, b = getattr(one, name), getattr(two, name)
        for field in ("x", "y", "xs", "ys"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    other = make_dataset(DataSpec(samples=1000, noise=1.0, val_ratio=0.1, seed=124))
    assert not np.allclose(one.train.x, other.train.x)


def test_given_rng_is_used_and_consumed_in_order() -> None:
    rng = np.random.RandomState(42)
    ds = make_dataset(DataSpec(samples=100, seed=0), rng)  # rng wins over the spec's seed
    np.testing.assert_array_equal(ds.train.x, make_dataset(DataSpec(samples=100)).train.x)
    # the stream continues right after the inputs
    fresh = np.random.RandomState(42)
    fresh.rand(2, 100)
    assert rng.randn() == fresh.randn()


def test_float32_dataset() -> None:
    ds = make_dataset(DataSpec(samples=100), dtype=np.float32)
    assert ds.train.xs.dtype == np.float32
    assert ds.test.ys.dtype == np.float32
    assert ds.train.x.dtype == np.float64  # raw values stay exact
    ref = make_dataset(DataSpec(samples=100))
    np.testing.assert_allclose(ds.train.xs, ref.train.xs, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ranges": ((-1e308, 1e308), (0.0, 1.0))}, "range of a must lie within ±1e+30"),
        ({"ranges": ((0.0, 1.0), (0.0, 2e30))}, "range of b must lie within ±1e+30"),
        ({"noise": 1e300}, "noise must be a number from 0 to 1e+30"),
    ],
)
def test_values_whose_targets_would_overflow_are_refused(settings, message):
    with pytest.raises(DataSpecError, match=re.escape(message)):
        DataSpec(**settings)


def test_the_largest_allowed_values_give_finite_scalers():
    spec = DataSpec(samples=100, ranges=((-1e30, 1e30), (-1e30, 1e30)), noise=1e30,
                    targets=("a*b", "a+b"))  # fmt: skip
    ds = make_dataset(spec, np.random.RandomState(0))
    assert np.isfinite(ds.y_scaler.std).all() and np.isfinite(ds.train.ys).all()
