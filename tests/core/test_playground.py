"""TensorFlow Playground's data sets: each recipe, class balance and determinism per seed."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.playground import CLASSIFICATION_SETS, PLAYGROUND_SETS, playground_points


@pytest.mark.parametrize("name", PLAYGROUND_SETS)
def test_every_set_is_the_same_for_a_seed_and_another_for_another(name):
    x, y = playground_points(name, 201, 0.2, seed=3)
    again = playground_points(name, 201, 0.2, seed=3)
    other = playground_points(name, 201, 0.2, seed=4)
    assert x.shape == (201, 2) and y.shape == (201,)
    assert np.array_equal(x, again[0]) and np.array_equal(y, again[1])
    assert not np.array_equal(x, other[0])


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral"])
def test_two_class_sets_draw_half_the_points_of_each_class(name):
    _, y = playground_points(name, 501, 0.0, seed=0)
    assert set(np.unique(y)) == {-1.0, 1.0}
    assert (y == 1).sum() == 251 and (y == -1).sum() == 250


def test_circle_radii_and_labels():
    x, y = playground_points("circle", 1000, 0.0, seed=1)
    r = np.hypot(x[:, 0], x[:, 1])
    assert r[:500].max() <= 2.5 and r[500:].min() >= 3.5 and r[500:].max() <= 5.0
    assert (y[:500] == 1).all() and (y[500:] == -1).all()
    _, noisy = playground_points("circle", 1000, 0.5, seed=1)
    assert 0 < (noisy != y).sum() < 500, "noise moves labels by the noisy radius"


def test_xor_keeps_off_the_axes_and_labels_by_the_sign_of_the_product():
    x, y = playground_points("xor", 2000, 0.0, seed=2)
    assert np.abs(x).min() >= 0.3 and np.abs(x).max() <= 5.3
    assert np.array_equal(y, np.where(x[:, 0] * x[:, 1] >= 0, 1.0, -1.0))


def test_gauss_clouds_and_their_variance_from_the_noise():
    x, y = playground_points("gauss", 20_000, 0.0, seed=5)
    assert np.allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.05)
    assert np.allclose(x[y == -1].mean(axis=0), [-2, -2], atol=0.05)
    assert np.var(x[y == 1]) == pytest.approx(0.5, rel=0.05)
    wide, _ = playground_points("gauss", 20_000, 0.5, seed=5)
    assert np.var(wide[:10_000]) == pytest.approx(4.0, rel=0.05)


def test_spiral_arms_follow_their_formula():
    x, y = playground_points("spiral", 200, 0.0, seed=0)
    i = np.arange(100)
    t = 1.75 * i / 100 * 2 * np.pi
    assert np.allclose(x[:100], np.column_stack([5 * i / 100 * np.sin(t), 5 * i / 100 * np.cos(t)]))
    assert np.allclose(x[100:], -x[:100]), "the second arm is the first turned by π"
    assert (y[:100] == 1).all() and (y[100:] == -1).all()


def test_regression_sets_give_values():
    x, v = playground_points("plane", 500, 0.0, seed=0)
    assert np.allclose(v, (x[:, 0] + x[:, 1]) / 10)
    x, v = playground_points("multi-gauss", 2000, 0.0, seed=0)
    assert v.min() >= -1 and v.max() <= 1 and (v > 0.5).any() and (v < -0.5).any()
    near = np.hypot(x[:, 0] + 4, x[:, 1] - 2.5) < 0.5  # around the bump at (-4, 2.5), sign +
    assert (v[near] > 0.7).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("moons", 100, 0.0), "no data set called 'moons'"),
        (("circle", 1, 0.0), "at least 2 points"),
        (("circle", 100, 0.6), "noise must be from 0 to 0.5"),
        (("circle", 100, float("nan")), "noise must be"),
    ],
)
def test_bad_requests_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        playground_points(*args, seed=0)


def test_the_classification_sets_are_named():
    assert CLASSIFICATION_SETS == ("circle", "xor", "gauss", "spiral")
