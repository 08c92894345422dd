"""Error maps: the grid, its values for networks with known weights, and the colour levels."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.error_map import (
    MAX_DECADES,
    cell_centres,
    colour_levels,
    error_grid,
    error_grid_steps,
    extended_range,
    grid_inputs,
    nice_ceil,
)
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.scaling import Scaler

# A 2 → 1 linear network in standardised units: ŷs = 0.6·as + 0.3·bs + 0.1, with scalers
# a, b: mean 50, std 25 and y: mean 100, std 40, so in original units
#   ŷ = 40·(0.6·(a − 50)/25 + 0.3·(b − 50)/25 + 0.1) + 100 = 0.96·a + 0.48·b + 32.
W = np.array([[0.6], [0.3]])
B = np.array([0.1])


def linear_model(targets: tuple[str, ...] = ("a+b",), w=W, b=B) -> Model:
    n_out = w.shape[1]
    net = Network(2, [LayerSpec(n_out, "linear")], [np.vstack([w, b[None, :]])])
    return Model(
        network=net,
        x_scaler=Scaler(np.array([50.0, 50.0]), np.array([25.0, 25.0])),
        y_scaler=Scaler(np.full(n_out, 100.0), np.full(n_out, 40.0)),
        input_names=("a", "b"),
        output_names=targets,
    )


def by_hand(a: float, b: float) -> float:
    return 0.96 * a + 0.48 * b + 32.0


def test_grid_axes_are_cell_centres_of_the_ranges():
    grid = error_grid(linear_model(), ("a+b",), ((0.0, 100.0), (-10.0, 10.0)), resolution=4)
    np.testing.assert_allclose(grid.a, [12.5, 37.5, 62.5, 87.5])
    np.testing.assert_allclose(grid.b, [-7.5, -2.5, 2.5, 7.5])
    assert grid.rect == (0.0, -10.0, 100.0, 20.0)
    assert grid.ranges == grid.shown == ((0.0, 100.0), (-10.0, 10.0))
    assert grid.error.shape == grid.prediction.shape == grid.truth.shape == (1, 4, 4)
    assert grid.output_names == ("a+b",)


def test_error_values_of_a_known_linear_network():
    grid = error_grid(linear_model(), ("a+b",), ((0.0, 100.0), (-10.0, 10.0)), resolution=4)
    # Row j is b[j], column i is a[i]: check every point, and two by number.
    for j, b in enumerate([-7.5, -2.5, 2.5, 7.5]):
        for i, a in enumerate([12.5, 37.5, 62.5, 87.5]):
            assert grid.prediction[0, j, i] == pytest.approx(by_hand(a, b))
            assert grid.truth[0, j, i] == a + b
            assert grid.error[0, j, i] == pytest.approx(abs(by_hand(a, b) - (a + b)))
    # a = 87.5, b = −7.5: ŷ = 84 − 3.6 + 32 = 112.4, truth 80, error 32.4
    assert grid.error[0, 0, 3] == pytest.approx(32.4)
    # a = 12.5, b = 7.5: ŷ = 12 + 3.6 + 32 = 47.6, truth 20, error 27.6
    assert grid.error[0, 3, 0] == pytest.approx(27.6)


def test_two_outputs_each_against_its_own_formula():
    w = np.array([[0.6, 0.5], [0.3, -0.5]])
    model = linear_model(("a+b", "a-b"), w=w, b=np.array([0.1, 0.0]))
    grid = error_grid(model, ("a+b", "a-b"), ((0.0, 100.0), (0.0, 100.0)), resolution=5)
    a, b = np.meshgrid(grid.a, grid.b)  # (n_b, n_a)
    second = 40 * (0.5 * (a - 50) / 25 - 0.5 * (b - 50) / 25) + 100  # = 0.8a − 0.8b + 100
    np.testing.assert_allclose(grid.error[0], np.abs(by_hand(a, b) - (a + b)))
    np.testing.assert_allclose(grid.error[1], np.abs(second - (a - b)))
    np.testing.assert_allclose(grid.truth[1], a - b)


def test_extension_widens_the_axes_by_a_share_of_the_range_each_side():
    ranges = ((0.0, 100.0), (-10.0, 10.0))
    grid = error_grid(linear_model(), ("a+b",), ranges, resolution=4, extend=0.5)
    assert grid.shown == ((-50.0, 150.0), (-20.0, 20.0))
    assert grid.ranges == ranges
    assert grid.rect == (-50.0, -20.0, 200.0, 40.0)
    np.testing.assert_allclose(grid.a, [-25.0, 25.0, 75.0, 125.0])
    np.testing.assert_allclose(grid.b, [-15.0, -5.0, 5.0, 15.0])
    assert grid.error[0, 0, 3] == pytest.approx(abs(by_hand(125, -15) - 110))
    inside = grid.inside()
    assert inside.shape == (4, 4)
    np.testing.assert_array_equal(inside[:, 0], False)  # a = −25
    np.testing.assert_array_equal(inside[0], False)  # b = −15
    assert inside[1:3, 1:3].all()


def test_helpers():
    assert extended_range(10.0, 20.0, 0.25) == (7.5, 22.5)
    assert extended_range(10.0, 20.0, 0.0) == (10.0, 20.0)
    with pytest.raises(ValueError):
        extended_range(0.0, 1.0, -0.1)
    np.testing.assert_allclose(cell_centres(0.0, 1.0, 2), [0.25, 0.75])
    x = grid_inputs(np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0]))
    np.testing.assert_array_equal(x, [[1, 10], [2, 10], [3, 10], [1, 20], [2, 20], [3, 20]])


def test_one_forward_pass_for_the_whole_grid(monkeypatch):
    model = linear_model()
    calls = []
    forward = model.network.forward
    monkeypatch.setattr(model.network, "forward", lambda x: calls.append(len(x)) or forward(x))
    error_grid(model, ("a+b",), ((0.0, 1.0), (0.0, 1.0)), resolution=100)
    assert calls == [10_000]


def test_non_finite_networks_give_nan_or_inf_without_warnings():
    ranges = ((0.0, 100.0), (0.0, 100.0))
    nan_model = linear_model(w=np.full((2, 1), np.nan))
    grid = error_grid(nan_model, ("a+b",), ranges, resolution=8)  # warnings are errors here
    assert np.isnan(grid.error).all()
    # Finite but huge weights: a, b > 50 standardise to positive values, so ŷ overflows.
    huge = linear_model(w=np.full((2, 1), 1e308), b=np.array([1e308]))
    grid = error_grid(huge, ("a+b",), ((60.0, 100.0), (60.0, 100.0)), resolution=8)
    assert np.isposinf(grid.error).all()


def test_refuses_what_it_cannot_map():
    ranges = ((0.0, 1.0), (0.0, 1.0))
    three = Model(
        Network(3, [LayerSpec(1, "linear")]),
        Scaler(np.zeros(3), np.ones(3)),
        Scaler(np.zeros(1), np.ones(1)),
        ("a", "b", "c"),
        ("a+b",),
    )
    with pytest.raises(ValueError, match="two inputs"):
        error_grid(three, ("a+b",), ranges)
    with pytest.raises(ValueError, match="no formula"):
        error_grid(linear_model(), ("a/b",), ranges)
    with pytest.raises(ValueError, match="outputs"):
        error_grid(linear_model(), ("a+b", "a-b"), ranges)
    with pytest.raises(ValueError, match="resolution"):
        error_grid(linear_model(), ("a+b",), ranges, resolution=1)


# ----- colour levels ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("v", "expected"),
    [(0.3, 0.5), (1.0, 1.0), (1.2, 2.0), (2.2, 2.5), (7.0, 10.0), (0.001, 0.001), (430, 500)],
)
def test_nice_ceil(v, expected):
    assert nice_ceil(v) == pytest.approx(expected)


def test_linear_levels_cover_the_99th_percentile_rounded_up():
    error = np.linspace(0.0, 0.3, 1001)  # 99th percentile: 0.297
    assert colour_levels(error, log=False) == pytest.approx((0.0, 0.5))
    error[0] = np.nan
    error[1] = np.inf
    assert colour_levels(error, log=False) == pytest.approx((0.0, 0.5))


def test_log_levels_are_whole_decades_around_the_percentiles():
    error = np.full(100, 0.05)  # log10 = −1.3
    assert colour_levels(error, log=True) == (-2.0, -1.0)
    error = 10.0 ** np.linspace(-2.5, 1.5, 10001)  # 1st / 99th percentiles: 10^−2.46, 10^1.46
    assert colour_levels(error, log=True) == (-3.0, 2.0)
    error = np.append(error, 0.0)  # zero errors do not drag the bottom to −inf
    assert colour_levels(error, log=True) == (-3.0, 2.0)
    wide = 10.0 ** np.linspace(-12, 3, 10001)
    assert colour_levels(wide, log=True) == (3.0 - MAX_DECADES, 3.0)


def test_levels_of_nothing_usable_are_none():
    assert colour_levels(np.full(10, np.nan), log=False) is None
    assert colour_levels(np.zeros(10), log=True) is None
    assert colour_levels(np.zeros(10), log=False) == (0.0, 1.0)


def test_levels_move_out_at_once_but_in_only_with_headroom():
    prev = (0.0, 1.0)
    assert colour_levels(np.full(10, 0.6), False, prev) == (0.0, 1.0)  # kept
    assert colour_levels(np.full(10, 0.85), False, prev) == (0.0, 1.0)  # 0.85 / 0.8 → 2 > 1
    assert colour_levels(np.full(10, 0.45), False, prev) == (0.0, 1.0)  # 0.45 / 0.8 → 1
    assert colour_levels(np.full(10, 0.4), False, prev) == (0.0, 0.5)  # 0.4 / 0.8 → 0.5
    assert colour_levels(np.full(10, 3.0), False, prev) == (0.0, 5.0)  # out at once
    # Wobbling around the step at 1: no flicker once the level has moved out.
    prev = (0.0, 2.0)
    for v in (0.99, 1.01, 0.97, 1.03):
        assert colour_levels(np.full(10, v), False, prev) == (0.0, 2.0)
    prev = (-3.0, 0.0)
    # top −1.2: ceil(−1.2 + 0.3) = 0, kept; bottom −1.2: floor(−1.5) = −2, moves in
    assert colour_levels(np.full(10, 10**-1.2), True, prev) == (-2.0, 0.0)
    # top −1.6: ceil(−1.3) = −1; bottom floor(−1.9) = −2
    assert colour_levels(np.full(10, 10**-1.6), True, prev) == (-2.0, -1.0)
    # top 0.2 passes 0: out at once to 1; bottom floor(−0.1) = −1
    assert colour_levels(np.full(10, 10**0.2), True, prev) == (-1.0, 1.0)
    both = np.array([10**-2.0, 10**-0.5] * 50)  # percentiles 10^−2 and 10^−0.5
    assert colour_levels(both, True, prev) == (-3.0, 0.0)  # floor(−2.3), ceil(−0.2): kept
    assert colour_levels(both, True) == (-2.0, 0.0)
    assert colour_levels(np.full(10, 10**-4.5), True, prev) == (-5.0, -4.0)  # out below


@pytest.mark.parametrize("rows_per_step", [1, 7, 20, 50])
def test_the_grid_in_steps_equals_the_grid_at_once(rows_per_step):
    model = linear_model(("a+b", "a-b"), w=np.array([[1.0, 0.5], [2.0, -1.0]]), b=np.zeros(2))
    ranges = ((0.0, 100.0), (-10.0, 30.0))
    whole = error_grid(model, model.output_names, ranges, 20, 0.25)
    steps = list(error_grid_steps(model, model.output_names, ranges, 20, 0.25, rows_per_step))
    assert len(steps) == -(-20 // rows_per_step)  # a step per block of rows
    assert all(step is None for step in steps[:-1])
    grid = steps[-1]
    for field in ("a", "b", "prediction", "truth", "error"):
        np.testing.assert_array_equal(getattr(grid, field), getattr(whole, field))
    assert (grid.ranges, grid.shown, grid.output_names) == (
        whole.ranges, whole.shown, whole.output_names
    )  # fmt: skip
    with pytest.raises(ValueError, match="rows_per_step"):
        next(error_grid_steps(model, model.output_names, ranges, 20, 0.0, 0))
